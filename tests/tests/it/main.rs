//! The integration tests, one binary with a module per area, all against the sandbox on
//! loopback. `keychain` and `e2e` are ignored by default: `scripts/test.sh` runs them with
//! `--ignored keychain:: e2e::` under Xvfb and D-Bus; `installed`, also ignored, drives the
//! app the .deb installed (scripts/check-install.sh).

mod common;

mod cli;
mod cloudflare_pages;
mod cloudflare_workers;
mod contract;
mod demo;
mod dns;
mod dns_auto;
mod e2e;
mod engine;
mod fault_matrix;
mod faults;
mod hosting;
mod installed;
mod keychain;
mod launch;
mod layout_checks;
mod layouts;
mod netlify;
mod redirects;
mod render;
mod sandbox_auth;
mod setup_script;
mod site_csp;
mod sso;
mod steps;
mod trust;
mod vendor_input;
mod webhooks;
