#![recursion_limit = "256"]
//! Careport: the supplier's customer-care extranet (Leptos SSR + hydration).

pub mod accounts;
pub mod authz;
pub mod error;
pub mod model;
pub mod organisations;
mod shell;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

pub use shell::{shell, App};

/// Every server function's access entry (see `server::guard`).
#[cfg(feature = "ssr")]
pub fn policies() -> impl Iterator<Item = (&'static str, server::guard::Access)> {
    [
        accounts::POLICIES,
        accounts::users::POLICIES,
        organisations::POLICIES,
    ]
    .into_iter()
    .flatten()
    .copied()
}
