//! Audit SQL: the one writer, and the search.

use super::api::{AuditAction, AuditEntry};
use super::rules::{contains_pattern, AuditQuery};
use crate::error::AppError;
use crate::identity::SessionUser;
use crate::platform::db::{Db, Pool};
use sqlx::{Executor, QueryBuilder};

/// One action to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: AuditAction,
    /// The user who acted and their organisation; `None` for an anonymous
    /// caller (a failed sign-in).
    pub actor: Option<(i64, i64)>,
    /// What the action was done to: a kind (`user`, `organisation`, `session`…)
    /// and its id.
    pub object: (&'static str, String),
    /// A small JSON object with what else matters (never secrets).
    pub detail: serde_json::Value,
    /// The client address of the request, if any.
    pub client_addr: &'a str,
}

impl<'a> Event<'a> {
    /// An action by a signed-in user on an object (the client address is the
    /// current request's, taken by [`record`]).
    pub fn by(
        user: &SessionUser,
        action: AuditAction,
        kind: &'static str,
        id: impl ToString,
    ) -> Self {
        Event {
            action,
            actor: Some((user.id, user.org_id)),
            object: (kind, id.to_string()),
            detail: serde_json::Value::Object(Default::default()),
            client_addr: "",
        }
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// Names the client address explicitly (outside a request, or another one).
    pub fn from_addr(mut self, addr: &'a str) -> Self {
        self.client_addr = addr;
        self
    }
}

/// Records an action: the one function every module calls, on the pool or
/// inside the transaction of the change it records (so both happen or neither).
pub async fn record<'e, E: Executor<'e, Database = Db>>(
    db: E,
    at: i64,
    event: &Event<'_>,
) -> Result<(), AppError> {
    let (actor_id, org_id) = event.actor.unzip();
    // The address of the current request unless the event names one.
    let request_addr;
    let client_addr = if event.client_addr.is_empty() {
        request_addr = crate::platform::guard::caller().client_addr;
        request_addr.as_str()
    } else {
        event.client_addr
    };
    sqlx::query(
        "INSERT INTO audit_events (at, actor_id, org_id, action, object_kind, object_id, detail, client_addr)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at)
    .bind(actor_id)
    .bind(org_id)
    .bind(event.action)
    .bind(event.object.0)
    .bind(&event.object.1)
    .bind(event.detail.to_string())
    .bind(client_addr)
    .execute(db)
    .await?;
    Ok(())
}

fn push_where(q: &mut QueryBuilder<'_, Db>, query: &AuditQuery) {
    q.push(" WHERE 1 = 1");
    if let Some(actor) = &query.actor {
        q.push(" AND LOWER(u.email) LIKE ")
            .push_bind(contains_pattern(actor))
            .push(" ESCAPE '\\'");
    }
    if let Some(org) = query.org_id {
        q.push(" AND a.org_id = ").push_bind(org);
    }
    if let Some(action) = query.action {
        q.push(" AND a.action = ").push_bind(action);
    }
    if let Some(from) = query.from {
        q.push(" AND a.at >= ").push_bind(from);
    }
    if let Some(until) = query.until {
        q.push(" AND a.at < ").push_bind(until);
    }
}

const FROM: &str = " FROM audit_events a
     LEFT JOIN users u ON u.id = a.actor_id
     LEFT JOIN organisations o ON o.id = a.org_id";

/// How many entries match.
pub async fn count(pool: &Pool, query: &AuditQuery) -> Result<i64, sqlx::Error> {
    let mut q = QueryBuilder::new("SELECT COUNT(*)");
    q.push(FROM);
    push_where(&mut q, query);
    q.build_query_scalar().fetch_one(pool).await
}

/// The matching entries, newest first.
pub async fn search(
    pool: &Pool,
    query: &AuditQuery,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT a.id, a.at, a.actor_id, u.email AS actor_email, a.org_id, o.name AS org_name,
                a.action, a.object_kind, a.object_id, a.detail, a.client_addr",
    );
    q.push(FROM);
    push_where(&mut q, query);
    q.push(" ORDER BY a.id DESC LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    q.build_query_as().fetch_all(pool).await
}
