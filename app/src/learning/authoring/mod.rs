//! Course authoring, a sub-domain of learning: the supplier's content editors
//! write courses as drafts, edit fields, modules and lessons, publish, attach
//! materials, and read learners' ratings.
//!
//! Rooms: `api` (shared types and server functions), `pages` (the course
//! editor's pages), `editor` and `lessons` (the transactions, server-only),
//! `materials` (upload and download of course files, server-only), `rules`
//! (pure rules with unit tests).

pub mod api;
#[cfg(feature = "ssr")]
pub mod editor;
#[cfg(feature = "ssr")]
pub mod lessons;
#[cfg(feature = "ssr")]
pub mod materials;
pub mod pages;
pub mod rules;
