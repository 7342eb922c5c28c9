//! Server-only code: database, sessions, passwords, the authorisation guard and
//! the demo dataset. Never compiled into the wasm bundle.

pub mod config;
pub mod db;
pub mod guard;
pub mod passwords;
pub mod seed;
pub mod sessions;
pub mod throttle;

use crate::error::AppError;
pub use config::Config;
use leptos::prelude::use_context;
use std::sync::Arc;

/// Shared state, provided to every request (pages and server functions).
#[derive(Clone)]
pub struct AppState {
    pub pool: db::Pool,
    pub config: Arc<Config>,
}

/// The application state from the request context.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// Seconds since the Unix epoch: every timestamp in the database uses this.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
