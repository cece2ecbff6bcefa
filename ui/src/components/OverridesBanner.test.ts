import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { expect, test } from "vitest";
import OverridesBanner from "./OverridesBanner.svelte";

test("the list folds away but the banner stays", async () => {
  const overrides = [{ variable: "GOLIVE_RESOLVERS", what: "public DNS resolvers", address: "127.0.0.1:5300" }];
  render(OverridesBanner, { overrides });
  const banner = screen.getByRole("region", { name: "Overridden addresses" });
  expect(banner).toHaveTextContent("1 address is set by GOLIVE_* variables");
  expect(screen.getByTitle("public DNS resolvers")).toHaveTextContent("GOLIVE_RESOLVERS 127.0.0.1:5300");

  await userEvent.click(screen.getByRole("button", { name: "Hide the list" }));
  expect(screen.queryByText("127.0.0.1:5300")).toBeNull();
  expect(banner).toHaveTextContent("Not the real vendors.");
  await userEvent.click(screen.getByRole("button", { name: "Show the list" }));
  expect(screen.getByText("127.0.0.1:5300")).toBeInTheDocument();
});
