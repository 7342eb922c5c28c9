//! The upload, server-only: the multipart form read with a size bound, then the
//! file stored by content and its version recorded in one transaction.

use super::rules::{validate_upload, UploadForm, MAX_FILE_BYTES};
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::platform::{db, files, multipart, now};
use leptos::server_fn::codec::MultipartData;

/// What the form sent: its fields, the model, and the file's bytes.
pub struct Sent {
    pub form: UploadForm,
    pub model: String,
    pub file: Vec<u8>,
}

/// Reads the multipart form; a file over the limit stops the reading there.
pub async fn read_form(data: MultipartData) -> Result<Sent, AppError> {
    let mut form = multipart::read(data, &["file"], MAX_FILE_BYTES, |_| "The file".into()).await?;
    let file = form.take_file("file");
    Ok(Sent {
        form: UploadForm {
            filename: file
                .as_ref()
                .map(|f| f.filename.clone())
                .unwrap_or_default(),
            kind: form.text("kind"),
            title: form.text("title"),
            language: form.text("language"),
            version: form.text("version"),
            required_level: form.text("required_level"),
        },
        model: form.text("model"),
        file: file.map(|f| f.bytes).unwrap_or_default(),
    })
}

/// Stores a checked upload: the file by its hash, the document (made if new)
/// and the version, with an audit entry. The same file sent again as the same
/// version is already there: nothing changes.
pub async fn store(me: &SessionUser, sent: Sent) -> Result<i64, AppError> {
    let st = crate::platform::state()?;
    let model_id: i64 = sent
        .model
        .trim()
        .parse()
        .map_err(|_| AppError::Validation("Choose the equipment model.".into()))?;
    let valid = validate_upload(&sent.form, sent.file.len()).map_err(AppError::Validation)?;
    // Read before the write transaction (never query the pool while holding it).
    let model_exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM equipment_models WHERE id = $1")
            .bind(model_id)
            .fetch_optional(&st.pool)
            .await?;
    if model_exists.is_none() {
        return Err(AppError::Validation("Choose the equipment model.".into()));
    }
    let sha = files::put(&st.config.data_dir, &sent.file)
        .await
        .map_err(AppError::internal)?;
    let at = now();
    let mut tx = db::begin_write(&st.pool).await?;
    let document_id: i64 = match sqlx::query_scalar::<_, i64>(
        "SELECT id FROM documents WHERE model_id = $1 AND kind = $2 AND title = $3 AND language = $4",
    )
    .bind(model_id)
    .bind(valid.kind.as_str())
    .bind(&valid.title)
    .bind(&valid.language)
    .fetch_optional(&mut *tx)
    .await?
    {
        Some(id) => {
            sqlx::query("UPDATE documents SET required_level = $1 WHERE id = $2")
                .bind(&valid.required_level)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO documents (model_id, kind, title, language, required_level, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(model_id)
            .bind(valid.kind.as_str())
            .bind(&valid.title)
            .bind(&valid.language)
            .bind(&valid.required_level)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    let existing: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, sha256 FROM document_versions WHERE document_id = $1 AND version = $2",
    )
    .bind(document_id)
    .bind(&valid.version)
    .fetch_optional(&mut *tx)
    .await?;
    match existing {
        Some((id, same)) if same == sha => return Ok(id),
        Some(_) => {
            return Err(AppError::Validation(format!(
                "Version \"{}\" of this document is already there with another file. Give the new file its own version.",
                valid.version
            )))
        }
        None => {}
    }
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO document_versions
             (document_id, version, sha256, filename, content_type, size_bytes, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(document_id)
    .bind(&valid.version)
    .bind(&sha)
    .bind(&valid.filename)
    .bind(valid.content_type)
    .bind(sent.file.len() as i64)
    .bind(me.id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let event = Event::by(me, AuditAction::DocumentUploaded, "document", document_id).detail(
        serde_json::json!({
            "version": valid.version, "title": valid.title, "language": valid.language,
            "file": valid.filename, "bytes": sent.file.len(), "sha256": sha,
        }),
    );
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    tracing::info!(
        user = me.id,
        document = document_id,
        version = version_id,
        "document uploaded"
    );
    Ok(version_id)
}
