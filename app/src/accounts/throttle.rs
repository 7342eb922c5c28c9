//! The sign-in throttle's store: one counter row per key and window (see
//! `rules::admit` for the policy). An attempt is counted *before* its password
//! is verified, with a compare-and-set on the row, so any number of parallel
//! attempts, on one node or several, verify no more passwords than the limits
//! allow. Counted for any submitted address, known or not, so the throttle
//! reveals nothing about which accounts exist.

use super::rules::{admit, Counter, Limit, ACCOUNT_LIMIT, ADDR_LIMIT, PAIR_LIMIT, WINDOW_SECS};
use crate::error::AppError;
use crate::platform::db::Pool;

/// Attempts to take a counter before giving up under contention.
const CAS_TRIES: usize = 8;

/// The keys an attempt counts against, with their limits.
fn keys(email: &str, addr: &str) -> [(String, Limit); 3] {
    [
        (format!("pair:{email} {addr}"), PAIR_LIMIT),
        (format!("account:{email}"), ACCOUNT_LIMIT),
        (format!("address:{addr}"), ADDR_LIMIT),
    ]
}

/// Counts one attempt on one key; `Err(wait)` when the limit refuses it.
async fn count_one(
    pool: &Pool,
    key: &str,
    limit: Limit,
    now: i64,
) -> Result<Result<(), i64>, AppError> {
    for _ in 0..CAS_TRIES {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT window_start, attempts, last_at FROM signin_counters WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(pool)
        .await?;
        let current = row.map(|(window_start, attempts, last_at)| Counter {
            window_start,
            attempts,
            last_at,
        });
        let next = match admit(current, limit, now) {
            Ok(next) => next,
            Err(wait) => return Ok(Err(wait)),
        };
        let written = match current {
            None => sqlx::query(
                "INSERT INTO signin_counters (key, window_start, attempts, last_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(next.window_start)
            .bind(next.attempts)
            .bind(next.last_at)
            .execute(pool)
            .await?
            .rows_affected(),
            Some(old) => sqlx::query(
                "UPDATE signin_counters SET window_start = $1, attempts = $2, last_at = $3
                 WHERE key = $4 AND window_start = $5 AND attempts = $6 AND last_at = $7",
            )
            .bind(next.window_start)
            .bind(next.attempts)
            .bind(next.last_at)
            .bind(key)
            .bind(old.window_start)
            .bind(old.attempts)
            .bind(old.last_at)
            .execute(pool)
            .await?
            .rows_affected(),
        };
        if written == 1 {
            return Ok(Ok(()));
        }
        // Another attempt changed the row first: read it again.
    }
    Ok(Err(1))
}

/// Counts a sign-in attempt for an account from an address, before its password
/// is verified. Refuses it, with the wait, when a limit is reached.
pub async fn count_attempt(pool: &Pool, email: &str, addr: &str, now: i64) -> Result<(), AppError> {
    for (key, limit) in keys(email, addr) {
        if let Err(retry_after_secs) = count_one(pool, &key, limit, now).await? {
            tracing::warn!(%addr, key = key.split(':').next().unwrap_or_default(), retry_after_secs, "sign-in throttled");
            return Err(AppError::TooManyAttempts { retry_after_secs });
        }
    }
    Ok(())
}

/// A successful sign-in clears the counters of the account and of this
/// account-and-address pair, and gives its `counted` attempts (the password's,
/// and the second factor's when there was one) back to the address's counter,
/// which spans accounts: that one counts failures, so an office whose people
/// sign in all morning from one address is never slowed down.
pub async fn record_success(
    pool: &Pool,
    email: &str,
    addr: &str,
    counted: i64,
) -> Result<(), AppError> {
    let [(pair, _), (account, _), (address, _)] = keys(email, addr);
    sqlx::query("DELETE FROM signin_counters WHERE key = $1 OR key = $2")
        .bind(pair)
        .bind(account)
        .execute(pool)
        .await?;
    sqlx::query(
        "UPDATE signin_counters SET attempts = attempts - $1 WHERE key = $2 AND attempts >= $1",
    )
    .bind(counted)
    .bind(address)
    .execute(pool)
    .await?;
    Ok(())
}

/// Removes counters whose window has ended.
pub async fn prune<'e, E: sqlx::Executor<'e, Database = crate::platform::db::Db>>(
    db: E,
    now: i64,
) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM signin_counters WHERE window_start <= $1")
            .bind(now - WINDOW_SECS)
            .execute(db)
            .await?
            .rows_affected(),
    )
}
