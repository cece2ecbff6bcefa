//! In-app updates with tauri-plugin-updater: the check against the update server, the
//! download with its progress, the signature check (the plugin's, against the minisign key in
//! tauri.conf.json, or a test server's own), the install and the restart. The window sees
//! versions, release notes, byte counts and `{code, message}`; nothing is installed unless
//! the whole download matched its signature, and every refusal says the running version stays.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use golive_core::config::{is_loopback, Endpoints};
use golive_core::Error;
use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Error as PluginError, Update, UpdaterBuilder, UpdaterExt};
use tokio::sync::oneshot;
use ts_rs::TS;

/// Points the updater plugin at the configured server and key. The plugin reads its
/// configuration once, as the app is built, so this edits the context before that.
pub fn configure(config: &mut tauri::Config, endpoints: &Endpoints) {
    let updater = config.plugins.0.entry("updater".into()).or_default();
    updater["endpoints"] = serde_json::json!([endpoints.update_url.as_str()]);
    if let Some(key) = &endpoints.update_key {
        updater["pubkey"] = key.encoded().into();
    }
    // Release builds take plain http only with this flag; Golive's own rule (core's config:
    // http only to this computer) has vetted the address already.
    updater["dangerousInsecureTransportProtocol"] =
        (endpoints.update_url.scheme() == "http").into();
}

/// What the About view shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub version: String,
    /// Where Golive looks for a newer version.
    pub update_url: String,
}

pub fn about<R: Runtime>(app: &AppHandle<R>, endpoints: &Endpoints) -> About {
    About {
        version: app.package_info().version.to_string(),
        update_url: endpoints.update_url.to_string(),
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCheck {
    /// The running version.
    pub current: String,
    /// A newer version, when the server has one.
    pub available: Option<AvailableUpdate>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdate {
    pub version: String,
    /// What changed, as the release says (plain text).
    pub notes: Option<String>,
    /// RFC 3339.
    pub date: Option<String>,
}

/// What `update_install` streams.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum UpdateEvent {
    /// Bytes received so far, of `total` when the server said.
    #[serde(rename_all = "camelCase")]
    Progress {
        #[ts(type = "number")]
        received: u64,
        #[ts(type = "number | null")]
        total: Option<u64>,
    },
    /// Every byte is in: the signature is being checked, then the update installed.
    Verifying,
    /// Installed; Golive restarts.
    Installed,
}

/// The update the last check found, and the download in progress.
#[derive(Default)]
pub struct Updates {
    found: Mutex<Option<Update>>,
    stop: Mutex<Option<oneshot::Sender<()>>>,
}

impl Updates {
    /// Stops the download in progress, if any; it ends with `update_cancelled`.
    pub fn cancel(&self) {
        if let Some(stop) = self.stop.lock().unwrap().take() {
            let _ = stop.send(());
        }
    }
}

/// Asks the update server for a newer version, and keeps what it found for `download`.
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    endpoints: &Endpoints,
    updates: &Updates,
) -> Result<UpdateCheck, Error> {
    // What an earlier check found is no longer offered if this one fails.
    updates.found.lock().unwrap().take();
    let url = endpoints.update_url.as_str();
    let found = updater(app, endpoints)
        .timeout(endpoints.http_timeout)
        .build()
        .map_err(|e| check_error(e, url, endpoints))?
        .check()
        .await
        .map_err(|e| check_error(e, url, endpoints))?;
    if let Some(update) = &found {
        let download = &update.download_url;
        if download.scheme() != "https" && !is_loopback(download) {
            return Err(manifest_error(format!(
                "it points the download of Golive {} at {download}, plain http off this \
                 computer; Golive downloads updates over https only.",
                update.version
            )));
        }
    }
    let available = found.as_ref().map(|u| AvailableUpdate {
        version: u.version.clone(),
        notes: u.body.clone().filter(|n| !n.trim().is_empty()),
        date: u.date.and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
    });
    *updates.found.lock().unwrap() = found;
    Ok(UpdateCheck {
        current: app.package_info().version.to_string(),
        available,
    })
}

/// The plugin's updater with Golive's network rules: a download that stalls for the HTTP
/// timeout fails, and redirects (GitHub sends release assets to its storage host) are
/// followed only over https, or to this computer.
fn updater<R: Runtime>(app: &AppHandle<R>, endpoints: &Endpoints) -> UpdaterBuilder {
    let stall = endpoints.http_timeout;
    let builder = app
        .updater_builder()
        .configure_client(move |client| client.read_timeout(stall).redirect(redirects()));
    if is_loopback(&endpoints.update_url) {
        // A proxy from the environment has no business with this computer's own server.
        builder.no_proxy()
    } else {
        builder
    }
}

fn redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let to = attempt.url();
        if attempt.previous().len() >= 10 {
            attempt.error("more than 10 redirects")
        } else if to.scheme() == "https" || is_loopback(to) {
            attempt.follow()
        } else {
            let refused = format!("a redirect to {to}, plain http off this computer, refused");
            attempt.error(refused)
        }
    })
}

