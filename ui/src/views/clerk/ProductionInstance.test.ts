import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test, vi } from "vitest";
import ProductionInstance from "./ProductionInstance.svelte";
import type { Project } from "../../lib/bindings";

const project: Project = {
  id: "p1", name: "Quillmate", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [],
};

function backend(create: () => unknown) {
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    if (cmd === "secret_status") return { kind: "clerk-platform-key", set: true, last4: "cdef" };
    if (cmd === "clerk_applications") return [{ id: "app_1", name: "Quillmate", hasProduction: false }];
    if (cmd === "clerk_create_production") {
      expect(args).toEqual({ projectId: "p1", appId: "app_1" });
      return create();
    }
  });
  return calls;
}

test("with a platform key, the production instance is created and its keys kept", async () => {
  backend(() => ({
    instance: { instanceId: "ins_live", domain: "quillmate.test", cnameTargets: [{ host: "clerk.quillmate.test", value: "x", required: true }], adopted: false },
    project: { ...project, publishableKey: "pk_live_x", clerkApplicationId: "app_1" },
  }));
  const onCreated = vi.fn();
  const onPlatformKey = vi.fn();
  render(ProductionInstance, { project, onCreated, onPlatformKey });

  expect(await screen.findByLabelText("Application")).toHaveValue("app_1");
  expect(onPlatformKey).toHaveBeenCalledWith(true);
  await userEvent.click(screen.getByRole("button", { name: "Create production instance" }));
  expect(await screen.findByTestId("production-created")).toHaveTextContent("Created the production instance ins_live");
  expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ publishableKey: "pk_live_x" }));
});

test("a plan that does not cover production says so, and nothing changes", async () => {
  backend(() => {
    throw { code: "clerk_plan_insufficient", message: "Your Clerk plan does not cover … (402)." };
  });
  const onCreated = vi.fn();
  render(ProductionInstance, { project, onCreated, onPlatformKey: () => {} });
  await screen.findByLabelText("Application");
  await userEvent.click(screen.getByRole("button", { name: "Create production instance" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("(402)");
  expect(onCreated).not.toHaveBeenCalled();
});

test("the guided path lists the dashboard steps with the project's domain", async () => {
  backend(() => ({}));
  render(ProductionInstance, { project, onCreated: () => {}, onPlatformKey: () => {} });
  await userEvent.click(screen.getByRole("radio", { name: "In the dashboard" }));
  expect(screen.getByText("Create production instance")).toBeInTheDocument();
  expect(screen.getByText("quillmate.test")).toBeInTheDocument();
});
