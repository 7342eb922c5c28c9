#![recursion_limit = "256"]
//! Careport: the supplier's customer-care extranet (Leptos 0.8 SSR with islands).
//!
//! One folder per domain (`accounts`, `organisations`, and next `catalog`,
//! `orders`, `learning`, `certification`, `support`, `partners`), each with the
//! same rooms: `api` (shared types and server functions), `pages` (pages and
//! their islands), `queries` (SQL, server-only), `rules` (pure rules with unit
//! tests) and `demo` (its part of the demo dataset). Infrastructure that is not a
//! domain lives in `platform` (server-only). See CONTRIBUTING.md.

pub mod accounts;
#[cfg(test)]
mod architecture;
pub mod audit;
pub mod catalog;
pub mod dashboard;
pub mod dates;
pub mod documents;
pub mod error;
pub mod file_types;
pub mod identity;
pub mod jobs;
pub mod learning;
pub mod nav;
pub mod notices;
pub mod orders;
pub mod organisations;
mod shell;
pub mod ui;
pub mod url;
mod vocab;

#[cfg(feature = "ssr")]
pub mod platform;
#[cfg(feature = "ssr")]
pub mod wiring;

pub use shell::{shell, App};
