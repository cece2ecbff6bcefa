import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import { expect, test } from "vitest";
import ChecksView from "./ChecksView.svelte";
import { CHECK_STEP } from "../lib/bindings";
import type { CheckEvent, CheckResult, Project, Report } from "../lib/bindings";

const project: Project = { id: "p1", name: "Q", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };
const result = (id: string, status: CheckResult["status"]): CheckResult => ({ id, status, title: id, detail: `${id} detail`, fix: status === "fail" ? `fix ${id}` : null });
const results = [result("clerk.secret_key", "pass"), result("dns.clerk", "fail"), result("site.publishable_key", "warn"), result("vercel.env", "pass")];
const report: Report = { domain: "quillmate.test", layout: { app_domain: "quillmate.test", clerk_domain: "quillmate.test", frontend_api: "clerk.quillmate.test", proxy_url: null, satellites: [], detected: [] }, checks: results, summary: { pass: 2, warn: 1, fail: 1, skip: 0 } };

test("steps group checks as the engine does", () => {
  expect(CHECK_STEP["dns.clk._domainkey"]).toBe("dns");
  expect(CHECK_STEP["site.publishable_key"]).toBe("hosting");
  expect(CHECK_STEP["vercel.env"]).toBe("hosting");
});

test("results stream into per-step statuses, and the report exports in either format", async () => {
  const exported: unknown[] = [];
  mockIPC(async (cmd, args) => {
    if (cmd === "run_checks") {
      const ch = (args as { onEvent: Channel<CheckEvent> }).onEvent;
      ch.onmessage({ event: "planned", data: { checks: results.map((r) => ({ id: r.id, title: r.title })) } });
      for (const r of results) ch.onmessage({ event: "finished", data: { result: r } });
      return report;
    }
    if (cmd === "export_report") {
      exported.push(args);
      return "/home/me/golive-quillmate.test.md";
    }
  });
  const statuses: Record<string, string>[] = [];
  render(ChecksView, { project, onStepStatus: (s: Record<string, string>) => statuses.push(s) });
  await userEvent.click(screen.getByRole("button", { name: "Validate everything" }));
  expect(await screen.findByTestId("checks-summary")).toHaveTextContent("1 failed");
  expect(statuses.at(-1)).toEqual({ clerk: "pass", dns: "fail", hosting: "warn" });
  await userEvent.click(screen.getByRole("button", { name: "Export Markdown…" }));
  expect(exported).toEqual([{ projectId: "p1", format: "markdown" }]);
  expect(await screen.findByText("Saved to /home/me/golive-quillmate.test.md")).toBeInTheDocument();
});

test("a run can be stopped", async () => {
  let reject: (e: unknown) => void = () => {};
  const calls: string[] = [];
  mockIPC(async (cmd, args) => {
    calls.push(cmd);
    if (cmd === "run_checks") {
      const ch = (args as { onEvent: Channel<CheckEvent> }).onEvent;
      ch.onmessage({ event: "planned", data: { checks: results.map((r) => ({ id: r.id, title: r.title })) } });
      ch.onmessage({ event: "finished", data: { result: results[0] } });
      return new Promise((_, r) => (reject = r));
    }
    if (cmd === "cancel_checks") reject({ code: "checks_cancelled", message: "The checks were stopped before they finished." });
    return null;
  });
  render(ChecksView, { project });
  await userEvent.click(screen.getByRole("button", { name: "Validate everything" }));
  await userEvent.click(await screen.findByRole("button", { name: "Stop" }));
  expect(await screen.findByText("Stopped: 1 of 4 checks had finished.")).toBeInTheDocument();
  expect(calls).toContain("cancel_checks");
  expect(screen.queryByRole("alert")).toBeNull();
  expect(screen.queryByTestId("report-export")).toBeNull();
});
