import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import WebhooksCard from "./WebhooksCard.svelte";
import type { Project } from "../../lib/bindings";

const project: Project = {
  id: "p1", name: "Q", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [],
  vercelProject: { id: "prj_1", name: "quillmate" },
};
const URL = "https://quillmate.test/api/webhooks/clerk";

test("the endpoint URL is saved, and a refused one stays in the field with the reason", async () => {
  const calls: Array<{ cmd: string; args: unknown }> = [];
  const changed: Project[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "secret_status") return { kind: "clerk-webhook-secret", set: false };
    if (cmd === "set_webhook_url") {
      const value = (args as { value: string }).value;
      if (value.startsWith("http://"))
        throw { code: "webhook_url_invalid", message: "The endpoint must be an https:// address (not http:)." };
      return { ...project, webhookUrl: value.trim() };
    }
  });
  render(WebhooksCard, { project, onChanged: (p: Project) => changed.push(p) });

  const input = screen.getByLabelText("Production endpoint URL");
  expect(input).toHaveAttribute("placeholder", URL);
  await userEvent.type(input, "http://quillmate.test/hook");
  await userEvent.click(screen.getByRole("button", { name: "Save" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("must be an https:// address");
  expect(input).toHaveValue("http://quillmate.test/hook");
  expect(input).toHaveAttribute("aria-invalid", "true");
  expect(changed).toHaveLength(0);

  await userEvent.clear(input);
  await userEvent.type(input, URL);
  await userEvent.click(screen.getByRole("button", { name: "Save" }));
  await screen.findByRole("button", { name: "Save" });
  expect(changed.at(-1)?.webhookUrl).toBe(URL);
  expect(screen.queryByRole("alert")).toBeNull();
  expect(calls.filter((c) => c.cmd === "set_webhook_url").at(-1)?.args).toMatchObject({ projectId: "p1", value: URL });
});

test("the dashboard opens from Rust and only its host comes back; a refusal says what to do", async () => {
  let refuse = false;
  mockIPC((cmd) => {
    if (cmd === "secret_status") return { kind: "clerk-webhook-secret", set: false };
    if (cmd === "open_webhook_dashboard") {
      if (refuse) throw { code: "live_secret_key_missing", message: "Save the production instance's secret key (sk_live_…) on the Clerk step first." };
      return "app.svix.com";
    }
  });
  render(WebhooksCard, { project: { ...project, webhookUrl: URL }, onChanged: () => {} });
  await userEvent.click(screen.getByRole("button", { name: /Open the production webhook dashboard/ }));
  expect(await screen.findByTestId("webhook-dashboard-opened")).toHaveTextContent("Opened app.svix.com in your browser");
  expect(screen.getByRole("link", { name: /Webhooks in the Clerk dashboard/ })).toHaveAttribute(
    "href", "https://dashboard.clerk.com/last-active?path=webhooks");
  expect(screen.getByRole("button", { name: "Copy production endpoint URL" })).toBeInTheDocument();

  refuse = true;
  await userEvent.click(screen.getByRole("button", { name: /Open the production webhook dashboard/ }));
  expect(await screen.findByRole("alert")).toHaveTextContent("sk_live_");
  expect(screen.queryByTestId("webhook-dashboard-opened")).toBeNull();
});

test("the signing secret is a masked keychain field, and a Clerk key in it gets the reason", async () => {
  const SECRET = "whsec_c2FuZGJveExpdmVXZWJob29rUXVpbGww";
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: "clerk-webhook-secret", set: false };
    if (cmd === "set_secret") {
      if ((args as { value: string }).value.startsWith("sk_"))
        throw { code: "wrong_field", message: "That is a secret key (sk_…), not a webhook signing secret. Paste it in the Secret key field instead." };
      return { kind: "clerk-webhook-secret", set: true, last4: "Ulww" };
    }
  });
  render(WebhooksCard, { project, onChanged: () => {} });
  const input = await screen.findByLabelText("Production signing secret");
  expect(input).toHaveAttribute("type", "password");
  await userEvent.type(input, "sk_live_abcdefghijklmnop1234");
  await userEvent.click(screen.getByRole("button", { name: "Save to keychain" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("not a webhook signing secret");

  await userEvent.clear(input);
  await userEvent.type(input, SECRET);
  await userEvent.click(screen.getByRole("button", { name: "Save to keychain" }));
  expect(await screen.findByTestId("secret-status")).toHaveTextContent("ends in …Ulww");
  expect(screen.getByTestId("webhook-secret-next")).toHaveTextContent("apply the environment plan");
  expect(document.body.innerHTML).not.toContain(SECRET);
});

test("reading the keychain shows its state, and a keychain error is shown", async () => {
  mockIPC((cmd) => {
    if (cmd === "secret_status") throw { code: "keychain_unavailable", message: "The system keychain is not available." };
  });
  render(WebhooksCard, { project, onChanged: () => {} });
  expect(await screen.findByRole("alert")).toHaveTextContent("keychain is not available");
});
