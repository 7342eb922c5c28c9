//! Server-side sessions. The browser holds a random 256-bit token in an HttpOnly
//! cookie; the database holds only its SHA-256, so a leaked database cannot be
//! replayed as cookies.

use crate::accounts::SessionUser;
use crate::error::AppError;
use crate::platform::{db::Pool, guard::Session, Config};
use sha2::{Digest, Sha256};

/// Cookie name; with secure cookies the `__Host-` prefix pins it to this host and HTTPS.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies {
        "__Host-careport_session"
    } else {
        "careport_session"
    }
}

pub(crate) fn session_id(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) use crate::platform::random_token as new_token;

/// The `Set-Cookie` value that carries a new session.
pub fn set_cookie(config: &Config, token: &str) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
        cookie_name(config)
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(config: &Config) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        cookie_name(config)
    )
}

/// The session token from a `Cookie` header, if any.
pub fn token_from_headers(headers: &http::HeaderMap, config: &Config) -> Option<String> {
    cookie_value(headers, cookie_name(config))
}

/// The non-empty value of the cookie `name` in the request's `Cookie` headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

/// Starts a new session for a user and returns its token (for the cookie).
pub async fn create(
    pool: &Pool,
    user_id: i64,
    client_addr: &str,
    user_agent: &str,
    now: i64,
) -> Result<String, AppError> {
    let token = new_token();
    let ua: String = user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, last_seen_at, client_addr, user_agent)
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(session_id(&token))
    .bind(user_id)
    .bind(now)
    .bind(client_addr)
    .bind(ua)
    .execute(pool)
    .await?;
    Ok(token)
}

/// Whether a session is still alive under the configured idle and absolute timeouts.
pub fn is_alive(created_at: i64, last_seen_at: i64, now: i64, config: &Config) -> bool {
    super::rules::session_alive(
        created_at,
        last_seen_at,
        now,
        config.session_idle_secs,
        config.session_absolute_secs,
    )
}

/// A user's sessions: (stored id, created, last seen, address, user agent), most
/// recently used first.
pub async fn list_for_user(
    pool: &Pool,
    user_id: i64,
) -> Result<Vec<(String, i64, i64, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, created_at, last_seen_at, client_addr, user_agent FROM sessions
         WHERE user_id = $1 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?)
}

/// Ends one of a user's sessions, named by its reference; how many ended.
pub async fn revoke_by_ref<'e, E: sqlx::Executor<'e, Database = crate::platform::db::Db>>(
    db: E,
    user_id: i64,
    session_ref: &str,
) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND substr(id, 1, 16) = $2")
            .bind(user_id)
            .bind(session_ref)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// Removes sessions past their idle or absolute timeout (the background job).
pub async fn prune_expired<'e, E: sqlx::Executor<'e, Database = crate::platform::db::Db>>(
    db: E,
    now: i64,
    config: &Config,
) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(now - config.session_idle_secs)
            .bind(now - config.session_absolute_secs)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// Looks up the session behind a token. Expired sessions, and sessions of
/// deactivated users or organisations, are ended and yield `None`.
pub async fn resolve(
    pool: &Pool,
    token: &str,
    now: i64,
    config: &Config,
) -> Result<Option<Session>, AppError> {
    use sqlx::Row;
    let id = session_id(token);
    let sql = format!(
        "SELECT s.created_at, s.last_seen_at, u.active AND o.active AS enabled, {}
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN organisations o ON o.id = u.org_id
         WHERE s.id = $1",
        super::queries::SESSION_USER_COLUMNS
    );
    let row = sqlx::query(&sql).bind(&id).fetch_optional(pool).await?;
    let Some(row) = row else { return Ok(None) };
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    let enabled: bool = row.try_get("enabled")?;
    if !enabled || !is_alive(created_at, last_seen_at, now, config) {
        revoke_id(pool, &id).await?;
        return Ok(None);
    }
    let mut user = <SessionUser as sqlx::FromRow<_>>::from_row(&row)?;
    user.apply_policy(config);
    // Sliding idle timeout; written at most once a minute to spare the database.
    if now - last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&id)
            .execute(pool)
            .await?;
    }
    Ok(Some(Session { id, user }))
}

async fn revoke_id(pool: &Pool, id: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends the session behind a token.
pub async fn revoke(pool: &Pool, token: &str) -> Result<(), AppError> {
    revoke_id(pool, &session_id(token)).await
}

/// Ends every session of a user, except the one with id `keep`.
pub async fn revoke_all_for_user<'e, E: sqlx::Executor<'e, Database = crate::platform::db::Db>>(
    db: E,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Deactivating an organisation ends its people's sessions: registered with
/// organisations, which run it in the deactivation's transaction.
fn on_organisation_deactivated(
    tx: &mut crate::platform::db::Tx,
    org_id: i64,
) -> crate::organisations::hooks::HookFuture<'_> {
    Box::pin(revoke_all_for_org(&mut **tx, org_id))
}

inventory::submit! { crate::organisations::hooks::OnOrganisationDeactivated(on_organisation_deactivated) }

/// Ends the sessions of every user of an organisation.
pub async fn revoke_all_for_org<'e, E: sqlx::Executor<'e, Database = crate::platform::db::Db>>(
    db: E,
    org_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE org_id = $1)",
    )
    .bind(org_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_attributes() {
        let mut c = Config::default();
        let set = set_cookie(&c, "tok");
        assert_eq!(set, "careport_session=tok; Path=/; HttpOnly; SameSite=Lax");
        c.secure_cookies = true;
        assert_eq!(
            set_cookie(&c, "tok"),
            "__Host-careport_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(clear_cookie(&c).contains("Max-Age=0"));
    }

    #[test]
    fn token_parsing() {
        let c = Config::default();
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=b; careport_session=xyz; c=d".parse().unwrap(),
        );
        assert_eq!(token_from_headers(&h, &c).as_deref(), Some("xyz"));
        h.insert(http::header::COOKIE, "careport_session=".parse().unwrap());
        assert_eq!(token_from_headers(&h, &c), None);
    }

    #[test]
    fn timeouts() {
        let c = Config::default();
        assert!(is_alive(0, 0, c.session_idle_secs, &c));
        assert!(!is_alive(0, 0, c.session_idle_secs + 1, &c));
        let late = c.session_absolute_secs + 1;
        assert!(
            !is_alive(0, late - 10, late, &c),
            "absolute timeout despite activity"
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(session_id(&a).len(), 64);
        assert_ne!(session_id(&a), a);
    }
}
