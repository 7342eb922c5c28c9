//! Lesson authoring, server-only: adding a lesson, reading it for its editor
//! and saving it. What learners read changes only when the editor publishes:
//! a lesson added to a published course waits outside the learners'
//! numbering (not live, at a position from [`STAGED`]) until its first
//! publication puts it in its place; a live lesson's new text, title and
//! length wait as drafts. Every save is in the audit trail.

use super::super::api::CourseRef;
use super::api::LessonEdit;
use super::editor::{course_id, finish, materials};
use super::rules as authoring;
use crate::accounts::SessionUser;
use crate::error::AppError;
use crate::platform::db::{self, Pool, Tx};
use crate::platform::now;

/// Positions of lessons not yet published in a published course start here,
/// after any real course's lessons, so learners' lesson numbers stay 1..n.
pub const STAGED: i64 = 1_000_000;

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

fn lesson_not_found() -> AppError {
    AppError::NotFound("The lesson".into())
}

/// The position of a module of `course`; a module of another course is
/// refused as not chosen.
async fn module_position(tx: &mut Tx, course: i64, module: i64) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT position FROM course_modules WHERE id = $1 AND course_id = $2")
        .bind(module)
        .bind(course)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::validation("Choose the module of the lesson."))
}

/// The position a lesson of `module` takes among the live lessons: after the
/// last live lesson of this module or of any module before it. The live
/// lessons from there on move one number on (positions are unique, so they
/// move out of the way and back).
async fn make_room(tx: &mut Tx, course: i64, module: i64) -> Result<i64, AppError> {
    let module_position = module_position(tx, course, module).await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(l.position), 0) + 1 FROM lessons l
         JOIN course_modules m ON m.id = l.module_id
         WHERE l.course_id = $1 AND m.position <= $2 AND l.live = TRUE AND l.position < $3",
    )
    .bind(course)
    .bind(module_position)
    .bind(STAGED)
    .fetch_one(&mut **tx)
    .await?;
    for (shift, from) in [("position + 100000", n), ("position - 99999", 100_000)] {
        sqlx::query(&format!(
            "UPDATE lessons SET position = {shift}
             WHERE course_id = $1 AND position >= $2 AND position < $3"
        ))
        .bind(course)
        .bind(from)
        .bind(STAGED)
        .execute(&mut **tx)
        .await?;
    }
    Ok(n)
}

/// Adds a lesson at the end of its module; returns its number. In a
/// published course it waits for its first publication (see [`STAGED`]).
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
    let published: bool = sqlx::query_scalar("SELECT published FROM courses WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let n = if published {
        module_position(&mut tx, id, module).await?;
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(position), $2 - 1) + 1 FROM lessons
             WHERE course_id = $1 AND position >= $2",
        )
        .bind(id)
        .bind(STAGED)
        .fetch_one(&mut *tx)
        .await?
    } else {
        make_room(&mut tx, id, module).await?
    };
    let body = format!("Write the lesson here.\n\nUse **Markdown**: headings with `##`, lists with `-`, pictures from the course's materials.\n\n*{title}*");
    sqlx::query(
        "INSERT INTO lessons (course_id, module_id, position, title, body_md, minutes, live)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(module)
    .bind(n)
    .bind(&title)
    .bind(&body)
    .bind(minutes)
    .bind(!published)
    .execute(&mut *tx)
    .await?;
    let detail = serde_json::json!({ "lesson_added": title, "n": n, "live": !published });
    finish(tx, me, slug.trim(), detail, at).await?;
    Ok(n)
}

/// The columns of a lesson its editor reads.
#[derive(sqlx::FromRow)]
struct Found {
    course_id: i64,
    slug: String,
    course_title: String,
    published: bool,
    id: i64,
    title: String,
    minutes: i64,
    body_md: String,
    draft_md: Option<String>,
    draft_title: Option<String>,
    draft_minutes: Option<i64>,
    live: bool,
    module_title: String,
}

