//! Throttling of failed sign-ins, per account and per client address, in a
//! sliding window. Counted for any submitted address, known or not, so the
//! throttle reveals nothing about which accounts exist.

pub use super::rules::{lockout, ACCOUNT_LIMIT, ADDR_LIMIT, WINDOW_SECS};
use crate::error::AppError;
use crate::platform::db::Pool;

async fn times(pool: &Pool, column: &str, key: &str, now: i64) -> Result<Vec<i64>, AppError> {
    let sql = format!("SELECT at FROM login_failures WHERE {column} = $1 AND at > $2 ORDER BY at");
    Ok(sqlx::query_scalar(&sql)
        .bind(key)
        .bind(now - WINDOW_SECS)
        .fetch_all(pool)
        .await?)
}

/// Refuses the attempt when the account or the address has failed too often.
pub async fn check(pool: &Pool, email: &str, addr: &str, now: i64) -> Result<(), AppError> {
    let by_account = lockout(&times(pool, "email", email, now).await?, ACCOUNT_LIMIT, now);
    let by_addr = lockout(
        &times(pool, "client_addr", addr, now).await?,
        ADDR_LIMIT,
        now,
    );
    match by_account.max(by_addr) {
        Some(retry_after_secs) => {
            tracing::warn!(%email, %addr, retry_after_secs, "sign-in throttled");
            Err(AppError::TooManyAttempts { retry_after_secs })
        }
        None => Ok(()),
    }
}

pub async fn record_failure(
    pool: &Pool,
    email: &str,
    addr: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(now - WINDOW_SECS)
        .execute(pool)
        .await?;
    sqlx::query("INSERT INTO login_failures (email, client_addr, at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(addr)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

/// A successful sign-in clears the account's failures (not the address's).
pub async fn clear_account(pool: &Pool, email: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(pool)
        .await?;
    Ok(())
}
