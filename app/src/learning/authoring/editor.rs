//! Course authoring, server-only: the reads of the editor's pages and the
//! transactions of its forms. Every change is in the audit trail.

use super::super::api::CourseRef;
use super::super::rules;
use super::api::*;
use super::rules::{self as authoring, CourseForm};
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::platform::db::{self, Pool, Tx};
use crate::platform::now;

fn not_found() -> AppError {
    AppError::NotFound("The course".into())
}

const ROW: &str = "SELECT c.id, c.slug, c.title, c.published, c.summary, c.duration_minutes,
        c.validity_months, c.seat_price_cents, c.audience, c.level, m.code AS model_code,
        (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id) AS lessons,
        (SELECT COUNT(*) FROM enrollments e WHERE e.course_id = c.id) AS enrolled,
        (SELECT COUNT(*) FROM enrollments e WHERE e.course_id = c.id AND e.completed_at IS NOT NULL) AS completed,
        CAST(COALESCE((SELECT SUM(f.rating) FROM course_feedback f WHERE f.course_id = c.id), 0) AS BIGINT) AS rating_sum,
        (SELECT COUNT(*) FROM course_feedback f WHERE f.course_id = c.id) AS rating_count
    FROM courses c LEFT JOIN equipment_models m ON m.id = c.model_id";

pub async fn list(pool: &Pool) -> Result<Vec<EditorRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ROW} ORDER BY c.published, c.title"))
        .fetch_all(pool)
        .await
}

/// A course's id by its address, published or not.
pub(super) async fn course_id<'e, E: sqlx::Executor<'e, Database = db::Db>>(
    db: E,
    slug: &str,
) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM courses WHERE slug = $1")
        .bind(slug.trim())
        .fetch_optional(db)
        .await?
        .ok_or_else(not_found)
}

pub async fn materials(
    pool: &Pool,
    course_id: i64,
    slug: &str,
) -> Result<Vec<MaterialView>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, title, filename, content_type, size_bytes FROM course_materials
         WHERE course_id = $1 ORDER BY title, id",
    )
    .bind(course_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, filename, content_type, size_bytes)| {
            let href = rules::material_href(slug, id);
            MaterialView {
                markdown: authoring::material_markdown(&title, &href, &content_type),
                id,
                title,
                filename,
                content_type,
                size_bytes,
                href,
            }
        })
        .collect())
}

async fn modules(pool: &Pool, course_id: i64) -> Result<Vec<EditorModule>, sqlx::Error> {
    let mods: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM course_modules WHERE course_id = $1 ORDER BY position",
    )
    .bind(course_id)
    .fetch_all(pool)
    .await?;
    let lessons: Vec<EditorLesson> = sqlx::query_as(
        "SELECT module_id, position AS n, COALESCE(draft_title, title) AS title,
                COALESCE(draft_minutes, minutes) AS minutes, live,
                (draft_md IS NOT NULL OR draft_title IS NOT NULL OR draft_minutes IS NOT NULL) AS has_draft
         FROM lessons WHERE course_id = $1 ORDER BY position",
    )
    .bind(course_id)
    .fetch_all(pool)
    .await?;
    Ok(mods
        .into_iter()
        .map(|(id, title)| EditorModule {
            id,
            title,
            lessons: lessons
                .iter()
                .filter(|l| l.module_id == id)
                .cloned()
                .collect(),
        })
        .collect())
}

pub async fn course_edit(pool: &Pool, slug: &str) -> Result<CourseEdit, AppError> {
    let row: EditorRow = sqlx::query_as(&format!("{ROW} WHERE c.slug = $1"))
        .bind(slug.trim())
        .fetch_optional(pool)
        .await?
        .ok_or_else(not_found)?;
    let id = row.id;
    let prerequisites: Vec<CourseRef> = sqlx::query_as(
        "SELECT c.id, c.slug, c.title FROM course_prerequisites p
         JOIN courses c ON c.id = p.requires_id WHERE p.course_id = $1 ORDER BY c.title",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let candidates: Vec<CourseRef> = sqlx::query_as(
        "SELECT c.id, c.slug, c.title FROM courses c WHERE c.id <> $1
           AND c.id NOT IN (SELECT requires_id FROM course_prerequisites WHERE course_id = $1)
         ORDER BY c.title",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let feedback: Vec<FeedbackRow> = sqlx::query_as(
        "SELECT f.rating, f.comment, f.at, u.display_name AS learner, o.name AS organisation
         FROM course_feedback f JOIN users u ON u.id = f.user_id
         JOIN organisations o ON o.id = u.org_id
         WHERE f.course_id = $1 ORDER BY f.at DESC LIMIT 50",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(CourseEdit {
        modules: modules(pool, id).await?,
        materials: materials(pool, id, &row.slug).await?,
        models: crate::catalog::queries::models(pool).await?,
        row,
        prerequisites,
        candidates,
        feedback,
    })
}

/// Records an edit in the audit trail and commits it.
pub(super) async fn finish(
    mut tx: Tx,
    me: &SessionUser,
    slug: &str,
    detail: serde_json::Value,
    at: i64,
) -> Result<(), AppError> {
    let event = Event::by(me, AuditAction::CourseEdited, "course", slug).detail(detail);
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn create(
    pool: &Pool,
    me: &SessionUser,
    title: &str,
    slug: &str,
    audience: &str,
    level: &str,
) -> Result<String, AppError> {
    let title = authoring::parse_title(title, "course").map_err(AppError::Validation)?;
    let slug = authoring::parse_slug(slug, &title).map_err(AppError::Validation)?;
    let audience = authoring::parse_audience(audience).map_err(AppError::Validation)?;
    let level = authoring::parse_level(level).map_err(AppError::Validation)?;
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM courses WHERE slug = $1")
        .bind(&slug)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::Validation(format!(
            "A course with the address “{slug}” exists already: choose another address."
        )));
    }
    sqlx::query(
        "INSERT INTO courses (slug, title, summary, audience, level, duration_minutes, published, created_at, updated_at)
         VALUES ($1, $2, '', $3, $4, 30, FALSE, $5, $5)",
    )
    .bind(&slug)
    .bind(&title)
    .bind(audience.as_str())
    .bind(level.as_str())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    finish(tx, me, &slug, serde_json::json!({ "created": title }), at).await?;
    Ok(slug)
}

pub async fn save(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    form: &CourseForm,
) -> Result<(), AppError> {
    let f = authoring::validate_course(form).map_err(AppError::Validation)?;
    let model_id: Option<i64> = match &f.model {
        None => None,
        Some(code) => Some(
            sqlx::query_scalar("SELECT id FROM equipment_models WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await?
                .ok_or_else(|| AppError::validation("Choose an equipment model from the list."))?,
        ),
    };
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let id = course_id(&mut *tx, slug).await?;
    sqlx::query(
        "UPDATE courses SET title = $1, summary = $2, audience = $3, model_id = $4, level = $5,
                duration_minutes = $6, validity_months = $7, seat_price_cents = $8, updated_at = $9
         WHERE id = $10",
    )
    .bind(&f.title)
    .bind(&f.summary)
    .bind(f.audience.as_str())
    .bind(model_id)
    .bind(f.level.as_str())
    .bind(f.duration_minutes)
    .bind(f.validity_months)
    .bind(f.seat_price_cents)
    .bind(at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({
        "title": f.title, "audience": f.audience.as_str(), "model": f.model,
        "level": f.level.as_str(), "duration_minutes": f.duration_minutes,
        "validity_months": f.validity_months, "seat_price_cents": f.seat_price_cents,
    });
    finish(tx, me, slug.trim(), detail, at).await
}

pub async fn set_published(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    on: bool,
) -> Result<(), AppError> {
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let id = course_id(&mut *tx, slug).await?;
    if on {
        let lessons: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM lessons WHERE course_id = $1 AND live = TRUE")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if lessons == 0 {
            return Err(AppError::validation(
                "Add a lesson before publishing the course.",
            ));
        }
    }
    sqlx::query("UPDATE courses SET published = $1, updated_at = $2 WHERE id = $3")
        .bind(on)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    finish(
        tx,
        me,
        slug.trim(),
        serde_json::json!({ "published": on }),
        at,
    )
    .await
}

pub async fn prerequisite(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    requires: &str,
    add: bool,
) -> Result<(), AppError> {
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let id = course_id(&mut *tx, slug).await?;
    let required = course_id(&mut *tx, requires).await?;
    if add {
        let edges: Vec<(i64, i64)> =
            sqlx::query_as("SELECT course_id, requires_id FROM course_prerequisites")
                .fetch_all(&mut *tx)
                .await?;
        if authoring::would_cycle(&edges, id, required) {
            return Err(AppError::validation(
                "That course already needs this one (directly or through others): they cannot require each other.",
            ));
        }
        sqlx::query(
            "INSERT INTO course_prerequisites (course_id, requires_id) VALUES ($1, $2)
             ON CONFLICT (course_id, requires_id) DO NOTHING",
        )
        .bind(id)
        .bind(required)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("DELETE FROM course_prerequisites WHERE course_id = $1 AND requires_id = $2")
            .bind(id)
            .bind(required)
            .execute(&mut *tx)
            .await?;
    }
    let detail = serde_json::json!({ "prerequisite": requires.trim(), "added": add });
    finish(tx, me, slug.trim(), detail, at).await
}

pub async fn add_module(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    title: &str,
) -> Result<(), AppError> {
    let title = authoring::parse_title(title, "module").map_err(AppError::Validation)?;
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let id = course_id(&mut *tx, slug).await?;
    sqlx::query(
        "INSERT INTO course_modules (course_id, position, title)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM course_modules WHERE course_id = $1), $2)",
    )
    .bind(id)
    .bind(&title)
    .execute(&mut *tx)
    .await?;
    finish(
        tx,
        me,
        slug.trim(),
        serde_json::json!({ "module_added": title }),
        at,
    )
    .await
}
