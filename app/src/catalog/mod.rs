//! Catalog: equipment models and the installed base (units), parts with their
//! bills of materials, fits and supersessions, and the prices organisations pay.
//!
//! Rooms: `api` (shared types and server functions), `pages` (server-rendered
//! pages), `queries` (SQL, server-only), `search` (the tiered parts search, server-only), `suggest` (results as
//! the user types, an island), `rules` (pure rules with unit tests:
//! part-number normalisation, pricing, supersession, warranty, unit scope),
//! `demo` (this domain's part of the demo dataset, server-only), `drawings`
//! (the route that serves the exploded views).

pub mod api;
pub mod assembly;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
mod demo_data;
#[cfg(feature = "ssr")]
pub mod drawings;
#[cfg(feature = "ssr")]
pub mod import;
pub mod import_api;
#[cfg(feature = "ssr")]
pub mod import_job;
pub mod import_pages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod search;
pub mod suggest;

pub use api::*;
pub use pages::{PartPage, PartsPage, UnitPage, UnitsPage};
