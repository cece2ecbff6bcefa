import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import { expect, test } from "vitest";
import DomainCard from "./DomainCard.svelte";
import EnvCard from "./EnvCard.svelte";
import DeployCard from "./DeployCard.svelte";
import type { DeployEvent, Deployment, EnvPlan, Project } from "../../lib/bindings";

const project: Project = {
  id: "p1", name: "Q", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [],
  vercelProject: { id: "prj_1", name: "quillmate" },
};

test("an unverified domain shows the TXT record to add, then verifies", async () => {
  const txt = { type: "TXT", domain: "_vercel.quillmate.test", value: "vc-domain-verify=abc", reason: "pending_domain_verification" };
  mockIPC((cmd) => {
    if (cmd === "hosting_domain") return { misconfigured: true };
    if (cmd === "hosting_add_domain") return { misconfigured: true, domain: { name: "quillmate.test", verified: false, verification: [txt] } };
    if (cmd === "hosting_verify_domain") return { misconfigured: false, domain: { name: "quillmate.test", verified: true, verification: [] } };
  });
  render(DomainCard, { project });
  await userEvent.click(await screen.findByRole("button", { name: "Add quillmate.test to the project" }));
  expect(await screen.findByText("vc-domain-verify=abc")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Copy value of the TXT record" })).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Verify" }));
  expect(await screen.findByTestId("domain-ready")).toHaveTextContent("verified, and its DNS points to Vercel");
});

test("a Netlify domain shows the CNAME to its site and why, in Netlify's words", async () => {
  const cname = { type: "CNAME", domain: "quillmate.test", value: "quillmate.netlify.app", reason: "certificate" };
  mockIPC((cmd) => {
    if (cmd === "hosting_domain") return { misconfigured: true, domain: { name: "quillmate.test", verified: false, verification: [cname] } };
    if (cmd === "hosting_verify_domain") return { misconfigured: false, domain: { name: "quillmate.test", verified: true, verification: [] } };
  });
  render(DomainCard, { project: { ...project, hosting: "netlify", netlifySite: { id: "s1", name: "quillmate" } } });
  expect(await screen.findByText("quillmate.netlify.app")).toBeInTheDocument();
  expect(screen.getByRole("status")).toHaveTextContent("Netlify issues quillmate.test's certificate once the domain points to the site");
  await userEvent.click(screen.getByRole("button", { name: "Verify" }));
  expect(await screen.findByTestId("domain-ready")).toHaveTextContent("on the site and verified, and its DNS points to Netlify");
});

test("the env plan is shown before anything changes, then applied", async () => {
  const calls: string[] = [];
  const before: EnvPlan = { done: false, notes: [], steps: [
    { key: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", action: "retarget", id: "e1", target: ["preview", "development"], detail: "Keep its value for preview and development only" },
    { key: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", action: "create", target: ["production"], detail: "Create it for production, as encrypted" },
  ] };
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "hosting_env_plan") return before;
    if (cmd === "hosting_env_apply") return { done: true, notes: [], steps: before.steps.map((s) => ({ ...s, action: "keep" })) };
  });
  render(EnvCard, { project });
  await userEvent.click(screen.getByRole("button", { name: "Preview the changes" }));
  const table = await screen.findByTestId("env-plan");
  expect(within(table).getByText("Keep the test key here")).toBeInTheDocument();
  expect(within(table).getByText("Create with the live key")).toBeInTheDocument();
  expect(calls).not.toContain("hosting_env_apply");
  await userEvent.click(screen.getByRole("button", { name: "Apply 2 changes" }));
  expect(await screen.findByTestId("env-done")).toHaveTextContent("Applied: production has the live keys");
});

const deployment = (readyState: string, extra: Partial<Deployment> = {}): Deployment => ({
  id: "dpl_1", url: "quillmate-x.vercel.app", readyState, aliasAssigned: readyState === "READY", createdAt: 1, ...extra,
});

test("a redeploy streams its stages to READY", async () => {
  let finish: () => void = () => {};
  mockIPC(async (cmd, args) => {
    if (cmd !== "hosting_redeploy") return;
    const ch = (args as { onEvent: Channel<DeployEvent> }).onEvent;
    ch.onmessage({ event: "started", data: { deployment: deployment("QUEUED") } });
    ch.onmessage({ event: "state", data: { deployment: deployment("BUILDING") } });
    await new Promise<void>((r) => (finish = r));
    return deployment("READY");
  });
  render(DeployCard, { project });
  await userEvent.click(screen.getByRole("button", { name: "Redeploy production" }));
  const stages = await screen.findByTestId("deploy-stages");
  expect(within(stages).getByText("Building")).toHaveClass("current");
  expect(within(stages).getByText("Queued")).toHaveClass("done");
  finish();
  expect(await screen.findByTestId("deploy-ready")).toHaveTextContent("https://quillmate.test");
});

test("a failed build says why and links to its logs", async () => {
  mockIPC((cmd) => {
    if (cmd === "hosting_redeploy")
      return deployment("ERROR", { errorMessage: "Command \"npm run build\" exited with 1", inspectorUrl: "https://vercel.com/q/q/dpl_1" });
  });
  render(DeployCard, { project });
  await userEvent.click(screen.getByRole("button", { name: "Redeploy production" }));
  const failed = await screen.findByTestId("deploy-failed");
  expect(failed).toHaveTextContent("exited with 1");
  expect(within(failed).getByText("Open the build logs")).toBeInTheDocument();
});

test("a plan Render holds back says why, with its notes, and offers no apply", async () => {
  const held = "Previews are automatic for this service, and Render copies its variables into every preview it creates.";
  mockIPC((cmd) => {
    if (cmd === "hosting_env_plan")
      return { done: false, held, notes: ["Render keeps one set of variables per service"], steps: [
        { key: "CLERK_SECRET_KEY", action: "set-value", id: "CLERK_SECRET_KEY", target: ["production"], detail: "Replace its value with the production value" },
      ] };
  });
  render(EnvCard, { project: { ...project, hosting: "render" } });
  await userEvent.click(screen.getByRole("button", { name: "Preview the changes" }));
  expect(await screen.findByTestId("env-held")).toHaveTextContent("Previews are automatic");
  expect(screen.getByTestId("env-notes")).toHaveTextContent("one set of variables per service");
  expect(screen.queryByRole("button", { name: /Apply/ })).toBeNull();
});

test("a Render deploy is followed to LIVE, and a failed build links its page", async () => {
  mockIPC(async (cmd, args) => {
    if (cmd !== "hosting_redeploy") return;
    const ch = (args as { onEvent: Channel<DeployEvent> }).onEvent;
    ch.onmessage({ event: "started", data: { deployment: deployment("CREATED") } });
    return { ...deployment("LIVE"), aliasAssigned: true };
  });
  const { unmount } = render(DeployCard, { project });
  await userEvent.click(screen.getByRole("button", { name: "Redeploy production" }));
  expect(await screen.findByTestId("deploy-ready")).toHaveTextContent("https://quillmate.test");
  unmount();
  mockIPC((cmd) => {
    if (cmd === "hosting_redeploy")
      return deployment("BUILD_FAILED", { errorMessage: "the build failed (build_failed)", inspectorUrl: "https://dashboard.render.com/web/srv-1/deploys/dep-1" });
  });
  render(DeployCard, { project });
  await userEvent.click(screen.getByRole("button", { name: "Redeploy production" }));
  const failed = await screen.findByTestId("deploy-failed");
  expect(failed).toHaveTextContent("build_failed");
  expect(within(failed).getByText("Open the build logs")).toBeInTheDocument();
});
