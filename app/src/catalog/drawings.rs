//! `GET /drawings/{model}/{assembly}.svg`: an assembly's exploded-view drawing,
//! for any signed-in user (the catalogue and its drawings are open to every
//! customer and partner; prices and units are what is scoped).
//!
//! The SVG is served as an image under its own Content-Security-Policy (no
//! script, no connection, sandboxed), so a drawing that carries markup it
//! should not cannot act even when opened on its own. Its address holds the
//! drawing's version (`?v=`), so it can be cached for good.

use super::queries;
use crate::error::AppError;
use crate::identity::Permission;
use crate::platform::guard::{Access, Caller};
use crate::platform::{download, AppState};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub const PATH: &str = "/drawings/{model}/{file}";

/// Whoever got the drawing's address from a page may keep it a year: a new
/// drawing gets a new version.
const CACHE: &str = "private, max-age=31536000, immutable";
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

#[derive(serde::Deserialize)]
pub struct Version {
    #[serde(default)]
    v: Option<String>,
}

pub async fn handler(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path((model, file)): Path<(String, String)>,
    Query(version): Query<Version>,
) -> Response {
    let page = super::drawing_href(&model, file.trim_end_matches(".svg"), "");
    if let Err(e) = download::permitted_user(caller, Access::Requires(Permission::SignedIn), PATH) {
        return download::refusal(e, &page);
    }
    let Some(assembly) = file.strip_suffix(".svg") else {
        return download::refusal(AppError::NotFound("The drawing".into()), &page);
    };
    match queries::drawing(&state.pool, &model, assembly).await {
        Ok(Some(svg)) => {
            let cache = if version.v.is_some() {
                CACHE
            } else {
                "no-cache"
            };
            (
                [
                    (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
                    (header::CONTENT_SECURITY_POLICY, POLICY),
                    (header::CACHE_CONTROL, cache),
                ],
                svg,
            )
                .into_response()
        }
        Ok(None) => download::refusal(AppError::NotFound("The drawing".into()), &page),
        Err(e) => download::refusal(AppError::internal(e), &page),
    }
}
