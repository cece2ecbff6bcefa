//! One module per vendor API.

pub mod clerk;
