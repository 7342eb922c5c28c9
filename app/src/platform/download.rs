//! Plain routes that answer with a file (the CSV exports): who may download,
//! decided like for a server function, and the file's response.

use super::guard::{account_gate, check, Access, Caller};
use crate::accounts::SessionUser;
use crate::error::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

/// The signed-in user allowed to download from `path`: the access check and
/// the account gate of the server functions. Otherwise the answer to send: an
/// anonymous visitor goes to sign-in and comes back to `page`; someone who must
/// first change their password or turn on two-step verification goes there.
pub fn permitted_user(
    caller: Option<Extension<Caller>>,
    access: Access,
    path: &str,
    page: &str,
) -> Result<SessionUser, Response> {
    let user = caller.and_then(|Extension(c)| c.session.map(|s| s.user));
    let verdict = check(access, user.as_ref()).and_then(|()| account_gate(user.as_ref(), path));
    match (verdict, user) {
        (Ok(()), Some(user)) => Ok(user),
        (Err(AppError::PasswordChangeRequired), _) => Err(Redirect::to("/account").into_response()),
        (Err(AppError::SecondFactorRequired), _) => {
            Err(Redirect::to("/account/two-step").into_response())
        }
        (Err(AppError::Unauthenticated), _) | (Ok(()), None) => Err(Redirect::to(&format!(
            "/login?next={}",
            crate::shell::encode_component(page)
        ))
        .into_response()),
        (Err(e), _) => Err((
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN),
            e.to_string(),
        )
            .into_response()),
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
