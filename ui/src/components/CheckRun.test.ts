import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import { expect, test } from "vitest";
import CheckRun from "./CheckRun.svelte";
import type { CheckEvent, CheckResult, Project } from "../lib/bindings";

const project: Project = { id: "p1", name: "Quillmate", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };

test("results stream in, with progress and a fix for each failure", async () => {
  const fail: CheckResult = {
    id: "clerk.secret_key", status: "fail", title: "Secret key", detail: "Clerk rejected this secret key (401).",
    fix: "Copy the key again.", evidence: { expected: "a production instance for quillmate.test", actual: "instance ins_2 for otherapp.test" },
  };
  const pass: CheckResult = { id: "clerk.publishable_key", status: "pass", title: "Publishable key", detail: "pk_live_ key", fix: null };
  let release: () => void = () => {};
  mockIPC(async (cmd, args) => {
    if (cmd !== "run_checks") return;
    const { onEvent: ch, step } = args as { onEvent: Channel<CheckEvent>; step: string };
    expect(step).toBe("clerk");
    ch.onmessage({ event: "planned", data: { checks: [{ id: pass.id, title: pass.title }, { id: fail.id, title: fail.title }] } });
    ch.onmessage({ event: "finished", data: { result: pass } });
    await new Promise<void>((r) => (release = r));
    ch.onmessage({ event: "finished", data: { result: fail } });
    return { domain: "quillmate.test", checks: [pass, fail], summary: { pass: 1, warn: 0, fail: 1, skip: 0 } };
  });
  render(CheckRun, { project, step: "clerk" });
  await userEvent.click(screen.getByRole("button", { name: "Run checks" }));

  const bar = await screen.findByRole("progressbar");
  await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("1");
  expect(screen.getByText("1 of 2 checks finished")).toBeInTheDocument();
  expect(screen.getByTestId("check-clerk.secret_key")).toHaveTextContent("Running");

  release();
  expect(await screen.findByTestId("checks-summary")).toHaveTextContent("1 failed");
  expect(screen.getByTestId("check-clerk.secret_key")).toHaveTextContent("Copy the key again.");
  expect(screen.getByRole("button", { name: "Copy fix for clerk.secret_key" })).toBeInTheDocument();
  const evidence = screen.getByLabelText("Evidence for clerk.secret_key");
  expect(evidence).toHaveTextContent(/Expected\s*a production instance for quillmate.test/);
  expect(evidence).toHaveTextContent(/Found\s*instance ins_2 for otherapp.test/);
});

test("a whole validation is grouped by step, and once over each step lists what failed first", async () => {
  const r = (id: string, status: CheckResult["status"]): CheckResult => ({ id, status, title: id, detail: `${id} ${status}`, fix: null });
  const results = [r("clerk.publishable_key", "pass"), r("clerk.secret_key", "fail"), r("dns.clerk", "warn"), r("vercel.env", "pass")];
  mockIPC(async (cmd, args) => {
    if (cmd !== "run_checks") return;
    const { onEvent: ch, step } = args as { onEvent: Channel<CheckEvent>; step: string | null };
    expect(step).toBeNull();
    ch.onmessage({ event: "planned", data: { checks: results.map((c) => ({ id: c.id, title: c.title })) } });
    for (const result of results) ch.onmessage({ event: "finished", data: { result } });
    return { domain: "quillmate.test", checks: results, summary: { pass: 2, warn: 1, fail: 1, skip: 0 } };
  });
  render(CheckRun, { project, label: "Validate everything" });
  await userEvent.click(screen.getByRole("button", { name: "Validate everything" }));
  await screen.findByTestId("checks-summary");

  const headings = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent?.trim());
  expect(headings).toEqual(["ClerkFail", "HostingPass", "DNSWarn"]);
  const clerk = screen.getByRole("list", { name: "Clerk checks" });
  const ids = [...clerk.querySelectorAll("li")].map((li) => li.dataset.testid);
  expect(ids).toEqual(["check-clerk.secret_key", "check-clerk.publishable_key"]);
});
