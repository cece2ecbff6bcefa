import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import HostingView from "./HostingView.svelte";
import type { Project } from "../lib/bindings";

const project: Project = { id: "p1", name: "Quillmate", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };

test("projects are searched page by page and the one picked is linked with its team", async () => {
  const asked: Record<string, unknown>[] = [];
  let linked: unknown = null;
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: "vercel-token", set: true, last4: "6789" };
    if (cmd === "vercel_projects") {
      asked.push(args as Record<string, unknown>);
      return (args as { from: string | null }).from
        ? { projects: [{ id: "prj_2", name: "quillmate-docs" }] }
        : { projects: [{ id: "prj_1", name: "quillmate", framework: "nextjs" }], next: "tok1" };
    }
    if (cmd === "set_vercel_project") {
      linked = (args as { link: unknown }).link;
      return { ...project, vercelProject: linked };
    }
  });
  const changed: Project[] = [];
  render(HostingView, { project, onChanged: (p: Project) => changed.push(p) });
  await userEvent.type(await screen.findByLabelText("Search projects"), "quill");
  await userEvent.type(screen.getByLabelText(/Team ID/), "team_x");
  await userEvent.click(screen.getByRole("button", { name: "List projects" }));
  expect(await screen.findByText("quillmate")).toBeInTheDocument();
  expect(asked[0]).toMatchObject({ search: "quill", teamId: "team_x", from: null });

  await userEvent.click(screen.getByRole("button", { name: "Load more" }));
  expect(await screen.findByText("quillmate-docs")).toBeInTheDocument();
  expect(asked[1]).toMatchObject({ from: "tok1" });
  expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();

  await userEvent.click(screen.getByRole("button", { name: "Use quillmate" }));
  expect(linked).toEqual({ id: "prj_1", name: "quillmate", teamId: "team_x" });
  expect(changed).toHaveLength(1);
});

test("without a token there is nothing to list, and a rejected token is explained", async () => {
  let tokenSet = false;
  mockIPC((cmd) => {
    if (cmd === "secret_status") return { kind: "vercel-token", set: tokenSet };
    if (cmd === "vercel_projects") throw { code: "vercel_token_rejected", message: "Vercel rejected the access token (401)." };
  });
  const { unmount } = render(HostingView, { project, onChanged: () => {} });
  expect(await screen.findByText("Paste an access token above to list your projects.")).toBeInTheDocument();
  unmount();
  tokenSet = true;
  render(HostingView, { project, onChanged: () => {} });
  await userEvent.click(await screen.findByRole("button", { name: "List projects" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Vercel rejected the access token (401).");
});

test("a Netlify project picks its site with a Netlify token, then gets the same cards in Netlify's words", async () => {
  const netlify: Project = { ...project, hosting: "netlify" };
  const asked: Record<string, unknown>[] = [];
  let linked: unknown = null;
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: (args as { kind: string }).kind, set: true, last4: "defg" };
    if (cmd === "netlify_sites") {
      asked.push(args as Record<string, unknown>);
      return (args as { page: number }).page === 1
        ? { sites: [{ id: "s1", name: "quillmate", accountName: "Quillmate" }], next: 2 }
        : { sites: [{ id: "s2", name: "quillmate-docs" }] };
    }
    if (cmd === "set_netlify_site") {
      linked = (args as { link: unknown }).link;
      return { ...netlify, netlifySite: linked };
    }
    if (cmd === "hosting_domain") return { misconfigured: true };
  });
  const changed: Project[] = [];
  const { rerender } = render(HostingView, { project: netlify, onChanged: (p: Project) => changed.push(p) });
  expect(screen.getByRole("heading", { name: "Hosting on Netlify" })).toBeInTheDocument();
  expect(await screen.findByText("Netlify personal access token")).toBeInTheDocument();
  await userEvent.type(await screen.findByLabelText("Search sites"), "quill");
  await userEvent.click(screen.getByRole("button", { name: "List sites" }));
  expect(await screen.findByText("quillmate")).toBeInTheDocument();
  expect(asked[0]).toMatchObject({ search: "quill", page: 1 });
  await userEvent.click(screen.getByRole("button", { name: "Load more" }));
  expect(await screen.findByText("quillmate-docs")).toBeInTheDocument();
  expect(asked[1]).toMatchObject({ page: 2 });

  await userEvent.click(screen.getByRole("button", { name: "Use quillmate" }));
  expect(linked).toEqual({ id: "s1", name: "quillmate" });
  await rerender({ project: changed[0], onChanged: () => {} });
  expect(await screen.findByText("is not on the Netlify site yet.", { exact: false })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Add quillmate.test to the site" })).toBeInTheDocument();
});

test("a Cloudflare Pages project is linked by account and name, a refusal is said, then the same cards in its words", async () => {
  const pages: Project = { ...project, hosting: "cloudflare-pages" };
  const asked: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: (args as { kind: string }).kind, set: true, last4: "89ab" };
    if (cmd === "set_cloudflare_project") {
      const link = (args as { link: { accountId: string; name: string } }).link;
      asked.push(link);
      if (link.name !== "quillmate") {
        throw { code: "cloudflare_project_not_found", message: `Cloudflare account ${link.accountId} has no Pages project named ${link.name}.` };
      }
      return { ...pages, cloudflareProject: link };
    }
    if (cmd === "hosting_domain") return { misconfigured: true };
  });
  const changed: Project[] = [];
  const { rerender } = render(HostingView, { project: pages, onChanged: (p: Project) => changed.push(p) });
  expect(screen.getByRole("heading", { name: "Hosting on Cloudflare Pages" })).toBeInTheDocument();
  expect(await screen.findByText("Cloudflare API token")).toBeInTheDocument();
  expect(screen.getByTestId("cloudflare-limits")).toHaveTextContent("wrangler pages deploy");
  await userEvent.type(await screen.findByLabelText("Account ID"), " acc1 ");
  await userEvent.type(screen.getByLabelText("Project name"), "quilmate");
  await userEvent.click(screen.getByRole("button", { name: "Link project" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("has no Pages project named quilmate");
  expect(changed).toHaveLength(0);

  await userEvent.clear(screen.getByLabelText("Project name"));
  await userEvent.type(screen.getByLabelText("Project name"), "quillmate");
  await userEvent.click(screen.getByRole("button", { name: "Link project" }));
  expect(asked[1]).toEqual({ accountId: "acc1", name: "quillmate" });
  await rerender({ project: changed[0], onChanged: () => {} });
  expect(await screen.findByText("is not on the Cloudflare Pages project yet.", { exact: false })).toBeInTheDocument();
});

test("a Worker is linked as one Worker, and the view says what Golive does with a Worker's environments and its deployment", async () => {
  const worker: Project = { ...project, hosting: "cloudflare-workers" };
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: (args as { kind: string }).kind, set: true, last4: "89ab" };
    if (cmd === "set_cloudflare_project") return { ...worker, cloudflareProject: (args as { link: unknown }).link };
    if (cmd === "hosting_domain") return { misconfigured: true };
  });
  const changed: Project[] = [];
  const { rerender } = render(HostingView, { project: worker, onChanged: (p: Project) => changed.push(p) });
  expect(screen.getByRole("heading", { name: "Hosting on Cloudflare Workers" })).toBeInTheDocument();
  expect(screen.getByTestId("cloudflare-limits")).toHaveTextContent("never touches the others");
  await userEvent.type(await screen.findByLabelText("Account ID"), "acc1");
  await userEvent.type(screen.getByLabelText("Worker name"), "quillmate-web");
  await userEvent.click(screen.getByRole("button", { name: "Link Worker" }));
  await rerender({ project: changed[0], onChanged: () => {} });
  expect(await screen.findByTestId("deploy-worker")).toHaveTextContent("nothing to redeploy");
  expect(screen.getByRole("button", { name: "Confirm the live version" })).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Redeploy production" })).toBeNull();
});

