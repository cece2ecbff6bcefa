// Generated from the Rust types by ts-rs (src-tauri/src/bindings.rs). Do not edit.

import type { Channel } from "@tauri-apps/api/core";

export type ErrorPayload = { code: string, message: string, };

export type Override = { variable: string, 
/**
 * What it replaces, e.g. "Clerk API".
 */
what: string, address: string, };

export type Framework = "nextjs" | "vite-react" | "astro" | "react-router" | "nuxt" | "expo";

export type FrameworkInfo = { id: Framework, label: string, publishableKeyVar: string, secretKeyVar: string, };

export type Hosting = "vercel" | "netlify" | "render" | "cloudflare-pages" | "cloudflare-workers";

export type Project = { id: string, name: string, domain: string, hosting: Hosting, framework: Framework, 
/**
 * Public by design (it ships in every page), so it may live in settings.
 */
publishableKey?: string, 
/**
 * The Clerk application (`app_…`) once picked on the Clerk step.
 */
clerkApplicationId?: string, 
/**
 * Ticked items of the Clerk step's "not carried over" checklist.
 */
clerkChecklist: Array<string>, 
/**
 * The Supabase project (`<ref>` of `https://<ref>.supabase.co`), for apps on Supabase.
 */
supabaseProjectRef?: string, 
/**
 * The Vercel project (`prj_…`) and its team, once picked on the Hosting step.
 */
vercelProject?: VercelLink, 
/**
 * The Netlify site, once picked on the Hosting step (for projects hosted on Netlify).
 */
netlifySite?: NetlifyLink, 
/**
 * The Render service, once picked on the Hosting step (for projects hosted on Render).
 */
renderService?: RenderLink, 
/**
 * The Cloudflare account and Pages project (or Worker), once linked on the Hosting step.
 */
cloudflareProject?: CloudflareLink, 
/**
 * Production OAuth clients by provider (the secrets are in the keychain).
 */
oauth?: { [key in ProviderId]?: OAuthClient }, 
/**
 * The development instance's publishable key (public): which providers it enables.
 */
devPublishableKey?: string, 
/**
 * The launch proof's page only signed-in users may see (`/dashboard` when unset).
 */
protectedPath?: string, 
/**
 * The Supabase project's anon key: public (it ships in the app), so it may live here.
 */
supabaseAnonKey?: string, 
/**
 * A production user the rehearsal signs in as, when the instance refuses throwaway ones.
 */
rehearsalUser?: string, 
/**
 * The production webhook endpoint (`https://…` on the domain), for apps that receive
 * Clerk webhooks; its signing secret is in the keychain.
 */
webhookUrl?: string, 
/**
 * Clerk's domain, proxy and satellites where the project sets them (else detected).
 */
layout?: LayoutSettings, };

export type ProjectInput = { name: string, domain: string, hosting: Hosting, framework: Framework, };

export type SecretKind = "clerk-secret-key" | "clerk-platform-key" | "clerk-webhook-secret" | "vercel-token" | "supabase-token" | "cloudflare-token" | "oauth-google" | "oauth-github" | "oauth-microsoft" | "oauth-discord" | "oauth-apple" | "netlify-token" | "render-api-key";

export type SecretStatus = { kind: SecretKind, set: boolean, last4?: string, };

export type ForgottenEntries = { projectId: string, 
/**
 * `None` for a project no longer saved.
 */
projectName?: string, kinds: Array<SecretKind>, };

export type Forgotten = { removed: Array<ForgottenEntries>, 
/**
 * Whether entries of projects no longer saved were looked for too: only a keychain that
 * lists its entries can find them (Linux's Secret Service does).
 */
searchedUnsaved: boolean, };

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export type Step = "clerk" | "hosting" | "dns" | "sso" | "supabase" | "launch";

export type CheckResult = { id: string, status: CheckStatus, title: string, detail: string, fix: string | null, 
/**
 * What the check expected and what it found, where a comparison is the point.
 */
evidence?: Evidence, };

export type Evidence = { expected: string, actual: string, };

export type PlannedCheck = { id: string, title: string, };

export type CheckEvent = { "event": "planned", "data": { checks: Array<PlannedCheck>, } } | { "event": "finished", "data": { result: CheckResult, } } | { "event": "stage", "data": { stage: StageEvent, } };

export type StageEvent = { stage: Stage, state: StageState, detail: string, };

