//! OAuth providers for social sign-in: what each console needs (`catalog`), the shape of
//! their credentials (`formats`), Google's downloaded client JSON (`import`), and a live
//! check of the credentials at the provider's token endpoint (`token_probe`).

pub mod catalog;
pub mod formats;
pub mod import;
pub mod token_probe;
