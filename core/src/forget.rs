//! Forgetting the keychain entries Golive made, for uninstalling or handing the computer on:
//! every kind of every saved project, and, where the keychain can list its entries, those
//! left by projects no longer saved (a settings file kept aside as corrupt, a config folder
//! deleted first). The projects and their settings stay; only secrets go.

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::project::{Project, ProjectStore};
use crate::secrets::{SecretKind, SecretStore};

/// What was removed, project by project: the kinds, never a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Forgotten {
    pub removed: Vec<ForgottenEntries>,
    /// Whether entries of projects no longer saved were looked for too: only a keychain that
    /// lists its entries can find them (Linux's Secret Service does).
    pub searched_unsaved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForgottenEntries {
    pub project_id: String,
    /// `None` for a project no longer saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub project_name: Option<String>,
    pub kinds: Vec<SecretKind>,
}

impl Forgotten {
    /// How many entries were removed.
    pub fn count(&self) -> usize {
        self.removed.iter().map(|e| e.kinds.len()).sum()
    }
}

/// Every entry of every saved project, then every other entry the keychain lists under its
/// service. The listing comes first, so a keychain that fails fails before anything goes.
pub fn forget_all(projects: &ProjectStore, secrets: &dyn SecretStore) -> Result<Forgotten> {
    let listed = secrets.entries()?;
    let saved = projects.list()?;
    let mut removed = vec![];
    for p in &saved {
        removed.extend(forget_kinds(
            secrets,
            &p.id,
            Some(&p.name),
            SecretKind::ALL,
        )?);
    }
    let searched_unsaved = listed.is_some();
    let mut unsaved: Vec<(String, Vec<SecretKind>)> = vec![];
    for (id, kind) in listed.unwrap_or_default() {
        if saved.iter().any(|p| p.id == id) {
            continue;
        }
        match unsaved.iter_mut().find(|(known, _)| *known == id) {
            Some((_, kinds)) => kinds.push(kind),
            None => unsaved.push((id, vec![kind])),
        }
    }
    for (id, kinds) in unsaved {
        removed.extend(forget_kinds(secrets, &id, None, kinds)?);
    }
    Ok(Forgotten {
        removed,
        searched_unsaved,
    })
}

/// Every entry of the saved project called `name`.
pub fn forget_project(
    projects: &ProjectStore,
    secrets: &dyn SecretStore,
    name: &str,
) -> Result<Forgotten> {
    let Project { id, name, .. } = projects.find_by_name(name)?;
    Ok(Forgotten {
        removed: forget_kinds(secrets, &id, Some(&name), SecretKind::ALL)?
            .into_iter()
            .collect(),
        searched_unsaved: false,
    })
}

/// The kinds of one project that were there and are gone; `None` if none was there.
fn forget_kinds(
    secrets: &dyn SecretStore,
    project_id: &str,
    project_name: Option<&str>,
    kinds: impl IntoIterator<Item = SecretKind>,
) -> Result<Option<ForgottenEntries>> {
    let mut gone = vec![];
    for kind in kinds {
        if secrets.delete(project_id, kind)? {
            gone.push(kind);
        }
    }
    Ok((!gone.is_empty()).then(|| ForgottenEntries {
        project_id: project_id.to_string(),
        project_name: project_name.map(str::to_string),
        kinds: gone,
    }))
}
