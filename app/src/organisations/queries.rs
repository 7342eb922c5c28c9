//! Organisation SQL (server-only), in the dialect SQLite and PostgreSQL share.

use super::api::{OrgKind, Organisation, PartnerKind, Segment};
use super::rules::{NewOrg, OrgScope};
use crate::platform::db::{Db, Pool};
use sqlx::{Executor, QueryBuilder};

/// Adds the `WHERE` clause of a scope over `organisations o`: [`OrgScope::includes`] in SQL.
pub fn push_scope(q: &mut QueryBuilder<'_, Db>, scope: OrgScope) {
    match scope {
        OrgScope::All => {}
        OrgScope::PartnerOf(partner) => {
            q.push(" WHERE (o.id = ")
                .push_bind(partner)
                .push(" OR o.assigned_partner_id = ")
                .push_bind(partner)
                .push(")");
        }
        OrgScope::Own(id) => {
            q.push(" WHERE o.id = ").push_bind(id);
        }
    }
}

/// The organisations inside a scope: supplier first, then partners, then customers.
pub async fn visible(pool: &Pool, scope: OrgScope) -> Result<Vec<Organisation>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT o.id, o.name, o.kind, o.partner_kind, o.segment, o.assigned_partner_id,
                p.name AS assigned_partner_name, o.active,
                (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id) AS user_count
         FROM organisations o LEFT JOIN organisations p ON p.id = o.assigned_partner_id",
    );
    push_scope(&mut q, scope);
    q.push(" ORDER BY CASE o.kind WHEN 'supplier' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, o.name");
    q.build_query_as().fetch_all(pool).await
}

pub async fn kind_and_active(pool: &Pool, id: i64) -> Result<Option<(OrgKind, bool)>, sqlx::Error> {
    sqlx::query_as("SELECT kind, active FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Inserts an organisation, on the pool or inside a transaction (`&mut **tx`, the demo data).
pub async fn insert<'e, E: Executor<'e, Database = Db>>(
    db: E,
    new: &NewOrg,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO organisations (name, kind, partner_kind, segment, assigned_partner_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&new.name)
    .bind(new.kind)
    .bind(new.partner_kind.map(PartnerKind::as_str))
    .bind(new.segment.map(Segment::as_str))
    .bind(new.assigned_partner_id)
    .bind(at)
    .fetch_one(db)
    .await
}

pub async fn set_active<'e, E: Executor<'e, Database = Db>>(
    db: E,
    id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE organisations SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}
