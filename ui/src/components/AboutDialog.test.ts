import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { beforeAll, expect, test } from "vitest";
import AboutDialog from "./AboutDialog.svelte";
import { UpdateFlow, formatBytes } from "../lib/updates.svelte";
import type { UpdateCheck, UpdateEvent } from "../lib/bindings";

beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) { this.open = false; };
});

const about = { version: "0.1.0", updateUrl: "https://github.com/golive-dev/golive/releases/latest/download/latest.json" };
const newer: UpdateCheck = {
  current: "0.1.0",
  available: { version: "0.2.0", notes: "Faster DNS checks.\n<b>not bold</b>", date: "2026-12-01T12:00:00Z" },
};
const kept = "Nothing was installed; Golive 0.1.0 keeps running.";

/** The dialog, opened, with `ipc` answering every command but `about`. */
async function opened(ipc: (cmd: string, args: Record<string, unknown>) => unknown) {
  mockIPC((cmd, args) => (cmd === "about" ? about : ipc(cmd, args as Record<string, unknown>)));
  const updates = new UpdateFlow();
  const view = render(AboutDialog, { updates });
  await view.component.open();
  await screen.findByText("Version 0.1.0");
  return updates;
}

const status = () => screen.getByTestId("update-status");

test("the version, and a check that finds nothing newer", async () => {
  await opened((cmd) => (cmd === "update_check" ? { current: "0.1.0", available: null } : undefined));
  expect(screen.getByText(`Updates from ${about.updateUrl}`)).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Check for updates" }));
  expect(await within(status()).findByText("You have the latest version (0.1.0).")).toBeInTheDocument();
});

test("a newer version shows what changed, as text, and installs with progress", async () => {
  const calls: string[] = [];
  let send: ((e: UpdateEvent) => void) | null = null;
  let finish: (() => void) | null = null;
  await opened((cmd, args) => {
    calls.push(cmd);
    if (cmd === "update_check") return newer;
    if (cmd === "update_install") {
      const ch = args.onEvent as Channel<UpdateEvent>;
      send = (e) => ch.onmessage(e);
      return new Promise<null>((resolve) => (finish = () => resolve(null)));
    }
  });
  await userEvent.click(screen.getByRole("button", { name: "Check for updates" }));
  expect(await screen.findByRole("heading", { name: "Version 0.2.0 is available — what changed" })).toBeInTheDocument();
  // Release notes are text: markup in them is shown, never rendered.
  expect(screen.getByTestId("release-notes").textContent).toBe("Faster DNS checks.\n<b>not bold</b>");

  await userEvent.click(screen.getByRole("button", { name: "Install and restart" }));
  send!({ event: "progress", received: 128 * 1024, total: 512 * 1024 });
  const bar = await screen.findByRole("progressbar", { name: "Downloading Golive 0.2.0" });
  expect(bar).toHaveAttribute("value", String(128 * 1024));
  expect(bar).toHaveAttribute("max", String(512 * 1024));
  expect(screen.getByTestId("update-progress")).toHaveTextContent("Downloading: 128 KB of 512 KB");
  expect(screen.queryByRole("button", { name: "Check for updates" })).toBeNull();

  send!({ event: "verifying" });
  expect(await screen.findByText("Checking the signature and installing…")).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Cancel" })).toBeNull();
  send!({ event: "installed" });
  finish!();
  expect(await screen.findByText("Installed. Golive restarts with version 0.2.0…")).toBeInTheDocument();
  expect(calls).toEqual(["update_check", "update_install"]);
});

test("a refused download says why, the running version stays, and it can be tried again", async () => {
  const message = `Update server: the download of Golive 0.2.0 was refused: its signature does not match it and Golive's release key (a changed, incomplete or foreign file). ${kept}`;
  let installs = 0;
  await opened((cmd) => {
    if (cmd === "update_check") return newer;
    if (cmd === "update_install") {
      installs += 1;
      throw { code: "update_signature_invalid", message };
    }
  });
  await userEvent.click(screen.getByRole("button", { name: "Check for updates" }));
  await userEvent.click(await screen.findByRole("button", { name: "Install and restart" }));
  expect(await screen.findByRole("alert")).toHaveTextContent(message);
  await userEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(installs).toBe(2);
  expect(await screen.findByRole("alert")).toHaveTextContent(kept);
});

test("cancel during the download stops it; the update can still be installed", async () => {
  const calls: string[] = [];
  let reject: ((e: unknown) => void) | null = null;
  await opened((cmd, args) => {
    calls.push(cmd);
    if (cmd === "update_check") return newer;
    if (cmd === "update_install") {
      (args.onEvent as Channel<UpdateEvent>).onmessage({ event: "progress", received: 10, total: null });
      return new Promise((_, r) => (reject = r));
    }
    if (cmd === "update_cancel") {
      reject!({ code: "update_cancelled", message: `Download cancelled. ${kept}` });
      return null;
    }
  });
  await userEvent.click(screen.getByRole("button", { name: "Check for updates" }));
  await userEvent.click(await screen.findByRole("button", { name: "Install and restart" }));
  // Without a total, the bar runs indeterminate and the count stands alone.
  expect(await screen.findByTestId("update-progress")).toHaveTextContent("Downloading: 10 bytes");
  expect(screen.getByRole("progressbar")).not.toHaveAttribute("value");
  await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
  expect(await within(status()).findByText(`Download cancelled. ${kept}`)).toBeInTheDocument();
  expect(screen.queryByRole("alert")).toBeNull();
  expect(screen.getByRole("button", { name: "Install and restart" })).toBeEnabled();
  expect(calls).toEqual(["update_check", "update_install", "update_cancel"]);
});

test.each([
  ["the server is down", { code: "unreachable", message: "The update server could not be reached: http://127.0.0.1:9/latest.json: Connection refused (os error 111). Check your connection and try again." }],
  ["the server answers garbage", { code: "update_manifest_invalid", message: "Update server: its answer is not an update Golive can use: http://127.0.0.1:9/latest.json did not answer with JSON (expected value at line 1 column 1)." }],
  ["the manifest is missing", { code: "update_manifest_missing", message: "Update server: http://127.0.0.1:9/latest.json answered with an error instead of the update manifest. Try again later." }],
])("a failed check when %s is shown with what to do, and can be repeated", async (_, error) => {
  let checks = 0;
  const updates = await opened((cmd) => {
    if (cmd === "update_check") {
      checks += 1;
      throw error;
    }
  });
  await userEvent.click(screen.getByRole("button", { name: "Check for updates" }));
  expect(await screen.findByRole("alert")).toHaveTextContent(error.message);
  expect(screen.queryByRole("button", { name: "Install and restart" })).toBeNull();
  await userEvent.click(screen.getByRole("button", { name: "Check for updates" }));
  expect(checks).toBe(2);
  expect(updates.state.kind).toBe("failed");
});

test("the quiet check at start leaves no trace of a failure", async () => {
  mockIPC(() => {
    throw { code: "unreachable", message: "offline" };
  });
  const updates = new UpdateFlow();
  await updates.check(true);
  expect(updates.state).toEqual({ kind: "idle" });
});

test("byte counts read as people count them", () => {
  expect(formatBytes(12)).toBe("12 bytes");
  expect(formatBytes(640 * 1024)).toBe("640 KB");
  expect(formatBytes(14.5 * 1024 * 1024)).toBe("14.5 MB");
});
