//! Learning SQL (server-only), in the dialect SQLite and PostgreSQL share:
//! the catalogue, outlines, enrollments and their progress, the transcript.

use super::api::*;
use super::rules::{self, EnrollmentFacts};
use crate::platform::db::{Db, Pool, Tx};
use sqlx::{Executor, QueryBuilder};

/// The catalogue's filters, checked.
#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    /// Empty: every audience.
    pub audiences: Vec<Audience>,
    /// An equipment model's code.
    pub model: Option<String>,
    pub level: Option<Level>,
}

#[derive(sqlx::FromRow)]
struct CourseRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    audience: Audience,
    level: Level,
    model_code: Option<String>,
    duration_minutes: i64,
    validity_months: Option<i64>,
    lessons: i64,
    enrolled_at: Option<i64>,
    due_at: Option<i64>,
    completed_at: Option<i64>,
    expires_at: Option<i64>,
    lessons_done: i64,
    rating_sum: i64,
    rating_count: i64,
    seat_price_cents: Option<i64>,
}

impl CourseRow {
    fn card(self, now: i64) -> (i64, CourseCard) {
        let facts = EnrollmentFacts {
            due_at: self.due_at,
            completed_at: self.completed_at,
            expires_at: self.expires_at,
            lessons_done: self.lessons_done,
        };
        let status = self
            .enrolled_at
            .and_then(|_| rules::status(Some(&facts), false, now));
        let card = CourseCard {
            slug: self.slug,
            title: self.title,
            summary: self.summary,
            audience: self.audience,
            level: self.level,
            model_code: self.model_code,
            duration_minutes: self.duration_minutes,
            validity_months: self.validity_months,
            lessons: self.lessons,
            status,
            rating_sum: self.rating_sum,
            rating_count: self.rating_count,
            seat_price_cents: self.seat_price_cents,
        };
        (self.id, card)
    }
}

fn course_select(user_id: i64) -> QueryBuilder<'static, Db> {
    let mut q = QueryBuilder::new(
        "SELECT c.id, c.slug, c.title, c.summary, c.audience, c.level, m.code AS model_code,
                c.duration_minutes, c.validity_months,
                (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id AND l.live = TRUE) AS lessons,
                e.enrolled_at, e.due_at, e.completed_at, e.expires_at,
                (SELECT COUNT(*) FROM lesson_progress p WHERE p.enrollment_id = e.id) AS lessons_done,
                CAST(COALESCE((SELECT SUM(f.rating) FROM course_feedback f WHERE f.course_id = c.id), 0) AS BIGINT) AS rating_sum,
                (SELECT COUNT(*) FROM course_feedback f WHERE f.course_id = c.id) AS rating_count,
                c.seat_price_cents
         FROM courses c
         LEFT JOIN equipment_models m ON m.id = c.model_id
         LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = ",
    );
    q.push_bind(user_id);
    q.push(" WHERE c.published = TRUE");
    q
}

/// The published courses that pass the filter, by title, with the status of
/// `user_id` in each.
pub async fn courses(
    pool: &Pool,
    user_id: i64,
    filter: &CourseFilter,
    now: i64,
) -> Result<Vec<CourseCard>, sqlx::Error> {
    let mut q = course_select(user_id);
    if !filter.audiences.is_empty() {
        q.push(" AND c.audience IN (");
        let mut list = q.separated(", ");
        for a in &filter.audiences {
            list.push_bind(a.as_str());
        }
        q.push(")");
    }
    if let Some(model) = &filter.model {
        q.push(" AND m.code = ").push_bind(model.clone());
    }
    if let Some(level) = filter.level {
        q.push(" AND c.level = ").push_bind(level.as_str());
    }
    q.push(" ORDER BY c.title");
    let rows: Vec<CourseRow> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| r.card(now).1).collect())
}

/// One published course by its slug, with its id.
pub async fn course(
    pool: &Pool,
    user_id: i64,
    slug: &str,
    now: i64,
) -> Result<Option<(i64, CourseCard)>, sqlx::Error> {
    let mut q = course_select(user_id);
    q.push(" AND c.slug = ").push_bind(slug.to_string());
    let row: Option<CourseRow> = q.build_query_as().fetch_optional(pool).await?;
    Ok(row.map(|r| r.card(now)))
}

#[derive(sqlx::FromRow)]
struct OutlineRow {
    module_id: i64,
    module_title: String,
    n: i64,
    title: String,
    minutes: i64,
    done: bool,
}

