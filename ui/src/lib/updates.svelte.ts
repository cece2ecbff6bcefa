// In-app updates as the window sees them: one state, moved by the check, the install (with
// its progress) and cancel. The Rust side does the work (src-tauri/src/updater.rs); a
// refused download leaves the running version as it was, and the message says so.
import { asError, call, channel } from "./api";
import type { AvailableUpdate, ErrorPayload, UpdateEvent } from "./bindings";

export type UpdateState =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "latest"; current: string }
  | { kind: "available"; update: AvailableUpdate }
  | { kind: "downloading"; update: AvailableUpdate; received: number; total: number | null }
  | { kind: "installing"; update: AvailableUpdate }
  | { kind: "restarting"; update: AvailableUpdate }
  // Stopped by the person: the update can be installed again.
  | { kind: "cancelled"; update: AvailableUpdate; message: string }
  // `update` when the install failed (try it again), null when the check did.
  | { kind: "failed"; update: AvailableUpdate | null; error: ErrorPayload };

export class UpdateFlow {
  state = $state<UpdateState>({ kind: "idle" });

  /** `quiet` (at start): a failed check leaves no trace, as when offline. */
  async check(quiet = false) {
    const before = this.state;
    this.state = { kind: "checking" };
    try {
      const found = await call("update_check", {});
      this.state = found.available
        ? { kind: "available", update: found.available }
        : { kind: "latest", current: found.current };
    } catch (e) {
      this.state = quiet ? before : { kind: "failed", update: null, error: asError(e) };
    }
  }

  async install() {
    const s = this.state;
    if (!("update" in s) || !s.update) return;
    const update = s.update;
    this.state = { kind: "downloading", update, received: 0, total: null };
    const onEvent = channel<UpdateEvent>((event) => {
      if (event.event === "progress") {
        this.state = { kind: "downloading", update, received: event.received, total: event.total };
      } else if (event.event === "verifying") {
        this.state = { kind: "installing", update };
      } else {
        this.state = { kind: "restarting", update };
      }
    });
    try {
      await call("update_install", { onEvent });
      // Golive restarts from here; until it does, say so.
      this.state = { kind: "restarting", update };
    } catch (e) {
      const error = asError(e);
      this.state =
        error.code === "update_cancelled"
          ? { kind: "cancelled", update, message: error.message }
          : { kind: "failed", update, error };
    }
  }

  async cancel() {
    await call("update_cancel", {});
  }
}

/** `1.5 MB`, `640 KB`, `12 bytes`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
