//! `GET /documents/{version}/file`: a document version's file, streamed from
//! the content store with its content type and download name. The path on
//! disk comes from the stored hash only; a version the caller may not read is
//! not found, exactly like one that does not exist.

use super::queries;
use super::rules::{content_disposition, shown_inline};
use crate::authz::Permission;
use crate::error::AppError;
use crate::platform::guard::{Access, Caller};
use crate::platform::{download, files, AppState};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub const PATH: &str = "/documents/{version}/file";

/// A file may be opened in the browser (a PDF), but never run anything there.
const POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; sandbox";

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
    let Some(path) = files::path_of(&state.config.data_dir, &stored.sha256) else {
        return download::refusal(AppError::internal("stored hash is not a hash"), &page);
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) => {
            return download::refusal(
                AppError::internal(format!("document file {}: {e}", path.display())),
                &page,
            )
        }
    };
    (
        [
            (header::CONTENT_TYPE, stored.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(&stored.filename, shown_inline(&stored.filename)),
            ),
            (header::CONTENT_LENGTH, stored.size_bytes.to_string()),
            (header::CONTENT_SECURITY_POLICY, POLICY.to_string()),
            // A version's file never changes.
            (header::CACHE_CONTROL, "private, max-age=86400".to_string()),
        ],
        Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response()
}
