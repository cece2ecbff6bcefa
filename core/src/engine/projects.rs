//! Projects and their keychain entries.

use super::Engine;
use crate::error::{ErrorPayload, Result};
use crate::keys;
use crate::project::{Project, ProjectInput};
use crate::secrets::{Secret, SecretKind, SecretStatus};

impl Engine {
    pub fn list_projects(&self) -> Result<Vec<Project>> {
        self.projects.list()
    }

    /// Why the saved projects started afresh (a corrupt file kept aside), if they did.
    pub fn settings_notice(&self) -> Option<ErrorPayload> {
        self.projects.notice()
    }

    pub fn create_project(&self, input: ProjectInput) -> Result<Project> {
        self.projects.create(input)
    }

    pub fn update_project(&self, id: &str, input: ProjectInput) -> Result<Project> {
        self.projects.update(id, input)
    }

    /// Forgets the project's keychain entries first, so a keychain failure leaves the
    /// project in place for another try rather than orphaning its secrets.
    pub fn delete_project(&self, id: &str) -> Result<()> {
        let project = self.projects.get(id)?;
        for kind in SecretKind::ALL {
            self.secrets.delete(&project.id, kind)?;
        }
        self.projects.delete(id).map(drop)
    }

    /// Validates what was pasted, stores it in the keychain, and returns only its status.
    pub fn set_secret(&self, id: &str, kind: SecretKind, pasted: &str) -> Result<SecretStatus> {
        let project = self.projects.get(id)?;
        let secret = Secret::new(keys::secret_paste(kind, pasted)?);
        self.secrets.set(&project.id, kind, &secret)?;
        Ok(SecretStatus::of(kind, Some(&secret)))
    }

    pub fn forget_secret(&self, id: &str, kind: SecretKind) -> Result<SecretStatus> {
        let project = self.projects.get(id)?;
        self.secrets.delete(&project.id, kind)?;
        Ok(SecretStatus::of(kind, None))
    }

    pub fn secret_status(&self, id: &str, kind: SecretKind) -> Result<SecretStatus> {
        let project = self.projects.get(id)?;
        self.secrets.status(&project.id, kind)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Endpoints;
    use crate::framework::Framework;
    use crate::project::{Hosting, ProjectStore};
    use crate::secrets::{MemoryStore, SecretStore};

    fn engine(dir: &std::path::Path) -> (Engine, Arc<MemoryStore>) {
        let secrets = Arc::new(MemoryStore::default());
        let e = Engine::new(
            ProjectStore::new(dir),
            secrets.clone(),
            Endpoints::default(),
        )
        .unwrap();
        (e, secrets)
    }

    fn project(e: &Engine) -> Project {
        e.create_project(ProjectInput {
            name: "Quillmate".into(),
            domain: "quillmate.test".into(),
            hosting: Hosting::Vercel,
            framework: Framework::Nextjs,
        })
        .unwrap()
    }

    #[test]
    fn a_pasted_secret_key_is_cleaned_stored_and_only_its_status_returned() {
        let dir = tempfile::tempdir().unwrap();
        let (e, secrets) = engine(dir.path());
        let p = project(&e);
        let sk = "sk_live_abcdefghijklmnopqrstuvwxyz9876";
        let status = e
            .set_secret(
                &p.id,
                SecretKind::ClerkSecretKey,
                &format!("CLERK_SECRET_KEY=\"{sk}\"\n"),
            )
            .unwrap();
        assert_eq!(status.last4.as_deref(), Some("9876"));
        assert!(!serde_json::to_string(&status).unwrap().contains(sk));
        assert_eq!(
            secrets
                .get(&p.id, SecretKind::ClerkSecretKey)
                .unwrap()
                .unwrap()
                .expose(),
            sk
        );
        // Nothing secret reaches the settings file.
        let file = std::fs::read_to_string(dir.path().join("projects.json")).unwrap();
        assert!(!file.contains(sk));
    }

    #[test]
    fn a_key_in_the_wrong_field_is_refused_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let (e, secrets) = engine(dir.path());
        let p = project(&e);
        let err = e
            .set_secret(
                &p.id,
                SecretKind::ClerkSecretKey,
                "pk_live_Y2xlcmsucXVpbGxtYXRlLnRlc3Qk",
            )
            .unwrap_err();
        assert_eq!(err.code(), "wrong_field");
        assert!(secrets
            .get(&p.id, SecretKind::ClerkSecretKey)
            .unwrap()
            .is_none());
        assert_eq!(
            e.set_publishable_key(&p.id, "sk_live_abcdefghijklmnopqrstuvwxyz")
                .unwrap_err()
                .code(),
            "wrong_field"
        );
    }

