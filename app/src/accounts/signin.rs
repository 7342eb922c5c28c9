//! Signing in and out: the password, the second factor when the account has
//! two-step verification on, and the session that follows.

use super::api::SessionUser;
use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a correct password leads to. (The browser needs nothing more: the next
/// page learns who is signed in from the session.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginOutcome {
    /// Signed in: the session cookie is set.
    SignedIn,
    /// The account has two-step verification on: a code comes next, at
    /// `/login/two-step` (a short-lived challenge cookie is set).
    SecondFactor,
}

/// Signs in with e-mail and password. Starts a new session (a fresh id, never a
/// reused one) and sets the session cookie; with two-step verification on,
/// starts the wait for the code instead.
#[access(public)]
#[server(prefix = "/api", endpoint = "accounts/login")]
pub async fn login(email: String, password: String) -> Result<LoginOutcome, AppError> {
    use super::{passwords, queries, rules, second_factor, throttle};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{now, set_cookie, state};
    let st = state()?;
    let email = rules::normalize_email(&email);
    if email.is_empty() || password.is_empty() {
        return Err(AppError::validation(
            "Enter your e-mail address and your password.",
        ));
    }
    // No account has a longer address (creation refuses it): answer at once,
    // and keep unbounded input out of the logs and the throttle's keys.
    if email.chars().count() > rules::MAX_EMAIL_CHARS {
        return Err(AppError::InvalidCredentials);
    }
    let at = now();
    // Counted before the password is verified, so parallel guesses cannot
    // overtake the limit.
    throttle::count_attempt(&st.pool, &email, &caller.client_addr, at).await?;

    let account = queries::credentials(&st.pool, &email).await?;
    // Over-long input is refused without hashing it, but only after the same lookup.
    let plausible = password.len() <= 4 * rules::MAX_PASSWORD_CHARS;
    let (user_id, stored, enabled) = match account {
        Some((id, hash, enabled)) => (Some(id), Some(hash), enabled),
        None => (None, None, false),
    };
    let verified = plausible && passwords::verify(password, stored).await?;
    let Some(user_id) = user_id.filter(|_| verified && enabled) else {
        let reason = rules::failure_reason(user_id.is_some(), verified);
        record_failure(&caller.client_addr, user_id, &email, reason, at).await?;
        return Err(AppError::InvalidCredentials);
    };

    if second_factor::is_on(&st.pool, user_id).await? {
        // The throttle's count stands until the second factor is given too.
        let token = second_factor::create_challenge(&st.pool, user_id, at).await?;
        set_cookie(second_factor::cookie(&st.config, Some(&token)))?;
        tracing::info!(
            user = user_id,
            "password accepted; waiting for the second factor"
        );
        return Ok(LoginOutcome::SecondFactor);
    }
    throttle::record_success(&st.pool, &email, &caller.client_addr, 1).await?;
    let user = start_session(&caller, user_id, at, None).await?;
    let event = Event::by(&user, AuditAction::SignInSucceeded, "user", user_id);
    audit::record(&st.pool, at, &event).await?;
    Ok(LoginOutcome::SignedIn)
}

/// The second step of signing in: a code of the authenticator app, or one of
/// the recovery codes. Needs the challenge cookie set by a correct password.
#[access(public)]
#[server(prefix = "/api", endpoint = "accounts/login-code")]
pub async fn login_second_factor(code: String) -> Result<(), AppError> {
    use super::{queries, second_factor, throttle};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{now, set_cookie, state};
    let st = state()?;
    let at = now();
    let expired = || {
        AppError::validation(
            "This sign-in has expired or had too many wrong codes. Start again with your e-mail and password.",
        )
    };
    let headers = use_context::<http::request::Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let token = second_factor::token_from_headers(&headers, &st.config).ok_or_else(expired)?;
    if code.trim().is_empty() {
        return Err(AppError::validation(
            "Enter the 6-digit code from your authenticator app, or a recovery code.",
        ));
    }
    if code.len() > 64 {
        return Err(AppError::validation("That code is not correct."));
    }
    let user_id = second_factor::take_attempt(&st.pool, &token, at)
        .await?
        .ok_or_else(expired)?;
    let (email, enabled) = queries::email_and_enabled(&st.pool, user_id)
        .await?
        .ok_or_else(expired)?;
    throttle::count_attempt(&st.pool, &email, &caller.client_addr, at).await?;
    let method = match second_factor::verify(&st.pool, user_id, &code, at).await? {
        Some(method) if enabled => method,
        _ => {
            let reason = if enabled {
                "wrong_second_factor"
            } else {
                "deactivated"
            };
            record_failure(&caller.client_addr, Some(user_id), &email, reason, at).await?;
            return Err(AppError::validation(
                "That code is not correct. Codes change every 30 seconds: check that your phone's clock is right, or use a recovery code.",
            ));
        }
    };
    second_factor::end_challenge(&st.pool, &token).await?;
    set_cookie(second_factor::cookie(&st.config, None))?;
    // Two attempts were counted: the password's and this code's.
    throttle::record_success(&st.pool, &email, &caller.client_addr, 2).await?;
    let user = start_session(&caller, user_id, at, Some(method)).await?;
    let event = Event::by(&user, AuditAction::SignInSucceeded, "user", user_id)
        .detail(serde_json::json!({ "second_factor": method.as_str() }));
    audit::record(&st.pool, at, &event).await
}

