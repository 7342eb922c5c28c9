//! Throttling of failed sign-ins, per account and per client address, in a
//! sliding window. Counted for any submitted address, known or not, so the
//! throttle reveals nothing about which accounts exist.

use super::db::Pool;
use crate::error::AppError;

pub const WINDOW_SECS: i64 = 15 * 60;
pub const ACCOUNT_LIMIT: usize = 5;
pub const ADDR_LIMIT: usize = 20;

/// Seconds until another attempt is allowed, given the failure times inside the
/// window (ascending), or `None` when an attempt is allowed now.
pub fn lockout(failures: &[i64], limit: usize, now: i64) -> Option<i64> {
    let recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|t| now - t < WINDOW_SECS)
        .collect();
    if recent.len() < limit {
        return None;
    }
    // Allowed again once enough of the oldest failures have left the window.
    let freeing = recent[recent.len() - limit];
    Some((freeing + WINDOW_SECS - now).max(1))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_until_limit_then_waits_for_oldest_to_expire() {
        let now = 10_000;
        assert_eq!(lockout(&[], 5, now), None);
        assert_eq!(
            lockout(&[now - 50, now - 40, now - 30, now - 20], 5, now),
            None
        );
        let five = [now - 100, now - 40, now - 30, now - 20, now - 10];
        assert_eq!(lockout(&five, 5, now), Some(WINDOW_SECS - 100));
        // Failures older than the window do not count.
        let old = [
            now - WINDOW_SECS - 1,
            now - 40,
            now - 30,
            now - 20,
            now - 10,
        ];
        assert_eq!(lockout(&old, 5, now), None);
        // With more than the limit, the wait is until enough leave the window.
        let six = [now - 200, now - 100, now - 40, now - 30, now - 20, now - 10];
        assert_eq!(lockout(&six, 5, now), Some(WINDOW_SECS - 100));
    }
}
