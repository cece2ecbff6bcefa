//! TypeScript for every type that crosses IPC, generated with ts-rs into one file:
//! `ui/src/lib/bindings.ts`. A test fails when that file is stale;
//! `GOLIVE_WRITE_BINDINGS=1 cargo test -p golive-app bindings` rewrites it.

use golive_core::checks::{
    CheckEvent, CheckResult, CheckStatus, Evidence, PlannedCheck, Report, Summary,
};
use golive_core::dns::auto::{
    AutoApplied, AutoPlan, ChangeAction, DnsProvider, ExistingRecord, RecordChange,
};
use golive_core::dns::matrix::{CellState, DnsCell, DnsEvent, MatrixServer};
use golive_core::dns::plan::{PlannedRecord, RecordSource, RecordType, RegistrarHost};
use golive_core::framework::{Framework, FrameworkInfo};
use golive_core::project::{Hosting, OAuthClient, Project, ProjectInput, VercelLink};
use golive_core::report::ReportFormat;
use golive_core::secrets::{SecretKind, SecretStatus};
use golive_core::steps::clerk::{ChecklistItem, ClerkApp, ProductionCreated, ProductionInstance};
use golive_core::steps::hosting::{DeployEvent, EnvAction, EnvPlan, EnvStep, HostingDomain};
use golive_core::steps::sso::{ProviderState, SsoForm, SsoOverview};
use golive_core::steps::supabase::SupabaseTrust;
use golive_core::vendors::clerk::platform::{
    CnameStatus, CnameTarget, DnsStatus, DomainStatus, FailureHint, PartStatus,
};
use golive_core::vendors::oauth::{ProbeResult, Provider, ProviderId, Verdict};
use golive_core::vendors::supabase::ThirdPartyAuth;
use golive_core::vendors::vercel::deployments::{AliasError, Deployment};
use golive_core::vendors::vercel::domains::{ProjectDomain, Verification};
use golive_core::vendors::vercel::projects::{ProjectPage, VercelProject};
use golive_core::ErrorPayload;
use ts_rs::{Config, TS};

pub fn typescript() -> String {
    let cfg = Config::new();
    let decls = [
        ErrorPayload::decl(&cfg),
        Framework::decl(&cfg),
        FrameworkInfo::decl(&cfg),
        Hosting::decl(&cfg),
        Project::decl(&cfg),
        ProjectInput::decl(&cfg),
        SecretKind::decl(&cfg),
        SecretStatus::decl(&cfg),
        CheckStatus::decl(&cfg),
        CheckResult::decl(&cfg),
        Evidence::decl(&cfg),
        PlannedCheck::decl(&cfg),
        CheckEvent::decl(&cfg),
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
        AutoPlan::decl(&cfg),
        AutoApplied::decl(&cfg),
        VercelLink::decl(&cfg),
        VercelProject::decl(&cfg),
        ProjectPage::decl(&cfg),
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
        Verdict::decl(&cfg),
        ProbeResult::decl(&cfg),
        ReportFormat::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by ts-rs (src-tauri/src/bindings.rs). Do not edit.\n\n",
    );
    for d in decls {
        out += "export ";
        out += &d;
        out += "\n\n";
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
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
