//! `GET /audit/export.csv`: the audit search as a CSV file, for the supplier
//! admin. A plain route rather than a server function, because it answers with
//! a file; it applies the same permission and account gate
//! (`platform::download::permitted_user`).

use super::api::AuditFilter;
use super::{queries, rules};
use crate::dates::iso_utc;
use crate::identity::Permission;
use crate::platform::guard::{Access, Caller};
use crate::platform::{download, AppState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub use super::api::EXPORT_PATH as PATH;

pub async fn handler(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Query(filter): Query<AuditFilter>,
) -> Response {
    if let Err(e) = download::permitted_user(caller, Access::Requires(Permission::ViewAudit), PATH)
    {
        return download::refusal(e, "/audit");
    }
    let query = match rules::AuditQuery::parse(&filter) {
        Ok(q) => q,
        Err(msg) => return (StatusCode::UNPROCESSABLE_ENTITY, msg).into_response(),
    };
    download::csv("careport-audit.csv", csv_of(&state, &query).await)
}

async fn csv_of(state: &AppState, query: &rules::AuditQuery) -> Result<Vec<u8>, String> {
    let entries = queries::search(&state.pool, query, rules::EXPORT_MAX_ROWS, 0)
        .await
        .map_err(|e| e.to_string())?;
    let mut w = download::CsvExport::new(&[
        "id",
        "time_utc",
        "actor_email",
        "actor_id",
        "organisation",
        "organisation_id",
        "action",
        "object_kind",
        "object_id",
        "client_address",
        "detail",
    ])?;
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    for e in entries {
        w.row([
            e.id.to_string(),
            iso_utc(e.at),
            e.actor_email.unwrap_or_default(),
            opt(e.actor_id),
            e.org_name.unwrap_or_default(),
            opt(e.org_id),
            e.action.as_str().to_string(),
            e.object_kind,
            e.object_id,
            e.client_addr,
            e.detail,
        ])?;
    }
    w.finish()
}
