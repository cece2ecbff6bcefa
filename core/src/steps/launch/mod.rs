//! The launch proof: signing in works on production, not only its settings. The checks
//! that need no user (the server's key, the CSP) read the live site; the rehearsal signs a
//! throwaway user in, on request only.

pub mod rehearsal;
pub mod settings;
pub mod site;
