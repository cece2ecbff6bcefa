//! Projects: the non-secret settings of one app going live, kept as JSON in the app's
//! config directory. Secrets never live here (see `secrets`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain;
use crate::error::{Error, ErrorPayload, Result};
use crate::framework::Framework;
use crate::layout::LayoutSettings;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Hosting {
    #[default]
    Vercel,
    Netlify,
    Render,
    CloudflarePages,
    CloudflareWorkers,
}

/// A saved project. `id` is stable across renames so keychain entries stay attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub hosting: Hosting,
    pub framework: Framework,
    /// Public by design (it ships in every page), so it may live in settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub publishable_key: Option<String>,
    /// The Clerk application (`app_…`) once picked on the Clerk step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub clerk_application_id: Option<String>,
    /// Ticked items of the Clerk step's "not carried over" checklist.
    #[serde(default)]
    pub clerk_checklist: Vec<String>,
    /// The Supabase project (`<ref>` of `https://<ref>.supabase.co`), for apps on Supabase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub supabase_project_ref: Option<String>,
    /// The Vercel project (`prj_…`) and its team, once picked on the Hosting step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub vercel_project: Option<VercelLink>,
    /// The Netlify site, once picked on the Hosting step (for projects hosted on Netlify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub netlify_site: Option<NetlifyLink>,
    /// The Render service, once picked on the Hosting step (for projects hosted on Render).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub render_service: Option<RenderLink>,
    /// The Cloudflare account and Pages project (or Worker), once linked on the Hosting step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cloudflare_project: Option<CloudflareLink>,
    /// Production OAuth clients by provider (the secrets are in the keychain).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[ts(
        as = "Option<std::collections::BTreeMap<crate::provider::ProviderId, OAuthClient>>",
        optional
    )]
    pub oauth: std::collections::BTreeMap<crate::provider::ProviderId, OAuthClient>,
    /// The development instance's publishable key (public): which providers it enables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dev_publishable_key: Option<String>,
    /// The launch proof's page only signed-in users may see (`/dashboard` when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub protected_path: Option<String>,
    /// The Supabase project's anon key: public (it ships in the app), so it may live here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub supabase_anon_key: Option<String>,
    /// A production user the rehearsal signs in as, when the instance refuses throwaway ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rehearsal_user: Option<String>,
    /// The production webhook endpoint (`https://…` on the domain), for apps that receive
    /// Clerk webhooks; its signing secret is in the keychain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub webhook_url: Option<String>,
    /// Clerk's domain, proxy and satellites where the project sets them (else detected).
    #[serde(default, skip_serializing_if = "LayoutSettings::is_unset")]
    #[ts(as = "Option<LayoutSettings>", optional)]
    pub layout: LayoutSettings,
}

impl Project {
    /// Clerk's production domain as the project sets it: its own domain unless a parent.
    pub fn clerk_domain(&self) -> &str {
        self.layout.clerk_domain.as_deref().unwrap_or(&self.domain)
    }

    /// The Cloudflare link, when it names what the project is hosted on now: a Pages
    /// project's name is not a Worker's, so after a switch the other kind must be linked.
    pub fn cloudflare_link(&self) -> Option<&CloudflareLink> {
        self.cloudflare_project
            .as_ref()
            .filter(|l| l.kind.is_none_or(|k| k == self.hosting))
    }
}

/// The non-secret half of a provider's production credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClient {
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub apple_team_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub apple_key_id: Option<String>,
    /// `YYYY-MM-DD`, for providers whose secrets expire (Microsoft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub secret_expires_on: Option<String>,
}

/// Which Vercel project hosts the app. Its name is kept for display only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VercelLink {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub team_id: Option<String>,
}

/// Which Netlify site hosts the app (its API id). Its name is kept for display only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NetlifyLink {
    pub id: String,
    pub name: String,
}

/// Which Render service hosts the app (its `srv-…` id). Its name is kept for display only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenderLink {
    pub id: String,
    pub name: String,
    /// The service in Render's dashboard, for what Render's API cannot do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dashboard_url: Option<String>,
}

