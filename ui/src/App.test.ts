import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import { expect, test } from "vitest";
import App from "./App.svelte";
import type { CheckEvent, CheckResult, Project, Report } from "./lib/bindings";

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
  const report: Report = { domain: "quillmate.test", checks: results, summary: { pass: 3, warn: 0, fail: 0, skip: 3 } };
  mockIPC(async (cmd, args) => {
    if (cmd === "list_projects") return [project];
    if (cmd === "list_frameworks") return [];
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
