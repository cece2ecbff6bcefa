import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import SecretField from "./SecretField.svelte";

const SECRET = "sk_live_componentTestSecret0000abcd";

test("a saved secret is shown masked and never kept in the page", async () => {
  const calls: Array<{ cmd: string; args: unknown }> = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "secret_status") return { kind: "clerk-secret-key", set: false };
    if (cmd === "set_secret") return { kind: "clerk-secret-key", set: true, last4: "abcd" };
  });
  render(SecretField, { projectId: "p1", kind: "clerk-secret-key", label: "Secret key" });

  const input = await screen.findByLabelText("Secret key");
  expect(input).toHaveAttribute("type", "password");
  await userEvent.type(input, SECRET);
  await userEvent.click(screen.getByRole("button", { name: "Save to keychain" }));

  expect(await screen.findByTestId("secret-status")).toHaveTextContent("ends in …abcd");
  expect(screen.queryByLabelText("Secret key")).toBeNull();
  expect(document.body.innerHTML).not.toContain(SECRET);
  expect(calls.find((c) => c.cmd === "set_secret")?.args).toMatchObject({ projectId: "p1", value: SECRET });
});

test("a refused key shows Rust's message and keeps what was typed", async () => {
  mockIPC((cmd) => {
    if (cmd === "secret_status") return { kind: "clerk-secret-key", set: false };
    if (cmd === "set_secret")
      throw { code: "wrong_field", message: "That is a publishable key (pk_…), not a secret key." };
  });
  render(SecretField, { projectId: "p1", kind: "clerk-secret-key", label: "Secret key" });
  const input = await screen.findByLabelText("Secret key");
  await userEvent.type(input, "pk_live_abc");
  await userEvent.click(screen.getByRole("button", { name: "Save to keychain" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("not a secret key");
  expect(input).toHaveValue("pk_live_abc");
  expect(input).toHaveAttribute("aria-invalid", "true");
});

test("forget clears the stored status", async () => {
  mockIPC((cmd) => {
    if (cmd === "secret_status") return { kind: "clerk-secret-key", set: true, last4: "wxyz" };
    if (cmd === "forget_secret") return { kind: "clerk-secret-key", set: false };
  });
  render(SecretField, { projectId: "p1", kind: "clerk-secret-key", label: "Secret key" });
  expect(await screen.findByTestId("secret-status")).toHaveTextContent("…wxyz");
  await userEvent.click(screen.getByRole("button", { name: "Forget" }));
  expect(await screen.findByLabelText("Secret key")).toBeInTheDocument();
});
