// The step a check belongs to, as the engine groups them (core/src/checks/mod.rs `step_of`).
export function stepOf(checkId: string): string {
  const prefix = checkId.split(".")[0];
  return prefix === "vercel" || prefix === "site" ? "hosting" : prefix;
}