/// Which Cloudflare account and Pages project (or Worker script) hosts the app, by name:
/// Cloudflare's API names both by name within the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CloudflareLink {
    pub account_id: String,
    pub name: String,
    /// What the name names: a Pages project or a Worker (links saved before this was kept
    /// have none, and are read as the project's host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<Hosting>,
}

/// What the user fills in to create or edit a project.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectInput {
    pub name: String,
    pub domain: String,
    pub hosting: Hosting,
    pub framework: Framework,
}

#[derive(Debug, Serialize, Deserialize)]
struct ProjectsFile {
    version: u32,
    projects: Vec<Project>,
}

const FILE_VERSION: u32 = 1;

/// Reads and writes `projects.json`. Every read-modify-write holds the lock (so none is lost
/// to another thread or process) and replaces the file atomically.
pub struct ProjectStore {
    path: PathBuf,
    /// Serialises this process's writers; `projects.json.lock` serialises processes.
    writing: Mutex<()>,
    /// Set when a corrupt file was moved aside, for the app and the CLI to tell the user.
    notice: Mutex<Option<ErrorPayload>>,
}

/// What reading the file found: settings, or why they are not settings.
type Parsed = std::result::Result<ProjectsFile, String>;

impl ProjectStore {
    pub fn new(config_dir: &Path) -> Self {
        ProjectStore {
            path: config_dir.join("projects.json"),
            writing: Mutex::new(()),
            notice: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the settings were started afresh (a corrupt file moved aside), if they were.
    pub fn notice(&self) -> Option<ErrorPayload> {
        lock(&self.notice).clone()
    }

    pub fn list(&self) -> Result<Vec<Project>> {
        Ok(self.load()?.projects)
    }

    pub fn get(&self, id: &str) -> Result<Project> {
        self.list()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::ProjectNotFound(id.to_string()))
    }

    pub fn find_by_name(&self, name: &str) -> Result<Project> {
        self.list()?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::ProjectNotFound(name.trim().to_string()))
    }

    pub fn create(&self, input: ProjectInput) -> Result<Project> {
        let (name, domain) = validate(&input)?;
        self.locked(|| {
            let mut file = self.load_locked()?;
            ensure_unique(&file.projects, &name, None)?;
            let project = Project {
                id: new_id(&name),
                name,
                domain,
                hosting: input.hosting,
                framework: input.framework,
                publishable_key: None,
                clerk_application_id: None,
                clerk_checklist: vec![],
                supabase_project_ref: None,
                vercel_project: None,
                netlify_site: None,
                render_service: None,
                cloudflare_project: None,
                oauth: Default::default(),
                dev_publishable_key: None,
                protected_path: None,
                supabase_anon_key: None,
                rehearsal_user: None,
                webhook_url: None,
                layout: LayoutSettings::default(),
            };
            file.projects.push(project.clone());
            self.save(&file)?;
            Ok(project)
        })
    }

    pub fn update(&self, id: &str, input: ProjectInput) -> Result<Project> {
        let (name, domain) = validate(&input)?;
        self.modify(id, |projects, i| {
            ensure_unique(projects, &name, Some(id))?;
            let p = &mut projects[i];
            // The layout was set for the old domain: it must still fit the new one.
            crate::layout::validate(&domain, &p.layout).map_err(|e| {
                Error::invalid(
                    "layout_invalid",
                    format!(
                        "{} Change the layout on the DNS step first, then the domain.",
                        e.payload().message
                    ),
                )
            })?;
            p.name = name;
            p.domain = domain;
            p.hosting = input.hosting;
            p.framework = input.framework;
            Ok(())
        })
    }

    /// Changes fields the steps own (keys, ids, ticks); name and domain go through `update`.
    pub fn update_with(&self, id: &str, change: impl FnOnce(&mut Project)) -> Result<Project> {
        self.modify(id, |projects, i| {
            change(&mut projects[i]);
            Ok(())
        })
    }

