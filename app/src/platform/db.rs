//! The database: one shared pool for the process.
//!
//! SQLite is the embedded default. Queries are written in the SQL subset that
//! SQLite and PostgreSQL share (`$1` placeholders, `RETURNING`, integer epoch
//! timestamps), so the PostgreSQL backend swaps `Db` and the migrations directory.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub type Db = sqlx::Sqlite;
pub type Pool = sqlx::Pool<Db>;
/// A transaction on the pool (demo data and multi-statement writes).
pub type Tx = sqlx::Transaction<'static, Db>;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Opens the pool: WAL journal, foreign keys on, a busy timeout, and migrations applied.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}