export type Stage = "createUser" | "signIn" | "cleanUp";

export type StageState = "running" | "done" | "failed";

export type Summary = { pass: number, warn: number, fail: number, skip: number, };

export type Report = { domain: string, 
/**
 * Where the app and Clerk live, as the run found them: it decides which checks apply.
 */
layout: Layout, checks: Array<CheckResult>, summary: Summary, };

export type ClerkApp = { id: string, name: string, hasProduction: boolean, };

export type CnameTarget = { host: string, value: string, required: boolean, };

export type ProductionInstance = { instanceId: string, domain: string, cnameTargets: Array<CnameTarget>, 
/**
 * It already existed: Golive took its keys instead of creating one.
 */
adopted: boolean, };

export type ProductionCreated = { instance: ProductionInstance, project: Project, };

export type ChecklistItem = { id: string, title: string, detail: string, link: string, };

export type FailureHint = { code: string, message: string, };

export type CnameStatus = { from: string, to: string, actual: Array<string>, verified: boolean, required: boolean, failure_hints: Array<FailureHint>, };

export type PartStatus = { status: string, failure_hints: Array<FailureHint>, };

export type ProxyStatus = { status: string, required: boolean, };

export type DnsStatus = { status: string, cnames: { [key in string]: CnameStatus }, };

export type DomainStatus = { status: string, dns: DnsStatus, ssl: PartStatus, mail?: PartStatus, 
/**
 * The Frontend API proxy's part, for domains that use one.
 */
proxy?: ProxyStatus, };

export type ThirdPartyAuth = { id: string, type: string, oidc_issuer_url?: string, };

export type SupabaseTrust = { projectRef: string, productionIssuer: string, trusted: boolean, integrations: Array<ThirdPartyAuth>, };

export type RecordType = "A" | "CNAME" | "TXT";

export type RecordSource = "clerk-api" | "clerk-default" | "vercel-api" | "netlify-api" | "render-api" | "cloudflare-api";

export type RegistrarHost = { registrar: string, host: string, };

export type PlannedRecord = { 
/**
 * The check that proves it, e.g. `dns.clerk`.
 */
checkId: string, 
/**
 * Fully qualified, without the trailing dot.
 */
name: string, recordType: RecordType, value: string, required: boolean, source: RecordSource, 
/**
 * What to type in a registrar's "Host" field (the name without the domain; `@` for the
 * apex). Typing the full name is the classic doubled-host mistake.
 */
hostField: string, 
/**
 * The same, as each common DNS host's form wants it.
 */
registrarHosts: Array<RegistrarHost>, };

export type CellState = "match" | "mismatch" | "missing" | "nx-domain" | "no-answer";

export type MatrixServer = { label: string, authoritative: boolean, };

export type DnsCell = { checkId: string, server: string, state: CellState, actual: Array<string>, ttl?: number, };

export type DnsEvent = { "event": "planned", "data": { records: Array<PlannedRecord>, servers: Array<MatrixServer>, fallbackReason?: string, nameserversError?: string, 
/**
 * Why the host's records (apex, www) are not in the plan.
 */
hostReason?: string, } } | { "event": "cell", "data": DnsCell } | { "event": "round", "data": { number: number, } } | { "event": "waiting", "data": { nextInSecs: bigint, } } | { "event": "propagated" };

export type DnsProvider = "cloudflare" | "vercel-dns";

export type ExistingRecord = { id: string, 
/**
 * Fully qualified, no trailing dot.
 */
name: string, recordType: string, value: string, proxied: boolean, };

export type ChangeAction = "create" | "correct" | "conflict";

export type RecordChange = { checkId: string, name: string, recordType: RecordType, value: string, action: ChangeAction, 
/**
 * For a conflict, the one record in the way (confirm it by id to replace it).
 */
existing?: ExistingRecord, reason: string, };

export type Dmarc = { 
/**
 * `_dmarc.<zone>`.
 */
name: string, 
/**
 * The policy the zone has, if any.
 */
existing?: string, };

export type AutoPlan = { provider: DnsProvider, 
/**
 * The zone the records go in.
 */
zone: string, changes: Array<RecordChange>, 
/**
 * What the plan could not include, and why (the host not connected or not answering, a
 * record its API does not give).
 */
notes: Array<string>, 
/**
 * The zone's DMARC policy: added only on its own confirmation, never replaced.
 */
dmarc: Dmarc, };

