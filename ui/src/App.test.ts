import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import App from "./App.svelte";

test("settings kept aside are announced until dismissed", async () => {
  const message = "Your saved projects could not be read (expected value), so Golive started with none.";
  mockIPC((cmd) => {
    if (cmd === "settings_notice") return { code: "settings_corrupt", message };
    if (cmd === "list_frameworks" || cmd === "list_projects") return [];
  });
  render(App);
  expect(await screen.findByTestId("settings-notice")).toHaveTextContent(message);
  expect(screen.getByText("Take your Clerk app live")).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Dismiss" }));
  expect(screen.queryByTestId("settings-notice")).not.toBeInTheDocument();
});

test("no notice, no banner", async () => {
  mockIPC((cmd) => (cmd === "settings_notice" ? null : []));
  render(App);
  expect(await screen.findByText("Take your Clerk app live")).toBeInTheDocument();
  expect(screen.queryByTestId("settings-notice")).not.toBeInTheDocument();
});
