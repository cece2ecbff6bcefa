//! The update server: what GitHub Releases serves Golive's updater — `latest.json` and the
//! download it names — over plain HTTP on loopback, with a mode for each fault the updater
//! must refuse. Releases are signed as a release build signs its bundles: by the Tauri CLI
//! (`tauri signer generate`, `tauri signer sign --app-version`), with keys made for the test.
//! Written on raw sockets, so a download can stop half-way or trickle.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The version the sandbox's app runs (the workspace's, as the app's bundle config has it).
pub const CURRENT: &str = env!("CARGO_PKG_VERSION");
/// A version below `CURRENT`.
pub const OLDER: &str = "0.0.9";
/// An address off this computer that is never reached (TEST-NET-1).
pub const OFF_HOST: &str = "http://192.0.2.1";
pub const MANIFEST_PATH: &str = "/latest.json";
pub const ARTIFACT_PATH: &str = "/download/Golive_amd64.AppImage";

/// What the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The manifest announces the running version: nothing to install.
    Current,
    /// The manifest announces an older version.
    Older,
    /// The published release, signed right.
    Available,
    /// The published release, with one byte of the download changed after signing.
    Tampered,
    /// The published release, with the signature of another file.
    OtherFile,
    /// The published release, signed by a key other than the app's.
    OtherKey,
    /// The published release, signed for an older version (an old release offered as new).
    SignedOlder,
    /// An HTML page instead of the manifest (a captive portal, a proxy's error page).
    Garbage,
    /// JSON that is no manifest.
    NotAManifest,
    /// The manifest answers 404.
    NoManifest,
    /// The manifest redirects to plain http off this computer.
    RedirectOffHost,
    /// The published release, its download at a plain-http address off this computer.
    InsecureDownload,
    /// The manifest is right; its download answers 404.
    MissingArtifact,
    /// The download stops half-way, short of its Content-Length.
    Truncated,
    /// The download trickles, a hundredth of it every 50 ms.
    Slow,
    /// Connections are accepted and never answered.
    Silent,
}

/// The version after `CURRENT`: its minor version plus one.
pub fn next_version() -> String {
    let mut parts = CURRENT.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    format!("{major}.{}.0", minor + 1)
}

/// A release to serve, signed with a key made for it, plus the wrong signatures the fault
/// modes serve.
pub struct Release {
    pub version: String,
    pub notes: String,
    pub artifact: Vec<u8>,
    /// The public half of its key, as `GOLIVE_UPDATE_PUBKEY` takes it.
    pub public_key: String,
    signature: String,
    other_file_signature: String,
    other_key_signature: String,
    older_signature: String,
}

impl Release {
    /// Signs `artifact` as `version`; also makes the wrong signatures. Needs the Tauri CLI
    /// (`npm ci` in ui/). Secret keys stay in a temporary directory, deleted on return.
    pub fn sign(version: &str, notes: &str, artifact: Vec<u8>) -> std::io::Result<Release> {
        let dir = tempfile::tempdir()?;
        let key = dir.path().join("release.key");
        let other_key = dir.path().join("other.key");
        for k in [&key, &other_key] {
            tauri_cli(&["signer", "generate", "--ci", "-p", "", "-w"], k)?;
        }
        let file = dir.path().join("Golive_amd64.AppImage");
        let other_file = dir.path().join("other.AppImage");
        std::fs::write(&file, &artifact)?;
        std::fs::write(&other_file, b"another file, signed by the same key")?;
        let sign = |key: &Path, version: &str, file: &Path| -> std::io::Result<String> {
            let key = key.display().to_string();
            tauri_cli(
                &[
                    "signer",
                    "sign",
                    "-f",
                    &key,
                    "-p",
                    "",
                    "--app-version",
                    version,
                ],
                file,
            )?;
            Ok(std::fs::read_to_string(format!("{}.sig", file.display()))?
                .trim()
                .to_string())
        };
        Ok(Release {
            version: version.into(),
            notes: notes.into(),
            public_key: std::fs::read_to_string(format!("{}.pub", key.display()))?
                .trim()
                .to_string(),
            signature: sign(&key, version, &file)?,
            other_file_signature: sign(&key, version, &other_file)?,
            other_key_signature: sign(&other_key, version, &file)?,
            older_signature: sign(&key, OLDER, &file)?,
            artifact,
        })
    }
}

