import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import ForgetKeychain from "./ForgetKeychain.svelte";
import type { Forgotten, Project } from "../lib/bindings";

const project = (id: string, name: string): Project => ({
  id, name, domain: `${id}.test`, hosting: "vercel", framework: "nextjs", clerkChecklist: [],
});
const projects = [project("p1", "Quillmate"), project("p2", "Other")];

test("nothing is removed until the confirmation, which says what goes and what stays", async () => {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
  });
  render(ForgetKeychain, { projects });
  await userEvent.click(screen.getByRole("button", { name: "Remove all Golive keychain entries…" }));
  const confirm = screen.getByRole("alertdialog", { name: "Remove all Golive keychain entries?" });
  expect(confirm).toHaveTextContent("every secret Golive saved in your keychain for all 2 projects (Quillmate, Other)");
  expect(confirm).toHaveTextContent("Clerk secret and platform keys, webhook signing secrets, Vercel, Cloudflare and Supabase tokens, OAuth client secrets");
  expect(confirm).toHaveTextContent("Your projects stay, with their settings");
  expect(confirm).toHaveTextContent("nothing changes at Clerk, Vercel or any other service");
  await userEvent.click(screen.getByRole("button", { name: "Keep them" }));
  expect(screen.queryByRole("alertdialog")).toBeNull();
  expect(calls).toEqual([]);
});

test("confirmed, it removes them and names each project's kinds", async () => {
  const calls: string[] = [];
  const answer: Forgotten = {
    removed: [
      { projectId: "p1", projectName: "Quillmate", kinds: ["clerk-secret-key", "vercel-token"] },
      { projectId: "old-1", kinds: ["clerk-platform-key"] },
    ],
    searchedUnsaved: true,
  };
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "forget_all_secrets") return answer;
  });
  render(ForgetKeychain, { projects });
  await userEvent.click(screen.getByRole("button", { name: "Remove all Golive keychain entries…" }));
  await userEvent.click(screen.getByRole("button", { name: "Yes, remove them" }));
  const done = await screen.findByTestId("forgotten");
  expect(calls).toEqual(["forget_all_secrets"]);
  expect(done).toHaveTextContent("Removed 3 keychain entries:");
  expect(done).toHaveTextContent("Quillmate: Clerk secret key, Vercel access token");
  expect(done).toHaveTextContent("A project no longer saved (old-1): Clerk platform key");
  expect(done).not.toHaveTextContent("cannot list");
  expect(screen.queryByRole("alertdialog")).toBeNull();
});

test("a keychain that cannot list is said so; a failure keeps the confirmation with the reason", async () => {
  let fail = true;
  mockIPC((cmd) => {
    if (cmd !== "forget_all_secrets") return;
    if (fail) throw { code: "keychain_unavailable", message: "The keychain is locked: unlock it, then try again." };
    return { removed: [], searchedUnsaved: false } satisfies Forgotten;
  });
  render(ForgetKeychain, { projects: [projects[0]] });
  await userEvent.click(screen.getByRole("button", { name: "Remove all Golive keychain entries…" }));
  expect(screen.getByRole("alertdialog")).toHaveTextContent("for your project (Quillmate)");
  await userEvent.click(screen.getByRole("button", { name: "Yes, remove them" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("The keychain is locked: unlock it, then try again.");
  expect(screen.getByRole("alertdialog")).toBeInTheDocument();
  fail = false;
  await userEvent.click(screen.getByRole("button", { name: "Yes, remove them" }));
  const done = await screen.findByTestId("forgotten");
  expect(done).toHaveTextContent("There were no keychain entries to remove.");
  expect(done).toHaveTextContent("This keychain cannot list its entries, so only the saved projects' were looked for.");
});
