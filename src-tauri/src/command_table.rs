// Every desktop command, declared once. `with_commands!(m)` hands the table to a macro `m`,
// and each consumer takes what it needs: commands.rs generates the `#[tauri::command]`
// adapters and registers them, build.rs declares the names to the ACL (it only stringifies
// them: build.rs cannot resolve the types), bindings.rs writes the TypeScript `Commands`
// map, and a test holds capabilities/main.json to the same names.
//
// An `engine` entry reads `name(arg: Type, ...) -> Answer => |engine| body;`, where `body`
// is the async adapter's body and evaluates to `Result<Answer, Error>`. Arguments cross IPC
// camelCased (`project_id` is `projectId`). A `custom` entry is written by hand in
// commands.rs, because it needs the app itself (a notification, a save dialog).
//
// This file holds only the macro, so that build.rs can `include!` it.

macro_rules! with_commands {
    ($m:ident) => {
        $m! {
            engine {
                /// The `GOLIVE_*` addresses in use instead of the real vendors'; the UI asks
                /// first, and this answers the configuration error if the engine has none.
                overrides() -> Vec<Override> => |engine| Ok(engine.overrides());
                list_frameworks() -> Vec<FrameworkInfo> =>
                    |_engine| Ok(Framework::ALL.iter().map(|f| f.info()).collect());
                list_projects() -> Vec<Project> => |engine| engine.list_projects();
                /// Why the saved projects started afresh (a corrupt file kept aside), if so.
                settings_notice() -> Option<ErrorPayload> => |engine| Ok(engine.settings_notice());
                create_project(input: ProjectInput) -> Project =>
                    |engine| engine.create_project(input);
                update_project(project_id: String, input: ProjectInput) -> Project =>
                    |engine| engine.update_project(&project_id, input);
                delete_project(project_id: String) -> () =>
                    |engine| engine.delete_project(&project_id);
                set_publishable_key(project_id: String, value: String) -> Project =>
                    |engine| engine.set_publishable_key(&project_id, &value);
                /// Takes a secret in; only its status ever comes back out.
                set_secret(project_id: String, kind: SecretKind, value: String) -> SecretStatus =>
                    |engine| engine.set_secret(&project_id, kind, &value);
                forget_secret(project_id: String, kind: SecretKind) -> SecretStatus =>
                    |engine| engine.forget_secret(&project_id, kind);
                secret_status(project_id: String, kind: SecretKind) -> SecretStatus =>
                    |engine| engine.secret_status(&project_id, kind);
                /// Removes every keychain entry Golive made; answers the kinds removed per
                /// project, never a value. The projects stay.
                forget_all_secrets() -> Forgotten => |engine| engine.forget_all_secrets();
                clerk_applications(project_id: String) -> Vec<ClerkApp> =>
                    |engine| engine.clerk_applications(&project_id).await;
                clerk_create_production(project_id: String, app_id: String) -> ProductionCreated =>
                    |engine| engine.clerk_create_production(&project_id, &app_id).await;
                clerk_domain_status(project_id: String, recheck: bool) -> DomainStatus =>
                    |engine| engine.clerk_domain_status(&project_id, recheck).await;
                clerk_checklist() -> Vec<ChecklistItem> => |_engine| Ok(checklist());
                set_checklist_item(project_id: String, item: String, done: bool) -> Project =>
                    |engine| engine.set_checklist_item(&project_id, &item, done);
                set_supabase_project(project_id: String, value: String) -> Project =>
                    |engine| engine.set_supabase_project(&project_id, &value);
                supabase_trust(project_id: String) -> SupabaseTrust =>
                    |engine| engine.supabase_trust(&project_id).await;
                supabase_add_issuer(project_id: String) -> SupabaseTrust =>
                    |engine| engine.supabase_add_issuer(&project_id).await;
                /// Streams the DNS plan, then each record × server answer as it arrives.
                dns_matrix(project_id: String, on_event: Channel<DnsEvent>) -> () =>
                    |engine| engine.dns_matrix(&project_id, forward(&on_event)).await;
                dns_watch_stop(project_id: String) -> () =>
                    |engine| {
                        engine.dns_watch_stop(&project_id);
                        Ok(())
                    };
                /// The dry run of automatic records: what would be created, what is right,
                /// what is in the way.
                dns_auto_plan(project_id: String) -> AutoPlan =>
                    |engine| engine.dns_auto_plan(&project_id).await;
                /// Creates the missing records; `confirmed` names the conflicting records to
                /// replace.
                dns_auto_apply(project_id: String, confirmed: Vec<String>) -> AutoApplied =>
                    |engine| engine.dns_auto_apply(&project_id, &confirmed).await;
                /// Adds the monitoring DMARC policy (reports to `report_to`), on confirmation.
                dns_auto_dmarc(project_id: String, report_to: String) -> AutoPlan =>
                    |engine| engine.dns_auto_dmarc(&project_id, &report_to).await;
                vercel_projects(
                    project_id: String,
                    team_id: Option<String>,
                    search: String,
                    from: Option<String>
                ) -> ProjectPage => |engine| {
                    engine
                        .vercel_projects(&project_id, team_id.as_deref(), &search, from.as_deref())
                        .await
                };
                set_vercel_project(project_id: String, link: Option<VercelLink>) -> Project =>
                    |engine| engine.set_vercel_project(&project_id, link);
                netlify_sites(project_id: String, search: String, page: u32) -> NetlifySitePage =>
                    |engine| engine.netlify_sites(&project_id, &search, page).await;
                set_netlify_site(project_id: String, link: Option<NetlifyLink>) -> Project =>
                    |engine| engine.set_netlify_site(&project_id, link);
                render_services(project_id: String, search: String, cursor: Option<String>) -> RenderServicePage =>
                    |engine| engine.render_services(&project_id, &search, cursor.as_deref()).await;
                set_render_service(project_id: String, link: Option<RenderLink>) -> Project =>
                    |engine| engine.set_render_service(&project_id, link);
                set_cloudflare_project(project_id: String, link: Option<CloudflareLink>) -> Project =>
                    |engine| engine.set_cloudflare_project(&project_id, link).await;
                hosting_domain(project_id: String) -> HostingDomain =>
                    |engine| engine.hosting_domain(&project_id).await;
                hosting_add_domain(project_id: String) -> HostingDomain =>
                    |engine| engine.hosting_add_domain(&project_id).await;
                hosting_verify_domain(project_id: String) -> HostingDomain =>
                    |engine| engine.hosting_verify_domain(&project_id).await;
                /// The dry run of the env migration; values never cross IPC, only keys,
                /// targets and actions.
                hosting_env_plan(project_id: String) -> EnvPlan =>
                    |engine| engine.hosting_env_plan(&project_id).await;
                hosting_env_apply(project_id: String) -> EnvPlan =>
                    |engine| engine.hosting_env_apply(&project_id).await;
                /// Redeploys production and streams the deployment's state until it is live
                /// or failed.
                hosting_redeploy(project_id: String, on_event: Channel<DeployEvent>) -> Deployment =>
                    |engine| {
                        engine
                            .hosting_redeploy(&project_id, FollowPace::default(), forward(&on_event))
                            .await
                    };
                sso_overview(project_id: String) -> SsoOverview =>
                    |engine| engine.sso_overview(&project_id).await;
                /// Takes a provider's credentials in; the secret goes to the keychain and never
                /// comes back.
                sso_save(project_id: String, form: SsoForm) -> Project =>
                    |engine| engine.sso_save(&project_id, form);
                sso_import_google(project_id: String, json: String) -> Project =>
                    |engine| engine.sso_import_google(&project_id, &json);
                sso_probe(project_id: String, provider: ProviderId) -> ProbeResult =>
                    |engine| engine.sso_probe(&project_id, provider).await;
                sso_push(project_id: String, provider: ProviderId) -> () =>
                    |engine| engine.sso_push(&project_id, provider).await;
                set_dev_publishable_key(project_id: String, value: String) -> Project =>
                    |engine| engine.set_dev_publishable_key(&project_id, &value);
                /// Keeps (or, given nothing, clears) the production webhook endpoint URL.
                set_webhook_url(project_id: String, value: String) -> Project =>
                    |engine| engine.set_webhook_url(&project_id, &value);
                /// Streams each check's result as it finishes; returns the full report. `step`
                /// limits the run to one step's checks (e.g. `"clerk"`); `rehearse` adds the
                /// sign-in rehearsal, which the window confirms first.
                run_checks(
                    project_id: String,
                    step: Option<String>,
                    rehearse: bool,
                    on_event: Channel<CheckEvent>
                ) -> Report => |engine| {
                    engine
                        .run_checks(&project_id, step.as_deref(), rehearse, forward(&on_event))
                        .await
                };
                set_launch_settings(project_id: String, form: LaunchSettings) -> Project =>
                    |engine| engine.set_launch_settings(&project_id, form);
                /// Where the app and Clerk live: as set, the rest detected from Clerk now.
                layout(project_id: String) -> Layout => |engine| engine.layout(&project_id).await;
                /// Saves the layout's settings (validated for the project's domain).
                set_layout(project_id: String, settings: LayoutSettings) -> Project =>
                    |engine| engine.set_layout(&project_id, settings);
                /// Stops the project's running checks (their call ends with
                /// `checks_cancelled`).
                cancel_checks(project_id: String) -> () =>
                    |engine| {
                        engine.cancel_checks(&project_id);
                        Ok(())
                    };
            }
            custom {
                export_zone(project_id: String) -> Option<String>;
                dns_watch(project_id: String, on_event: Channel<DnsEvent>) -> bool;
                /// Saves the project's last whole run, as the engine kept it.
                export_report(project_id: String, format: ReportFormat) -> Option<String>;
                /// Opens the production webhook dashboard in the browser; answers its host.
                open_webhook_dashboard(project_id: String) -> String;
                /// Golive's version and the update server it asks.
                about() -> About;
                /// Asks the update server for a newer Golive; keeps what it found for
                /// `update_install`.
                update_check() -> UpdateCheck;
                /// Downloads the update found, streaming progress; installs it only if its
                /// signature is Golive's, then restarts Golive.
                update_install(on_event: Channel<UpdateEvent>) -> ();
                /// Stops the download in progress; nothing is installed.
                update_cancel() -> ();
            }
        }
    };
}
