//! One module per vendor API.

pub mod clerk;
pub mod supabase;
