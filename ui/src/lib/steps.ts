import type { CheckStatus } from "./bindings";

// The steps that have checks, in the sidebar's order.
export const CHECK_STEPS = [
  { id: "clerk", label: "Clerk" },
  { id: "hosting", label: "Hosting" },
  { id: "dns", label: "DNS" },
  { id: "sso", label: "Social sign-in" },
  { id: "supabase", label: "Supabase" },
] as const;

// The step a check belongs to, as the engine groups them (core/src/checks/mod.rs `step_of`).
export function stepOf(checkId: string): string {
  const prefix = checkId.split(".")[0];
  return prefix === "vercel" || prefix === "site" ? "hosting" : prefix;
}

// How much a status needs the user: the worst of a step is what its dot shows.
export const severity: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };
