//! Course materials, server-only: the editor's upload (a multipart form read
//! with a size bound, the file stored by content hash like documents) and the
//! download at `/courses/{slug}/materials/{id}` for whoever may see the
//! course. A material of a course the caller may not see is not found.

use super::rules::MAX_MATERIAL_BYTES;
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::file_types::{content_type, download_name};
use crate::identity::Permission;
use crate::organisations::OrgKind;
use crate::platform::guard::{Access, Caller};
use crate::platform::{db, download, files, multipart, now, AppState};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use leptos::server_fn::codec::MultipartData;

pub const PATH: &str = "/courses/{slug}/materials/{id}";

/// What the upload form sent.
pub struct Sent {
    pub course: String,
    pub title: String,
    pub filename: String,
    pub file: Vec<u8>,
}

/// Reads the multipart form; a file over the limit stops the reading there.
pub async fn read_form(data: MultipartData) -> Result<Sent, AppError> {
    let mut form =
        multipart::read(data, &["file"], MAX_MATERIAL_BYTES, |_| "The file".into()).await?;
    let file = form.take_file("file");
    Ok(Sent {
        course: form.text("course"),
        title: form.text("title"),
        filename: file
            .as_ref()
            .map(|f| f.filename.clone())
            .unwrap_or_default(),
        file: file.map(|f| f.bytes).unwrap_or_default(),
    })
}

/// Stores a material; the same file attached again to the same course
/// changes nothing.
pub async fn store(me: &SessionUser, sent: Sent) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    if sent.file.is_empty() {
        return Err(AppError::validation("Choose a file to upload."));
    }
    let filename = download_name(&sent.filename);
    let ctype = content_type(&filename).ok_or_else(|| {
        AppError::validation(
            "This kind of file is not accepted. Upload a PDF, a picture (PNG, JPEG, SVG) or a text, CSV, ZIP, XLSX or DOCX file.",
        )
    })?;
    let title = match sent.title.split_whitespace().collect::<Vec<_>>().join(" ") {
        t if t.is_empty() => filename.clone(),
        t if t.chars().count() > 120 => {
            return Err(AppError::validation(
                "Keep the material's title to 120 characters.",
            ))
        }
        t => t,
    };
    let sha = files::put(&st.config.data_dir, &sent.file)
        .await
        .map_err(AppError::internal)?;
    let at = now();
    let mut tx = db::begin_write(&st.pool).await?;
    let course_id: i64 = sqlx::query_scalar("SELECT id FROM courses WHERE slug = $1")
        .bind(sent.course.trim())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound("The course".into()))?;
    let added = sqlx::query(
        "INSERT INTO course_materials (course_id, title, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (course_id, sha256) DO NOTHING",
    )
    .bind(course_id)
    .bind(&title)
    .bind(&filename)
    .bind(ctype)
    .bind(sent.file.len() as i64)
    .bind(&sha)
    .bind(me.id)
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 1 {
        let event = Event::by(me, AuditAction::CourseEdited, "course", sent.course.trim()).detail(
            serde_json::json!({ "material": title, "file": filename, "bytes": sent.file.len(), "sha256": sha }),
        );
        audit::record(&mut *tx, at, &event).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether `user` may download a course's materials: its editors always;
/// partner and customer staff as they read its lessons, once enrolled in the
/// published course of their audience. An enrollment is the one door past a
/// course's seat and prerequisites, so the materials are behind them too.
pub fn may_see(
    user: &SessionUser,
    published: bool,
    audience: super::super::rules::Audience,
    enrolled: bool,
) -> bool {
    user.org_kind == OrgKind::Supplier || (published && enrolled && audience.admits(user.org_kind))
}

pub async fn handler(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let page = super::super::rules::course_href(&slug);
    let user = match download::permitted_user(caller, Access::Requires(Permission::SignedIn), PATH)
    {
        Ok(user) => user,
        Err(e) => return download::refusal(e, &page),
    };
    let not_found = || download::refusal(AppError::NotFound("The material".into()), &page);
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    // (sha256, filename, content type, size, published, audience, enrolled)
    type Found = (
        String,
        String,
        String,
        i64,
        bool,
        super::super::rules::Audience,
        bool,
    );
    let found: Option<Found> = match sqlx::query_as(
        "SELECT m.sha256, m.filename, m.content_type, m.size_bytes, c.published, c.audience,
                EXISTS (SELECT 1 FROM enrollments e WHERE e.course_id = c.id AND e.user_id = $3)
         FROM course_materials m JOIN courses c ON c.id = m.course_id
         WHERE m.id = $1 AND c.slug = $2",
    )
    .bind(id)
    .bind(&slug)
    .bind(user.id)
    .fetch_optional(&state.pool)
    .await
    {
        Ok(found) => found,
        Err(e) => return download::refusal(AppError::internal(e), &page),
    };
    let Some((sha, filename, ctype, size, published, audience, enrolled)) = found else {
        return not_found();
    };
    if !may_see(&user, published, audience, enrolled) {
        return not_found();
    }
    let file = download::StoredFile {
        sha256: &sha,
        content_type: &ctype,
        filename: &filename,
        size_bytes: size,
        cache_control: "private, max-age=3600",
    };
    download::stored_file(&state.config.data_dir, file, &page).await
}
