import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import LayoutCard from "./LayoutCard.svelte";
import type { Layout, LayoutSettings, Project } from "../../lib/bindings";

const project: Project = { id: "p1", name: "Q", domain: "app.quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };
const detected: Layout = {
  app_domain: "app.quillmate.test", clerk_domain: "quillmate.test", frontend_api: "clerk.quillmate.test",
  proxy_url: null, satellites: [], detected: ["Clerk's domain quillmate.test: from the publishable key (its Frontend API is clerk.quillmate.test)."],
};

test("a subdomain app shows what was detected, and saves the choices made", async () => {
  const sent: LayoutSettings[] = [];
  mockIPC(async (cmd, args) => {
    if (cmd === "layout") return sent.length ? { ...detected, proxy_url: "https://app.quillmate.test/__clerk", detected: [] } : detected;
    if (cmd === "set_layout") {
      sent.push((args as { settings: LayoutSettings }).settings);
      return project;
    }
  });
  let changed: Project | null = null;
  render(LayoutCard, { project, onChanged: (p: Project) => (changed = p) });

  expect(await screen.findByText(/Detected: Clerk's domain quillmate.test: from the publishable key/)).toBeInTheDocument();
  // The detected Clerk domain is the choice shown, with what it means for sessions.
  expect(screen.getByRole("radio", { name: /clerk\.quillmate\.test — Clerk at clerk\.quillmate\.test: sessions are shared/ })).toBeChecked();
  expect(screen.getByRole("radio", { name: /clerk\.app\.quillmate\.test — .*sessions stay on app\.quillmate\.test/ })).not.toBeChecked();

  await userEvent.click(screen.getByTestId("layout-proxied"));
  expect(screen.getByLabelText("Proxy URL")).toHaveValue("https://app.quillmate.test/__clerk");
  await userEvent.type(screen.getByLabelText("Satellite domain"), "quillmate-blog.test{Enter}");
  await userEvent.type(screen.getByLabelText("Vercel project of quillmate-blog.test"), "prj_blog");
  await userEvent.click(screen.getByRole("button", { name: "Save layout" }));

  expect(await screen.findByText(/Layout saved/)).toBeInTheDocument();
  expect(sent).toEqual([{
    clerkDomain: "quillmate.test",
    proxyUrl: "https://app.quillmate.test/__clerk",
    satellites: [{ domain: "quillmate-blog.test", vercelProject: "prj_blog" }],
  }]);
  expect(changed).toEqual(project);
  expect(screen.getByTestId("layout-summary")).toHaveTextContent("Frontend API at https://app.quillmate.test/__clerk");
});

test("a layout the engine refuses says why, and nothing is lost", async () => {
  mockIPC(async (cmd) => {
    if (cmd === "layout") return detected;
    if (cmd === "set_layout") throw { code: "layout_invalid", message: "The proxy must be on the app's own domain (app.quillmate.test), not cdn.test." };
  });
  render(LayoutCard, { project, onChanged: () => {} });
  await userEvent.click(await screen.findByTestId("layout-proxied"));
  const url = screen.getByLabelText("Proxy URL");
  await userEvent.clear(url);
  await userEvent.type(url, "https://cdn.test/__clerk");
  await userEvent.click(screen.getByRole("button", { name: "Save layout" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("The proxy must be on the app's own domain");
  expect(screen.getByLabelText("Proxy URL")).toHaveValue("https://cdn.test/__clerk");
});

test("at the apex, Clerk's sessions are shared by every subdomain", async () => {
  const apex: Layout = { ...detected, app_domain: "quillmate.test", detected: [] };
  mockIPC(async (cmd) => (cmd === "layout" ? apex : undefined));
  render(LayoutCard, { project: { ...project, domain: "quillmate.test" }, onChanged: () => {} });
  expect(await screen.findByText("Clerk at clerk.quillmate.test: sessions are shared by quillmate.test and every subdomain of it."))
    .toBeInTheDocument();
  expect(screen.queryByRole("radio")).toBeNull();
});
