import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import App from "./App.svelte";
import type { CheckEvent, CheckResult, Override, Project, Report } from "./lib/bindings";

test("settings kept aside are announced until dismissed", async () => {
  const message = "Your saved projects could not be read (expected value), so Golive started with none.";
  mockIPC((cmd) => {
    if (cmd === "settings_notice") return { code: "settings_corrupt", message };
    if (cmd === "overrides" || cmd === "list_frameworks" || cmd === "list_projects") return [];
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

const sandbox: Override[] = [
  { variable: "GOLIVE_CLERK_API_URL", what: "Clerk API", address: "http://127.0.0.1:40000/" },
  { variable: "GOLIVE_OAUTH_GOOGLE_TOKEN_URL", what: "Google OAuth token endpoint", address: "http://127.0.0.1:40000/oauth/google/token" },
];

test("every overridden address is named in a banner above the app", async () => {
  mockIPC((cmd) => {
    if (cmd === "overrides") return sandbox;
    if (cmd === "list_frameworks" || cmd === "list_projects") return [];
  });
  render(App);
  const banner = await screen.findByRole("region", { name: "Overridden addresses" });
  expect(banner).toHaveTextContent("Not the real vendors.");
  expect(banner).toHaveTextContent("2 addresses are set by GOLIVE_* variables");
  for (const o of sandbox) {
    expect(banner).toHaveTextContent(`${o.variable} ${o.address}`);
  }
  expect(await screen.findByText("Take your Clerk app live")).toBeInTheDocument();
});

test("without overrides there is no banner", async () => {
  mockIPC((cmd) => {
    if (cmd === "overrides" || cmd === "list_frameworks" || cmd === "list_projects") return [];
  });
  render(App);
  expect(await screen.findByText("Take your Clerk app live")).toBeInTheDocument();
  expect(screen.queryByRole("region", { name: "Overridden addresses" })).toBeNull();
});

test("a refused configuration is shown with what to do, and nothing else is asked", async () => {
  const calls: string[] = [];
  const message =
    "Configuration: GOLIVE_CLERK_API_URL=http://api.example.com would send secrets unencrypted over the network.";
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "overrides") throw { code: "config", message };
    return [];
  });
  render(App);
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Golive cannot start with this configuration");
  expect(alert).toHaveTextContent(message);
  expect(alert).toHaveTextContent("Fix or unset that variable");
  expect(calls).toEqual(["overrides"]);
  expect(screen.queryByRole("navigation")).toBeNull();
});

const project: Project = { id: "p1", name: "Quillmate", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };
const result = (id: string, status: CheckResult["status"]): CheckResult => ({ id, status, title: id, detail: `${id} detail`, fix: null });

test("the sidebar shows a step with nothing set up as not set up, never green", async () => {
  const results = [
    result("clerk.publishable_key", "pass"),
    result("clerk.secret_key", "pass"),
    result("vercel.domain", "skip"),
    result("vercel.env", "skip"),
    result("vercel.deployment", "skip"),
    result("site.publishable_key", "pass"),
  ];
  const report: Report = { domain: "quillmate.test", layout: { app_domain: "quillmate.test", clerk_domain: "quillmate.test", frontend_api: "clerk.quillmate.test", proxy_url: null, satellites: [], detected: [] }, checks: results, summary: { pass: 3, warn: 0, fail: 0, skip: 3 } };
  mockIPC(async (cmd, args) => {
    if (cmd === "list_projects") return [project];
    if (cmd === "list_frameworks" || cmd === "overrides") return [];
    // What the Clerk step, open first, asks for.
    if (cmd === "secret_status") return { kind: (args as { kind: string }).kind, set: false };
    if (cmd === "clerk_checklist") return [];
    if (cmd === "run_checks") {
      const ch = (args as { onEvent: Channel<CheckEvent> }).onEvent;
      ch.onmessage({ event: "planned", data: { checks: results.map((r) => ({ id: r.id, title: r.title })) } });
      for (const r of results) ch.onmessage({ event: "finished", data: { result: r } });
      return report;
    }
    return null;
  });
  render(App);
  await userEvent.click(await screen.findByRole("button", { name: "Validate" }));
  await userEvent.click(screen.getByRole("button", { name: "Validate everything" }));
  expect(await screen.findByRole("img", { name: "Hosting not set up" })).toHaveClass("dot", "incomplete");
  expect(screen.getByRole("img", { name: "Clerk passed" })).toHaveClass("pass");
  expect(screen.getByTestId("checks-group-hosting")).toHaveTextContent("Not set up");
});

test("a newer version found at start is a small notice that opens the update", async () => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) { this.open = true; };
  mockIPC((cmd) => {
    if (cmd === "update_check") {
      return { current: "0.1.0", available: { version: "0.2.0", notes: "Faster DNS checks.", date: null } };
    }
    if (cmd === "about") return { version: "0.1.0", updateUrl: "http://127.0.0.1:9/latest.json" };
    if (cmd === "settings_notice") return null;
    return [];
  });
  render(App);
  const notice = await screen.findByTestId("update-notice");
  expect(notice).toHaveTextContent("Version 0.2.0 is available");
  expect(screen.queryByRole("alert")).toBeNull();
  await userEvent.click(notice);
  const dialog = screen.getByTestId("about");
  expect(dialog).toHaveAttribute("open");
  expect(within(dialog).getByText("Faster DNS checks.")).toBeInTheDocument();
  expect(within(dialog).getByRole("button", { name: "Install and restart" })).toBeInTheDocument();
});

test("a check that fails at start (offline) shows nothing", async () => {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "update_check") throw { code: "unreachable", message: "The update server could not be reached: offline." };
    if (cmd === "settings_notice") return null;
    return [];
  });
  render(App);
  expect(await screen.findByText("Take your Clerk app live")).toBeInTheDocument();
  await new Promise((r) => setTimeout(r, 20));
  expect(calls).toContain("update_check");
  expect(screen.queryByTestId("update-notice")).toBeNull();
  expect(screen.queryByRole("alert")).toBeNull();
  expect(screen.queryByText(/could not be reached/)).toBeNull();
  expect(screen.getByRole("button", { name: "About Golive" })).toBeInTheDocument();
});
