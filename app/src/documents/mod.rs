//! Documents: manuals, drawings, service bulletins and parts lists attached to
//! equipment models, in languages and versions, stored by content hash.
//!
//! Rooms: `api` (types and server functions), `pages` (the documents page and
//! the list a unit page shows), `queries` (SQL and the read scope,
//! server-only), `rules` (pure: who reads what, upload checks, download names),
//! `upload` and `download` (the file's way in and out, server-only), `demo`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod download;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;
#[cfg(feature = "ssr")]
mod upload;

pub use api::*;
pub use pages::DocumentsPage;
