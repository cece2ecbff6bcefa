//! The keychain as a whole: every entry Golive made, across projects.

use super::Engine;
use crate::error::Result;
use crate::forget::{self, Forgotten};

impl Engine {
    /// Removes every keychain entry of every project (and those of projects no longer saved,
    /// where the keychain lists its entries); the projects and their settings stay.
    pub fn forget_all_secrets(&self) -> Result<Forgotten> {
        forget::forget_all(&self.projects, self.secrets.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Endpoints;
    use crate::forget::ForgottenEntries;
    use crate::framework::Framework;
    use crate::project::{Hosting, Project, ProjectInput, ProjectStore};
    use crate::secrets::{MemoryStore, Secret, SecretKind, SecretStore};

    fn project(e: &Engine, name: &str, domain: &str) -> Project {
        e.create_project(ProjectInput {
            name: name.into(),
            domain: domain.into(),
            hosting: Hosting::Vercel,
            framework: Framework::Nextjs,
        })
        .unwrap()
    }

    #[test]
    fn every_entry_of_every_project_goes_and_the_projects_stay() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemoryStore::default());
        let e = Engine::new(
            ProjectStore::new(dir.path()),
            secrets.clone(),
            Endpoints::default(),
        )
        .unwrap();
        let a = project(&e, "Quillmate", "quillmate.test");
        let b = project(&e, "Other", "other.test");
        let sk = "sk_live_abcdefghijklmnopqrstuvwxyz0001";
        e.set_secret(&a.id, SecretKind::ClerkSecretKey, sk).unwrap();
        e.set_secret(
            &a.id,
            SecretKind::VercelToken,
            "vercel_token_abcdefghijklmnop",
        )
        .unwrap();
        e.set_secret(
            &b.id,
            SecretKind::CloudflareToken,
            "cf_token_abcdefghijklmnopqrstuvw",
        )
        .unwrap();
        let a = e
            .set_publishable_key(&a.id, "pk_live_Y2xlcmsucXVpbGxtYXRlLnRlc3Qk")
            .unwrap();
        // Left by a project no longer saved: this keychain lists, so it is found too.
        secrets
            .set(
                "gone",
                SecretKind::ClerkPlatformKey,
                &Secret::new("ak_gone"),
            )
            .unwrap();

        let forgotten = e.forget_all_secrets().unwrap();

        let entries = |id: &str, name: Option<&str>, kinds: &[SecretKind]| ForgottenEntries {
            project_id: id.into(),
            project_name: name.map(Into::into),
            kinds: kinds.to_vec(),
        };
        assert_eq!(
            forgotten,
            Forgotten {
                removed: vec![
                    entries(
                        &a.id,
                        Some("Quillmate"),
                        &[SecretKind::ClerkSecretKey, SecretKind::VercelToken]
                    ),
                    entries(&b.id, Some("Other"), &[SecretKind::CloudflareToken]),
                    entries("gone", None, &[SecretKind::ClerkPlatformKey]),
                ],
                searched_unsaved: true,
            }
        );
        assert_eq!(forgotten.count(), 4);
        assert_eq!(secrets.entries().unwrap(), Some(vec![]));
        // What leaves the engine names kinds and projects, never a value.
        assert!(!serde_json::to_string(&forgotten).unwrap().contains(sk));
        // Nothing else: the projects, their settings and their public key stay.
        assert_eq!(e.list_projects().unwrap(), vec![a, b]);
        // A second run finds nothing left.
        assert_eq!(e.forget_all_secrets().unwrap().count(), 0);
    }

    /// A keychain that cannot list (macOS's, Windows' through keyring): the saved projects'
    /// entries are found by name, and the answer says the others were not looked for.
    #[test]
    fn a_keychain_that_cannot_list_still_loses_every_saved_projects_entries() {
        struct Unlisted(MemoryStore);
        impl SecretStore for Unlisted {
            fn get(&self, id: &str, kind: SecretKind) -> Result<Option<Secret>> {
                self.0.get(id, kind)
            }
            fn set(&self, id: &str, kind: SecretKind, value: &Secret) -> Result<()> {
                self.0.set(id, kind, value)
            }
            fn delete(&self, id: &str, kind: SecretKind) -> Result<bool> {
                self.0.delete(id, kind)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Unlisted(MemoryStore::default()));
        let e = Engine::new(
            ProjectStore::new(dir.path()),
            store.clone(),
            Endpoints::default(),
        )
        .unwrap();
        let a = project(&e, "Quillmate", "quillmate.test");
        store
            .set(
                &a.id,
                SecretKind::OauthGoogle,
                &Secret::new("GOCSPX-abcdefghijklmnopqrstuvwxyz12"),
            )
            .unwrap();
        store
            .set(
                "gone",
                SecretKind::ClerkPlatformKey,
                &Secret::new("ak_gone"),
            )
            .unwrap();

        let forgotten = e.forget_all_secrets().unwrap();
        assert!(!forgotten.searched_unsaved);
        assert_eq!(forgotten.count(), 1);
        assert_eq!(forgotten.removed[0].kinds, vec![SecretKind::OauthGoogle]);
        assert!(store
            .0
            .get(&a.id, SecretKind::OauthGoogle)
            .unwrap()
            .is_none());
        // Out of its reach, and said so.
        assert!(store
            .0
            .get("gone", SecretKind::ClerkPlatformKey)
            .unwrap()
            .is_some());
    }
}
