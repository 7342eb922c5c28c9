//! The job runner: work that no request triggers, safe on several nodes.
//!
//! Every server process runs one [`Runner`]. Work comes as items of the
//! `job_queue` table, each of a kind with a [`Handler`]; periodic jobs
//! ([`Schedule`]) enqueue one item per period, deduplicated by a unique key, so
//! however many nodes run, each period runs once.
//!
//! - **Claimed by one node.** A runner claims due items by writing a lease (a
//!   fresh token and an expiry) in one `UPDATE`; on PostgreSQL the candidates are
//!   selected `FOR UPDATE SKIP LOCKED`, so two runners never claim the same item
//!   and never wait on each other; SQLite has one writer at a time.
//! - **Never done twice.** The handler does its work inside a transaction, and
//!   the item is marked done in that same transaction only if the lease is still
//!   this runner's. A runner that outlived its lease rolls its work back.
//! - **Picked up after a crash.** A runner that dies leaves its lease to expire;
//!   then another claims the item again. Work not finished rolls back with the
//!   dead connection.
//! - **Failures** are retried with a growing delay, up to [`MAX_ATTEMPTS`], then
//!   the item is kept as `failed`. Each kind's last run, duration and failures go
//!   to `job_status` (the admin's jobs page) and to the log.
//! - **Attempts are counted at the claim**, so a worker that dies while running
//!   an item (out of memory, `kill -9`) uses one too: an item that has used all
//!   its attempts is never claimed again, and once the lease of its last one has
//!   run out it is kept as `failed` ([`Runner::give_up_dead_workers`]), like an
//!   item whose handler failed every time.
//!
//! Handlers whose effect leaves the database (e-mail, later) happen at least
//! once: they must be idempotent on the receiving side.

use super::db::{self, Db, Pool, Tx};
use super::now;
use crate::error::AppError;
use sqlx::QueryBuilder;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Attempts before an item is kept as failed.
pub const MAX_ATTEMPTS: i64 = 5;

/// One claimed unit of work.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

/// What a handler returns: a one-line summary for the log and the jobs page.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<String, AppError>> + Send + 'a>>;

/// Does one item's work inside the given transaction.
pub type Handler = Arc<dyn for<'a> Fn(&'a mut Tx, &'a Item) -> JobFuture<'a> + Send + Sync>;

/// Wraps a closure as a [`Handler`].
pub fn handler<F>(f: F) -> Handler
where
    F: for<'a> Fn(&'a mut Tx, &'a Item) -> JobFuture<'a> + Send + Sync + 'static,
{
    Arc::new(f)
}

/// A periodic job: one item of `kind` every `every_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub kind: &'static str,
    pub every_secs: i64,
}

/// The periodic jobs of the application (`crate::wiring::jobs`), provided
/// to each request for the jobs page.
#[derive(Debug, Clone)]
pub struct Schedules(pub std::sync::Arc<[Schedule]>);

/// The kinds a runner can do, and the periodic ones among them.
#[derive(Clone, Default)]
pub struct Jobs {
    handlers: HashMap<String, Handler>,
    schedules: Vec<Schedule>,
}

impl Jobs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a kind of item.
    pub fn on(mut self, kind: &str, h: Handler) -> Self {
        self.handlers.insert(kind.to_string(), h);
        self
    }

    /// Adds a periodic job (its kind needs a handler too).
    pub fn every(mut self, kind: &'static str, every_secs: i64, h: Handler) -> Self {
        self.schedules.push(Schedule { kind, every_secs });
        self.on(kind, h)
    }

    pub fn schedules(&self) -> &[Schedule] {
        &self.schedules
    }
}

/// The item key of a periodic job's period containing `at`: the same on every
/// node, so the period is enqueued once.
pub fn period_key(s: Schedule, at: i64) -> (String, i64) {
    let slot = at.div_euclid(s.every_secs);
    (format!("{}@{slot}", s.kind), slot * s.every_secs)
}

/// The delay before retrying an item that failed `attempts` times: 10 s, 20 s,
/// 40 s… up to an hour.
pub fn retry_delay_secs(attempts: i64) -> i64 {
    (10i64 << attempts.clamp(1, 20).saturating_sub(1)).min(3600)
}

