//! Organisations: the supplier, its partners and its customers.
//!
//! Rooms: `api` (shared types and server functions), `pages` (pages and their
//! islands), `queries` (SQL, server-only), `rules` (pure rules with unit tests),
//! `demo` (this domain's part of the demo dataset, server-only), `hooks`
//! (what later domains do when an organisation is deactivated).

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod hooks;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;

pub use api::*;
pub use pages::OrganisationsPage;
