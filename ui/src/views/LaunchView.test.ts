import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import { beforeAll, expect, test } from "vitest";
import LaunchView from "./LaunchView.svelte";
import type { CheckEvent, CheckResult, Project } from "../lib/bindings";

const project: Project = {
  id: "p1", name: "Quillmate", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [],
};

// jsdom has no modal dialogs; these do what the browser's do for this view.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) { this.open = false; };
});

const signIn: CheckResult = { id: "launch.sign_in", status: "pass", title: "A user can sign in on production", detail: "A throwaway user signed in", fix: null };
const cleanup: CheckResult = { id: "launch.cleanup", status: "pass", title: "The rehearsal left nothing behind", detail: "user deleted", fix: null };

test("the rehearsal runs only after the dialog says what it does, and shows each stage", async () => {
  const runs: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "run_checks") return;
    const { onEvent: ch, rehearse } = args as { onEvent: Channel<CheckEvent>; rehearse: boolean };
    runs.push(rehearse);
    ch.onmessage({ event: "planned", data: { checks: [signIn, cleanup].map(({ id, title }) => ({ id, title })) } });
    ch.onmessage({ event: "stage", data: { stage: { stage: "createUser", state: "done", detail: "user_1" } } });
    ch.onmessage({ event: "stage", data: { stage: { stage: "signIn", state: "done", detail: "" } } });
    ch.onmessage({ event: "finished", data: { result: signIn } });
    ch.onmessage({ event: "stage", data: { stage: { stage: "cleanUp", state: "done", detail: "user user_1 deleted" } } });
    ch.onmessage({ event: "finished", data: { result: cleanup } });
    return { domain: "quillmate.test", checks: [signIn, cleanup], summary: { pass: 2, warn: 0, fail: 0, skip: 0 } };
  });
  render(LaunchView, { project, onChanged: () => {} });

  await userEvent.click(screen.getByRole("button", { name: "Rehearse a sign-in…" }));
  const dialog = screen.getByTestId("rehearsal-confirm");
  expect(dialog).toHaveAttribute("open");
  expect(dialog).toHaveTextContent("create a user “Golive Rehearsal”");
  expect(dialog).toHaveTextContent("revoke the session and delete the user");
  await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
  expect(runs).toEqual([]);

  await userEvent.click(screen.getByRole("button", { name: "Rehearse a sign-in…" }));
  await userEvent.click(screen.getByRole("button", { name: "Rehearse now" }));
  expect(await screen.findByTestId("checks-summary")).toHaveTextContent("2 passed");
  expect(runs).toEqual([true]);
  expect(screen.getByTestId("stage-createUser")).toHaveAttribute("data-state", "done");
  expect(screen.getByTestId("stage-cleanUp")).toHaveTextContent("user user_1 deleted");
});

test("a protected path on another host is refused with what to give instead", async () => {
  mockIPC((cmd) => {
    if (cmd === "set_launch_settings") {
      throw { code: "protected_path_other_host", message: "https://other.test/x is on other.test, not on quillmate.test." };
    }
  });
  render(LaunchView, { project, onChanged: () => {} });
  await userEvent.type(screen.getByLabelText("Protected page"), "https://other.test/x");
  await userEvent.click(screen.getByRole("button", { name: "Save" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("not on quillmate.test");
});
