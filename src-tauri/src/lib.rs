//! Golive's desktop shell: plugins, state and thin commands over the engine. No logic here.

#[macro_use]
mod command_table;
#[cfg(test)]
mod bindings;
mod commands;
mod updater;

use std::sync::Arc;

use golive_core::config::{self, Endpoints};
use golive_core::engine::Engine;
use golive_core::project::ProjectStore;
use golive_core::secrets::{KeyringStore, SecretStore};

/// The app with everything but its context, generic so tests run it on the mock runtime.
/// Without an engine (a configuration error) the window still opens and shows the error.
pub fn builder<R: tauri::Runtime>(
    base: tauri::Builder<R>,
    engine: golive_core::Result<Engine>,
) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(updater::Updates::default())
        .manage(commands::Startup::from(engine))
        .invoke_handler(commands::handler())
}

/// Same settings directory, keychain service and `GOLIVE_*` variables as the `golive` CLI.
fn engine(secrets: Arc<dyn SecretStore>, endpoints: Endpoints) -> golive_core::Result<Engine> {
    Engine::new(
        ProjectStore::new(&config::config_dir()?),
        secrets,
        endpoints,
    )
}

pub fn run() {
    let endpoints = Endpoints::from_env();
    let mut context = tauri::generate_context!();
    if let Ok(endpoints) = &endpoints {
        updater::configure(context.config_mut(), endpoints);
    }
    let engine = endpoints.and_then(|endpoints| {
        engine(
            Arc::new(KeyringStore::with_service(config::keychain_service())),
            endpoints,
        )
    });
    if let Err(e) = &engine {
        eprintln!("golive: {e}");
    }
    // First, so a second launch hands over to the first window before anything else starts
    // (on Linux through the D-Bus session bus; without one, every launch runs on its own).
    let single =
        tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            show_main_window(app)
        }));
    builder(single, engine)
        .run(context)
        .expect("error while running Golive");
}

