//! `GET /training/export.csv?org=`: the training matrix of an organisation as
//! a CSV file, one row per person and course (required or taken). A plain
//! route, because it answers with a file; it resolves the caller and the
//! organisation like the server functions do (another organisation: 404).

use super::super::rules::due_day;
use super::matrix::{matrix, MatrixFilter};
use crate::dates::format_day;
use crate::identity::Permission;
use crate::platform::guard::{Access, Caller};
use crate::platform::{download, AppState};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use std::collections::HashMap;

pub use super::pages::EXPORT_PATH as PATH;

pub async fn handler(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let access = Access::Requires(Permission::ManageTraining);
    let user = match download::permitted_user(caller, access, PATH) {
        Ok(user) => user,
        Err(e) => return download::refusal(e, "/training"),
    };
    let org = query.get("org").map(String::as_str).unwrap_or_default();
    let m = match matrix(&state.pool, &user, org, &MatrixFilter::default()).await {
        Ok(m) => m,
        Err(e) => return download::refusal(e, "/training"),
    };
    download::csv("careport-training.csv", csv_of(&m))
}

fn csv_of(m: &super::api::TrainingMatrix) -> Result<Vec<u8>, String> {
    let mut w = download::CsvExport::new(&[
        "person",
        "email",
        "job_role",
        "course",
        "required",
        "status",
        "lessons_done",
        "lessons_total",
        "due",
        "expires",
    ])?;
    for r in &m.rows {
        for (cell, course) in r.cells.iter().zip(&m.columns) {
            let Some(c) = cell else { continue };
            w.row([
                r.name.as_str(),
                &r.email,
                r.job_role.as_deref().unwrap_or_default(),
                &course.title,
                if c.required { "yes" } else { "no" },
                c.status.as_str(),
                &c.lessons_done.to_string(),
                &c.lessons_total.to_string(),
                &c.due_at.map(due_day).unwrap_or_default(),
                &c.expires_at.map(format_day).unwrap_or_default(),
            ])?;
        }
    }
    w.finish()
}