/// A course's modules and lessons in order; `done` for those the enrollment
/// (if any) has done.
pub async fn outline(
    pool: &Pool,
    course_id: i64,
    enrollment_id: Option<i64>,
) -> Result<Vec<ModuleOutline>, sqlx::Error> {
    let rows: Vec<OutlineRow> = sqlx::query_as(
        "SELECT m.id AS module_id, m.title AS module_title, l.position AS n, l.title, l.minutes,
                (p.done_at IS NOT NULL) AS done
         FROM lessons l
         JOIN course_modules m ON m.id = l.module_id
         LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.enrollment_id = $2
         WHERE l.course_id = $1 AND l.live = TRUE
         ORDER BY l.position",
    )
    .bind(course_id)
    .bind(enrollment_id)
    .fetch_all(pool)
    .await?;
    let mut modules: Vec<ModuleOutline> = Vec::new();
    // Lessons come in course order; a module begins where the module id
    // changes (two modules may share a title).
    let mut current = None;
    for r in rows {
        let lesson = LessonOutline {
            n: r.n,
            title: r.title,
            minutes: r.minutes,
            done: r.done,
        };
        match modules.last_mut() {
            Some(m) if current == Some(r.module_id) => m.lessons.push(lesson),
            _ => modules.push(ModuleOutline {
                title: r.module_title,
                lessons: vec![lesson],
            }),
        }
        current = Some(r.module_id);
    }
    Ok(modules)
}

#[derive(sqlx::FromRow)]
struct PrerequisiteRow {
    id: i64,
    slug: String,
    title: String,
    completed_at: Option<i64>,
    expires_at: Option<i64>,
}

/// A course's prerequisites, and whether `user_id` holds a current completion of each.
pub async fn prerequisites<'e, E: Executor<'e, Database = Db>>(
    db: E,
    course_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Vec<Prerequisite>, sqlx::Error> {
    // Published ones only: a draft's title is not for learners, and no one
    // could complete it.
    let rows: Vec<PrerequisiteRow> = sqlx::query_as(
        "SELECT c.id, c.slug, c.title, e.completed_at, e.expires_at
         FROM course_prerequisites r
         JOIN courses c ON c.id = r.requires_id AND c.published = TRUE
         LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = $2
         WHERE r.course_id = $1
         ORDER BY c.title",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Prerequisite {
            met: r.completed_at.is_some() && r.expires_at.is_none_or(|end| now < end),
            course: CourseRef {
                id: r.id,
                slug: r.slug,
                title: r.title,
            },
        })
        .collect())
}

/// The titles of the prerequisites of a course that `user_id` holds no
/// completion in force of.
pub async fn unmet_prerequisites<'e, E: Executor<'e, Database = Db>>(
    db: E,
    course_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    Ok(prerequisites(db, course_id, user_id, now)
        .await?
        .into_iter()
        .filter(|p| !p.met)
        .map(|p| p.course.title)
        .collect())
}

/// An enrollment as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrollmentRow {
    pub id: i64,
    pub source: EnrollmentSource,
    pub enrolled_at: i64,
    pub due_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub expires_at: Option<i64>,
    /// Set while a retake runs (see `rules::restart`).
    pub restarted_at: Option<i64>,
}

impl EnrollmentRow {
    pub fn facts(&self, lessons_done: i64) -> EnrollmentFacts {
        EnrollmentFacts {
            due_at: self.due_at,
            completed_at: self.completed_at,
            expires_at: self.expires_at,
            lessons_done,
        }
    }
}

/// The enrollment of a user in a course, if any.
pub async fn enrollment<'e, E: Executor<'e, Database = Db>>(
    db: E,
    user_id: i64,
    course_id: i64,
) -> Result<Option<EnrollmentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, source, enrolled_at, due_at, completed_at, expires_at, restarted_at
         FROM enrollments WHERE user_id = $1 AND course_id = $2",
    )
    .bind(user_id)
    .bind(course_id)
    .fetch_optional(db)
    .await
}

/// The positions of the lessons an enrollment has done.
pub async fn done_positions<'e, E: Executor<'e, Database = Db>>(
    db: E,
    enrollment_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT l.position FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
         WHERE p.enrollment_id = $1 ORDER BY l.position",
    )
    .bind(enrollment_id)
    .fetch_all(db)
    .await
}

/// One lesson's text and place.
#[derive(sqlx::FromRow)]
pub struct LessonRow {
    pub title: String,
    pub body_md: String,
    pub minutes: i64,
    pub module_title: String,
}

pub async fn lesson(pool: &Pool, course_id: i64, n: i64) -> Result<Option<LessonRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.title, l.body_md, l.minutes, m.title AS module_title
         FROM lessons l JOIN course_modules m ON m.id = l.module_id
         WHERE l.course_id = $1 AND l.position = $2 AND l.live = TRUE",
    )
    .bind(course_id)
    .bind(n)
    .fetch_optional(pool)
    .await
}

/// How an enrollment call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolled {
    New,
    /// Enrolled already, with a completion in force (or none yet): unchanged
    /// but for an assignment's due date.
    Already,
    /// The completion had lapsed or is lapsing, and no retake ran: the
    /// lessons start again (once per completion).
    Restarted,
}