/// Brings the window of the running app to the front, for a second launch.
fn show_main_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use golive_core::secrets::MemoryStore;
    use serde_json::{json, Value};
    use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
    use tauri::webview::InvokeRequest;

    type MockApp = (
        tauri::App<tauri::test::MockRuntime>,
        tauri::WebviewWindow<tauri::test::MockRuntime>,
    );

    fn app(dir: &std::path::Path) -> MockApp {
        app_with(Ok(Engine::new(
            ProjectStore::new(dir),
            Arc::new(MemoryStore::default()),
            Endpoints::default(),
        )
        .unwrap()))
    }

    fn app_with(engine: golive_core::Result<Engine>) -> MockApp {
        // The updater plugin needs its configuration (the release key), as tauri.conf.json
        // has it.
        let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let mut context = mock_context(noop_assets());
        context
            .config_mut()
            .plugins
            .0
            .insert("updater".into(), conf["plugins"]["updater"].clone());
        let app = builder(mock_builder(), engine).build(context).unwrap();
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        (app, window)
    }

    fn invoke(
        w: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        cmd: &str,
        args: Value,
    ) -> Result<Value, Value> {
        get_ipc_response(
            w,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn create(
        w: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        domain: &str,
    ) -> Result<Value, Value> {
        invoke(
            w,
            "create_project",
            json!({"input": {"name": "Quillmate", "domain": domain, "hosting": "vercel", "framework": "nextjs"}}),
        )
    }

    #[test]
    fn errors_cross_ipc_as_code_and_message() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        let err = create(&w, "shop.vercel.app").unwrap_err();
        let obj = err.as_object().expect("an object");
        assert_eq!(obj.len(), 2, "{err}");
        assert_eq!(obj["code"], "domain_invalid");
        assert!(obj["message"]
            .as_str()
            .unwrap()
            .contains("Vercel preview domain"));
    }

    #[test]
    fn a_stored_secret_never_comes_back_over_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        let project = create(&w, "quillmate.test").unwrap();
        let id = project["id"].as_str().unwrap();
        let sk = "sk_live_canaryCANARYcanary0000c4n4";
        let set = invoke(
            &w,
            "set_secret",
            json!({"projectId": id, "kind": "clerk-secret-key", "value": sk}),
        )
        .unwrap();
        assert_eq!(
            set,
            json!({"kind": "clerk-secret-key", "set": true, "last4": "c4n4"})
        );
        let status = invoke(
            &w,
            "secret_status",
            json!({"projectId": id, "kind": "clerk-secret-key"}),
        )
        .unwrap();
        assert_eq!(status, set);
        let listed = invoke(&w, "list_projects", json!({})).unwrap();
        assert!(!listed.to_string().contains(sk));
        let forgotten = invoke(
            &w,
            "forget_secret",
            json!({"projectId": id, "kind": "clerk-secret-key"}),
        )
        .unwrap();
        assert_eq!(forgotten, json!({"kind": "clerk-secret-key", "set": false}));

        // An OAuth client secret goes in through the SSO form; what comes back is the
        // project with the client ID only.
        let secret = "GOCSPX-canaryCANARYcanary";
        let saved = invoke(
            &w,
            "sso_save",
            json!({"projectId": id, "form": {"provider": "google",
                   "clientId": "1-canary.apps.googleusercontent.com", "secret": secret}}),
        )
        .unwrap();
        assert_eq!(
            saved["oauth"]["google"]["clientId"],
            "1-canary.apps.googleusercontent.com"
        );
        let listed = invoke(&w, "list_projects", json!({})).unwrap();
        for answer in [saved, listed] {
            assert!(!answer.to_string().contains(secret), "{answer}");
        }
        let refused = invoke(
            &w,
            "set_secret",
            json!({"projectId": id, "kind": "oauth-google", "value": secret}),
        )
        .unwrap_err();
        assert_eq!(refused["code"], "use_sso_form");

        // Removing every keychain entry answers the kinds per project, never a value.
        let removed = invoke(&w, "forget_all_secrets", json!({})).unwrap();
        assert_eq!(removed["removed"][0]["kinds"], json!(["oauth-google"]));
        assert!(!removed.to_string().contains(secret), "{removed}");
    }

    #[test]
    fn a_configuration_error_is_answered_to_every_command_and_nothing_runs() {
        let refused = Endpoints::from_vars([(
            "GOLIVE_CLERK_API_URL".to_string(),
            "http://api.example.com".to_string(),
        )])
        .map(|_| ())
        .unwrap_err();
        let (_app, w) = app_with(Err(refused));
        for cmd in commands::COMMANDS {
            let err = invoke(&w, cmd, json!({})).unwrap_err();
            assert_eq!(err["code"], "config", "{cmd}: {err}");
            let message = err["message"].as_str().unwrap();
            assert!(message.contains("GOLIVE_CLERK_API_URL"), "{cmd}: {message}");
        }
    }

    #[test]
    fn overrides_name_each_address_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        assert_eq!(invoke(&w, "overrides", json!({})).unwrap(), json!([]));

        let endpoints = Endpoints::from_vars([(
            "GOLIVE_CLERK_API_URL".to_string(),
            "http://127.0.0.1:9".to_string(),
        )])
        .unwrap();
        let engine = Engine::new(
            ProjectStore::new(dir.path()),
            Arc::new(MemoryStore::default()),
            endpoints,
        );
        let (_app, w) = app_with(engine);
        assert_eq!(
            invoke(&w, "overrides", json!({})).unwrap(),
            json!([{"variable": "GOLIVE_CLERK_API_URL", "what": "Clerk API",
                    "address": "http://127.0.0.1:9/"}])
        );
    }

    #[test]
    fn the_csp_loads_nothing_remote_and_only_main_gets_capabilities() {
        let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let csp = conf["app"]["security"]["csp"]
            .as_str()
            .expect("a CSP is set");
        let allowed = [
            "'self'",
            "'none'",
            "'unsafe-inline'", // styles only, checked below
            "data:",
            "ipc:",
            "http://ipc.localhost",
        ];
        for directive in csp.split(';').map(str::trim) {
            let mut parts = directive.split_whitespace();
            let name = parts.next().unwrap();
            for source in parts {
                assert!(allowed.contains(&source), "{name} allows {source}");
                assert!(
                    source != "'unsafe-inline'" || name == "style-src",
                    "{name} allows inline"
                );
            }
        }
        assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'self'"));

        let cap: Value = serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        assert_eq!(cap["windows"], json!(["main"]));
        assert_eq!(conf["app"]["security"]["capabilities"], json!(["main"]));
        let perms = cap["permissions"].as_array().unwrap();
        let opener = perms
            .iter()
            .find(|p| p["identifier"] == "opener:allow-open-url")
            .expect("links are scoped");
        for url in opener["allow"].as_array().unwrap() {
            assert!(
                url["url"].as_str().unwrap().starts_with("https://"),
                "{url}"
            );
        }
        assert!(!perms
            .iter()
            .any(|p| p.as_str().is_some_and(|p| p.ends_with(":default"))));
    }

    #[test]
    fn every_declared_command_is_registered() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        for cmd in commands::COMMANDS {
            // Missing arguments are fine; an unknown command is not.
            if let Err(e) = invoke(&w, cmd, json!({})) {
                let text = e.to_string();
                assert!(!text.contains("not found"), "{cmd}: {text}");
            }
        }
    }

    #[test]
    fn the_capability_grants_exactly_the_commands_in_the_table() {
        let cap: Value = serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        // The app's own grants are the permissions without a plugin prefix.
        let granted: Vec<&str> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .filter(|p| !p.contains(':'))
            .collect();
        let wanted: Vec<String> = commands::COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|w| !granted.contains(&w.as_str()))
            .collect();
        let unknown: Vec<&&str> = granted
            .iter()
            .filter(|g| !wanted.iter().any(|w| w == *g))
            .collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "capabilities/main.json against command_table.rs: missing {missing:?}, no such command {unknown:?}"
        );
    }
}
