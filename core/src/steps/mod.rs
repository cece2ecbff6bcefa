//! The steps of going live: what each one does beyond checking (creating, storing, fixing).

pub mod clerk;
pub mod hosting;
pub mod launch;
pub mod sso;
pub mod supabase;
pub mod webhooks;
