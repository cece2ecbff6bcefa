import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import AutoRecords from "./AutoRecords.svelte";
import type { AutoPlan, Project, RecordChange } from "../../lib/bindings";

const project: Project = { id: "p1", name: "Q", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };
const change = (sub: string, action: RecordChange["action"], existing?: RecordChange["existing"]): RecordChange => ({
  checkId: `dns.${sub}`, name: `${sub}.quillmate.test`, recordType: "CNAME", value: `${sub}.clerk.services`, action,
  existing, reason: action === "conflict" ? "The A record 192.0.2.44 is in the way." : "Missing.",
});
const stray = { id: "rec5", name: "accounts.quillmate.test", recordType: "A", value: "192.0.2.44", proxied: true };
const before: AutoPlan = { provider: "cloudflare", zone: "quillmate.test", changes: [
  change("clerk", "create"), change("clkmail", "create"), change("accounts", "conflict", stray), change("www", "correct"),
], notes: [], dmarc: { name: "_dmarc.quillmate.test" } };

test("the dry run comes first; applying sends only the ticked conflict", async () => {
  const applied: string[][] = [];
  let reprobed = 0;
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: true, last4: "89ab" };
    if (cmd === "dns_auto_plan") return before;
    if (cmd === "dns_auto_apply") {
      applied.push((args as { confirmed: string[] }).confirmed);
      return { created: 2, replaced: 1, deleted: 0, plan: { ...before, changes: before.changes.map((c) => ({ ...c, action: "correct", existing: undefined })) } };
    }
  });
  render(AutoRecords, { project, onApplied: () => reprobed++ });
  await userEvent.click(screen.getByRole("button", { name: "Preview changes" }));
  const table = await screen.findByTestId("auto-plan");
  expect(within(table).getAllByText("Will be created")).toHaveLength(2);
  expect(within(table).getByText("In the way")).toBeInTheDocument();
  expect(within(table).getByText("192.0.2.44")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Create 2 records" })).toBeEnabled();

  await userEvent.click(within(table).getByRole("checkbox", { name: /Replace it with CNAME accounts.clerk.services/ }));
  await userEvent.click(screen.getByRole("button", { name: "Create 2 records and replace 1" }));
  expect(applied).toEqual([["rec5"]]);
  expect(await screen.findByTestId("auto-applied")).toHaveTextContent("2 records created, 1 replaced");
  expect(reprobed).toBe(1);
  expect(screen.getByRole("button", { name: "Nothing to create" })).toBeDisabled();
});

test("when no DNS host can be reached it says what to do", async () => {
  mockIPC((cmd) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: false };
    if (cmd === "dns_auto_plan") throw { code: "dns_auto_unavailable", message: "quillmate.test's DNS is not hosted by Vercel (nameservers: ns1.registrar.test)." };
  });
  render(AutoRecords, { project, onApplied: () => {} });
  await userEvent.click(screen.getByRole("button", { name: "Preview changes" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("not hosted by Vercel");
  expect(screen.queryByTestId("auto-plan")).toBeNull();
});

test("what the plan could not include is said above it", async () => {
  const note = "Vercel's recommended records could not be read: Vercel had a server error (503).";
  mockIPC((cmd) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: true, last4: "89ab" };
    if (cmd === "dns_auto_plan") return { ...before, notes: [note] };
  });
  render(AutoRecords, { project, onApplied: () => {} });
  await userEvent.click(screen.getByRole("button", { name: "Preview changes" }));
  expect(await screen.findByTestId("auto-note")).toHaveTextContent(note);
});

test("DMARC is added only on its own confirmation, with the reports' mailbox, and never replaced", async () => {
  const sent: string[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: true, last4: "89ab" };
    if (cmd === "dns_auto_plan") return before;
    if (cmd === "dns_auto_dmarc") {
      sent.push((args as { reportTo: string }).reportTo);
      return { ...before, dmarc: { name: "_dmarc.quillmate.test", existing: "v=DMARC1; p=none; rua=mailto:me@quillmate.test" } };
    }
  });
  render(AutoRecords, { project, onApplied: () => {} });
  await userEvent.click(screen.getByRole("button", { name: "Preview changes" }));
  const dmarc = await screen.findByTestId("auto-dmarc");
  expect(dmarc).toHaveTextContent("_dmarc.quillmate.test has none");
  // Applying the records does not add it; its own button needs an address first.
  expect(within(dmarc).getByRole("button", { name: "Add DMARC record" })).toBeDisabled();
  await userEvent.type(within(dmarc).getByLabelText("Reports to"), "me@quillmate.test");
  await userEvent.click(within(dmarc).getByRole("button", { name: "Add DMARC record" }));
  expect(sent).toEqual(["me@quillmate.test"]);
  expect(await within(dmarc).findByText(/Golive leaves it as it is/)).toBeInTheDocument();
  expect(within(dmarc).queryByRole("button", { name: "Add DMARC record" })).toBeNull();
});
