//! The launch proof's settings: the protected page, the Supabase anon key and the user a
//! rehearsal may sign in as.

use super::Engine;
use crate::error::{Error, Result};
use crate::project::Project;
use crate::steps::launch::settings::{self, LaunchSettings};

impl Engine {
    /// Validates every field before saving any, so a bad one loses nothing already saved.
    pub fn set_launch_settings(&self, id: &str, form: LaunchSettings) -> Result<Project> {
        let domain = self.projects.get(id)?.domain;
        let path = match form.protected_path.trim() {
            "" => None,
            p => Some(settings::protected_path(p, &domain)?),
        };
        let anon = settings::supabase_anon_key(&form.supabase_anon_key)?;
        let user = match form.rehearsal_user.trim() {
            "" => None,
            u if u.starts_with("user_") || u.contains('@') => Some(u.to_string()),
            u => {
                return Err(Error::invalid(
                    "rehearsal_user_invalid",
                    format!(
                        "\"{u}\" is neither a user id (user_…) nor an email address: copy one \
                         from the Clerk dashboard → Users (production)."
                    ),
                ))
            }
        };
        self.projects.update_with(id, |p| {
            p.protected_path = path;
            p.supabase_anon_key = anon;
            p.rehearsal_user = user;
        })
    }
}
