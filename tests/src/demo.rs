//! The demo project `scripts/start.sh --sandbox` opens: quillmate.test with every key the
//! sandbox's user has already saved, so a new user clicks straight into a project that is set
//! up. `golive-sandbox --demo DIR` seeds it into DIR under the keychain service
//! `SANDBOX_KEYCHAIN_SERVICE`, never the real settings or keychain entries.

use golive_core::engine::Engine;
use golive_core::framework::Framework;
use golive_core::inputs::Inputs;
use golive_core::project::{Hosting, Project, ProjectInput, VercelLink};
use golive_core::secrets::SecretKind;
use golive_core::steps::sso::SsoForm;

use crate::{Sandbox, DOMAIN};

/// The demo's keychain service: its entries stay apart from the real `golive` ones.
pub const SANDBOX_KEYCHAIN_SERVICE: &str = "golive-sandbox";
pub const PROJECT_NAME: &str = "Quillmate (demo)";

/// Creates the demo project, or finds the one an earlier run made (keeping whatever the user
/// did in it), and saves the sandbox's keys into it: those the CLI would read from
/// `golive-sandbox --with-keys`.
pub fn seed(engine: &Engine, sandbox: &Sandbox) -> golive_core::Result<Project> {
    let existing = engine
        .list_projects()?
        .into_iter()
        .find(|p| p.name == PROJECT_NAME);
    let project = match existing {
        Some(p) => p,
        None => engine.create_project(ProjectInput {
            name: PROJECT_NAME.into(),
            domain: DOMAIN.into(),
            hosting: Hosting::Vercel,
            framework: Framework::Nextjs,
        })?,
    };
    let id = &project.id;
    let mut vars = sandbox.key_env();
    vars.extend(sandbox.platform_key_env());
    let inputs = Inputs::from_vars(vars);

    if let Some(pk) = &inputs.publishable_key {
        engine.set_publishable_key(id, pk)?;
    }
    let secrets = [
        (SecretKind::ClerkSecretKey, &inputs.secret_key),
        (SecretKind::ClerkPlatformKey, &inputs.platform_key),
        (SecretKind::VercelToken, &inputs.vercel_token),
        (SecretKind::SupabaseToken, &inputs.supabase_token),
        (SecretKind::CloudflareToken, &inputs.cloudflare_token),
        (SecretKind::ClerkWebhookSecret, &inputs.webhook_secret),
    ];
    for (kind, secret) in secrets {
        if let Some(secret) = secret {
            engine.set_secret(id, kind, secret.expose())?;
        }
    }
    if let Some(vercel) = &inputs.vercel_project {
        engine.set_vercel_project(
            id,
            Some(VercelLink {
                id: vercel.clone(),
                name: "quillmate".into(),
                team_id: inputs.vercel_team_id.clone(),
            }),
        )?;
    }
    if let Some(url) = &inputs.webhook_url {
        engine.set_webhook_url(id, url)?;
    }
    if let Some(supabase) = &inputs.supabase_project_ref {
        engine.set_supabase_project(id, supabase)?;
    }
    for (provider, c) in inputs.oauth {
        engine.sso_save(
            id,
            SsoForm {
                provider,
                client_id: c.client_id,
                secret: c.secret,
                apple_team_id: c.apple_team_id,
                apple_key_id: c.apple_key_id,
                secret_expires_on: c.secret_expires_on,
            },
        )?;
    }
    engine.project(id)
}
