//! Golive's engine: everything the desktop app and the `golive` CLI do, with no Tauri in it.

pub mod browser;
pub mod checks;
pub mod cli;
pub mod config;
pub mod context;
pub mod csp;
pub mod dns;
pub mod domain;
pub mod engine;
pub mod error;
pub mod forget;
pub mod framework;
pub mod http;
pub mod https_probe;
pub mod inputs;
pub mod jwt;
pub mod keys;
pub mod layout;
pub mod minisign;
#[cfg(test)]
mod module_graph;
pub mod project;
pub mod provider;
pub mod redact;
pub mod report;
pub mod runs;
pub mod secrets;
pub mod steps;
pub mod trust;
pub mod vendors;
pub mod webhook;

pub use error::{Error, ErrorPayload, Result};
