import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import SupabaseView from "./SupabaseView.svelte";
import type { Project, SupabaseTrust } from "../lib/bindings";

const project: Project = {
  id: "p1", name: "Quillmate", domain: "quillmate.test", hosting: "vercel", framework: "nextjs",
  clerkChecklist: [], supabaseProjectRef: "quillmatesandboxrefx",
};
const dev = { id: "1", type: "clerk", oidc_issuer_url: "https://quillmate-dev-13.clerk.accounts.dev" };
const prod = { id: "2", type: "clerk", oidc_issuer_url: "https://clerk.quillmate.test" };
const trust = (trusted: boolean): SupabaseTrust => ({
  projectRef: "quillmatesandboxrefx", productionIssuer: "https://clerk.quillmate.test", trusted,
  integrations: trusted ? [dev, prod] : [dev],
});

test("the production issuer is added only after confirming, and the development one stays", async () => {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "secret_status") return { kind: "supabase-token", set: true, last4: "cdef" };
    if (cmd === "supabase_trust") return trust(false);
    if (cmd === "supabase_add_issuer") return trust(true);
  });
  render(SupabaseView, { project, onChanged: () => {} });

  await userEvent.click(screen.getByRole("button", { name: "Read from Supabase" }));
  expect(await screen.findByText("Supabase does not trust https://clerk.quillmate.test yet.")).toBeInTheDocument();
  expect(screen.getByText("development — keep it for previews")).toBeInTheDocument();

  await userEvent.click(screen.getByRole("button", { name: "Add the production issuer…" }));
  expect(calls).not.toContain("supabase_add_issuer");
  await userEvent.click(screen.getByRole("button", { name: "Add it" }));
  expect(await screen.findByTestId("supabase-trusted")).toHaveTextContent("trusts https://clerk.quillmate.test");
  expect(screen.getByText("https://quillmate-dev-13.clerk.accounts.dev")).toBeInTheDocument();
});

test("a pasted project URL that is not one is explained", async () => {
  mockIPC((cmd) => {
    if (cmd === "secret_status") return { kind: "supabase-token", set: false };
    if (cmd === "set_supabase_project") throw { code: "supabase_ref_invalid", message: "Paste the project URL (https://<ref>.supabase.co…" };
  });
  render(SupabaseView, { project: { ...project, supabaseProjectRef: undefined }, onChanged: () => {} });
  await userEvent.type(screen.getByLabelText("Project URL"), "https://example.com");
  await userEvent.click(screen.getByRole("button", { name: "Save" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Paste the project URL");
});