/// A new enrollment (or an assignment of an existing one).
pub struct NewEnrollment {
    pub course_id: i64,
    pub user_id: i64,
    pub source: EnrollmentSource,
    pub assigned_by: Option<i64>,
    pub due_at: Option<i64>,
}

/// Enrols a user in a course, once: an existing enrollment keeps its progress
/// and takes an assignment's due date; one whose completion has lapsed, or
/// lapses within the expiring window and is not being retaken already,
/// starts its lessons again once (`rules::restart`).
pub async fn enroll(tx: &mut Tx, new: &NewEnrollment, now: i64) -> Result<Enrolled, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO enrollments (course_id, user_id, source, assigned_by, due_at, enrolled_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id, course_id) DO NOTHING",
    )
    .bind(new.course_id)
    .bind(new.user_id)
    .bind(new.source)
    .bind(new.assigned_by)
    .bind(new.due_at)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Enrolled::New);
    }
    let existing = enrollment(&mut **tx, new.user_id, new.course_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if new.source == EnrollmentSource::Assigned {
        sqlx::query(
            "UPDATE enrollments SET due_at = COALESCE($1, due_at), assigned_by = $2 WHERE id = $3",
        )
        .bind(new.due_at)
        .bind(new.assigned_by)
        .bind(existing.id)
        .execute(&mut **tx)
        .await?;
    }
    let status = rules::status(Some(&existing.facts(0)), true, now);
    let retaking = existing.restarted_at.is_some();
    // Each UPDATE below is conditional on the state it changes, so of two
    // clicks (tabs, retries) racing, one restarts and the other finds it done.
    let started =
        match rules::restart(status, retaking) {
            rules::Restart::No => return Ok(Enrolled::Already),
            // The completion in force stays until the retake replaces it.
            rules::Restart::Retake => sqlx::query(
                "UPDATE enrollments SET restarted_at = $1 WHERE id = $2 AND restarted_at IS NULL",
            )
            .bind(now)
            .bind(existing.id)
            .execute(&mut **tx)
            .await?,
            // A lapsed completion is over: the course is to be taken again,
            // as a first run (a retake already running keeps its progress and
            // its seat).
            rules::Restart::Lapsed => sqlx::query(
                "UPDATE enrollments SET completed_at = NULL, expires_at = NULL, restarted_at = NULL
                     WHERE id = $1 AND completed_at IS NOT NULL",
            )
            .bind(existing.id)
            .execute(&mut **tx)
            .await?,
        };
    if started.rows_affected() == 0 || retaking {
        return Ok(Enrolled::Already);
    }
    sqlx::query("DELETE FROM lesson_progress WHERE enrollment_id = $1")
        .bind(existing.id)
        .execute(&mut **tx)
        .await?;
    Ok(Enrolled::Restarted)
}

#[derive(sqlx::FromRow)]
struct TranscriptDbRow {
    id: i64,
    slug: String,
    title: String,
    model_code: Option<String>,
    source: EnrollmentSource,
    enrolled_at: i64,
    due_at: Option<i64>,
    completed_at: Option<i64>,
    expires_at: Option<i64>,
    lessons_done: i64,
    lessons_total: i64,
}

/// Every enrollment of a user, newest first.
pub async fn transcript(
    pool: &Pool,
    user_id: i64,
    now: i64,
) -> Result<Vec<TranscriptRow>, sqlx::Error> {
    let rows: Vec<TranscriptDbRow> = sqlx::query_as(
        "SELECT c.id, c.slug, c.title, m.code AS model_code, e.source, e.enrolled_at, e.due_at,
                e.completed_at, e.expires_at,
                (SELECT COUNT(*) FROM lesson_progress p WHERE p.enrollment_id = e.id) AS lessons_done,
                (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id AND l.live = TRUE) AS lessons_total
         FROM enrollments e
         JOIN courses c ON c.id = e.course_id
         LEFT JOIN equipment_models m ON m.id = c.model_id
         WHERE e.user_id = $1
         ORDER BY COALESCE(e.completed_at, e.enrolled_at) DESC, c.title",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let facts = EnrollmentFacts {
                due_at: r.due_at,
                completed_at: r.completed_at,
                expires_at: r.expires_at,
                lessons_done: r.lessons_done,
            };
            TranscriptRow {
                status: rules::status(Some(&facts), false, now)
                    .unwrap_or(TrainingStatus::NotStarted),
                course: CourseRef {
                    id: r.id,
                    slug: r.slug,
                    title: r.title,
                },
                model_code: r.model_code,
                source: r.source,
                enrolled_at: r.enrolled_at,
                due_at: r.due_at,
                completed_at: r.completed_at,
                expires_at: r.expires_at,
                lessons_done: r.lessons_done,
                lessons_total: r.lessons_total,
            }
        })
        .collect())
}

/// The caller's rating of a course, if given.
pub async fn my_rating(
    pool: &Pool,
    course_id: i64,
    user_id: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT rating, comment FROM course_feedback WHERE course_id = $1 AND user_id = $2",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await
}
