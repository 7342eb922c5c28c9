//! The audit trail: an append-only record of security-relevant and business
//! actions. Every module records through one function, [`record`], with an
//! action from the fixed list [`AuditAction`]; the supplier admin searches it,
//! pages through it and exports it as CSV. Nothing updates or deletes a row:
//! no code path does, and triggers in both databases refuse it.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;

pub use api::*;
#[cfg(feature = "ssr")]
pub use queries::{record, Event};