export type AutoApplied = { created: number, replaced: number, deleted: number, 
/**
 * The dry run again, after the changes: what is still missing or in the way.
 */
plan: AutoPlan, };

export type VercelLink = { id: string, name: string, teamId?: string, };

export type VercelProject = { id: string, name: string, framework?: string, };

export type ProjectPage = { projects: Array<VercelProject>, next?: string, };

export type NetlifyLink = { id: string, name: string, };

export type CloudflareLink = { accountId: string, name: string, 
/**
 * What the name names: a Pages project or a Worker (links saved before this was kept
 * have none, and are read as the project's host).
 */
kind?: Hosting, };

export type NetlifySite = { id: string, name: string, 
/**
 * The team's name, for people in several teams.
 */
accountName?: string, customDomain?: string, };

export type NetlifySitePage = { sites: Array<NetlifySite>, next?: number, };

export type RenderLink = { id: string, name: string, 
/**
 * The service in Render's dashboard, for what Render's API cannot do.
 */
dashboardUrl?: string, };

export type RenderService = { id: string, name: string, 
/**
 * `web_service`, `static_site`, …
 */
type: string, dashboardUrl?: string, };

export type RenderServicePage = { services: Array<RenderService>, next?: string, };

export type Verification = { type: string, domain: string, value: string, reason: string, };

export type ProjectDomain = { name: string, verified: boolean, 
/**
 * What to add when `verified` is false (usually a TXT at `_vercel.<apex>`).
 */
verification: Array<Verification>, };

export type HostingDomain = { 
/**
 * `None` while the domain is not on the project.
 */
domain?: ProjectDomain, misconfigured: boolean, };

export type EnvAction = "keep" | "retarget" | "create" | "set-value";

export type EnvStep = { key: string, action: EnvAction, 
/**
 * The variable changed (none for a create).
 */
id?: string, target: Array<string>, detail: string, };

export type EnvPlan = { steps: Array<EnvStep>, 
/**
 * Every step is `keep` (and nothing holds the plan back).
 */
done: boolean, 
/**
 * What the host's model of variables means for the plan, in its words.
 */
notes: Array<string>, 
/**
 * Why Golive will not apply the plan as the host stands (Render's previews).
 */
held?: string, };

export type AliasError = { code: string, message: string, };

export type Deployment = { id: string, url: string, 
/**
 * QUEUED, INITIALIZING, BUILDING, READY, ERROR, CANCELED (and BLOCKED, DELETED).
 */
readyState: string, 
/**
 * Vercel sends a boolean or a timestamp.
 */
aliasAssigned: boolean, aliasError?: AliasError, inspectorUrl?: string, createdAt: number, errorMessage?: string, };

export type DeployEvent = { "event": "started", "data": { deployment: Deployment, } } | { "event": "state", "data": { deployment: Deployment, } };

export type ProviderId = "google" | "github" | "microsoft" | "discord" | "apple";

export type Provider = { id: ProviderId, name: string, 
/**
 * Where the app's credentials are made.
 */
consoleUrl: string, consoleSteps: string, clientIdExample: string, secretLabel: string, 
/**
 * Things that break sign-in on launch day if missed.
 */
warnings: Array<string>, 
/**
 * Apple signs a client secret with a key: it needs a team ID and key ID too.
 */
needsAppleKey: boolean, 
/**
 * Microsoft's secrets expire: the step asks for the date.
 */
secretExpires: boolean, };

export type OAuthClient = { clientId: string, appleTeamId?: string, appleKeyId?: string, 
/**
 * `YYYY-MM-DD`, for providers whose secrets expire (Microsoft).
 */
secretExpiresOn?: string, };

export type ProviderState = { provider: Provider, enabledInDevelopment?: boolean, enabledInProduction?: boolean, client?: OAuthClient, secretSet: boolean, };

export type SsoOverview = { 
/**
 * The authorized redirect URI (Clerk's production callback).
 */
redirectUri: string, 
/**
 * Authorized JavaScript origins.
 */
origins: Array<string>, providers: Array<ProviderState>, 
/**
 * Why the development instance's providers are unknown (no key to find it).
 */
developmentUnknown?: string, 
/**
 * Instances whose settings could not be read, and why.
 */
notes: Array<string>, };

