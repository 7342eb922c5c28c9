//! Infrastructure shared by every domain, server-only: configuration, the
//! database pool, the authorisation guard, flash notices, files, jobs and the
//! installation's flags. Foundation: it names no domain (a test checks);
//! domain logic lives in the domain folders, and what lists every domain is
//! `crate::wiring`.

pub mod config;
pub mod db;
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

/// A random 256-bit token, URL-safe base64: session tokens, form keys, import
/// keys.
pub fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Appends a `Set-Cookie` header to the current response.
pub fn set_cookie(value: String) -> Result<(), AppError> {
    let opts = use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| AppError::internal("ResponseOptions missing"))?;
    let value = http::HeaderValue::from_str(&value).map_err(AppError::internal)?;
    opts.append_header(http::header::SET_COOKIE, value);
    Ok(())
}
