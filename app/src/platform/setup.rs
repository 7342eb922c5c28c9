//! The installation's flags: a database that holds the demo dataset says so
//! itself, so production settings can refuse it. (The first administrator
//! comes from `server create-admin`: `accounts::setup`.)

use super::db::{self, Pool};
use super::now;

/// The password of every demo account (README: demo accounts).
pub const DEMO_PASSWORD: &str = "careport-demo";

pub const DEMO_FLAG: &str = "demo_data";

/// Marks the database as holding the demo dataset (inside the demo's transaction).
pub async fn mark_demo(tx: &mut db::Tx) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO installation_flags (name, set_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(DEMO_FLAG)
    .bind(now())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Whether the database holds the demo dataset.
pub async fn is_demo(pool: &Pool) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM installation_flags WHERE name = $1")
        .bind(DEMO_FLAG)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}
