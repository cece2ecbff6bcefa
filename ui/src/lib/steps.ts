import type { CheckStatus, Step } from "./bindings";

// The steps that have checks, in the sidebar's order. Which step a check belongs to is
// `CHECK_STEP` in bindings.ts, generated from the engine's check definitions.
export const CHECK_STEPS = [
  { id: "clerk", label: "Clerk" },
  { id: "hosting", label: "Hosting" },
  { id: "dns", label: "DNS" },
  { id: "sso", label: "Social sign-in" },
  { id: "supabase", label: "Supabase" },
] as const satisfies readonly { id: Step; label: string }[];

// How much a status needs the user: the worst of a step is what its dot shows.
export const severity: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };
