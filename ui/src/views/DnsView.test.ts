import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import { expect, test } from "vitest";
import DnsView from "./DnsView.svelte";
import type { DnsEvent, PlannedRecord, Project } from "../lib/bindings";

const project: Project = { id: "p1", name: "Q", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };
const hosts = (h: string) => ["Namecheap", "GoDaddy", "Cloudflare"].map((registrar) => ({ registrar, host: h })).concat(
  ["Porkbun", "Route 53"].map((registrar) => ({ registrar, host: h === "@" ? "" : h })));
const record = (sub: string, value: string): PlannedRecord => ({
  checkId: `dns.${sub}`, name: `${sub}.quillmate.test`, recordType: "CNAME", value, required: true,
  source: "clerk-api", hostField: sub, registrarHosts: hosts(sub),
});

test("the matrix fills in as answers stream, with a progress bar", async () => {
  let finish: () => void = () => {};
  mockIPC(async (cmd, args) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: false };
    if (cmd !== "dns_matrix") return;
    const ch = (args as { onEvent: Channel<DnsEvent> }).onEvent;
    ch.onmessage({ event: "planned", data: {
      records: [record("clerk", "frontend-api.clerk.services")],
      servers: [{ label: "ns1", authoritative: true }, { label: "Google", authoritative: false }],
    } });
    ch.onmessage({ event: "cell", data: { checkId: "dns.clerk", server: "ns1", state: "match", actual: ["frontend-api.clerk.services"], ttl: 300 } });
    await new Promise<void>((r) => (finish = r));
    ch.onmessage({ event: "cell", data: { checkId: "dns.clerk", server: "Google", state: "nx-domain", actual: [] } });
    return null;
  });
  render(DnsView, { project, onChanged: () => {} });
  await userEvent.click(screen.getByRole("button", { name: "Check propagation" }));

  const matrix = await screen.findByTestId("dns-matrix");
  expect(await within(matrix).findByLabelText("clerk.quillmate.test at ns1: matches: frontend-api.clerk.services (TTL 300 s)")).toHaveTextContent("✓");
  expect(within(matrix).getByLabelText("clerk.quillmate.test at Google: waiting")).toBeInTheDocument();
  expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "1");

  finish();
  expect(await within(matrix).findByLabelText("clerk.quillmate.test at Google: name does not exist")).toBeInTheDocument();
  expect(screen.getByText("2 of 2 answers")).toBeInTheDocument();
});

test("the host field follows the chosen DNS host, and export reports where it saved", async () => {
  mockIPC(async (cmd, args) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: false };
    if (cmd === "dns_matrix") {
      const ch = (args as { onEvent: Channel<DnsEvent> }).onEvent;
      ch.onmessage({ event: "planned", data: { records: [record("@", "76.76.21.21")], servers: [], fallbackReason: "defaults" } });
      return null;
    }
    if (cmd === "export_zone") return "/home/me/quillmate.test.zone";
  });
  render(DnsView, { project, onChanged: () => {} });
  await userEvent.click(screen.getByRole("button", { name: "Check propagation" }));
  const row = await screen.findByTestId("record-dns.@");
  expect(row).toHaveTextContent("@");
  await userEvent.selectOptions(screen.getByLabelText("Your DNS host"), "Porkbun");
  expect(row).toHaveTextContent("(leave blank)");
  expect(screen.getByRole("status")).toHaveTextContent("defaults");
  await userEvent.click(screen.getByRole("button", { name: "Export zone file…" }));
  expect(await screen.findByText("Saved to /home/me/quillmate.test.zone")).toBeInTheDocument();
});

test("watch mode shows its rounds and says when everything has propagated", async () => {
  let finish: () => void = () => {};
  const calls: string[] = [];
  mockIPC(async (cmd, args) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: false };
    calls.push(cmd);
    if (cmd !== "dns_watch") return null;
    const ch = (args as { onEvent: Channel<DnsEvent> }).onEvent;
    ch.onmessage({ event: "round", data: { number: 1 } });
    ch.onmessage({ event: "planned", data: { records: [record("clerk", "frontend-api.clerk.services")], servers: [{ label: "ns1", authoritative: true }] } });
    ch.onmessage({ event: "cell", data: { checkId: "dns.clerk", server: "ns1", state: "nx-domain", actual: [] } });
    ch.onmessage({ event: "waiting", data: { nextInSecs: 30n } });
    await new Promise<void>((r) => (finish = r));
    ch.onmessage({ event: "propagated" });
    return true;
  });
  render(DnsView, { project, onChanged: () => {} });
  await userEvent.click(screen.getByRole("button", { name: "Watch until propagated" }));
  expect(await screen.findByTestId("watch-status")).toHaveTextContent("Watching · round 1 · next check in 30 s");
  await userEvent.click(screen.getByRole("button", { name: "Stop watching" }));
  expect(calls).toContain("dns_watch_stop");
  finish();
  expect(await screen.findByTestId("propagated")).toHaveTextContent("Every record has propagated everywhere.");
  expect(await screen.findByRole("button", { name: "Watch until propagated" })).toBeInTheDocument();
});

test("each record says whose API it came from, in the project's host's words", async () => {
  mockIPC(async (cmd, args) => {
    if (cmd === "secret_status") return { kind: "cloudflare-token", set: false };
    if (cmd !== "dns_matrix") return;
    const ch = (args as { onEvent: Channel<DnsEvent> }).onEvent;
    ch.onmessage({ event: "planned", data: {
      records: [
        { ...record("@", "quillmate.pages.dev"), checkId: "dns.apex", source: "cloudflare-api" },
        { ...record("_cf-custom-hostname", "4f3c-token"), checkId: "dns.validation", recordType: "TXT", source: "cloudflare-api" },
        { ...record("accounts", "accounts.clerk.services"), source: "clerk-default" },
      ],
      servers: [],
    } });
    return null;
  });
  render(DnsView, { project: { ...project, hosting: "cloudflare-pages" }, onChanged: () => {} });
  expect(screen.getByText(/The records Clerk and Cloudflare Pages ask for/)).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Check propagation" }));
  const apex = await screen.findByTestId("record-dns.apex");
  expect(apex).toHaveTextContent("from Cloudflare");
  // A CNAME at the apex needs a DNS host that flattens it.
  expect(within(apex).getByText("flattened")).toHaveAttribute("title", expect.stringContaining("Cloudflare DNS does"));
  const txt = screen.getByTestId("record-dns.validation");
  expect(txt).toHaveTextContent("TXT");
  expect(txt).toHaveTextContent("4f3c-token");
  expect(screen.getByTestId("record-dns.accounts")).toHaveTextContent("Clerk's default");
});
