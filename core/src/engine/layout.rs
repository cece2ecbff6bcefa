//! The domain layout: what the project sets, and what Clerk says about the rest.

use super::Engine;
use crate::error::Result;
use crate::layout::{self, Layout, LayoutSettings};
use crate::project::Project;

impl Engine {
    /// The project's layout as a run would use it: its settings, the rest detected from
    /// Clerk (the live publishable key, the instance's domains) now.
    pub async fn layout(&self, id: &str) -> Result<Layout> {
        let ctx = self.context(id)?;
        Ok(ctx.layout().await.clone())
    }

    /// Saves what the user set about the layout (cleared parts are detected again), once
    /// it is valid for the project's domain.
    pub fn set_layout(&self, id: &str, settings: LayoutSettings) -> Result<Project> {
        let project = self.projects.get(id)?;
        let settings = layout::validate(&project.domain, &settings)?;
        self.projects.update_with(id, |p| p.layout = settings)
    }
}
