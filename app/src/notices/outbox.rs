//! The outbox, server-only: rules write messages here; the job runner delivers
//! them to the in-app notices. Each message has a key, so a rule that runs
//! again (every hour, on every node) writes it once.

use crate::platform::db::{Db, Pool, Tx};
use crate::platform::jobs::{self, handler, Handler};
use crate::platform::now;

/// The delivery job: moves undelivered messages into the users' notices.
pub const DELIVER: &str = "notices.deliver";
/// A sweep for messages nobody asked to deliver now (written on another node).
pub const DELIVER_EVERY_SECS: i64 = 60;
/// Messages delivered by one run of the job.
const BATCH: i64 = 1000;

/// A message to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub user_id: i64,
    /// What it is about, for filtering and for a later e-mail template.
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
    /// A path of this app.
    pub link: String,
    /// The same key is written once.
    pub key: String,
}

/// Writes a message unless one with its key is there already; true when written.
pub async fn write<'e, E: sqlx::Executor<'e, Database = Db>>(
    db: E,
    m: &Message,
    at: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO outbox (user_id, kind, subject, body, link, dedupe_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(m.user_id)
    .bind(m.kind)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(&m.link)
    .bind(&m.key)
    .bind(at)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// Asks the job runner to deliver now (after the messages are committed).
pub async fn request_delivery(pool: &Pool) {
    match jobs::enqueue(pool, DELIVER, &serde_json::json!({}), now(), None).await {
        Ok(_) => jobs::wake(),
        // The periodic sweep delivers them a little later.
        Err(e) => tracing::warn!(error = %e, "could not ask for notice delivery"),
    }
}

/// Delivers up to one batch of messages to the in-app notices, oldest first.
/// A message is delivered once: its notice is unique by message, and the
/// message is marked delivered in the same transaction.
pub async fn deliver(tx: &mut Tx, at: i64) -> Result<u64, sqlx::Error> {
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(id) FROM (SELECT id FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT $1) batch",
    )
    .bind(BATCH)
    .fetch_one(&mut **tx)
    .await?;
    let Some(last) = last else {
        return Ok(0);
    };
    sqlx::query(
        "INSERT INTO notices (user_id, outbox_id, kind, subject, body, link, created_at)
         SELECT user_id, id, kind, subject, body, link, created_at FROM outbox
         WHERE delivered_at IS NULL AND id <= $1
         ON CONFLICT (outbox_id) DO NOTHING",
    )
    .bind(last)
    .execute(&mut **tx)
    .await?;
    Ok(
        sqlx::query("UPDATE outbox SET delivered_at = $1 WHERE delivered_at IS NULL AND id <= $2")
            .bind(at)
            .bind(last)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

pub fn deliver_handler() -> Handler {
    handler(|tx, _item| {
        Box::pin(async move {
            let n = deliver(tx, now()).await?;
            Ok(format!("{n} notices delivered"))
        })
    })
}
