//! Training administration, a sub-domain of learning: the matrix of staff ×
//! the courses their job role needs, assignment, the development plan and its
//! proposals, and the CSV export; for an organisation's admins (the
//! supplier's admin for any).
//!
//! Rooms: `api` (shared types and server functions), `pages` (the training
//! page), `matrix` and `assign` (reads and transactions, server-only),
//! `export` (the CSV route, server-only).

pub mod api;
#[cfg(feature = "ssr")]
pub mod assign;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod matrix;
pub mod pages;
