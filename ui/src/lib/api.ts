// The only place the UI talks to Rust. Components call `call("command", {...})`, typed by the
// `Commands` map generated from the Rust command table, never `invoke` directly.
import { Channel, invoke } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";
import type { Commands, ErrorPayload } from "./bindings";

/** Every failed command rejects with `{code, message}`; anything else is wrapped to match. */
export function asError(e: unknown): ErrorPayload {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    return { code: String(e.code), message: String(e.message) };
  }
  return { code: "internal", message: String(e) };
}

/** Invokes a command with its arguments; rejects with an `ErrorPayload`. */
export async function call<C extends keyof Commands>(
  cmd: C,
  args: Commands[C]["args"],
): Promise<Commands[C]["answer"]> {
  try {
    return await invoke<Commands[C]["answer"]>(cmd, args);
  } catch (e) {
    throw asError(e);
  }
}

/** A channel that hands each event a streaming command sends to `onEvent`. */
export function channel<T>(onEvent: (event: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onEvent;
  return ch;
}

export const copy = (text: string) => writeText(text);
export const openExternal = (url: string) => openUrl(url);
