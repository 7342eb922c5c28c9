//! Accounts: people, roles, sign-in, sessions, passwords and user management.
//!
//! Rooms: `api` (shared types and server functions; `signin` and `two_step`
//! hold those of signing in and of two-step verification), `pages` and
//! `two_step_pages` (pages and their islands), `queries` (SQL, server-only), `rules` (pure rules with unit tests),
//! `demo` (the demo accounts, server-only). Server-only services of this domain:
//! `sessions` (the session store and cookie), `passwords` (argon2id) and
//! `throttle` (failed sign-ins), `second_factor` (TOTP, recovery codes and the
//! sign-in challenge), `setup` (the first administrator), and `jobs` (its background job: pruning expired
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
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod setup;
pub mod signin;
#[cfg(feature = "ssr")]
pub mod throttle;
pub mod two_step;
pub mod two_step_pages;

pub use api::*;
pub use pages::{AccountPage, LoginPage, LogoutForm, UsersPage};
pub use signin::*;
pub use two_step_pages::{SecondFactorPage, TwoStepPage};
