import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test, vi } from "vitest";
import ProjectForm from "./ProjectForm.svelte";
import type { FrameworkInfo } from "../lib/bindings";

const frameworks: FrameworkInfo[] = [
  { id: "nextjs", label: "Next.js", publishableKeyVar: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", secretKeyVar: "CLERK_SECRET_KEY" },
  { id: "astro", label: "Astro", publishableKeyVar: "PUBLIC_CLERK_PUBLISHABLE_KEY", secretKeyVar: "CLERK_SECRET_KEY" },
];

test("a refused domain is explained beside the domain field", async () => {
  mockIPC(() => {
    throw { code: "domain_invalid", message: "\"shop.vercel.app\" is a Vercel preview domain." };
  });
  const onSaved = vi.fn();
  render(ProjectForm, { frameworks, onSaved });
  await userEvent.type(screen.getByLabelText("Name"), "Shop");
  await userEvent.type(screen.getByLabelText("Production domain"), "shop.vercel.app");
  await userEvent.click(screen.getByRole("button", { name: "Create project" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Vercel preview domain");
  expect(screen.getByLabelText("Production domain")).toHaveAttribute("aria-invalid", "true");
  expect(screen.getByLabelText("Name")).not.toHaveAttribute("aria-invalid");
  expect(onSaved).not.toHaveBeenCalled();
});

test("creating sends the input and shows the framework's variable names", async () => {
  let sent: unknown;
  mockIPC((cmd, args) => {
    if (cmd === "create_project") {
      sent = args;
      return { id: "shop-1", name: "Shop", domain: "shop.com", hosting: "vercel", framework: "astro", clerkChecklist: [] };
    }
  });
  const onSaved = vi.fn();
  render(ProjectForm, { frameworks, onSaved });
  await userEvent.type(screen.getByLabelText("Name"), "Shop");
  await userEvent.type(screen.getByLabelText("Production domain"), "shop.com");
  await userEvent.selectOptions(screen.getByLabelText("Framework"), "astro");
  expect(screen.getByText("PUBLIC_CLERK_PUBLISHABLE_KEY")).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Create project" }));
  await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
  expect(sent).toEqual({ input: { name: "Shop", domain: "shop.com", hosting: "vercel", framework: "astro" } });
});

test("a subdomain explains where Clerk can live and what that means for sign-ins", async () => {
  render(ProjectForm, { frameworks, onSaved: () => {} });
  expect(screen.getByTestId("domain-hint")).toHaveTextContent("the apex, or a subdomain");
  await userEvent.type(screen.getByLabelText("Production domain"), "https://App.Quillmate.site/pricing");
  expect(screen.getByTestId("domain-hint")).toHaveTextContent(
    "app.quillmate.site is a subdomain: Clerk can live at clerk.quillmate.site, sharing sign-ins with every " +
      "subdomain of quillmate.site, or at clerk.app.quillmate.site, keeping them to this app.",
  );
});

test("the host is picked with the project", async () => {
  let sent: unknown;
  mockIPC((cmd, args) => {
    if (cmd === "create_project") {
      sent = args;
      return { id: "shop-1", name: "Shop", domain: "shop.com", hosting: "netlify", framework: "nextjs", clerkChecklist: [] };
    }
  });
  const onSaved = vi.fn();
  render(ProjectForm, { frameworks, onSaved });
  await userEvent.type(screen.getByLabelText("Name"), "Shop");
  await userEvent.type(screen.getByLabelText("Production domain"), "shop.com");
  await userEvent.selectOptions(screen.getByLabelText("Hosting"), "Netlify");
  await userEvent.click(screen.getByRole("button", { name: "Create project" }));
  await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
  expect(sent).toMatchObject({ input: { hosting: "netlify" } });
});
