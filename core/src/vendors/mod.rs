//! One module per vendor API.

pub mod clerk;
pub mod cloudflare;
pub mod netlify;
pub mod oauth;
pub mod render;
pub mod supabase;
pub mod vercel;
