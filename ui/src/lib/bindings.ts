// Generated from the Rust types by ts-rs (src-tauri/src/bindings.rs). Do not edit.

export type ErrorPayload = { code: string, message: string, };

export type Framework = "nextjs" | "vite-react" | "astro" | "react-router" | "nuxt" | "expo";

export type FrameworkInfo = { id: Framework, label: string, publishableKeyVar: string, secretKeyVar: string, };

export type Hosting = "vercel";

export type Project = { id: string, name: string, domain: string, hosting: Hosting, framework: Framework, 
/**
 * Public by design (it ships in every page), so it may live in settings.
 */
publishableKey?: string, };

export type ProjectInput = { name: string, domain: string, hosting: Hosting, framework: Framework, };

export type SecretKind = "clerk-secret-key" | "clerk-platform-key" | "vercel-token";

export type SecretStatus = { kind: SecretKind, set: boolean, last4?: string, };

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export type CheckResult = { id: string, status: CheckStatus, title: string, detail: string, fix: string | null, };

export type PlannedCheck = { id: string, title: string, };

export type CheckEvent = { "event": "planned", "data": { checks: Array<PlannedCheck>, } } | { "event": "finished", "data": { result: CheckResult, } };

export type Summary = { pass: number, warn: number, fail: number, skip: number, };

export type Report = { domain: string, checks: Array<CheckResult>, summary: Summary, };
