//! TypeScript for every type that crosses IPC, generated with ts-rs into one file:
//! `ui/src/lib/bindings.ts`, with the typed map of every command (from command_table.rs)
//! and each check's step (from the check registry). A test fails when that file is stale;
//! `GOLIVE_WRITE_BINDINGS=1 cargo test -p golive-app bindings` rewrites it.

use std::marker::PhantomData;

use golive_core::checks::{
    registry, rehearsal_checks, CheckEvent, CheckResult, CheckStatus, Evidence, PlannedCheck,
    Report, Step, Summary,
};
use golive_core::config::Override;
use golive_core::dns::auto::{
    AutoApplied, AutoPlan, ChangeAction, Dmarc, DnsProvider, ExistingRecord, RecordChange,
};
use golive_core::dns::matrix::{CellState, DnsCell, DnsEvent, MatrixServer};
use golive_core::dns::plan::{PlannedRecord, RecordSource, RecordType, RegistrarHost};
use golive_core::forget::{Forgotten, ForgottenEntries};
use golive_core::framework::{Framework, FrameworkInfo};
use golive_core::layout::{Layout, LayoutSettings, Satellite, SatelliteSetting};
use golive_core::project::{
    CloudflareLink, Hosting, NetlifyLink, OAuthClient, Project, ProjectInput, RenderLink,
    VercelLink,
};
use golive_core::provider::ProviderId;
use golive_core::report::ReportFormat;
use golive_core::secrets::{SecretKind, SecretStatus};
use golive_core::steps::clerk::{ChecklistItem, ClerkApp, ProductionCreated, ProductionInstance};
use golive_core::steps::hosting::env_plan::{EnvAction, EnvPlan, EnvStep};
use golive_core::steps::hosting::{DeployEvent, HostingDomain};
use golive_core::steps::launch::rehearsal::{Stage, StageEvent, StageState};
use golive_core::steps::launch::settings::LaunchSettings;
use golive_core::steps::sso::{ProviderState, SsoForm, SsoOverview};
use golive_core::steps::supabase::SupabaseTrust;
use golive_core::vendors::clerk::platform::{
    CnameStatus, CnameTarget, DnsStatus, DomainStatus, FailureHint, PartStatus, ProxyStatus,
};
use golive_core::vendors::netlify::sites::{NetlifySite, NetlifySitePage};
use golive_core::vendors::oauth::catalog::Provider;
use golive_core::vendors::oauth::token_probe::{ProbeResult, Verdict};
use golive_core::vendors::render::services::{RenderService, RenderServicePage};
use golive_core::vendors::supabase::ThirdPartyAuth;
use golive_core::vendors::vercel::deployments::{AliasError, Deployment};
use golive_core::vendors::vercel::domains::{ProjectDomain, Verification};
use golive_core::vendors::vercel::projects::{ProjectPage, VercelProject};
use golive_core::ErrorPayload;
use tauri::ipc::Channel;

use crate::updater::{About, AvailableUpdate, UpdateCheck, UpdateEvent};
use ts_rs::{Config, TS};

pub fn typescript() -> String {
    let cfg = Config::new();
    let decls = [
        ErrorPayload::decl(&cfg),
        Override::decl(&cfg),
        Framework::decl(&cfg),
        FrameworkInfo::decl(&cfg),
        Hosting::decl(&cfg),
        Project::decl(&cfg),
        ProjectInput::decl(&cfg),
        SecretKind::decl(&cfg),
        SecretStatus::decl(&cfg),
        ForgottenEntries::decl(&cfg),
        Forgotten::decl(&cfg),
        CheckStatus::decl(&cfg),
        Step::decl(&cfg),
        CheckResult::decl(&cfg),
        Evidence::decl(&cfg),
        PlannedCheck::decl(&cfg),
        CheckEvent::decl(&cfg),
        StageEvent::decl(&cfg),
        Stage::decl(&cfg),
        StageState::decl(&cfg),
        Summary::decl(&cfg),
        Report::decl(&cfg),
        ClerkApp::decl(&cfg),
        CnameTarget::decl(&cfg),
        ProductionInstance::decl(&cfg),
        ProductionCreated::decl(&cfg),
        ChecklistItem::decl(&cfg),
        FailureHint::decl(&cfg),
        CnameStatus::decl(&cfg),
        PartStatus::decl(&cfg),
        ProxyStatus::decl(&cfg),
        DnsStatus::decl(&cfg),
        DomainStatus::decl(&cfg),
        ThirdPartyAuth::decl(&cfg),
        SupabaseTrust::decl(&cfg),
        RecordType::decl(&cfg),
        RecordSource::decl(&cfg),
        RegistrarHost::decl(&cfg),
        PlannedRecord::decl(&cfg),
        CellState::decl(&cfg),
        MatrixServer::decl(&cfg),
        DnsCell::decl(&cfg),
        DnsEvent::decl(&cfg),
        DnsProvider::decl(&cfg),
        ExistingRecord::decl(&cfg),
        ChangeAction::decl(&cfg),
        RecordChange::decl(&cfg),
        Dmarc::decl(&cfg),
        AutoPlan::decl(&cfg),
        AutoApplied::decl(&cfg),
        VercelLink::decl(&cfg),
        VercelProject::decl(&cfg),
        ProjectPage::decl(&cfg),
        NetlifyLink::decl(&cfg),
        CloudflareLink::decl(&cfg),
        NetlifySite::decl(&cfg),
        NetlifySitePage::decl(&cfg),
        RenderLink::decl(&cfg),
        RenderService::decl(&cfg),
        RenderServicePage::decl(&cfg),
        Verification::decl(&cfg),
        ProjectDomain::decl(&cfg),
        HostingDomain::decl(&cfg),
        EnvAction::decl(&cfg),
        EnvStep::decl(&cfg),
        EnvPlan::decl(&cfg),
        AliasError::decl(&cfg),
        Deployment::decl(&cfg),
        DeployEvent::decl(&cfg),
        ProviderId::decl(&cfg),
        Provider::decl(&cfg),
        OAuthClient::decl(&cfg),
        ProviderState::decl(&cfg),
        SsoOverview::decl(&cfg),
        SsoForm::decl(&cfg),
        LaunchSettings::decl(&cfg),
        SatelliteSetting::decl(&cfg),
        LayoutSettings::decl(&cfg),
        Satellite::decl(&cfg),
        Layout::decl(&cfg),
        Verdict::decl(&cfg),
        ProbeResult::decl(&cfg),
        ReportFormat::decl(&cfg),
        About::decl(&cfg),
        AvailableUpdate::decl(&cfg),
        UpdateCheck::decl(&cfg),
        UpdateEvent::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by ts-rs (src-tauri/src/bindings.rs). Do not edit.\n\n\
         import type { Channel } from \"@tauri-apps/api/core\";\n\n",
    );
    for d in decls {
        out += "export ";
        out += &d;
        out += "\n\n";
    }
    out += &commands(&cfg);
    out += &check_steps();
    out
}