/// The repository's Tauri CLI (ui/'s dev dependency), with `path` as its last argument. The
/// signing variables of the environment are not passed on: only the test's keys sign here.
fn tauri_cli(args: &[&str], path: &Path) -> std::io::Result<()> {
    let cli = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/.bin/tauri");
    if !cli.exists() {
        return Err(std::io::Error::other(format!(
            "{} is missing: run `npm ci` in ui/",
            cli.display()
        )));
    }
    let out = Command::new(cli)
        .args(args)
        .arg(path)
        .env_remove("TAURI_SIGNING_PRIVATE_KEY")
        .env_remove("TAURI_SIGNING_PRIVATE_KEY_PATH")
        .env_remove("TAURI_SIGNING_PRIVATE_KEY_PASSWORD")
        .output()?;
    if !out.status.success() {
        return Err(std::io::Error::other(format!(
            "tauri {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}

#[derive(Default)]
struct State {
    mode: Option<Mode>,
    release: Option<Arc<Release>>,
    requests: Vec<String>,
}

/// A running update server. Dropping it stops it.
pub struct UpdateServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl UpdateServer {
    /// Starts in `Mode::Current`, with nothing published.
    pub async fn start() -> std::io::Result<UpdateServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, addr, shared.clone()));
            }
        });
        Ok(UpdateServer { addr, state, task })
    }

    /// The manifest's address, as `GOLIVE_UPDATE_URL` takes it.
    pub fn url(&self) -> String {
        format!("http://{}{MANIFEST_PATH}", self.addr)
    }

    /// Serves `release` in the modes that announce one.
    pub fn publish(&self, release: Arc<Release>) {
        self.state.lock().unwrap().release = Some(release);
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.lock().unwrap().mode = Some(mode);
    }

    /// The path of every request so far.
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }
}

impl Drop for UpdateServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(mut stream: TcpStream, addr: SocketAddr, state: Arc<Mutex<State>>) {
    let Some(path) = request_path(&mut stream).await else {
        return;
    };
    let (mode, release) = {
        let mut s = state.lock().unwrap();
        s.requests.push(path.clone());
        (s.mode.unwrap_or(Mode::Current), s.release.clone())
    };
    if mode == Mode::Silent {
        // Holds the connection open, unanswered, until the client gives up.
        let _ = stream.read(&mut [0; 1]).await;
        return;
    }
    let _ = match path.as_str() {
        MANIFEST_PATH => manifest(&mut stream, addr, mode, release.as_deref()).await,
        ARTIFACT_PATH => artifact(&mut stream, mode, release.as_deref()).await,
        _ => respond(&mut stream, "404 Not Found", "text/plain", b"not found").await,
    };
}

async fn manifest(
    stream: &mut TcpStream,
    addr: SocketAddr,
    mode: Mode,
    release: Option<&Release>,
) -> std::io::Result<()> {
    let host = match mode {
        Mode::InsecureDownload => OFF_HOST.to_string(),
        _ => format!("http://{addr}"),
    };
    let platform = |signature: &str| {
        serde_json::json!({
            "linux-x86_64": {"url": format!("{host}{ARTIFACT_PATH}"), "signature": signature}
        })
    };
    let body = |version: &str, notes: &str, signature: &str| {
        serde_json::json!({
            "version": version,
            "notes": notes,
            "pub_date": "2026-12-01T12:00:00Z",
            "platforms": platform(signature),
        })
        .to_string()
    };
    let json = match (mode, release) {
        (Mode::NoManifest, _) => {
            return respond(stream, "404 Not Found", "text/plain", b"Not Found").await
        }
        (Mode::RedirectOffHost, _) => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {OFF_HOST}{MANIFEST_PATH}\r\n\
                 Content-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            return stream.shutdown().await;
        }
        (Mode::Garbage, _) => {
            let page = b"<!doctype html><title>Sign in to the Wi-Fi</title><p>Accept the terms";
            return respond(stream, "200 OK", "text/html", page).await;
        }
        (Mode::NotAManifest, _) => r#"{"message": "Not Found"}"#.to_string(),
        (Mode::Current, _) => body(CURRENT, "This version.", ""),
        (Mode::Older, _) => body(OLDER, "An older version.", ""),
        (_, None) => {
            return respond(
                stream,
                "500 Internal Server Error",
                "text/plain",
                b"no release",
            )
            .await
        }
        (mode, Some(r)) => {
            let signature = match mode {
                Mode::OtherFile => &r.other_file_signature,
                Mode::OtherKey => &r.other_key_signature,
                Mode::SignedOlder => &r.older_signature,
                _ => &r.signature,
            };
            body(&r.version, &r.notes, signature)
        }
    };
    respond(stream, "200 OK", "application/json", json.as_bytes()).await
}

async fn artifact(
    stream: &mut TcpStream,
    mode: Mode,
    release: Option<&Release>,
) -> std::io::Result<()> {
    let Some(release) = release.filter(|_| mode != Mode::MissingArtifact) else {
        return respond(stream, "404 Not Found", "text/plain", b"Not Found").await;
    };
    let mut bytes = release.artifact.clone();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        bytes.len()
    );
    stream.write_all(head.as_bytes()).await?;
    match mode {
        Mode::Tampered => {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x01;
            stream.write_all(&bytes).await?;
        }
        Mode::Truncated => stream.write_all(&bytes[..bytes.len() / 2]).await?,
        Mode::Slow => {
            for piece in bytes.chunks(bytes.len().div_ceil(100).max(1)) {
                stream.write_all(piece).await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        _ => stream.write_all(&bytes).await?,
    }
    stream.shutdown().await
}

async fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

/// The path of a request's first line, once its head is read.
async fn request_path(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok().filter(|&n| n > 0)?;
        head.extend_from_slice(&buf[..n]);
        if head.len() > 64 * 1024 {
            return None;
        }
    }
    let line = String::from_utf8_lossy(&head).lines().next()?.to_string();
    line.split(' ').nth(1).map(str::to_string)
}
