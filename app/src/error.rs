//! One typed application error, shared by server and browser.
//!
//! Every variant maps to an HTTP status and to a message a person understands.
//! Internal failures carry no detail: the detail is logged on the server where the
//! error is converted, never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("{0}")]
    Validation(String),
    #[error("The e-mail address or password is incorrect.")]
    InvalidCredentials,
    #[error("Too many sign-in attempts. Please try again in {}.", wait_text(*retry_after_secs))]
    TooManyAttempts { retry_after_secs: i64 },
    #[error("The request could not be understood. Please reload the page and try again.")]
    BadRequest,
    #[error("What was sent is too large.")]
    TooLarge,
    #[error("Choose your own password first: the one your administrator set must be changed before you continue.")]
    PasswordChangeRequired,
    #[error("Turn on two-step verification first: it is required for your account.")]
    SecondFactorRequired,
    #[error("Careport is busy right now. Please try again in a few seconds.")]
    Busy { retry_after_secs: i64 },
    #[error("The server could not be reached. Check your connection and try again.")]
    Network,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

/// "5 seconds", "1 minute", "15 minutes": a wait as people say it.
fn wait_text(secs: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if secs < 60 {
        plural(secs.max(1), "second")
    } else {
        plural((secs + 59) / 60, "minute")
    }
}

impl AppError {
    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden
            | AppError::PasswordChangeRequired
            | AppError::SecondFactorRequired => 403,
            AppError::NotFound(_) => 404,
            AppError::Validation(_) => 422,
            AppError::TooManyAttempts { .. } => 429,
            AppError::BadRequest => 400,
            AppError::TooLarge => 413,
            AppError::Network | AppError::Busy { .. } => 503,
            AppError::Internal => 500,
        }
    }

    /// Seconds the client should wait before retrying, for a `Retry-After` header.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            AppError::TooManyAttempts { retry_after_secs }
            | AppError::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    pub fn validation(msg: impl Into<String>) -> Self {
        AppError::Validation(msg.into())
    }

    /// Logs an internal failure and returns the opaque error shown to people.
    #[track_caller]
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        {
            let at = std::panic::Location::caller();
            tracing::error!(%detail, location = %at, "internal error");
        }
        #[cfg(not(feature = "ssr"))]
        let _ = detail;
        AppError::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Serialization(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) => AppError::Network,
            other => AppError::internal(other),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return AppError::Validation("That value is already in use.".into());
            }
        }
        AppError::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_messages() {
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::validation("x").status(), 422);
        let e = AppError::TooManyAttempts {
            retry_after_secs: 61,
        };
        assert_eq!(e.status(), 429);
        assert_eq!(
            e.to_string(),
            "Too many sign-in attempts. Please try again in 2 minutes."
        );
        let e = AppError::TooManyAttempts {
            retry_after_secs: 10,
        };
        assert_eq!(
            e.to_string(),
            "Too many sign-in attempts. Please try again in 10 seconds."
        );
        let e = AppError::TooManyAttempts {
            retry_after_secs: 1,
        };
        assert_eq!(
            e.to_string(),
            "Too many sign-in attempts. Please try again in 1 second."
        );
        assert_eq!(
            AppError::Busy {
                retry_after_secs: 2
            }
            .status(),
            503
        );
        assert_eq!(AppError::TooLarge.status(), 413);
        assert!(!AppError::Internal.to_string().contains("sqlx"));
    }

    #[test]
    fn round_trips_as_json() {
        let e = AppError::validation("Name is required.");
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
    }
}
