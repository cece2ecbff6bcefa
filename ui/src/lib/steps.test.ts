import { expect, test } from "vitest";
import { CHECK_STEP } from "./bindings";
import type { CheckStatus } from "./bindings";
import { SETUP_CHECKS, stepStatus } from "./steps";

const r = (id: string, status: CheckStatus) => ({ id, status });

test("hosting with no project linked is not set up, though the live site passed", () => {
  const hosting = [r("vercel.domain", "skip"), r("vercel.env", "skip"), r("vercel.deployment", "skip"), r("site.publishable_key", "pass")];
  expect(stepStatus("hosting", hosting)).toBe("incomplete");
  expect(stepStatus("hosting", hosting.map((c) => ({ ...c, status: "pass" as const })))).toBe("pass");
});

test("a Netlify project with no site linked is not set up either", () => {
  const hosting = [r("host.domain", "skip"), r("host.env", "skip"), r("host.deployment", "skip"), r("site.publishable_key", "pass")];
  expect(stepStatus("hosting", hosting)).toBe("incomplete");
});

test("a step whose checks were all skipped is not set up", () => {
  expect(stepStatus("supabase", [r("supabase.third_party_auth", "skip")])).toBe("incomplete");
  expect(stepStatus("sso", ["google", "github", "apple"].map((p) => r(`sso.${p}`, "skip")))).toBe("incomplete");
});

test("an optional skip is no gap: a provider not used, Clerk's status without a platform key", () => {
  expect(stepStatus("sso", [r("sso.google", "pass"), r("sso.github", "skip"), r("sso.apple", "skip")])).toBe("pass");
  const clerk = [r("clerk.publishable_key", "pass"), r("clerk.secret_key", "pass"), r("clerk.domain_status", "skip")];
  expect(stepStatus("clerk", clerk)).toBe("pass");
  expect(stepStatus("clerk", [r("clerk.publishable_key", "pass"), r("clerk.secret_key", "skip")])).toBe("incomplete");
});

test("a failure or a warning shows over a missing setup", () => {
  expect(stepStatus("hosting", [r("vercel.env", "skip"), r("site.publishable_key", "fail")])).toBe("fail");
  expect(stepStatus("hosting", [r("vercel.env", "skip"), r("site.publishable_key", "warn")])).toBe("warn");
});

test("every setup check is a check of its step", () => {
  for (const [step, ids] of Object.entries(SETUP_CHECKS)) {
    for (const id of ids) expect(CHECK_STEP[id], id).toBe(step);
  }
});
