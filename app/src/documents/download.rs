//! `GET /documents/{version}/file`: a document version's file, streamed from
//! the content store with its content type and download name. The path on
//! disk comes from the stored hash only; a version the caller may not read is
//! not found, exactly like one that does not exist.

use super::queries;
use crate::error::AppError;
use crate::identity::Permission;
use crate::platform::guard::{Access, Caller};
use crate::platform::{download, AppState};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

pub const PATH: &str = "/documents/{version}/file";

pub async fn handler(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path(version): Path<String>,
) -> Response {
    let page = super::version_href(&version);
    let user = match download::permitted_user(caller, Access::Requires(Permission::SignedIn), PATH)
    {
        Ok(user) => user,
        Err(e) => return download::refusal(e, &page),
    };
    let not_found = || download::refusal(AppError::NotFound("The document".into()), &page);
    let Ok(id) = version.parse::<i64>() else {
        return not_found();
    };
    let stored = match queries::readable_version(&state.pool, &user, id).await {
        Ok(Some(v)) => v,
        Ok(None) => return not_found(),
        Err(e) => return download::refusal(AppError::internal(e), &page),
    };
    let file = download::StoredFile {
        sha256: &stored.sha256,
        content_type: &stored.content_type,
        filename: &stored.filename,
        size_bytes: stored.size_bytes,
        // A version's file never changes.
        cache_control: "private, max-age=86400",
    };
    download::stored_file(&state.config.data_dir, file, &page).await
}
