// The only place the UI talks to Rust. Components call these typed functions, never `invoke`.
import { Channel, invoke } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";
import type {
  AutoApplied,
  AutoPlan,
  ChecklistItem,
  ClerkApp,
  DeployEvent,
  Deployment,
  DomainStatus,
  EnvPlan,
  ProductionCreated,
  CheckEvent,
  DnsEvent,
  ErrorPayload,
  FrameworkInfo,
  HostingDomain,
  Project,
  ProjectInput,
  ProjectPage,
  ProbeResult,
  ProviderId,
  Report,
  ReportFormat,
  SecretKind,
  SecretStatus,
  SsoForm,
  SsoOverview,
  SupabaseTrust,
  VercelLink,
} from "./bindings";

/** Every failed command rejects with `{code, message}`; anything else is wrapped to match. */
export function asError(e: unknown): ErrorPayload {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    return { code: String(e.code), message: String(e.message) };
  }
  return { code: "internal", message: String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asError(e);
  }
}

export const api = {
  listFrameworks: () => call<FrameworkInfo[]>("list_frameworks"),
  listProjects: () => call<Project[]>("list_projects"),
  createProject: (input: ProjectInput) => call<Project>("create_project", { input }),
  updateProject: (projectId: string, input: ProjectInput) =>
    call<Project>("update_project", { projectId, input }),
  deleteProject: (projectId: string) => call<null>("delete_project", { projectId }),
  setPublishableKey: (projectId: string, value: string) =>
    call<Project>("set_publishable_key", { projectId, value }),
  setSecret: (projectId: string, kind: SecretKind, value: string) =>
    call<SecretStatus>("set_secret", { projectId, kind, value }),
  forgetSecret: (projectId: string, kind: SecretKind) =>
    call<SecretStatus>("forget_secret", { projectId, kind }),
  secretStatus: (projectId: string, kind: SecretKind) =>
    call<SecretStatus>("secret_status", { projectId, kind }),
  clerkApplications: (projectId: string) => call<ClerkApp[]>("clerk_applications", { projectId }),
  clerkCreateProduction: (projectId: string, appId: string) =>
    call<ProductionCreated>("clerk_create_production", { projectId, appId }),
  clerkDomainStatus: (projectId: string, recheck: boolean) =>
    call<DomainStatus>("clerk_domain_status", { projectId, recheck }),
  clerkChecklist: () => call<ChecklistItem[]>("clerk_checklist"),
  setChecklistItem: (projectId: string, item: string, done: boolean) =>
    call<Project>("set_checklist_item", { projectId, item, done }),
  setSupabaseProject: (projectId: string, value: string) =>
    call<Project>("set_supabase_project", { projectId, value }),
  supabaseTrust: (projectId: string) => call<SupabaseTrust>("supabase_trust", { projectId }),
  supabaseAddIssuer: (projectId: string) => call<SupabaseTrust>("supabase_add_issuer", { projectId }),
  /** Streams the DNS plan, then every record × server answer as it arrives. */
  dnsProbe: (projectId: string, onEvent: (e: DnsEvent) => void) => {
    const channel = new Channel<DnsEvent>();
    channel.onmessage = onEvent;
    return call<null>("dns_probe", { projectId, onEvent: channel });
  },
  /** Re-checks until everything has propagated (true) or stopped (false); same events. */
  dnsWatch: (projectId: string, onEvent: (e: DnsEvent) => void) => {
    const channel = new Channel<DnsEvent>();
    channel.onmessage = onEvent;
    return call<boolean>("dns_watch", { projectId, onEvent: channel });
  },
  dnsWatchStop: (projectId: string) => call<null>("dns_watch_stop", { projectId }),
  /** Asks where to save (a native dialog) and writes the zone file; null when cancelled. */
  exportZone: (projectId: string) => call<string | null>("export_zone", { projectId }),
  /** Runs every check, or one step's (`"clerk"`), streaming each result to `onEvent`. */
  runChecks: (projectId: string, step: string | null, onEvent: (e: CheckEvent) => void) => {
    const channel = new Channel<CheckEvent>();
    channel.onmessage = onEvent;
    return call<Report>("run_checks", { projectId, step, onEvent: channel });
  },
  /** The dry run of automatic records at the DNS host (Cloudflare or Vercel DNS). */
  dnsAutoPlan: (projectId: string) => call<AutoPlan>("dns_auto_plan", { projectId }),
  /** Creates the missing records; replaces only the conflicting records named in `confirmed`. */
  dnsAutoApply: (projectId: string, confirmed: string[]) =>
    call<AutoApplied>("dns_auto_apply", { projectId, confirmed }),
  vercelProjects: (projectId: string, teamId: string | null, search: string, from: string | null) =>
    call<ProjectPage>("vercel_projects", { projectId, teamId, search, from }),
  setVercelProject: (projectId: string, link: VercelLink | null) =>
    call<Project>("set_vercel_project", { projectId, link }),
  hostingDomain: (projectId: string) => call<HostingDomain>("hosting_domain", { projectId }),
  hostingAddDomain: (projectId: string) => call<HostingDomain>("hosting_add_domain", { projectId }),
  hostingVerifyDomain: (projectId: string) => call<HostingDomain>("hosting_verify_domain", { projectId }),
  /** The env migration's dry run: keys, targets and actions (never values). */
  hostingEnvPlan: (projectId: string) => call<EnvPlan>("hosting_env_plan", { projectId }),
  hostingEnvApply: (projectId: string) => call<EnvPlan>("hosting_env_apply", { projectId }),
  /** Redeploys production, streaming the deployment's state until live or failed. */
  hostingRedeploy: (projectId: string, onEvent: (e: DeployEvent) => void) => {
    const channel = new Channel<DeployEvent>();
    channel.onmessage = onEvent;
    return call<Deployment>("hosting_redeploy", { projectId, onEvent: channel });
  },
  ssoOverview: (projectId: string) => call<SsoOverview>("sso_overview", { projectId }),
  /** The secret goes in once, to the keychain; only the project (without it) comes back. */
  ssoSave: (projectId: string, form: SsoForm) => call<Project>("sso_save", { projectId, form }),
  ssoImportGoogle: (projectId: string, json: string) => call<Project>("sso_import_google", { projectId, json }),
  ssoProbe: (projectId: string, provider: ProviderId) => call<ProbeResult>("sso_probe", { projectId, provider }),
  ssoPush: (projectId: string, provider: ProviderId) => call<null>("sso_push", { projectId, provider }),
  setDevPublishableKey: (projectId: string, value: string) =>
    call<Project>("set_dev_publishable_key", { projectId, value }),
  /** Stops the project's running checks; their `runChecks` rejects with `checks_cancelled`. */
  cancelChecks: (projectId: string) => call<null>("cancel_checks", { projectId }),
  /** Asks where to save (a native dialog) and writes the report; null when cancelled. */
  exportReport: (projectId: string, report: Report, format: ReportFormat) =>
    call<string | null>("export_report", { projectId, report, format }),
  copy: (text: string) => writeText(text),
  openExternal: (url: string) => openUrl(url),
};