    pub fn delete(&self, id: &str) -> Result<Project> {
        self.locked(|| {
            let mut file = self.load_locked()?;
            let i = index_of(&file.projects, id)?;
            let removed = file.projects.remove(i);
            self.save(&file)?;
            Ok(removed)
        })
    }

    fn modify(
        &self,
        id: &str,
        change: impl FnOnce(&mut Vec<Project>, usize) -> Result<()>,
    ) -> Result<Project> {
        self.locked(|| {
            let mut file = self.load_locked()?;
            let i = index_of(&file.projects, id)?;
            change(&mut file.projects, i)?;
            let updated = file.projects[i].clone();
            self.save(&file)?;
            Ok(updated)
        })
    }

    /// Runs `f` as the only writer of the file, in this process and on this computer. The
    /// file lock is advisory: every Golive process takes it, and the OS releases it when its
    /// holder dies, so a killed writer never blocks the next one.
    fn locked<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let _in_process = lock(&self.writing);
        let dir = self.dir();
        std::fs::create_dir_all(dir).map_err(|e| self.storage_error(e.to_string()))?;
        let lock_file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(format!("{}.lock", self.file_name())))
            .and_then(|f| f.lock().map(|()| f))
            .map_err(|e| self.storage_error(format!("could not lock it: {e}")))?;
        let result = f();
        // Closing would release it too, but Windows may take its time to.
        let _ = lock_file.unlock();
        result
    }

    /// Settings as they are on disk. Writes are atomic, so a file that does not parse is
    /// corrupt: it is moved aside under the lock, and the settings start afresh.
    fn load(&self) -> Result<ProjectsFile> {
        match self.read()? {
            Ok(file) => Ok(file),
            Err(_) => self.locked(|| self.load_locked()),
        }
    }

    /// `load`, for a caller that holds the lock.
    fn load_locked(&self) -> Result<ProjectsFile> {
        match self.read()? {
            Ok(file) => Ok(file),
            Err(reason) => {
                self.move_aside(&reason)?;
                Ok(ProjectsFile::default())
            }
        }
    }

    fn read(&self) -> Result<Parsed> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Ok(ProjectsFile::default()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Ok(Err("it is not UTF-8 text".into()))
            }
            Err(e) => return Err(self.storage_error(e.to_string())),
        };
        let file: ProjectsFile = match serde_json::from_str(&text) {
            Ok(file) => file,
            Err(e) => return Ok(Err(e.to_string())),
        };
        if file.version > FILE_VERSION {
            return Err(self.storage_error(format!(
                "it was written by a newer Golive (format {}). Update Golive to open it",
                file.version
            )));
        }
        Ok(Ok(file))
    }

    /// Keeps a corrupt file as `projects.json.corrupt-<UTC time>`, never overwriting one
    /// kept before, and records the notice that says where it is.
    fn move_aside(&self, reason: &str) -> Result<()> {
        let stamp = utc_stamp(std::time::SystemTime::now());
        let aside = (1..)
            .map(|n| {
                let suffix = if n == 1 {
                    String::new()
                } else {
                    format!("-{n}")
                };
                self.dir()
                    .join(format!("{}.corrupt-{stamp}{suffix}", self.file_name()))
            })
            .find(|p| !p.exists())
            .expect("a free name");
        std::fs::rename(&self.path, &aside)
            .and_then(|()| sync_dir(self.dir()))
            .map_err(|e| {
                self.storage_error(format!("could not move the unreadable file aside: {e}"))
            })?;
        *lock(&self.notice) = Some(ErrorPayload {
            code: "settings_corrupt".into(),
            message: format!(
                "Your saved projects could not be read ({reason}), so Golive started with none. \
                 The file was kept as {}: to get them back, close Golive, repair that file and \
                 rename it to {}.",
                aside.display(),
                self.file_name()
            ),
        });
        Ok(())
    }

    /// Only under the lock: it also removes the temp files of writers that died mid-save.
    fn save(&self, file: &ProjectsFile) -> Result<()> {
        let json = serde_json::to_vec_pretty(&ProjectsFile {
            version: FILE_VERSION,
            projects: file.projects.clone(),
        })
        .expect("projects serialize");
        self.remove_stale_temp_files();
        write_atomically(&self.path, &json).map_err(|e| self.storage_error(e.to_string()))
    }

    fn remove_stale_temp_files(&self) {
        let prefix = temp_prefix(&self.path);
        let Ok(entries) = std::fs::read_dir(self.dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn storage_error(&self, reason: String) -> Error {
        Error::Storage {
            path: self.path.display().to_string(),
            reason,
        }
    }
}

impl Default for ProjectsFile {
    fn default() -> Self {
        ProjectsFile {
            version: FILE_VERSION,
            projects: vec![],
        }
    }
}

/// A panic in one writer must not stop the others: the data behind these mutexes is `()`
/// or a whole value, never half-changed.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

const TEMP_SUFFIX: &str = ".tmp";

/// `.projects.json.` — the temp files of `path` are `.projects.json.<random>.tmp`.
fn temp_prefix(path: &Path) -> String {
    format!(
        ".{}.",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into())
    )
}