/// Adds an item, due at `run_at`. With a `unique_key`, an item with the same key
/// is never added twice (the call then does nothing and returns `None`).
pub async fn enqueue<'e, E: sqlx::Executor<'e, Database = Db>>(
    db: E,
    kind: &str,
    payload: &serde_json::Value,
    run_at: i64,
    unique_key: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO job_queue (kind, payload, unique_key, run_at, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unique_key) DO NOTHING RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(unique_key)
    .bind(run_at)
    .bind(now())
    .fetch_optional(db)
    .await
}

fn wake_signal() -> &'static tokio::sync::Notify {
    static WAKE: std::sync::OnceLock<tokio::sync::Notify> = std::sync::OnceLock::new();
    WAKE.get_or_init(tokio::sync::Notify::new)
}

/// Wakes this process's runner now (call after committing an item someone is
/// waiting for); runners on other nodes find it at their next poll.
pub fn wake() {
    wake_signal().notify_one();
}

/// Runs jobs for one server process.
#[derive(Clone)]
pub struct Runner {
    pool: Pool,
    jobs: Arc<Jobs>,
    /// Names this process in the logs and on the jobs page.
    pub node: String,
    pub lease_secs: i64,
    pub poll: Duration,
    pub batch: i64,
    /// The period each schedule was last enqueued for by this runner, so that a
    /// tick writes only when a new period has begun.
    enqueued: Arc<std::sync::Mutex<HashMap<&'static str, String>>>,
}

/// How one item ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed(String),
    /// The lease had expired and another runner may hold it: work rolled back.
    LeaseLost,
}

impl Runner {
    pub fn new(pool: Pool, jobs: Jobs, node: impl Into<String>) -> Self {
        Runner {
            pool,
            jobs: Arc::new(jobs),
            node: node.into(),
            lease_secs: 300,
            poll: Duration::from_secs(5),
            batch: 20,
            enqueued: Arc::default(),
        }
    }

