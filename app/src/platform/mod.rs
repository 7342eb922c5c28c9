//! Infrastructure shared by every domain, server-only: configuration, the
//! database pool, the authorisation guard, flash notices and the assembly of the
//! demo dataset. Domain logic lives in the domain folders, never here.

pub mod config;
pub mod db;
pub mod demo;
pub mod download;
pub mod files;
pub mod flash;
pub mod form_errors;
pub mod guard;
pub mod jobs;
pub mod multipart;
pub mod setup;

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

/// Appends a `Set-Cookie` header to the current response.
pub fn set_cookie(value: String) -> Result<(), AppError> {
    let opts = use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| AppError::internal("ResponseOptions missing"))?;
    let value = http::HeaderValue::from_str(&value).map_err(AppError::internal)?;
    opts.append_header(http::header::SET_COOKIE, value);
    Ok(())
}
