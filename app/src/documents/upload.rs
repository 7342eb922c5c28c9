//! The upload, server-only: the multipart form read with a size bound, then the
//! file stored by content and its version recorded in one transaction. A new
//! version keeps its document's certification level unless the form changes
//! it explicitly (`rules::decide_level`); a change is audited from → to.

use super::rules::{decide_level, validate_upload, LevelDecision, UploadForm, MAX_FILE_BYTES};
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
            level_choice: form.text("level_choice"),
        },
        model: form.text("model"),
        file: file.map(|f| f.bytes).unwrap_or_default(),
    })
}

/// Stores a checked upload: the file by its hash, the document (made if new)
/// and the version, with an audit entry. The same file sent again as the same
/// version is already there: nothing changes, unless the form changes the
/// level explicitly (then that change alone is made and audited).
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
    let found: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, required_level FROM documents
         WHERE model_id = $1 AND kind = $2 AND title = $3 AND language = $4",
    )
    .bind(model_id)
    .bind(valid.kind.as_str())
    .bind(&valid.title)
    .bind(&valid.language)
    .fetch_optional(&mut *tx)
    .await?;
    let level = decide_level(
        found.as_ref().map(|(_, current)| current.as_deref()),
        &valid.level,
    );
    let document_id: i64 = match found {
        Some((id, _)) => id,
        None => sqlx::query_scalar(
            "INSERT INTO documents (model_id, kind, title, language, required_level, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(model_id)
        .bind(valid.kind.as_str())
        .bind(&valid.title)
        .bind(&valid.language)
        .bind(level.level())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?,
    };
    let existing: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, sha256 FROM document_versions WHERE document_id = $1 AND version = $2",
    )
    .bind(document_id)
    .bind(&valid.version)
    .fetch_optional(&mut *tx)
    .await?;
    let changed = matches!(level, LevelDecision::Changed { .. });
    let (version_id, version_added) = match existing {
        Some((id, same)) if same == sha && !changed => return Ok(id),
        Some((id, same)) if same == sha => (id, false),
        Some(_) => {
            return Err(AppError::Validation(format!(
                "Version \"{}\" of this document is already there with another file. Give the new file its own version.",
                valid.version
            )))
        }
        None => {
            let id: i64 = sqlx::query_scalar(
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
            (id, true)
        }
    };
    let mut detail = serde_json::json!({
        "version": valid.version, "title": valid.title, "language": valid.language,
        "file": valid.filename, "bytes": sent.file.len(), "sha256": sha,
        "required_level": level.level(),
    });
    if !version_added {
        detail["version_added"] = serde_json::Value::Bool(false);
    }
    if let LevelDecision::Changed { from, to } = &level {
        // Only from the level this upload read: a change made meanwhile by
        // someone else is not overwritten unseen.
        let done = sqlx::query(
            "UPDATE documents SET required_level = $1
             WHERE id = $2 AND (required_level = $3 OR (required_level IS NULL AND $3 IS NULL))",
        )
        .bind(to)
        .bind(document_id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Validation(
                "The document's certification level was changed meanwhile. Reload the page and upload again."
                    .into(),
            ));
        }
        detail["level_from"] = serde_json::json!(from);
        detail["level_to"] = serde_json::json!(to);
    }
    let event =
        Event::by(me, AuditAction::DocumentUploaded, "document", document_id).detail(detail);
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    tracing::info!(
        user = me.id,
        document = document_id,
        version = version_id,
        level_changed = changed,
        "document uploaded"
    );
    Ok(version_id)
}