/// Downloads the update the last check found, sending its progress to `on_event`; answers
/// its bytes once their signature is verified. `Updates::cancel` stops it.
pub async fn download(
    updates: &Updates,
    current: &str,
    on_event: impl Fn(UpdateEvent),
) -> Result<(Update, Vec<u8>), Error> {
    let update = updates.found.lock().unwrap().clone().ok_or_else(|| {
        Error::invalid(
            "update_not_checked",
            "There is no update to install: check for updates first.",
        )
    })?;
    let (stop, stopped) = oneshot::channel();
    {
        let mut slot = updates.stop.lock().unwrap();
        if slot.is_some() {
            return Err(Error::invalid(
                "update_busy",
                "The update is already downloading.",
            ));
        }
        *slot = Some(stop);
    }
    let mut progress = Progress::new(&on_event);
    let result = tokio::select! {
        bytes = update.download(
            |chunk, total| progress.add(chunk, total),
            || on_event(UpdateEvent::Verifying),
        ) => Some(bytes),
        _ = stopped => None,
    };
    updates.stop.lock().unwrap().take();
    match result {
        Some(Ok(bytes)) => Ok((update, bytes)),
        Some(Err(e)) => Err(download_error(e, &update, current, &progress)),
        None => Err(Error::invalid(
            "update_cancelled",
            format!("Download cancelled. Nothing was installed; Golive {current} keeps running."),
        )),
    }
}

/// Installs verified bytes (the plugin verifies them again first). On Linux a .deb or .rpm
/// goes to the package manager through pkexec (it asks for the password), anything else
/// replaces the running executable or AppImage; macOS swaps the app bundle; Windows starts
/// the installer and exits.
pub async fn install(update: Update, bytes: Vec<u8>, current: &str) -> Result<(), Error> {
    let version = update.version.clone();
    let done = tokio::task::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|e| install_error(&e.to_string(), &version, current))?;
    done.map_err(|e| match e {
        e @ (PluginError::Minisign(_)
        | PluginError::SignedVersionMismatch { .. }
        | PluginError::MissingSignedVersion) => signature_error(&e, &version, current),
        e => install_error(&e.to_string(), &version, current),
    })
}

/// Progress events, at most one every 100 ms, and always the last.
struct Progress<'a, F: Fn(UpdateEvent)> {
    on_event: &'a F,
    received: u64,
    total: Option<u64>,
    sent: Option<Instant>,
}

impl<'a, F: Fn(UpdateEvent)> Progress<'a, F> {
    fn new(on_event: &'a F) -> Self {
        Progress {
            on_event,
            received: 0,
            total: None,
            sent: None,
        }
    }

    fn add(&mut self, chunk: usize, total: Option<u64>) {
        self.received += chunk as u64;
        self.total = total;
        let done = total == Some(self.received);
        if done
            || self
                .sent
                .is_none_or(|t| t.elapsed() >= Duration::from_millis(100))
        {
            self.sent = Some(Instant::now());
            (self.on_event)(UpdateEvent::Progress {
                received: self.received,
                total,
            });
        }
    }
}

const SERVER: &str = "Update server";

fn manifest_error(message: String) -> Error {
    Error::Vendor {
        vendor: SERVER,
        code: "update_manifest_invalid",
        message: format!("its answer is not an update Golive can use: {message}"),
    }
}

