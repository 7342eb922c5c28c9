//! Accounts: people, roles, sign-in, sessions, passwords and user management.
//!
//! Rooms: `api` (shared types and server functions), `pages` (pages and their
//! islands), `queries` (SQL, server-only), `rules` (pure rules with unit tests),
//! `demo` (the demo accounts, server-only). Server-only services of this domain:
//! `sessions` (the session store and cookie), `passwords` (argon2id) and
//! `throttle` (failed sign-ins), and `jobs` (its background job: pruning expired
//! sessions and old sign-in counters).

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod jobs;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use api::*;
pub use pages::{AccountPage, LoginPage, LogoutForm, UsersPage};
