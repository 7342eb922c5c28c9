//! Catalogue import: types and server functions (supplier admin only). The
//! upload stores the files and queues the job; the import page follows it.

use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// The file inputs of the import form, in the order they are written.
pub const IMPORT_FILES: [(&str, &str); 4] = [
    ("parts", "Parts"),
    ("bom", "BOM lines"),
    ("fits", "Model fits"),
    ("supersessions", "Supersessions"),
];

/// The largest CSV file accepted.
pub const MAX_IMPORT_FILE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ImportSummary {
    pub id: i64,
    /// queued, done or refused.
    pub status: String,
    pub summary: String,
    pub error_count: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub uploaded_by: String,
    /// The JSON object of file kinds and hashes.
    pub files: String,
}

impl ImportSummary {
    /// The kinds of file the import holds, for people.
    pub fn file_labels(&self) -> String {
        IMPORT_FILES
            .iter()
            .filter(|(k, _)| self.files.contains(&format!("\"{k}\"")))
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRowError {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub phase: String,
    pub done: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDetail {
    pub import: ImportSummary,
    pub errors: Vec<ImportRowError>,
    /// While it runs, on the node doing it.
    pub progress: Option<ImportProgress>,
}

#[cfg(feature = "ssr")]
const SELECT_COLUMNS: &str = "SELECT i.id, i.status, i.summary, i.error_count, i.created_at,
        i.finished_at, u.display_name AS uploaded_by, i.files";
#[cfg(feature = "ssr")]
const SELECT_FROM: &str = " FROM catalog_imports i JOIN users u ON u.id = i.uploaded_by";

/// The latest imports, newest first.
#[access(ManageCatalog)]
#[server(prefix = "/api", endpoint = "catalog/imports")]
pub async fn list_imports() -> Result<Vec<ImportSummary>, AppError> {
    let st = crate::platform::state()?;
    Ok(sqlx::query_as(&format!(
        "{SELECT_COLUMNS}{SELECT_FROM} ORDER BY i.id DESC LIMIT 20"
    ))
    .fetch_all(&st.pool)
    .await?)
}

/// One import: its outcome, every faulty row, or its progress while it runs.
#[access(ManageCatalog)]
#[server(prefix = "/api", endpoint = "catalog/imports/get")]
pub async fn get_import(id: i64) -> Result<ImportDetail, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        import: ImportSummary,
        errors: String,
        progress_key: String,
    }
    let st = crate::platform::state()?;
    let row: Option<Row> = sqlx::query_as(&format!(
        "{} , i.errors, i.progress_key {} WHERE i.id = $1",
        SELECT_COLUMNS, SELECT_FROM
    ))
    .bind(id)
    .fetch_optional(&st.pool)
    .await?;
    let Row {
        import,
        errors,
        progress_key: key,
    } = row.ok_or_else(|| AppError::NotFound("The import".into()))?;
    let errors: Vec<ImportRowError> = serde_json::from_str(&errors).unwrap_or_default();
    let progress = (import.status == "queued")
        .then(|| super::import_job::progress(&key))
        .flatten()
        .map(|p| ImportProgress {
            phase: p.phase.to_string(),
            done: p.done as u64,
            total: p.total as u64,
        });
    Ok(ImportDetail {
        import,
        errors,
        progress,
    })
}

/// Stores the uploaded CSV files (any of the four) and queues their import;
/// answers the import's id and sends a browser to its page.
#[access(ManageCatalog, upload)]
#[server(prefix = "/api", endpoint = "catalog/imports/start", input = MultipartFormData)]
pub async fn start_import(data: MultipartData) -> Result<i64, AppError> {
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, files, jobs, now};
    let st = crate::platform::state()?;
    let kinds: Vec<&str> = IMPORT_FILES.iter().map(|(k, _)| *k).collect();
    let sent = crate::platform::multipart::read(data, &kinds, MAX_IMPORT_FILE_BYTES, |field| {
        let label = IMPORT_FILES
            .iter()
            .find(|(k, _)| *k == field)
            .map_or("", |(_, l)| *l);
        format!("The {} file", label.to_lowercase())
    })
    .await?;
    let mut stored = serde_json::Map::new();
    for file in sent.files.into_iter().filter(|f| !f.bytes.is_empty()) {
        let sha = files::put(&st.config.data_dir, &file.bytes)
            .await
            .map_err(AppError::internal)?;
        stored.insert(file.field, serde_json::Value::String(sha));
    }
    if stored.is_empty() {
        return Err(AppError::Validation(
            "Choose at least one CSV file to import.".into(),
        ));
    }
    let files_json = serde_json::Value::Object(stored).to_string();
    let key = crate::platform::random_token();
    let at = now();
    let me = &session.user;
    let mut tx = db::begin_write(&st.pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO catalog_imports (uploaded_by, files, progress_key, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(me.id)
    .bind(&files_json)
    .bind(&key)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    jobs::enqueue(
        &mut *tx,
        super::import_job::KIND,
        &serde_json::json!({ "import": id }),
        at,
        Some(&format!("{}#{id}", super::import_job::KIND)),
    )
    .await?;
    let event = Event::by(me, AuditAction::CatalogImportStarted, "catalog_import", id)
        .detail(serde_json::from_str(&files_json).unwrap_or_default());
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    jobs::wake();
    leptos_axum::redirect(&format!("/catalog/import/{id}"));
    Ok(id)
}
