//! Accounts: sign-in, sign-out, the current user, and changing a password.

pub mod rules;
pub mod users;

use crate::error::AppError;
use crate::model::SessionUser;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::authz::Permission;
#[cfg(feature = "ssr")]
use crate::server::guard::Access;

/// Access entries for this module's server functions.
#[cfg(feature = "ssr")]
pub const POLICIES: &[(&str, Access)] = {
    use crate::server::guard::entry;
    &[
        entry::<Login>(Access::Public),
        entry::<Logout>(Access::Public),
        entry::<CurrentUser>(Access::Public),
        entry::<ChangePassword>(Access::Requires(Permission::SignedIn)),
    ]
};

#[cfg(feature = "ssr")]
fn set_cookie(value: String) -> Result<(), AppError> {
    let opts = use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| AppError::internal("ResponseOptions missing"))?;
    let value = http::HeaderValue::from_str(&value).map_err(AppError::internal)?;
    opts.append_header(http::header::SET_COOKIE, value);
    Ok(())
}

#[cfg(feature = "ssr")]
pub(crate) async fn load_session_user(
    pool: &crate::server::db::Pool,
    user_id: i64,
) -> Result<SessionUser, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, u.org_id, o.name AS org_name, o.kind AS org_kind
         FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?)
}

/// Signs in with e-mail and password. Starts a new session (a fresh id, never a
/// reused one) and sets the session cookie.
#[server(prefix = "/api", endpoint = "accounts/login")]
pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
    use crate::server::{guard, now, passwords, sessions, state, throttle};
    let caller = guard::public::<Login>()?;
    let st = state()?;
    let email = rules::normalize_email(&email);
    if email.is_empty() || password.is_empty() {
        return Err(AppError::validation(
            "Enter your e-mail address and your password.",
        ));
    }
    let at = now();
    throttle::check(&st.pool, &email, &caller.client_addr, at).await?;

    let account: Option<(i64, String, bool)> = sqlx::query_as(
        "SELECT u.id, u.password_hash, u.active AND o.active
         FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1",
    )
    .bind(&email)
    .fetch_optional(&st.pool)
    .await?;
    // Over-long input is refused without hashing it, but only after the same lookup.
    let plausible = password.len() <= 4 * rules::MAX_PASSWORD_CHARS;
    let (user_id, stored, enabled) = match account {
        Some((id, hash, enabled)) => (Some(id), Some(hash), enabled),
        None => (None, None, false),
    };
    let verified = plausible && passwords::verify(password, stored).await?;
    let Some(user_id) = user_id.filter(|_| verified && enabled) else {
        throttle::record_failure(&st.pool, &email, &caller.client_addr, at).await?;
        tracing::info!(%email, addr = %caller.client_addr, "sign-in failed");
        return Err(AppError::InvalidCredentials);
    };

    throttle::clear_account(&st.pool, &email).await?;
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
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(at)
        .bind(user_id)
        .execute(&st.pool)
        .await?;
    set_cookie(sessions::set_cookie(&st.config, &token))?;
    tracing::info!(user = user_id, "signed in");
    load_session_user(&st.pool, user_id).await
}

/// Signs out: ends the session on the server and clears the cookie.
#[server(prefix = "/api", endpoint = "accounts/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{guard, sessions, state};
    let caller = guard::public::<Logout>()?;
    let st = state()?;
    if let Some(token) = &caller.token {
        sessions::revoke(&st.pool, token).await?;
    }
    set_cookie(sessions::clear_cookie(&st.config))
}

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "accounts/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let caller = crate::server::guard::public::<CurrentUser>()?;
    Ok(caller.session.map(|s| s.user))
}

/// Changes the caller's password and ends their other sessions. Returns how many
/// other sessions were ended.
#[server(prefix = "/api", endpoint = "accounts/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<u64, AppError> {
    use crate::server::{guard, now, passwords, sessions, state, throttle};
    let session = guard::enter::<ChangePassword>()?;
    let caller = guard::caller();
    let st = state()?;
    let me = &session.user;
    if new_password != confirm_password {
        return Err(AppError::validation(
            "The new password and its confirmation do not match.",
        ));
    }
    rules::check_new_password(&new_password, &me.email).map_err(AppError::Validation)?;
    let at = now();
    throttle::check(&st.pool, &me.email, &caller.client_addr, at).await?;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(me.id)
        .fetch_one(&st.pool)
        .await?;
    if !passwords::verify(current_password, Some(stored)).await? {
        throttle::record_failure(&st.pool, &me.email, &caller.client_addr, at).await?;
        return Err(AppError::validation(
            "Your current password is not correct.",
        ));
    }
    let hash = passwords::hash(new_password).await?;
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(at)
        .bind(me.id)
        .execute(&st.pool)
        .await?;
    let ended = sessions::revoke_all_for_user(&st.pool, me.id, Some(&session.id)).await?;
    tracing::info!(user = me.id, ended, "password changed");
    Ok(ended)
}
