//! Plain routes that answer with a file (the CSV exports, stored files): who
//! may download, decided like for a server function, and the file's response.

use super::guard::{account_gate, check, Access, Caller};
use crate::accounts::SessionUser;
use crate::error::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

/// The signed-in user allowed to download from `path`: the access check and
/// the account gate of the server functions.
pub fn permitted_user(
    caller: Option<Extension<Caller>>,
    access: Access,
    path: &str,
) -> Result<SessionUser, AppError> {
    let user = caller.and_then(|Extension(c)| c.session.map(|s| s.user));
    check(access, user.as_ref()).and_then(|()| account_gate(user.as_ref(), path))?;
    user.ok_or(AppError::Unauthenticated)
}

/// The answer to a refused download: an anonymous visitor goes to sign-in and
/// comes back to `page`; someone who must first change their password or turn
/// on two-step verification goes there; anything else is its status and message.
pub fn refusal(error: AppError, page: &str) -> Response {
    match error {
        AppError::Unauthenticated => Redirect::to(&format!(
            "/login?next={}",
            crate::shell::encode_component(page)
        ))
        .into_response(),
        AppError::PasswordChangeRequired => Redirect::to("/account").into_response(),
        AppError::SecondFactorRequired => Redirect::to("/account/two-step").into_response(),
        e => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN),
            e.to_string(),
        )
            .into_response(),
    }
}

/// A CSV file to download as `filename`; a failure to make it is logged and
/// answered with the generic message.
pub fn csv(filename: &str, body: Result<Vec<u8>, String>) -> Response {
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            let e = AppError::internal(e);
            (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
        }
    }
}

/// A stored file may be opened in the browser (a PDF, a picture), but never
/// run anything there.
const STORED_FILE_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; sandbox";

/// What the database says of a stored file.
pub struct StoredFile<'a> {
    /// Its content hash: the only thing its path on disk is made from.
    pub sha256: &'a str,
    pub content_type: &'a str,
    /// The name it is downloaded under (already cleaned at upload).
    pub filename: &'a str,
    pub size_bytes: i64,
    pub cache_control: &'a str,
}

/// Streams a file of the content store with its type, download name, length
/// and a sandboxing CSP; a missing file is logged and answered with the
/// generic message (`page`: where a refusal would send the browser back).
pub async fn stored_file(data_dir: &std::path::Path, f: StoredFile<'_>, page: &str) -> Response {
    use crate::documents::rules::{content_disposition, shown_inline};
    let Some(path) = super::files::path_of(data_dir, f.sha256) else {
        return refusal(AppError::internal("stored hash is not a hash"), page);
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(e) => {
            return refusal(
                AppError::internal(format!("stored file {}: {e}", path.display())),
                page,
            )
        }
    };
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(f.filename, shown_inline(f.filename)),
            ),
            (header::CONTENT_LENGTH, f.size_bytes.to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                STORED_FILE_POLICY.to_string(),
            ),
            (header::CACHE_CONTROL, f.cache_control.to_string()),
        ],
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response()
}