export type SsoForm = { provider: ProviderId, clientId: string, 
/**
 * Empty keeps the saved secret.
 */
secret: string, appleTeamId?: string, appleKeyId?: string, secretExpiresOn?: string, };

export type LaunchSettings = { protectedPath: string, supabaseAnonKey: string, rehearsalUser: string, };

export type SatelliteSetting = { domain: string, 
/**
 * The satellite app's Vercel project (`prj_…`), for its env check.
 */
vercelProject?: string, };

export type LayoutSettings = { 
/**
 * Clerk's production domain: the app domain, or one of its parents.
 */
clerkDomain?: string, 
/**
 * The Frontend API proxy (`https://<app domain>/__clerk`), instead of the `clerk` CNAME.
 */
proxyUrl?: string, 
/**
 * Satellite domains, each with the hosting project of its app when linked.
 */
satellites?: Array<SatelliteSetting>, };

export type Satellite = { domain: string, frontend_api: string, vercel_project: string | null, };

export type Layout = { app_domain: string, clerk_domain: string, 
/**
 * The production Frontend API's host (`clerk.<clerk domain>`).
 */
frontend_api: string, proxy_url: string | null, satellites: Array<Satellite>, 
/**
 * Where each part the project did not set came from, one sentence each.
 */
detected: Array<string>, };

export type Verdict = "accepted" | "rejected" | "redirect-mismatch" | "other";

export type ProbeResult = { verdict: Verdict, status: number, 
/**
 * The provider's `error` code, if it sent one.
 */
error?: string, 
/**
 * The provider's own description (never contains the secret).
 */
message: string, };

export type ReportFormat = "markdown" | "json";

export type About = { version: string, 
/**
 * Where Golive looks for a newer version.
 */
updateUrl: string, };

export type AvailableUpdate = { version: string, 
/**
 * What changed, as the release says (plain text).
 */
notes: string | null, 
/**
 * RFC 3339.
 */
date: string | null, };

export type UpdateCheck = { 
/**
 * The running version.
 */
current: string, 
/**
 * A newer version, when the server has one.
 */
available: AvailableUpdate | null, };

export type UpdateEvent = { "event": "progress", received: number, total: number | null, } | { "event": "verifying" } | { "event": "installed" };