    #[test]
    fn deleting_a_project_forgets_its_secrets_only() {
        let dir = tempfile::tempdir().unwrap();
        let (e, secrets) = engine(dir.path());
        let a = project(&e);
        let b = e
            .create_project(ProjectInput {
                name: "Other".into(),
                domain: "other.test".into(),
                hosting: Hosting::Vercel,
                framework: Framework::Astro,
            })
            .unwrap();
        let sk = "sk_live_abcdefghijklmnopqrstuvwxyz";
        e.set_secret(&a.id, SecretKind::ClerkSecretKey, sk).unwrap();
        e.set_secret(&b.id, SecretKind::ClerkSecretKey, sk).unwrap();
        e.delete_project(&a.id).unwrap();
        assert!(secrets
            .get(&a.id, SecretKind::ClerkSecretKey)
            .unwrap()
            .is_none());
        assert!(secrets
            .get(&b.id, SecretKind::ClerkSecretKey)
            .unwrap()
            .is_some());
        assert_eq!(e.list_projects().unwrap(), vec![b]);
    }

    /// A keychain waiting on its unlock prompt: the command that reads it waits, the others
    /// go on. On a runtime with one worker (the worst case of the app's), another command
    /// completes while a keychain read is held.
    #[test]
    fn a_waiting_keychain_does_not_stall_other_commands() {
        use std::sync::mpsc::{channel, Receiver, Sender};
        use std::sync::Mutex;
        use std::time::Duration;

        struct Waiting {
            entered: Mutex<Sender<()>>,
            released: Mutex<Receiver<()>>,
        }
        impl SecretStore for Waiting {
            fn get(&self, _: &str, _: SecretKind) -> Result<Option<Secret>> {
                self.entered.lock().unwrap().send(()).unwrap();
                self.released
                    .lock()
                    .unwrap()
                    .recv_timeout(Duration::from_secs(5))
                    .map_err(|_| crate::Error::KeychainUnavailable("never released".into()))?;
                Ok(None)
            }
            fn set(&self, _: &str, _: SecretKind, _: &Secret) -> Result<()> {
                Ok(())
            }
            fn delete(&self, _: &str, _: SecretKind) -> Result<bool> {
                Ok(false)
            }
        }

        let dir = tempfile::tempdir().unwrap();
        let (entered, on_entered) = channel();
        let (release, released) = channel();
        let store = Waiting {
            entered: Mutex::new(entered),
            released: Mutex::new(released),
        };
        let e = Arc::new(
            Engine::new(
                ProjectStore::new(dir.path()),
                Arc::new(store),
                Endpoints::default(),
            )
            .unwrap(),
        );
        let id = project(&e).id;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let waiting = tokio::spawn({
                let (e, id) = (e.clone(), id.clone());
                async move { e.secret_status(&id, SecretKind::ClerkSecretKey) }
            });
            on_entered.recv().unwrap();
            let other = tokio::spawn({
                let e = e.clone();
                async move { e.list_projects() }
            });
            // Timed by the clock, not a runtime timer: a stalled worker drives no timers.
            let started = std::time::Instant::now();
            other.await.unwrap().unwrap();
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "a command stalled behind the keychain"
            );
            release.send(()).unwrap();
            assert!(!waiting.await.unwrap().unwrap().set);
        });
    }
}
