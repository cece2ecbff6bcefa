//! DNS: which records the launch needs (the plan), what the authoritative servers and a
//! panel of public resolvers answer for each (the probe), and what that means (diagnoses).

pub mod auto;
pub mod cloudflare;
pub mod matrix;
pub mod plan;
pub mod probe;
pub mod resolvers;
pub mod survey;