/// Records a refused sign-in in the log and the audit trail.
#[cfg(feature = "ssr")]
async fn record_failure(
    client_addr: &str,
    user_id: Option<i64>,
    email: &str,
    reason: &str,
    at: i64,
) -> Result<(), AppError> {
    use crate::audit::{self, AuditAction, Event};
    let st = crate::platform::state()?;
    tracing::info!(%email, addr = %client_addr, reason, "sign-in failed");
    let failed = Event {
        action: AuditAction::SignInFailed,
        actor: None,
        object: ("user", user_id.map(|id| id.to_string()).unwrap_or_default()),
        detail: serde_json::json!({ "email": email, "reason": reason }),
        client_addr,
    };
    audit::record(&st.pool, at, &failed).await
}

/// Starts the session of a user who has just proved who they are: ends the
/// session the browser presented, if any, and sets the new cookie.
#[cfg(feature = "ssr")]
async fn start_session(
    caller: &crate::platform::guard::Caller,
    user_id: i64,
    at: i64,
    method: Option<super::second_factor::Method>,
) -> Result<SessionUser, AppError> {
    use super::{queries, sessions};
    use crate::platform::{set_cookie, state};
    let st = state()?;
    if let Some(old) = &caller.token {
        sessions::revoke(&st.pool, old).await?;
    }
    let token = sessions::create(
        &st.pool,
        user_id,
        &caller.client_addr,
        &caller.user_agent,
        at,
    )
    .await?;
    queries::record_login(&st.pool, user_id, at).await?;
    set_cookie(sessions::set_cookie(&st.config, &token))?;
    let user = queries::session_user(&st.pool, user_id, &st.config).await?;
    tracing::info!(
        user = user_id,
        second_factor = method.map(|m| m.as_str()),
        "signed in"
    );
    Ok(user)
}

/// Checks the signed-in user's own password before a sensitive change, counted
/// by the sign-in throttle like a sign-in.
#[cfg(feature = "ssr")]
pub(crate) async fn verify_own_password(
    pool: &crate::platform::db::Pool,
    me: &SessionUser,
    password: String,
    client_addr: &str,
    at: i64,
) -> Result<(), AppError> {
    use super::{passwords, queries, throttle};
    throttle::count_attempt(pool, &me.email, client_addr, at).await?;
    let stored = queries::password_hash(pool, me.id).await?;
    if !passwords::verify(password, Some(stored)).await? {
        return Err(AppError::validation(
            "Your current password is not correct.",
        ));
    }
    throttle::record_success(pool, &me.email, client_addr, 1).await
}

/// Signs out: ends the session on the server and clears the cookie.
#[access(public)]
#[server(prefix = "/api", endpoint = "accounts/logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::sessions;
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{now, set_cookie, state};
    let st = state()?;
    if let Some(token) = &caller.token {
        sessions::revoke(&st.pool, token).await?;
    }
    if let Some(s) = &caller.session {
        let event = Event::by(&s.user, AuditAction::SignedOut, "user", s.user.id);
        audit::record(&st.pool, now(), &event).await?;
    }
    set_cookie(sessions::clear_cookie(&st.config))
}

/// The signed-in user, or `None`.
#[access(public)]
#[server(prefix = "/api", endpoint = "accounts/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(caller.session.map(|s| s.user))
}
