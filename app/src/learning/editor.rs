//! Course authoring, server-only: the reads of the editor's pages and the
//! transactions of its forms. Every change is in the audit trail.

use super::api::CourseRef;
use super::authoring::{self, CourseForm};
use super::editor_api::*;
use super::rules;
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::platform::db::{self, Pool, Tx};
use crate::platform::now;

fn not_found() -> AppError {
    AppError::NotFound("The course".into())
}

/// What saving a lesson does with its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Preview,
    Publish,
    Discard,
}

impl Intent {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        match s {
            "preview" => Ok(Intent::Preview),
            "publish" => Ok(Intent::Publish),
            "discard" => Ok(Intent::Discard),
            _ => Err(AppError::validation("Choose Preview, Publish or Discard.")),
        }
    }
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
async fn course_id<'e, E: sqlx::Executor<'e, Database = db::Db>>(
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
        "SELECT module_id, position AS n, title, minutes, draft_md IS NOT NULL AS has_draft
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
async fn finish(
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
        let lessons: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lessons WHERE course_id = $1")
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

/// Adds a lesson at the end of its module; returns its number.
pub async fn add_lesson(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    module: &str,
    title: &str,
    minutes: &str,
) -> Result<i64, AppError> {
    let title = authoring::parse_title(title, "lesson").map_err(AppError::Validation)?;
    let minutes = authoring::parse_minutes(minutes, "lesson's length", 1, 240)
        .map_err(AppError::Validation)?;
    let module: i64 = module
        .trim()
        .parse()
        .map_err(|_| AppError::validation("Choose the module of the lesson."))?;
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let id = course_id(&mut *tx, slug).await?;
    let module_position: i64 =
        sqlx::query_scalar("SELECT position FROM course_modules WHERE id = $1 AND course_id = $2")
            .bind(module)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::validation("Choose the module of the lesson."))?;
    // After the last lesson of this module or of any module before it.
    let n: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(l.position), 0) + 1 FROM lessons l
         JOIN course_modules m ON m.id = l.module_id
         WHERE l.course_id = $1 AND m.position <= $2",
    )
    .bind(id)
    .bind(module_position)
    .fetch_one(&mut *tx)
    .await?;
    // Make room: positions are unique, so move the later lessons out of the
    // way and back, one further on.
    for shift in ["position + 100000", "position - 99999"] {
        let guard = if shift.contains('+') { n } else { 100_000 };
        sqlx::query(&format!(
            "UPDATE lessons SET position = {shift} WHERE course_id = $1 AND position >= $2"
        ))
        .bind(id)
        .bind(guard)
        .execute(&mut *tx)
        .await?;
    }
    let body = format!("Write the lesson here.\n\nUse **Markdown**: headings with `##`, lists with `-`, pictures from the course's materials.\n\n*{title}*");
    sqlx::query(
        "INSERT INTO lessons (course_id, module_id, position, title, body_md, minutes)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(module)
    .bind(n)
    .bind(&title)
    .bind(&body)
    .bind(minutes)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "lesson_added": title, "n": n });
    finish(tx, me, slug.trim(), detail, at).await?;
    Ok(n)
}

pub async fn lesson_edit(pool: &Pool, slug: &str, n: i64) -> Result<LessonEdit, AppError> {
    // (course id, slug, course title, published, lesson title, minutes, body, draft, module title)
    type Found = (
        i64,
        String,
        String,
        bool,
        String,
        i64,
        String,
        Option<String>,
        String,
    );
    let found: Option<Found> = sqlx::query_as(
        "SELECT c.id, c.slug, c.title, c.published, l.title, l.minutes, l.body_md, l.draft_md, m.title
         FROM courses c JOIN lessons l ON l.course_id = c.id AND l.position = $2
         JOIN course_modules m ON m.id = l.module_id
         WHERE c.slug = $1",
    )
    .bind(slug.trim())
    .bind(n)
    .fetch_optional(pool)
    .await?;
    let (id, slug, course_title, published, title, minutes, body, draft, module_title) =
        found.ok_or_else(|| AppError::NotFound("The lesson".into()))?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lessons WHERE course_id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?;
    let has_draft = draft.is_some();
    let markdown = draft.unwrap_or(body);
    Ok(LessonEdit {
        preview_html: super::markdown::to_safe_html(&markdown),
        materials: materials(pool, id, &slug).await?,
        course: CourseRef {
            id,
            slug,
            title: course_title,
        },
        published,
        n,
        total,
        module_title,
        title,
        minutes,
        markdown,
        has_draft,
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn save_lesson(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    n: i64,
    title: &str,
    minutes: &str,
    body: &str,
    intent: Intent,
) -> Result<(), AppError> {
    let title = authoring::parse_title(title, "lesson").map_err(AppError::Validation)?;
    let minutes = authoring::parse_minutes(minutes, "lesson's length", 1, 240)
        .map_err(AppError::Validation)?;
    let body = authoring::parse_lesson_body(body).map_err(AppError::Validation)?;
    if intent != Intent::Discard && body.trim().is_empty() {
        return Err(AppError::validation(
            "Write the lesson's text before saving it.",
        ));
    }
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let id = course_id(&mut *tx, slug).await?;
    let mut q = sqlx::QueryBuilder::<db::Db>::new("UPDATE lessons SET title = ");
    q.push_bind(&title).push(", minutes = ").push_bind(minutes);
    match intent {
        Intent::Preview => q.push(", draft_md = ").push_bind(&body),
        Intent::Publish => q
            .push(", body_md = ")
            .push_bind(&body)
            .push(", draft_md = NULL"),
        Intent::Discard => q.push(", draft_md = NULL"),
    };
    q.push(" WHERE course_id = ").push_bind(id);
    q.push(" AND position = ").push_bind(n);
    let found = q.build().execute(&mut *tx).await?.rows_affected();
    if found == 0 {
        return Err(AppError::NotFound("The lesson".into()));
    }
    if intent != Intent::Publish {
        tx.commit().await?;
        return Ok(());
    }
    let detail =
        serde_json::json!({ "lesson_published": n, "title": title, "chars": body.chars().count() });
    finish(tx, me, slug.trim(), detail, at).await
}
