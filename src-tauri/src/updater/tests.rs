//! The updater against the sandbox's update server over real sockets, in an app on the mock
//! runtime: what the plugin finds, downloads and verifies, and every refusal. The install
//! itself replaces the running executable, so it is proven by the e2e on a copy of the app
//! (tests/tests/it/e2e/update.rs), never here on the test binary.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use golive_core::config::{Endpoints, UPDATE_URL};
use golive_core::engine::Engine;
use golive_core::minisign::PublicKey;
use golive_core::project::ProjectStore;
use golive_core::secrets::MemoryStore;
use golive_sandbox::update::{
    next_version, Mode, Release, UpdateServer, ARTIFACT_PATH, CURRENT, MANIFEST_PATH,
};
use serde_json::Value;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::Manager;

use super::*;

const NOTES: &str = "Faster DNS checks.\nThe Supabase step reads every issuer.";

fn conf() -> Value {
    serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap()
}

/// One release for every test: signing runs the Tauri CLI, twice per key.
fn release() -> Arc<Release> {
    static RELEASE: OnceLock<Arc<Release>> = OnceLock::new();
    RELEASE
        .get_or_init(|| {
            // 256 KiB that do not compress, as a real bundle.
            let mut x: u32 = 0x9E37_79B9;
            let artifact = (0..256 * 1024)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            Arc::new(Release::sign(&next_version(), NOTES, artifact).expect("signed"))
        })
        .clone()
}

struct Rig {
    server: UpdateServer,
    endpoints: Endpoints,
    app: tauri::App<MockRuntime>,
    _dir: tempfile::TempDir,
}

impl Rig {
    fn start(mode: Mode) -> Rig {
        Rig::with_url(mode, None)
    }

    /// `url` replaces the server's, to point at an address where nothing answers.
    fn with_url(mode: Mode, url: Option<String>) -> Rig {
        let server = tauri::async_runtime::block_on(UpdateServer::start()).unwrap();
        server.publish(release());
        server.set_mode(mode);
        let endpoints = Endpoints::from_vars([
            (
                "GOLIVE_UPDATE_URL".to_string(),
                url.unwrap_or_else(|| server.url()),
            ),
            ("GOLIVE_UPDATE_PUBKEY".into(), release().public_key.clone()),
            ("GOLIVE_HTTP_TIMEOUT_MS".into(), "1000".into()),
        ])
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::new(
            ProjectStore::new(dir.path()),
            Arc::new(MemoryStore::default()),
            endpoints.clone(),
        );
        let mut context = mock_context(noop_assets());
        context
            .config_mut()
            .plugins
            .0
            .insert("updater".into(), conf()["plugins"]["updater"].clone());
        configure(context.config_mut(), &endpoints);
        context.package_info_mut().version = CURRENT.parse().unwrap();
        let app = crate::builder(mock_builder(), engine)
            .build(context)
            .unwrap();
        Rig {
            server,
            endpoints,
            app,
            _dir: dir,
        }
    }

    fn updates(&self) -> tauri::State<'_, Updates> {
        self.app.state::<Updates>()
    }

    fn check(&self) -> Result<UpdateCheck, Error> {
        tauri::async_runtime::block_on(check(self.app.handle(), &self.endpoints, &self.updates()))
    }

    /// The download's bytes or error, and the events it sent.
    fn download(&self) -> (Result<Vec<u8>, Error>, Vec<UpdateEvent>) {
        let events = Mutex::new(vec![]);
        let result = tauri::async_runtime::block_on(download(&self.updates(), CURRENT, |e| {
            events.lock().unwrap().push(e)
        }));
        (result.map(|(_, bytes)| bytes), events.into_inner().unwrap())
    }
}

