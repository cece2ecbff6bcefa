import type { CheckResult, CheckStatus, Step } from "./bindings";

// The steps that have checks, in the sidebar's order. Which step a check belongs to is
// `CHECK_STEP` in bindings.ts, generated from the engine's check definitions.
export const CHECK_STEPS = [
  { id: "clerk", label: "Clerk" },
  { id: "hosting", label: "Hosting" },
  { id: "dns", label: "DNS" },
  { id: "sso", label: "Social sign-in" },
  { id: "supabase", label: "Supabase" },
  { id: "launch", label: "Launch proof" },
] as const satisfies readonly { id: Step; label: string }[];

// How much a status needs the user: the worst of a step is what its dot shows.
export const severity: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

// What a step's dot and heading show. "incomplete": the step is not set up, so it is never
// shown green.
export type StepStatus = "pass" | "warn" | "fail" | "incomplete";

// The checks that run only on a step's own inputs (keys, the linked project): one of them
// skipped means the step is not set up. Other skips are no gap: a provider not used, a record
// Clerk does not ask for, Clerk's own status without a platform key, a check after a failed one.
export const SETUP_CHECKS: Partial<Record<Step, readonly string[]>> = {
  clerk: ["clerk.publishable_key", "clerk.secret_key"],
  // A run lists the checks of its project's host only: Vercel's, or any other host's.
  hosting: ["vercel.domain", "vercel.env", "vercel.deployment", "host.domain", "host.env", "host.deployment"],
};

// A step's status from its checks' results: a failure or warning shows as such; otherwise
// the step is incomplete when every check was skipped or one of its setup checks was.
export function stepStatus(step: Step, results: readonly Pick<CheckResult, "id" | "status">[]): StepStatus {
  if (results.some((r) => r.status === "fail")) return "fail";
  if (results.some((r) => r.status === "warn")) return "warn";
  const skipped = results.filter((r) => r.status === "skip");
  const setupSkipped = skipped.some((r) => SETUP_CHECKS[step]?.includes(r.id));
  return skipped.length === results.length || setupSkipped ? "incomplete" : "pass";
}

export const stepStatusLabel: Record<StepStatus, string> = {
  pass: "passed",
  warn: "has warnings",
  fail: "has failures",
  incomplete: "not set up",
};
