//! DNS: which records the launch needs (the plan), what the authoritative servers and a
//! panel of public resolvers answer for each (one query per record × server; together the
//! propagation matrix), and what that means (diagnoses).

pub mod auto;
pub mod cloudflare_ips;
pub mod matrix;
pub mod plan;
pub mod query;
pub mod resolvers;
pub mod survey;
