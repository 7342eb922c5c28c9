//! The database: one shared pool for the process.
//!
//! SQLite is the embedded default; the `postgres` cargo feature switches the
//! backend to PostgreSQL, for several app nodes over one database. The query code
//! is the same for both: it is written in the SQL that SQLite and PostgreSQL share
//! (`$1` placeholders, `RETURNING`, `ON CONFLICT`, integer epoch timestamps,
//! booleans). Only the DDL differs, so each backend has its migrations directory,
//! `migrations/sqlite/` and `migrations/postgres/`, kept as twins.

use std::time::Duration;

#[cfg(not(feature = "postgres"))]
pub type Db = sqlx::Sqlite;
#[cfg(feature = "postgres")]
pub type Db = sqlx::Postgres;

pub type Pool = sqlx::Pool<Db>;
/// A transaction on the pool (demo data and multi-statement writes).
pub type Tx = sqlx::Transaction<'static, Db>;

#[cfg(not(feature = "postgres"))]
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
#[cfg(feature = "postgres")]
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// A database backend, as named by a database URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend this server was built for.
    pub const BUILT: Backend = if cfg!(feature = "postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };

    /// The backend a database URL names, or a message for a URL of no known kind.
    pub fn of_url(url: &str) -> Result<Backend, String> {
        let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Ok(Backend::Sqlite),
            Some("postgres" | "postgresql") => Ok(Backend::Postgres),
            _ => Err(format!(
                "CAREPORT_DATABASE_URL must start with sqlite:// or postgres://, not '{}'",
                url.split_once("://").map(|(s, _)| s).unwrap_or(url)
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// Refuses a URL this build cannot open, naming the build that can.
    pub fn check_url(url: &str) -> Result<(), String> {
        let wanted = Backend::of_url(url)?;
        if wanted == Backend::BUILT {
            return Ok(());
        }
        Err(match wanted {
            Backend::Postgres => {
                "CAREPORT_DATABASE_URL names a PostgreSQL database, but this server \
                 was built for SQLite. Build it with the `postgres` feature \
                 (cargo leptos build --release --bin-features ssr,postgres)."
                    .to_string()
            }
            Backend::Sqlite => {
                "CAREPORT_DATABASE_URL names a SQLite database, but this server was \
                 built with the `postgres` feature. Build it without that feature for SQLite, or \
                 give a postgres:// URL."
                    .to_string()
            }
        })
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL names another backend, or none: starting again will not help.
    #[error("{0}")]
    Config(String),
    /// The database did not answer (yet): worth retrying.
    #[error("the database is unreachable: {0}")]
    Unreachable(sqlx::Error),
    #[error("the database refused the connection: {0}")]
    Refused(sqlx::Error),
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl ConnectError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, ConnectError::Unreachable(_))
    }
}

impl From<sqlx::Error> for ConnectError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_) => {
                ConnectError::Unreachable(e)
            }
            sqlx::Error::Configuration(c) => ConnectError::Config(c.to_string()),
            other => ConnectError::Refused(other),
        }
    }
}

/// Opens the pool and applies the migrations. SQLite runs with a WAL journal,
/// foreign keys on and a busy timeout; PostgreSQL's migrator holds an advisory
/// lock, so nodes starting together migrate once.
pub async fn connect(url: &str, max_connections: u32) -> Result<Pool, ConnectError> {
    Backend::check_url(url).map_err(ConnectError::Config)?;
    let pool = open(url, max_connections).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

#[cfg(not(feature = "postgres"))]
async fn open(url: &str, max_connections: u32) -> Result<Pool, ConnectError> {
    use sqlx::sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
    };
    use std::str::FromStr;
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    Ok(SqlitePoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?)
}

#[cfg(feature = "postgres")]
async fn open(url: &str, max_connections: u32) -> Result<Pool, ConnectError> {
    use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
    use sqlx::{ConnectOptions, Connection};
    use std::str::FromStr;
    // JIT compilation pays for long analytical queries; the app's are short,
    // and a few of them (the training matrix's) cost enough to trigger it:
    // 15 ms of compiling for a query that runs in less.
    let options = PgConnectOptions::from_str(url)?
        .application_name("careport")
        .options([("jit", "off")]);
    // One direct connection first: an unreachable server fails at once with its
    // real error (refused, unknown host), not after the pool's acquire timeout.
    options.connect().await?.close().await?;
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?)
}

/// Begins a transaction that writes: on SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`, waiting up to the busy timeout), so a transaction that
/// reads before it writes never fails on a lock upgrade.
pub async fn begin_write(pool: &Pool) -> Result<Tx, sqlx::Error> {
    if cfg!(feature = "postgres") {
        pool.begin().await
    } else {
        pool.begin_with("BEGIN IMMEDIATE").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend() {
        assert_eq!(Backend::of_url("sqlite://data/x.db"), Ok(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://u@h/db"), Ok(Backend::Postgres));
        assert_eq!(
            Backend::of_url("postgresql://u@h/db"),
            Ok(Backend::Postgres)
        );
        let err = Backend::of_url("mysql://u@h/db").unwrap_err();
        assert!(
            err.contains("sqlite://") && err.contains("'mysql'"),
            "{err}"
        );
        assert!(Backend::of_url("data/careport.db").is_err());
    }

    #[test]
    fn the_other_backend_names_the_build_to_use() {
        let other = match Backend::BUILT {
            Backend::Sqlite => "postgres://u@h/db",
            Backend::Postgres => "sqlite://x.db",
        };
        let err = Backend::check_url(other).unwrap_err();
        assert!(err.contains("`postgres` feature"), "{err}");
        let own = match Backend::BUILT {
            Backend::Sqlite => "sqlite://x.db",
            Backend::Postgres => "postgres://u@h/db",
        };
        assert_eq!(Backend::check_url(own), Ok(()));
    }
}
