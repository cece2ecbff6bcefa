//! Projects: the non-secret settings of one app going live, kept as JSON in the app's
//! config directory. Secrets never live here (see `secrets`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain;
use crate::error::{Error, Result};
use crate::framework::Framework;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Hosting {
    Vercel,
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

/// What the user fills in to create or edit a project.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectInput {
    pub name: String,
    pub domain: String,
    pub hosting: Hosting,
    pub framework: Framework,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ProjectsFile {
    version: u32,
    projects: Vec<Project>,
}

const FILE_VERSION: u32 = 1;

/// Reads and writes `projects.json`. Every write replaces the file atomically.
pub struct ProjectStore {
    path: PathBuf,
}

impl ProjectStore {
    pub fn new(config_dir: &Path) -> Self {
        ProjectStore {
            path: config_dir.join("projects.json"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
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
        let mut file = self.load()?;
        let (name, domain) = validate(&input)?;
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
            oauth: Default::default(),
            dev_publishable_key: None,
        };
        file.projects.push(project.clone());
        self.save(&file)?;
        Ok(project)
    }

    pub fn update(&self, id: &str, input: ProjectInput) -> Result<Project> {
        let (name, domain) = validate(&input)?;
        self.modify(id, |projects, i| {
            ensure_unique(projects, &name, Some(id))?;
            let p = &mut projects[i];
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
        let mut file = self.load()?;
        let i = index_of(&file.projects, id)?;
        let removed = file.projects.remove(i);
        self.save(&file)?;
        Ok(removed)
    }

    fn modify(
        &self,
        id: &str,
        change: impl FnOnce(&mut Vec<Project>, usize) -> Result<()>,
    ) -> Result<Project> {
        let mut file = self.load()?;
        let i = index_of(&file.projects, id)?;
        change(&mut file.projects, i)?;
        let updated = file.projects[i].clone();
        self.save(&file)?;
        Ok(updated)
    }

    fn load(&self) -> Result<ProjectsFile> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ProjectsFile {
                    version: FILE_VERSION,
                    projects: vec![],
                })
            }
            Err(e) => return Err(self.storage_error(e.to_string())),
        };
        // A file we can't parse is left untouched: the user's data is never overwritten.
        let file: ProjectsFile = serde_json::from_str(&text).map_err(|e| {
            self.storage_error(format!(
                "the file is not valid Golive settings ({e}). It was left as it is; \
                 fix it or move it aside to start afresh"
            ))
        })?;
        if file.version > FILE_VERSION {
            return Err(self.storage_error(format!(
                "it was written by a newer Golive (format {}). Update Golive to open it",
                file.version
            )));
        }
        Ok(file)
    }

    fn save(&self, file: &ProjectsFile) -> Result<()> {
        let json = serde_json::to_vec_pretty(&ProjectsFile {
            version: FILE_VERSION,
            projects: file.projects.clone(),
        })
        .expect("projects serialize");
        write_atomically(&self.path, &json).map_err(|e| self.storage_error(e.to_string()))
    }

    fn storage_error(&self, reason: String) -> Error {
        Error::Storage {
            path: self.path.display().to_string(),
            reason,
        }
    }
}

/// Temp file in the same directory, fsync, then rename: a crash leaves the old or the new
/// file, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
    fn a_corrupt_file_is_reported_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        std::fs::write(store.path(), b"{ not json").unwrap();
        let err = store.create(input("Shop", "shop.com")).unwrap_err();
        assert_eq!(err.code(), "storage");
        assert!(err.to_string().contains("left as it is"));
        assert_eq!(std::fs::read(store.path()).unwrap(), b"{ not json");
    }

    #[test]
    fn atomic_write_leaves_no_temp_files() {
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
    }
}