export type Commands = {
  overrides: { args: Record<string, never>, answer: Array<Override> },
  list_frameworks: { args: Record<string, never>, answer: Array<FrameworkInfo> },
  list_projects: { args: Record<string, never>, answer: Array<Project> },
  settings_notice: { args: Record<string, never>, answer: ErrorPayload | null },
  create_project: { args: { input: ProjectInput }, answer: Project },
  update_project: { args: { projectId: string, input: ProjectInput }, answer: Project },
  delete_project: { args: { projectId: string }, answer: null },
  set_publishable_key: { args: { projectId: string, value: string }, answer: Project },
  set_secret: { args: { projectId: string, kind: SecretKind, value: string }, answer: SecretStatus },
  forget_secret: { args: { projectId: string, kind: SecretKind }, answer: SecretStatus },
  secret_status: { args: { projectId: string, kind: SecretKind }, answer: SecretStatus },
  forget_all_secrets: { args: Record<string, never>, answer: Forgotten },
  clerk_applications: { args: { projectId: string }, answer: Array<ClerkApp> },
  clerk_create_production: { args: { projectId: string, appId: string }, answer: ProductionCreated },
  clerk_domain_status: { args: { projectId: string, recheck: boolean }, answer: DomainStatus },
  clerk_checklist: { args: Record<string, never>, answer: Array<ChecklistItem> },
  set_checklist_item: { args: { projectId: string, item: string, done: boolean }, answer: Project },
  set_supabase_project: { args: { projectId: string, value: string }, answer: Project },
  supabase_trust: { args: { projectId: string }, answer: SupabaseTrust },
  supabase_add_issuer: { args: { projectId: string }, answer: SupabaseTrust },
  dns_matrix: { args: { projectId: string, onEvent: Channel<DnsEvent> }, answer: null },
  dns_watch_stop: { args: { projectId: string }, answer: null },
  dns_auto_plan: { args: { projectId: string }, answer: AutoPlan },
  dns_auto_apply: { args: { projectId: string, confirmed: Array<string> }, answer: AutoApplied },
  dns_auto_dmarc: { args: { projectId: string, reportTo: string }, answer: AutoPlan },
  vercel_projects: { args: { projectId: string, teamId: string | null, search: string, from: string | null }, answer: ProjectPage },
  set_vercel_project: { args: { projectId: string, link: VercelLink | null }, answer: Project },
  netlify_sites: { args: { projectId: string, search: string, page: number }, answer: NetlifySitePage },
  set_netlify_site: { args: { projectId: string, link: NetlifyLink | null }, answer: Project },
  render_services: { args: { projectId: string, search: string, cursor: string | null }, answer: RenderServicePage },
  set_render_service: { args: { projectId: string, link: RenderLink | null }, answer: Project },
  set_cloudflare_project: { args: { projectId: string, link: CloudflareLink | null }, answer: Project },
  hosting_domain: { args: { projectId: string }, answer: HostingDomain },
  hosting_add_domain: { args: { projectId: string }, answer: HostingDomain },
  hosting_verify_domain: { args: { projectId: string }, answer: HostingDomain },
  hosting_env_plan: { args: { projectId: string }, answer: EnvPlan },
  hosting_env_apply: { args: { projectId: string }, answer: EnvPlan },
  hosting_redeploy: { args: { projectId: string, onEvent: Channel<DeployEvent> }, answer: Deployment },
  sso_overview: { args: { projectId: string }, answer: SsoOverview },
  sso_save: { args: { projectId: string, form: SsoForm }, answer: Project },
  sso_import_google: { args: { projectId: string, json: string }, answer: Project },
  sso_probe: { args: { projectId: string, provider: ProviderId }, answer: ProbeResult },
  sso_push: { args: { projectId: string, provider: ProviderId }, answer: null },
  set_dev_publishable_key: { args: { projectId: string, value: string }, answer: Project },
  set_webhook_url: { args: { projectId: string, value: string }, answer: Project },
  run_checks: { args: { projectId: string, step: string | null, rehearse: boolean, onEvent: Channel<CheckEvent> }, answer: Report },
  set_launch_settings: { args: { projectId: string, form: LaunchSettings }, answer: Project },
  layout: { args: { projectId: string }, answer: Layout },
  set_layout: { args: { projectId: string, settings: LayoutSettings }, answer: Project },
  cancel_checks: { args: { projectId: string }, answer: null },
  export_zone: { args: { projectId: string }, answer: string | null },
  dns_watch: { args: { projectId: string, onEvent: Channel<DnsEvent> }, answer: boolean },
  export_report: { args: { projectId: string, format: ReportFormat }, answer: string | null },
  open_webhook_dashboard: { args: { projectId: string }, answer: string },
  about: { args: Record<string, never>, answer: About },
  update_check: { args: Record<string, never>, answer: UpdateCheck },
  update_install: { args: { onEvent: Channel<UpdateEvent> }, answer: null },
  update_cancel: { args: Record<string, never>, answer: null },
};

export const CHECK_STEP: Record<string, Step> = {
  "clerk.publishable_key": "clerk",
  "clerk.secret_key": "clerk",
  "clerk.key_pair": "clerk",
  "clerk.frontend_api": "clerk",
  "clerk.proxy": "clerk",
  "clerk.accounts_portal": "clerk",
  "clerk.domain_status": "clerk",
  "dns.clerk": "dns",
  "dns.accounts": "dns",
  "dns.clkmail": "dns",
  "dns.clk._domainkey": "dns",
  "dns.clk2._domainkey": "dns",
  "dns.apex": "dns",
  "dns.app": "dns",
  "dns.www": "dns",
  "dns.validation": "dns",
  "dns.caa": "dns",
  "dns.dmarc": "dns",
  "sso.google": "sso",
  "sso.github": "sso",
  "sso.microsoft": "sso",
  "sso.discord": "sso",
  "sso.apple": "sso",
  "vercel.domain": "hosting",
  "vercel.env": "hosting",
  "vercel.deployment": "hosting",
  "host.domain": "hosting",
  "host.env": "hosting",
  "host.deployment": "hosting",
  "site.publishable_key": "hosting",
  "webhook.endpoint": "hosting",
  "webhook.secret": "hosting",
  "supabase.third_party_auth": "supabase",
  "site.handshake": "launch",
  "site.csp": "launch",
  "launch.sign_in": "launch",
  "site.protected": "launch",
  "site.session": "launch",
  "supabase.session": "launch",
  "launch.cleanup": "launch",
};