    /// Runs until `stop` turns true: enqueue due periods, claim and do items,
    /// sleep when there is nothing to do. The current item is finished first.
    pub async fn run(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        tracing::info!(node = %self.node, kinds = self.jobs.handlers.len(), "job runner started");
        while !*stop.borrow() {
            let worked = match self.tick().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(node = %self.node, error = %e, "job runner: database error; retrying");
                    0
                }
            };
            if worked == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(self.poll) => {}
                    _ = wake_signal().notified() => {}
                    _ = stop.changed() => {}
                }
            }
        }
        tracing::info!(node = %self.node, "job runner stopped");
    }

    /// One round: enqueue due periods, then claim one batch and do it. Returns
    /// how many items were done or failed.
    pub async fn tick(&self) -> Result<usize, sqlx::Error> {
        self.schedule(now()).await?;
        let items = self.claim(now()).await?;
        let n = items.len();
        for (item, token) in items {
            self.process(&item, &token).await?;
        }
        Ok(n)
    }

    /// Enqueues the current period of every periodic job (once across nodes).
    /// Each period is written once per runner; the unique key keeps it once
    /// across runners.
    pub async fn schedule(&self, at: i64) -> Result<(), sqlx::Error> {
        for s in &self.jobs.schedules {
            let (key, run_at) = period_key(*s, at);
            if self.last_enqueued(s.kind).as_deref() == Some(key.as_str()) {
                continue;
            }
            enqueue(
                &self.pool,
                s.kind,
                &serde_json::json!({}),
                run_at,
                Some(&key),
            )
            .await?;
            if let Ok(mut done) = self.enqueued.lock() {
                done.insert(s.kind, key);
            }
        }
        Ok(())
    }

    fn last_enqueued(&self, kind: &str) -> Option<String> {
        self.enqueued.lock().ok()?.get(kind).cloned()
    }

    /// Claims up to `batch` due items of the kinds this runner knows, each with
    /// its own lease token. An item that has used its [`MAX_ATTEMPTS`] is never
    /// claimed: first, those whose last worker died are given up.
    pub async fn claim(&self, at: i64) -> Result<Vec<(Item, String)>, sqlx::Error> {
        self.give_up_dead_workers(at).await?;
        if self.jobs.handlers.is_empty() {
            return Ok(vec![]);
        }
        let token = format!("{}#{:016x}", self.node, rand::random::<u64>());
        let mut q = QueryBuilder::<Db>::new("UPDATE job_queue SET lease_token = ");
        q.push_bind(&token)
            .push(", lease_until = ")
            .push_bind(at + self.lease_secs)
            .push(", attempts = attempts + 1 WHERE id IN (SELECT id FROM job_queue WHERE state = 'due' AND run_at <= ")
            .push_bind(at)
            .push(" AND (lease_until IS NULL OR lease_until < ")
            .push_bind(at)
            .push(") AND attempts < ")
            .push_bind(MAX_ATTEMPTS)
            .push(" AND kind IN (");
        let mut kinds = q.separated(", ");
        for k in self.jobs.handlers.keys() {
            kinds.push_bind(k.as_str());
        }
        q.push(") ORDER BY run_at, id LIMIT ").push_bind(self.batch);
        if cfg!(feature = "postgres") {
            q.push(" FOR UPDATE SKIP LOCKED");
        }
        q.push(") RETURNING id, kind, payload, attempts");
        let items: Vec<Item> = q.build_query_as().fetch_all(&self.pool).await?;
        Ok(items.into_iter().map(|i| (i, token.clone())).collect())
    }

    /// Keeps as `failed` every item whose worker stopped on its last attempt:
    /// its lease ran out with [`MAX_ATTEMPTS`] used and nothing recorded (a
    /// handler that returns an error fails the item itself). Kinds this runner
    /// does not know included: the attempts are the queue's, not a handler's.
    /// One conditional `UPDATE`, so on several nodes each item is given up, and
    /// recorded on the jobs page, once. Returns how many were given up.
    pub async fn give_up_dead_workers(&self, at: i64) -> Result<usize, sqlx::Error> {
        let given_up: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "UPDATE job_queue SET state = 'failed', finished_at = $1, lease_token = NULL,
                    lease_until = NULL,
                    last_error = CASE WHEN last_error IS NULL
                        THEN 'The worker stopped (crashed or was killed) '
                             || CAST(attempts AS TEXT) || ' times while running this item.'
                        ELSE 'The worker stopped (crashed or was killed) while running this item, on the last of its '
                             || CAST(attempts AS TEXT) || ' attempts. Earlier: ' || last_error
                    END
             WHERE state = 'due' AND attempts >= $2 AND lease_until IS NOT NULL AND lease_until < $3
             RETURNING id, kind, attempts, last_error",
        )
        .bind(at)
        .bind(MAX_ATTEMPTS)
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        for (id, kind, attempts, error) in &given_up {
            tracing::warn!(node = %self.node, %kind, item = id, attempts, %error, "job given up: its worker stopped on every attempt");
            self.record_given_up(kind, at, error).await?;
        }
        Ok(given_up.len())
    }

    /// Records on the jobs page an item given up by [`Self::give_up_dead_workers`]:
    /// a failed run, with its error; the last run's time, node and duration stay
    /// those of the last run that ended.
    async fn record_given_up(&self, kind: &str, at: i64, error: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO job_status (kind, last_started_at, last_duration_ms, last_outcome, last_summary,
                                     last_node, last_failure_at, last_error, runs, failures)
             VALUES ($1, $2, 0, 'failed', '', $3, $2, $4, 1, 1)
             ON CONFLICT (kind) DO UPDATE SET
                last_outcome = excluded.last_outcome,
                last_failure_at = excluded.last_failure_at,
                last_error = excluded.last_error,
                runs = job_status.runs + 1,
                failures = job_status.failures + 1",
        )
        .bind(kind)
        .bind(at)
        .bind(&self.node)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Does one claimed item and records how it went.
    pub async fn process(&self, item: &Item, token: &str) -> Result<Outcome, sqlx::Error> {
        let Some(handler) = self.jobs.handlers.get(&item.kind) else {
            return Ok(Outcome::Failed("no handler".into()));
        };
        let started_at = now();
        let clock = Instant::now();
        let mut tx = db::begin_write(&self.pool).await?;
        let result = handler(&mut tx, item).await;
        let (outcome, summary) = match result {
            Ok(summary) => {
                let finished = sqlx::query(
                    "UPDATE job_queue SET state = 'done', finished_at = $1, lease_token = NULL,
                            lease_until = NULL, last_error = NULL
                     WHERE id = $2 AND lease_token = $3 AND state = 'due'",
                )
                .bind(now())
                .bind(item.id)
                .bind(token)
                .execute(&mut *tx)
                .await?;
                if finished.rows_affected() == 1 {
                    tx.commit().await?;
                    (Outcome::Done, summary)
                } else {
                    tx.rollback().await?;
                    (Outcome::LeaseLost, String::new())
                }
            }
            Err(e) => {
                tx.rollback().await?;
                let message = e.to_string();
                let at = now();
                sqlx::query(
                    "UPDATE job_queue SET lease_token = NULL, lease_until = NULL, last_error = $1,
                            run_at = $2,
                            state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'due' END
                     WHERE id = $4 AND lease_token = $5",
                )
                .bind(&message)
                .bind(at + retry_delay_secs(item.attempts))
                .bind(MAX_ATTEMPTS)
                .bind(item.id)
                .bind(token)
                .execute(&self.pool)
                .await?;
                (Outcome::Failed(message), String::new())
            }
        };
        let ms = clock.elapsed().as_millis() as i64;
        match &outcome {
            Outcome::Done => {
                tracing::info!(node = %self.node, kind = %item.kind, item = item.id, ms, %summary, "job done")
            }
            Outcome::Failed(error) => {
                tracing::warn!(node = %self.node, kind = %item.kind, item = item.id, ms, attempt = item.attempts, %error, "job failed")
            }
            Outcome::LeaseLost => {
                tracing::warn!(node = %self.node, kind = %item.kind, item = item.id, ms, "job outlived its lease; its work was rolled back")
            }
        }
        if outcome != Outcome::LeaseLost {
            self.record_status(&item.kind, started_at, ms, &outcome, &summary)
                .await?;
        }
        Ok(outcome)
    }

    async fn record_status(
        &self,
        kind: &str,
        started_at: i64,
        ms: i64,
        outcome: &Outcome,
        summary: &str,
    ) -> Result<(), sqlx::Error> {
        let (label, error, failed) = match outcome {
            Outcome::Failed(e) => ("failed", Some(e.as_str()), 1i64),
            _ => ("ok", None, 0),
        };
        sqlx::query(
            "INSERT INTO job_status (kind, last_started_at, last_duration_ms, last_outcome, last_summary,
                                     last_node, last_failure_at, last_error, runs, failures)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)
             ON CONFLICT (kind) DO UPDATE SET
                last_started_at = excluded.last_started_at,
                last_duration_ms = excluded.last_duration_ms,
                last_outcome = excluded.last_outcome,
                last_summary = excluded.last_summary,
                last_node = excluded.last_node,
                last_failure_at = COALESCE(excluded.last_failure_at, job_status.last_failure_at),
                last_error = COALESCE(excluded.last_error, job_status.last_error),
                runs = job_status.runs + 1,
                failures = job_status.failures + excluded.failures",
        )
        .bind(kind)
        .bind(started_at)
        .bind(ms)
        .bind(label)
        .bind(summary)
        .bind(&self.node)
        .bind(error.map(|_| started_at))
        .bind(error)
        .bind(failed)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Removes finished items older than `keep_secs` (the queue is not a history;
/// job_status and the audit trail are).
pub async fn prune_finished(tx: &mut Tx, before: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM job_queue WHERE state = 'done' AND finished_at < $1")
            .bind(before)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// This process's name: host name and process id.
pub fn node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "node".into());
    format!("{host}/{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_the_same_on_every_node() {
        let s = Schedule {
            kind: "x",
            every_secs: 600,
        };
        assert_eq!(period_key(s, 1200), ("x@2".to_string(), 1200));
        assert_eq!(period_key(s, 1799), ("x@2".to_string(), 1200));
        assert_eq!(period_key(s, 1800).0, "x@3");
    }

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(retry_delay_secs(1), 10);
        assert_eq!(retry_delay_secs(2), 20);
        assert_eq!(retry_delay_secs(3), 40);
        assert_eq!(retry_delay_secs(30), 3600);
    }
}