fn check_error(e: PluginError, url: &str, endpoints: &Endpoints) -> Error {
    let secs = endpoints.http_timeout.as_secs_f32();
    match e {
        PluginError::Reqwest(e) if e.is_redirect() => Error::Vendor {
            vendor: SERVER,
            code: "update_redirect_refused",
            message: format!("{url} sent Golive elsewhere: {}.", cause(&e)),
        },
        PluginError::Reqwest(e) if e.is_timeout() => Error::Unreachable {
            vendor: "The update server",
            reason: format!(
                "{url} did not answer within {secs} s. Check your connection and try again."
            ),
        },
        PluginError::Reqwest(e) if e.is_decode() => {
            manifest_error(format!("{url} did not answer with JSON ({}).", cause(&e)))
        }
        PluginError::Reqwest(e) => Error::Unreachable {
            vendor: "The update server",
            reason: format!("{url}: {}. Check your connection and try again.", cause(&e)),
        },
        PluginError::Serialization(e) => manifest_error(format!(
            "{url} answered JSON that is no update manifest ({e})."
        )),
        PluginError::ReleaseNotFound => Error::Vendor {
            vendor: SERVER,
            code: "update_manifest_missing",
            message: format!(
                "{url} answered with an error instead of the update manifest. Try again later."
            ),
        },
        PluginError::TargetsNotFound(targets) => manifest_error(format!(
            "the new version has no download for this system ({}).",
            targets.join(", ")
        )),
        e => Error::Vendor {
            vendor: SERVER,
            code: "update_check_failed",
            message: format!("checking {url} for updates failed: {e}."),
        },
    }
}

fn download_error<F: Fn(UpdateEvent)>(
    e: PluginError,
    update: &Update,
    current: &str,
    progress: &Progress<'_, F>,
) -> Error {
    let version = &update.version;
    let kept = format!("Nothing was installed; Golive {current} keeps running.");
    let failed = |code, what: String| Error::Vendor {
        vendor: SERVER,
        code,
        message: format!("the download of Golive {version} failed: {what}. {kept}"),
    };
    match e {
        PluginError::Network(status) => failed("update_download_failed", status),
        PluginError::Reqwest(e) if e.is_timeout() => failed(
            "update_download_stalled",
            "the server stopped sending".into(),
        ),
        PluginError::Reqwest(e) if e.is_redirect() => failed("update_redirect_refused", cause(&e)),
        PluginError::Reqwest(e) if e.is_body() || e.is_decode() => failed(
            "update_download_interrupted",
            match progress.total {
                Some(total) => format!(
                    "it stopped after {} of {total} bytes ({})",
                    progress.received,
                    cause(&e)
                ),
                None => format!(
                    "it stopped after {} bytes ({})",
                    progress.received,
                    cause(&e)
                ),
            },
        ),
        PluginError::Reqwest(e) => failed("update_download_failed", cause(&e)),
        e @ (PluginError::Minisign(_)
        | PluginError::Base64(_)
        | PluginError::SignatureUtf8(_)
        | PluginError::SignedVersionMismatch { .. }
        | PluginError::MissingSignedVersion) => signature_error(&e, version, current),
        e => failed("update_download_failed", e.to_string()),
    }
}

fn signature_error(e: &PluginError, version: &str, current: &str) -> Error {
    let why = match e {
        PluginError::SignedVersionMismatch { signed, .. } => format!(
            "it is signed as Golive {signed}, not {version}: an older release offered as a \
             newer one"
        ),
        PluginError::MissingSignedVersion => {
            "its signature does not name the version it was signed for".into()
        }
        PluginError::Base64(_) | PluginError::SignatureUtf8(_) => {
            "the update manifest's signature is not a minisign signature".into()
        }
        _ => "its signature does not match it and Golive's release key (a changed, \
              incomplete or foreign file)"
            .into(),
    };
    Error::Vendor {
        vendor: SERVER,
        code: "update_signature_invalid",
        message: format!(
            "the download of Golive {version} was refused: {why}. Nothing was installed; \
             Golive {current} keeps running."
        ),
    }
}

fn install_error(what: &str, version: &str, current: &str) -> Error {
    Error::invalid(
        "update_install_failed",
        format!(
            "Golive {version} was downloaded and verified, but installing it failed: {what}. \
             Golive {current} keeps running."
        ),
    )
}

/// The innermost cause of an HTTP error: "connection refused" rather than "error sending
/// request".
fn cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    inner.to_string()
}

#[cfg(test)]
mod tests;