/// Readable and writable by the user only (on unix; Windows files inherit the folder's ACL).
fn private_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// A new, randomly named temp file in the same directory (created exclusively, so a file or
/// symlink planted at its name is never followed; 0600 on unix), synced, renamed over
/// `path`, and the directory synced: a crash at any point leaves the old or the new file,
/// never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // On failure the temp file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Makes a rename in `dir` durable (unix; Windows has no directory handle to sync).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// `20261129T164501Z`, for names that sort by time.
fn utc_stamp(at: std::time::SystemTime) -> String {
    let secs = at
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

fn validate(input: &ProjectInput) -> Result<(String, String)> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(Error::invalid(
            "name_invalid",
            "Give the project a name, for example the name of your app.",
        ));
    }
    if name.chars().count() > 80 {
        return Err(Error::invalid(
            "name_invalid",
            "Project names are at most 80 characters.",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name_invalid",
            "Project names can't contain control characters.",
        ));
    }
    Ok((name.to_string(), domain::normalize(&input.domain)?))
}

fn ensure_unique(projects: &[Project], name: &str, except_id: Option<&str>) -> Result<()> {
    let taken = projects
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case(name) && Some(p.id.as_str()) != except_id);
    if taken {
        return Err(Error::ProjectExists(name.to_string()));
    }
    Ok(())
}

fn index_of(projects: &[Project], id: &str) -> Result<usize> {
    projects
        .iter()
        .position(|p| p.id == id)
        .ok_or_else(|| Error::ProjectNotFound(id.to_string()))
}

