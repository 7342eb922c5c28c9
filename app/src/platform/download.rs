//! Plain routes that answer with a file (the CSV exports): who may download,
//! decided like for a server function, and the file's response.

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