test("a Render project picks its service with a Render key and says what Render's API does not do", async () => {
  const onRender: Project = { ...project, hosting: "render" };
  const asked: Record<string, unknown>[] = [];
  let linked: unknown = null;
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: (args as { kind: string }).kind, set: true, last4: "abcd" };
    if (cmd === "render_services") {
      asked.push(args as Record<string, unknown>);
      return (args as { cursor: string | null }).cursor
        ? { services: [{ id: "srv-2", name: "quillmate-docs", type: "static_site" }] }
        : { services: [{ id: "srv-1", name: "quillmate", type: "web_service", dashboardUrl: "https://dashboard.render.com/web/srv-1" }], next: "srv-1" };
    }
    if (cmd === "set_render_service") {
      linked = (args as { link: unknown }).link;
      return { ...onRender, renderService: linked };
    }
    if (cmd === "hosting_domain") return { misconfigured: true };
  });
  const changed: Project[] = [];
  const { rerender } = render(HostingView, { project: onRender, onChanged: (p: Project) => changed.push(p) });
  expect(screen.getByRole("heading", { name: "Hosting on Render" })).toBeInTheDocument();
  expect(await screen.findByText("Render API key")).toBeInTheDocument();
  await userEvent.type(await screen.findByLabelText("Search services"), "quill");
  await userEvent.click(screen.getByRole("button", { name: "List services" }));
  expect(await screen.findByText("quillmate")).toBeInTheDocument();
  expect(asked[0]).toMatchObject({ search: "quill", cursor: null });
  await userEvent.click(screen.getByRole("button", { name: "Load more" }));
  expect(await screen.findByText("quillmate-docs")).toBeInTheDocument();
  expect(asked[1]).toMatchObject({ cursor: "srv-1" });

  await userEvent.click(screen.getByRole("button", { name: "Use quillmate" }));
  expect(linked).toEqual({ id: "srv-1", name: "quillmate", dashboardUrl: "https://dashboard.render.com/web/srv-1" });
  await rerender({ project: changed[0], onChanged: () => {} });
  expect(await screen.findByText("is not on the Render service yet.", { exact: false })).toBeInTheDocument();
  const limits = screen.getByTestId("render-limits");
  expect(limits).toHaveTextContent("One set of variables per service");
  expect(limits).toHaveTextContent("Previews are separate services");
  expect(screen.getByRole("link", { name: "Open the service in Render's dashboard" })).toHaveAttribute("href", "https://dashboard.render.com/web/srv-1");
});

test("a Pages project's link is not shown as a Worker's: after the switch the Worker is asked for, the account kept", async () => {
  const switched: Project = {
    ...project,
    hosting: "cloudflare-workers",
    cloudflareProject: { accountId: "acc1", name: "quillmate", kind: "cloudflare-pages" },
  };
  mockIPC((cmd, args) => {
    if (cmd === "secret_status") return { kind: (args as { kind: string }).kind, set: true, last4: "89ab" };
  });
  render(HostingView, { project: switched, onChanged: () => {} });
  expect(await screen.findByLabelText("Worker name")).toHaveValue("");
  expect(screen.getByLabelText("Account ID")).toHaveValue("acc1");
  expect(screen.queryByTestId("cloudflare-linked")).not.toBeInTheDocument();
});