/// A type's TypeScript name. A channel argument is no ts-rs type, so an inherent method
/// (which method lookup prefers to the trait's) names it as `@tauri-apps/api`'s `Channel`.
struct Ts<T>(PhantomData<T>);

impl<T: TS> Ts<Channel<T>> {
    fn name(&self, cfg: &Config) -> String {
        format!("Channel<{}>", T::name(cfg))
    }
}

trait TsName {
    fn name(&self, cfg: &Config) -> String;
}

impl<T: TS> TsName for Ts<T> {
    fn name(&self, cfg: &Config) -> String {
        T::name(cfg)
    }
}

/// Each command's entry in the `Commands` map: its name, its arguments and its answer.
macro_rules! ts_commands {
    (
        engine { $(
            $(#[$doc:meta])*
            $name:ident ($($arg:ident: $ty:ty),* $(,)?) -> $answer:ty => |$engine:ident| $body:expr;
        )* }
        custom { $(
            $(#[$custom_doc:meta])*
            $custom:ident ($($custom_arg:ident: $custom_ty:ty),* $(,)?) -> $custom_answer:ty;
        )* }
    ) => {
        |cfg: &Config| -> Vec<(&str, Vec<(&str, String)>, String)> {
            vec![
                $((
                    stringify!($name),
                    vec![$((stringify!($arg), Ts::<$ty>(PhantomData).name(cfg))),*],
                    Ts::<$answer>(PhantomData).name(cfg),
                ),)*
                $((
                    stringify!($custom),
                    vec![$((stringify!($custom_arg), Ts::<$custom_ty>(PhantomData).name(cfg))),*],
                    Ts::<$custom_answer>(PhantomData).name(cfg),
                ),)*
            ]
        }
    };
}

/// `Commands`: what `invoke` takes and answers for each command, with the arguments
/// camelCased as Tauri reads them.
fn commands(cfg: &Config) -> String {
    let mut out = String::from("export type Commands = {\n");
    for (name, args, answer) in with_commands!(ts_commands)(cfg) {
        let args = if args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            let fields: Vec<String> = args
                .iter()
                .map(|(arg, ty)| format!("{}: {ty}", camel(arg)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        };
        out += &format!("  {name}: {{ args: {args}, answer: {answer} }},\n");
    }
    out + "};\n\n"
}

/// `project_id` -> `projectId`, as Tauri's command arguments are named by default.
fn camel(snake: &str) -> String {
    let mut parts = snake.split('_');
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        let mut chars = part.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.extend(chars);
    }
    out
}

/// `CHECK_STEP`: the step each check belongs to, as its definition says.
fn check_steps() -> String {
    let mut out = String::from("export const CHECK_STEP: Record<string, Step> = {\n");
    for def in registry().into_iter().chain(rehearsal_checks()) {
        let step = serde_json::to_string(&def.step).unwrap();
        out += &format!("  \"{}\": {step},\n", def.id);
    }
    out + "};\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn bindings_are_fresh() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let want = super::typescript();
        if std::env::var_os("GOLIVE_WRITE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/lib/bindings.ts is stale: run `GOLIVE_WRITE_BINDINGS=1 cargo test -p golive-app bindings`"
        );
    }
}