pub async fn lesson_edit(pool: &Pool, slug: &str, n: i64) -> Result<LessonEdit, AppError> {
    let found: Option<Found> = sqlx::query_as(
        "SELECT c.id AS course_id, c.slug, c.title AS course_title, c.published, l.id, l.title,
                l.minutes, l.body_md, l.draft_md, l.draft_title, l.draft_minutes, l.live,
                m.title AS module_title
         FROM courses c JOIN lessons l ON l.course_id = c.id AND l.position = $2
         JOIN course_modules m ON m.id = l.module_id
         WHERE c.slug = $1",
    )
    .bind(slug.trim())
    .bind(n)
    .fetch_optional(pool)
    .await?;
    let f = found.ok_or_else(lesson_not_found)?;
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM lessons WHERE course_id = $1 AND live = TRUE")
            .bind(f.course_id)
            .fetch_one(pool)
            .await?;
    let has_draft = f.draft_md.is_some() || f.draft_title.is_some() || f.draft_minutes.is_some();
    let markdown = f.draft_md.unwrap_or(f.body_md);
    Ok(LessonEdit {
        preview_html: super::super::markdown::to_safe_html(&markdown),
        materials: materials(pool, f.course_id, &f.slug).await?,
        course: CourseRef {
            id: f.course_id,
            slug: f.slug,
            title: f.course_title,
        },
        published: f.published,
        live: f.live,
        id: f.id,
        n,
        total,
        module_title: f.module_title,
        title: f.draft_title.unwrap_or(f.title),
        minutes: f.draft_minutes.unwrap_or(f.minutes),
        markdown,
        has_draft,
    })
}

/// Saves a lesson: a preview keeps text, title and length as a draft that
/// only editors see; publishing makes them what learners read (a lesson not
/// live yet takes its place in the numbering then); discarding drops the
/// draft. `expected` is the lesson's id as the editor's page had it (`None`:
/// trust the number). Returns the lesson's number, which publishing may have
/// changed.
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
    expected: Option<i64>,
) -> Result<i64, AppError> {
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
    let (lesson, module, live): (i64, i64, bool) = sqlx::query_as(
        "SELECT id, module_id, live FROM lessons WHERE course_id = $1 AND position = $2",
    )
    .bind(id)
    .bind(n)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(lesson_not_found)?;
    // Numbers move when a new lesson is published before this one: the form
    // names its lesson, so an editor's open page never saves over another.
    if expected.is_some_and(|e| e != lesson) {
        return Err(AppError::validation(
            "The lessons were renumbered since you opened this page (a new lesson was published): reload it and save again.",
        ));
    }
    let mut q = sqlx::QueryBuilder::<db::Db>::new("UPDATE lessons SET ");
    match intent {
        Intent::Preview => q
            .push("draft_md = ")
            .push_bind(&body)
            .push(", draft_title = ")
            .push_bind(&title)
            .push(", draft_minutes = ")
            .push_bind(minutes),
        Intent::Publish => q
            .push("body_md = ")
            .push_bind(&body)
            .push(", title = ")
            .push_bind(&title)
            .push(", minutes = ")
            .push_bind(minutes)
            .push(", draft_md = NULL, draft_title = NULL, draft_minutes = NULL"),
        Intent::Discard => q.push("draft_md = NULL, draft_title = NULL, draft_minutes = NULL"),
    };
    q.push(" WHERE id = ").push_bind(lesson);
    q.build().execute(&mut *tx).await?;
    let mut now_n = n;
    if intent == Intent::Publish && !live {
        // The gate of the first publication: of two clicks racing, one finds
        // the lesson not live yet and places it; the other changes nothing.
        let first = sqlx::query("UPDATE lessons SET live = TRUE WHERE id = $1 AND live = FALSE")
            .bind(lesson)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if first {
            now_n = make_room(&mut tx, id, module).await?;
            sqlx::query("UPDATE lessons SET position = $1 WHERE id = $2")
                .bind(now_n)
                .bind(lesson)
                .execute(&mut *tx)
                .await?;
        } else {
            now_n = sqlx::query_scalar("SELECT position FROM lessons WHERE id = $1")
                .bind(lesson)
                .fetch_one(&mut *tx)
                .await?;
        }
    }
    let detail = match intent {
        Intent::Publish => serde_json::json!({
            "lesson_published": now_n, "title": title, "minutes": minutes,
            "chars": body.chars().count(), "first_publication": !live,
        }),
        Intent::Preview => serde_json::json!({ "lesson_draft_saved": n, "title": title }),
        Intent::Discard => serde_json::json!({ "lesson_draft_discarded": n }),
    };
    finish(tx, me, slug.trim(), detail, at).await?;
    Ok(now_n)
}