/// `quillmate-3f9a1c2e`: readable in the keychain, unique without a uuid dependency.
fn new_id(name: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    let slug: String = name
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' | '-' | '_' | '.' => Some('-'),
            _ => None,
        })
        .take(24)
        .collect::<String>()
        .trim_matches('-')
        .to_string();
    let slug = if slug.is_empty() {
        "project".into()
    } else {
        slug
    };
    format!("{slug}-{:08x}", h.finish() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, domain: &str) -> ProjectInput {
        ProjectInput {
            name: name.into(),
            domain: domain.into(),
            hosting: Hosting::Vercel,
            framework: Framework::Nextjs,
        }
    }

    #[test]
    fn create_list_edit_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        assert!(store.list().unwrap().is_empty());

        let p = store
            .create(input(" Quillmate ", "HTTPS://Quillmate.Site/"))
            .unwrap();
        assert_eq!(p.name, "Quillmate");
        assert_eq!(p.domain, "quillmate.site");
        assert!(p.id.starts_with("quillmate-"));

        let edited = store
            .update(&p.id, input("Quillmate 2", "quillmate.app"))
            .unwrap();
        assert_eq!(edited.id, p.id);
        assert_eq!(
            store.find_by_name("quillmate 2").unwrap().domain,
            "quillmate.app"
        );

        // A second store over the same directory sees the same data (it is on disk).
        assert_eq!(
            ProjectStore::new(dir.path()).list().unwrap(),
            vec![edited.clone()]
        );

        store.delete(&p.id).unwrap();
        assert!(store.list().unwrap().is_empty());
        assert_eq!(store.get(&p.id).unwrap_err().code(), "project_not_found");
    }

    #[test]
    fn names_are_unique_ignoring_case() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        store.create(input("Shop", "shop.com")).unwrap();
        let err = store.create(input("shop", "shop2.com")).unwrap_err();
        assert_eq!(err.code(), "project_exists");
    }

    #[test]
    fn invalid_input_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        let p = store.create(input("Shop", "shop.com")).unwrap();
        let before = std::fs::read(store.path()).unwrap();
        assert_eq!(
            store
                .update(&p.id, input("Shop", "shop.vercel.app"))
                .unwrap_err()
                .code(),
            "domain_invalid"
        );
        assert_eq!(
            store.create(input("  ", "x.com")).unwrap_err().code(),
            "name_invalid"
        );
        assert_eq!(std::fs::read(store.path()).unwrap(), before);
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        assert_eq!(store.notice(), None);
        std::fs::write(store.path(), b"{ not json").unwrap();
        assert!(store.list().unwrap().is_empty());
        let notice = store.notice().expect("the user is told");
        assert_eq!(notice.code, "settings_corrupt");
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("projects.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), b"{ not json");
        assert!(notice.message.contains(&aside[0].display().to_string()));

        // Settings start afresh; a second corrupt file is kept beside the first.
        store.create(input("Shop", "shop.com")).unwrap();
        std::fs::write(store.path(), [0xff, 0xfe]).unwrap();
        assert_eq!(
            store.create(input("Shop", "shop.com")).unwrap().name,
            "Shop"
        );
        let kept = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().contains(".corrupt-")
            })
            .count();
        assert_eq!(kept, 2);
    }

    #[test]
    fn a_file_from_a_newer_golive_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        std::fs::write(store.path(), br#"{"version": 99, "projects": []}"#).unwrap();
        let err = store.create(input("Shop", "shop.com")).unwrap_err();
        assert!(err.to_string().contains("newer Golive"), "{err}");
        assert_eq!(store.notice(), None);
        assert_eq!(
            std::fs::read(store.path()).unwrap(),
            br#"{"version": 99, "projects": []}"#
        );
    }

    #[test]
    fn utc_stamps_sort_by_time() {
        let at = |secs| std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        assert_eq!(utc_stamp(at(0)), "19700101T000000Z");
        assert_eq!(utc_stamp(at(951_782_400)), "20000229T000000Z");
        assert_eq!(utc_stamp(at(1_795_970_701)), "20261129T164501Z");
    }

    #[test]
    fn atomic_write_leaves_no_temp_files_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/projects.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("projects.json")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    /// A symlink planted where a predictable temp file would be is never written through.
    #[cfg(unix)]
    #[test]
    fn atomic_write_never_follows_a_planted_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        std::fs::write(&target, b"untouched").unwrap();
        let path = dir.path().join("report.md");
        // The name a temp file once had: the process id only.
        let planted = dir
            .path()
            .join(format!(".report.md.tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&target, planted).unwrap();
        write_atomically(&path, b"report").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"untouched");
        assert_eq!(std::fs::read(&path).unwrap(), b"report");
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
    }

    #[test]
    fn a_save_removes_temp_files_left_by_a_killed_writer() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        let stale = dir.path().join(".projects.json.a1b2c3.tmp");
        std::fs::write(&stale, b"{ half").unwrap();
        store.create(input("Shop", "shop.com")).unwrap();
        assert!(!stale.exists());
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["projects.json", "projects.json.lock"]);
    }

    /// Many threads of one process, each ticking its own item: none is lost.
    #[test]
    fn concurrent_modifications_in_one_process_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(ProjectStore::new(dir.path()));
        let id = store.create(input("Shop", "shop.com")).unwrap().id;
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (store, id) = (store.clone(), id.clone());
                std::thread::spawn(move || {
                    for i in 0..10 {
                        store
                            .update_with(&id, |p| p.clerk_checklist.push(format!("{t}-{i}")))
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(store.get(&id).unwrap().clerk_checklist.len(), 80);
    }
}