#[test]
fn a_newer_release_is_found_downloaded_with_progress_and_verified() {
    let rig = Rig::start(Mode::Available);
    let found = rig.check().unwrap();
    assert_eq!(found.current, CURRENT);
    let available = found.available.expect("an update");
    assert_eq!(available.version, next_version());
    assert_eq!(available.notes.as_deref(), Some(NOTES));
    assert_eq!(available.date.as_deref(), Some("2026-12-01T12:00:00Z"));

    let (bytes, events) = rig.download();
    assert_eq!(bytes.unwrap(), release().artifact);
    let total = release().artifact.len() as u64;
    let received: Vec<(u64, Option<u64>)> = events
        .iter()
        .filter_map(|e| match e {
            UpdateEvent::Progress { received, total } => Some((*received, *total)),
            _ => None,
        })
        .collect();
    assert!(!received.is_empty(), "{events:?}");
    assert!(received.iter().all(|(_, t)| *t == Some(total)));
    assert!(received.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(received.last().unwrap().0, total);
    assert!(matches!(events.last(), Some(UpdateEvent::Verifying)));
    assert_eq!(rig.server.requests(), [MANIFEST_PATH, ARTIFACT_PATH]);
}

#[test]
fn the_running_version_or_an_older_one_is_no_update() {
    for mode in [Mode::Current, Mode::Older] {
        let rig = Rig::start(mode);
        let found = rig.check().unwrap();
        assert_eq!(found.current, CURRENT);
        assert!(found.available.is_none(), "{mode:?}");
        let (bytes, _) = rig.download();
        assert_eq!(bytes.unwrap_err().code(), "update_not_checked");
        assert_eq!(rig.server.requests(), [MANIFEST_PATH], "{mode:?}");
    }
}

/// Each download that is not exactly the signed release is refused with its cause, and
/// no bytes come back to install.
#[test]
fn a_changed_foreign_or_incomplete_download_is_refused() {
    let next = next_version();
    for (mode, want, says) in [
        (
            Mode::Tampered,
            "update_signature_invalid",
            "does not match it",
        ),
        (
            Mode::OtherFile,
            "update_signature_invalid",
            "does not match it",
        ),
        (
            Mode::OtherKey,
            "update_signature_invalid",
            "does not match it",
        ),
        (
            Mode::SignedOlder,
            "update_signature_invalid",
            "signed as Golive 0.0.9",
        ),
        (Mode::MissingArtifact, "update_download_failed", "404"),
        (
            Mode::Truncated,
            "update_download_interrupted",
            "stopped after",
        ),
    ] {
        let rig = Rig::start(mode);
        assert!(rig.check().unwrap().available.is_some(), "{mode:?}");
        let (bytes, _) = rig.download();
        let err = bytes.unwrap_err();
        let message = err.to_string();
        assert_eq!(err.code(), want, "{mode:?}: {message}");
        assert!(message.contains(says), "{mode:?}: {message}");
        assert!(message.contains(&format!("Golive {next}")), "{message}");
        assert!(
            message.contains(&format!(
                "Nothing was installed; Golive {CURRENT} keeps running."
            )),
            "{message}"
        );
    }
}

#[test]
fn a_truncated_download_says_how_far_it_got() {
    let rig = Rig::start(Mode::Truncated);
    rig.check().unwrap();
    // A failed check forgets what an earlier one found.
    rig.server.set_mode(Mode::Garbage);
    rig.check().unwrap_err();
    assert_eq!(rig.download().0.unwrap_err().code(), "update_not_checked");
    rig.server.set_mode(Mode::Truncated);
    rig.check().unwrap();
    let err = rig.download().0.unwrap_err().to_string();
    let total = release().artifact.len();
    assert!(
        err.contains(&format!("stopped after {} of {total} bytes", total / 2)),
        "{err}"
    );
}

#[test]
fn a_bad_answer_to_the_check_is_a_clear_error() {
    for (mode, want, says) in [
        (
            Mode::Garbage,
            "update_manifest_invalid",
            "did not answer with JSON",
        ),
        (
            Mode::NotAManifest,
            "update_manifest_invalid",
            "JSON that is no update manifest",
        ),
        (
            Mode::NoManifest,
            "update_manifest_missing",
            "answered with an error",
        ),
        (
            Mode::InsecureDownload,
            "update_manifest_invalid",
            "over https only",
        ),
        (
            Mode::RedirectOffHost,
            "update_redirect_refused",
            "plain http off this computer, refused",
        ),
    ] {
        let rig = Rig::start(mode);
        let err = rig.check().unwrap_err();
        let message = err.to_string();
        assert_eq!(err.code(), want, "{mode:?}: {message}");
        assert!(message.contains(says), "{mode:?}: {message}");
        assert!(message.starts_with("Update server: "), "{message}");
        // What was found before is forgotten: nothing is left to install.
        assert_eq!(
            rig.download().0.unwrap_err().code(),
            "update_not_checked",
            "{mode:?}"
        );
    }
}

#[test]
fn a_server_that_is_down_or_silent_is_unreachable_within_the_timeout() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = Rig::with_url(
        Mode::Available,
        Some(format!("http://127.0.0.1:{port}/latest.json")),
    );
    let err = down.check().unwrap_err();
    assert_eq!(err.code(), "unreachable");
    assert!(err.to_string().contains("refused"), "{err}");

    let silent = Rig::start(Mode::Silent);
    let started = Instant::now();
    let err = silent.check().unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.code(), "unreachable", "{err}");
    assert!(err.to_string().contains("within 1 s"), "{err}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn a_slow_download_shows_progress_and_stops_when_cancelled() {
    let rig = Rig::start(Mode::Slow);
    rig.check().unwrap();
    let updates = rig.updates();
    let events = Mutex::new(vec![]);
    let started = Instant::now();
    let (result, second) = tauri::async_runtime::block_on(async {
        let first = download(&updates, CURRENT, |e| events.lock().unwrap().push(e));
        let cancel = async {
            // Until some bytes are in, then a second download at once, then cancel.
            while !events
                .lock()
                .unwrap()
                .iter()
                .any(|e| matches!(e, UpdateEvent::Progress { .. }))
            {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            let second = download(&updates, CURRENT, |_| {}).await;
            updates.cancel();
            second
        };
        tokio::join!(first, cancel)
    });
    let Err(err) = result else {
        panic!("the cancelled download finished")
    };
    assert_eq!(err.code(), "update_cancelled");
    assert_eq!(
        err.to_string(),
        format!("Download cancelled. Nothing was installed; Golive {CURRENT} keeps running.")
    );
    let Err(second) = second else {
        panic!("a second download ran at once")
    };
    assert_eq!(second.code(), "update_busy");
    // The slow download takes 5 s whole; the cancel ended it at once.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let events = events.into_inner().unwrap();
    let Some(UpdateEvent::Progress { received, total }) = events.last() else {
        panic!("{events:?}")
    };
    assert!(*received < total.unwrap(), "{events:?}");

    // Nothing is left over: the next attempt downloads the whole, verified.
    rig.server.set_mode(Mode::Available);
    assert_eq!(rig.download().0.unwrap(), release().artifact);
}

#[test]
fn the_plugin_is_pointed_at_the_configured_server_and_key() {
    let mut config = tauri::Config::default();
    let rig_endpoints = Endpoints::from_vars([
        (
            "GOLIVE_UPDATE_URL".to_string(),
            "http://127.0.0.1:9/latest.json".to_string(),
        ),
        ("GOLIVE_UPDATE_PUBKEY".into(), release().public_key.clone()),
    ])
    .unwrap();
    configure(&mut config, &rig_endpoints);
    let updater = &config.plugins.0["updater"];
    assert_eq!(
        updater["endpoints"],
        serde_json::json!(["http://127.0.0.1:9/latest.json"])
    );
    assert_eq!(updater["pubkey"], release().public_key);
    assert_eq!(updater["dangerousInsecureTransportProtocol"], true);

    // By default: the release key and endpoint from tauri.conf.json, https only.
    let mut config = tauri::Config::default();
    config
        .plugins
        .0
        .insert("updater".into(), conf()["plugins"]["updater"].clone());
    configure(&mut config, &Endpoints::default());
    let updater = &config.plugins.0["updater"];
    assert_eq!(updater["endpoints"], serde_json::json!([UPDATE_URL]));
    assert_eq!(updater["pubkey"], conf()["plugins"]["updater"]["pubkey"]);
    assert_eq!(updater["dangerousInsecureTransportProtocol"], false);
}

/// The release key is a real minisign key, every signature must name its version, the
/// bundler signs what it builds, and the configured endpoint is the one Golive defaults to.
#[test]
fn the_release_config_agrees_with_the_engine() {
    let conf = conf();
    let updater = &conf["plugins"]["updater"];
    let key = PublicKey::parse(updater["pubkey"].as_str().unwrap()).expect("a minisign key");
    assert_eq!(key.id(), "ACDE0460CA6BBF49");
    assert_eq!(updater["endpoints"], serde_json::json!([UPDATE_URL]));
    assert_eq!(updater["requireSignedVersion"], true);
    assert_eq!(conf["bundle"]["createUpdaterArtifacts"], true);
}
