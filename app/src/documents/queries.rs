//! Document SQL (server-only).

use super::api::{Document, DocumentVersion};
use super::rules::{may_read, Reader};
use crate::accounts::SessionUser;
use crate::catalog::queries::push_unit_scope;
use crate::catalog::rules::UnitScope;
use crate::organisations::OrgKind;
use crate::platform::db::{Db, Pool};
use sqlx::QueryBuilder;
use std::collections::HashSet;

/// The models whose documents a caller's organisation may read: those of the
/// units in its scope (every model for the supplier's staff).
pub async fn models_in_scope(pool: &Pool, user: &SessionUser) -> Result<HashSet<i64>, sqlx::Error> {
    let mut q: QueryBuilder<'_, Db> = QueryBuilder::new(
        "SELECT DISTINCT u.model_id FROM units u JOIN organisations c ON c.id = u.customer_id",
    );
    push_unit_scope(&mut q, UnitScope::of(user));
    let ids: Vec<i64> = q.build_query_scalar().fetch_all(pool).await?;
    Ok(ids.into_iter().collect())
}

/// The certification levels a user holds. Certification has not landed yet, so
/// nobody outside the supplier's staff holds one and service-level documents
/// stay with the staff; the certification issue makes this a query.
pub async fn held_levels(_pool: &Pool, _user: &SessionUser) -> Result<Vec<String>, sqlx::Error> {
    Ok(Vec::new())
}

fn reader<'a>(user: &SessionUser, held: &'a [String]) -> Reader<'a> {
    Reader {
        staff: user.org_kind == OrgKind::Supplier,
        partner: user.org_kind == OrgKind::Partner,
        held_levels: held,
    }
}

/// The documents a user may read (of one model, or all), with their versions.
pub async fn readable(
    pool: &Pool,
    user: &SessionUser,
    model: Option<i64>,
) -> Result<Vec<Document>, sqlx::Error> {
    let scope = models_in_scope(pool, user).await?;
    let held = held_levels(pool, user).await?;
    let reader = reader(user, &held);
    let mut q: QueryBuilder<'_, Db> = QueryBuilder::new(
        "SELECT d.id, d.model_id, m.code AS model_code, d.kind, d.title, d.language, d.required_level
         FROM documents d JOIN equipment_models m ON m.id = d.model_id",
    );
    if let Some(m) = model {
        q.push(" WHERE d.model_id = ").push_bind(m);
    }
    q.push(" ORDER BY m.code, d.kind, d.title, d.language");
    let mut docs: Vec<Document> = q
        .build_query_as::<Document>()
        .fetch_all(pool)
        .await?
        .into_iter()
        .filter(|d| {
            may_read(
                &reader,
                scope.contains(&d.model_id),
                d.required_level.as_deref(),
            )
        })
        .collect();
    if docs.is_empty() {
        return Ok(docs);
    }
    let mut q: QueryBuilder<'_, Db> = QueryBuilder::new(
        "SELECT id, document_id, version, filename, size_bytes, uploaded_at
         FROM document_versions WHERE document_id IN (",
    );
    let mut ids = q.separated(", ");
    for d in &docs {
        ids.push_bind(d.id);
    }
    q.push(") ORDER BY id DESC");
    let versions: Vec<DocumentVersion> = q.build_query_as().fetch_all(pool).await?;
    for d in &mut docs {
        d.versions = versions
            .iter()
            .filter(|v| v.document_id == d.id)
            .cloned()
            .collect();
    }
    Ok(docs)
}

/// A version's file, as the download needs it.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredVersion {
    pub model_id: i64,
    pub required_level: Option<String>,
    pub sha256: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// A version's file if the user may read its document; `None` otherwise, as if
/// it did not exist.
pub async fn readable_version(
    pool: &Pool,
    user: &SessionUser,
    version_id: i64,
) -> Result<Option<StoredVersion>, sqlx::Error> {
    let found: Option<StoredVersion> = sqlx::query_as(
        "SELECT d.model_id, d.required_level, v.sha256, v.filename, v.content_type, v.size_bytes
         FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE v.id = $1",
    )
    .bind(version_id)
    .fetch_optional(pool)
    .await?;
    let Some(v) = found else { return Ok(None) };
    let scope = models_in_scope(pool, user).await?;
    let held = held_levels(pool, user).await?;
    let ok = may_read(
        &reader(user, &held),
        scope.contains(&v.model_id),
        v.required_level.as_deref(),
    );
    Ok(ok.then_some(v))
}
