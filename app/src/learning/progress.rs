//! The learner's side, server-only: a course's page, enrolling, reading a
//! lesson, recording progress (idempotent; the last lesson completes the
//! course) and rating a completed course.

use super::api::*;
use super::queries::{self, Enrolled, NewEnrollment};
use super::rules;
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::organisations::OrgKind;
use crate::platform::db::{self, Pool};
use crate::platform::{now, AppState};

fn course_not_found() -> AppError {
    AppError::NotFound("The course".into())
}

/// A published course by slug with its id; not found outside the caller's
/// audience, as any record out of scope (the supplier's staff see every one).
async fn find(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    now: i64,
) -> Result<(i64, CourseCard), AppError> {
    queries::course(pool, me.id, slug.trim(), now)
        .await?
        .filter(|(_, card)| rules::in_audience(me.org_kind, card.audience))
        .ok_or_else(course_not_found)
}

/// Why `me` may not enrol in a course, if they may not.
fn refusal(me: &SessionUser, card: &CourseCard, prerequisites: &[Prerequisite]) -> Option<String> {
    if me.org_kind == OrgKind::Supplier {
        return Some("Courses are taken by partner and customer staff; you can read every lesson as a preview.".into());
    }
    if !card.audience.admits(me.org_kind) {
        return Some(format!(
            "This course is for {}: it is not open to your organisation.",
            card.audience.label().to_lowercase()
        ));
    }
    let missing: Vec<&str> = prerequisites
        .iter()
        .filter(|p| !p.met)
        .map(|p| p.course.title.as_str())
        .collect();
    (!missing.is_empty()).then(|| complete_first(&missing.join(" and ")))
}

/// The learner's refusal for prerequisites ("A and B") not completed.
fn complete_first(titles: &str) -> String {
    format!("Complete {titles} first.")
}

pub async fn course_detail(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    now: i64,
) -> Result<CourseDetail, AppError> {
    let (id, card) = find(pool, me, slug, now).await?;
    let enrollment = queries::enrollment(pool, me.id, id).await?;
    let modules = queries::outline(pool, id, enrollment.as_ref().map(|e| e.id)).await?;
    let prerequisites = queries::prerequisites(pool, id, me.id, now).await?;
    let done: Vec<i64> = modules
        .iter()
        .flat_map(|m| m.lessons.iter().filter(|l| l.done).map(|l| l.n))
        .collect();
    let enrollment = enrollment.map(|e| {
        let done_count = done.len() as i64;
        EnrollmentView {
            status: rules::status(Some(&e.facts(done_count)), false, now)
                .unwrap_or(TrainingStatus::NotStarted),
            source: e.source,
            enrolled_at: e.enrolled_at,
            due_at: e.due_at,
            completed_at: e.completed_at,
            expires_at: e.expires_at,
            lessons_done: done_count,
            lessons_total: card.lessons,
            resume_at: rules::resume_at(&done, card.lessons),
            retaking: e.restarted_at.is_some(),
        }
    });
    let enrolled = enrollment.is_some();
    let seats = super::seats::offer(pool, me, id, &card).await?;
    let enroll_refusal = match &enrollment {
        Some(e) if e.in_progress() => None,
        _ => refusal(me, &card, &prerequisites).or_else(|| {
            matches!(&seats, Some(SeatOffer { left: Some(0), .. })).then(|| no_seat(me))
        }),
    };
    let my_rating = match &enrollment {
        Some(e) if e.completed_at.is_some() => queries::my_rating(pool, id, me.id).await?,
        _ => None,
    };
    let materials = if super::authoring::materials::may_see(me, true, card.audience, enrolled) {
        super::authoring::editor::materials(pool, id, &card.slug).await?
    } else {
        vec![]
    };
    Ok(CourseDetail {
        preview: me.org_kind == OrgKind::Supplier,
        materials,
        card,
        modules,
        prerequisites,
        enrollment,
        enroll_refusal,
        my_rating,
        seats,
    })
}

/// Why a customer learner cannot start a course sold by the seat.
fn no_seat(me: &SessionUser) -> String {
    if me.role.has(crate::identity::Permission::ManageTraining) {
        "Your organisation has no seat left for this course: buy seats below, then enrol.".into()
    } else {
        "Your organisation has no seat left for this course: ask your training admin to buy seats."
            .into()
    }
}

/// Self-enrollment: a course outside the caller's audience is not found;
/// refused for a course not open to them or without its prerequisites; once
/// only; a lapsing completion starts the course again, once.
pub async fn enroll_self(st: &AppState, me: &SessionUser, slug: &str) -> Result<(), AppError> {
    let at = now();
    let (id, card) = find(&st.pool, me, slug, at).await?;
    let prerequisites = queries::prerequisites(&st.pool, id, me.id, at).await?;
    if let Some(why) = refusal(me, &card, &prerequisites) {
        return Err(AppError::Validation(why));
    }
    let mut tx = db::begin_write(&st.pool).await?;
    let new = NewEnrollment {
        course_id: id,
        user_id: me.id,
        source: EnrollmentSource::SelfService,
        assigned_by: None,
        due_at: None,
    };
    let refusal = |r| match r {
        super::seats::Refusal::NoSeat => no_seat(me),
        super::seats::Refusal::Prerequisites(titles) => complete_first(&titles),
    };
    let outcome =
        super::seats::enroll(&mut tx, &new, (me.org_kind, me.org_id), at, refusal).await?;
    if outcome != Enrolled::Already {
        let event = Event::by(me, AuditAction::CourseEnrolled, "course", &card.slug).detail(
            serde_json::json!({ "user": me.id, "source": "self", "restarted": outcome == Enrolled::Restarted }),
        );
        audit::record(&mut *tx, at, &event).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn lesson(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    n: i64,
) -> Result<LessonView, AppError> {
    let at = now();
    let (id, card) = find(pool, me, slug, at).await?;
    let enrollment = queries::enrollment(pool, me.id, id).await?;
    if enrollment.is_none() && me.org_kind != OrgKind::Supplier {
        return Err(AppError::validation(
            "Enrol in this course to read its lessons: your progress is kept as you go.",
        ));
    }
    let row = queries::lesson(pool, id, n)
        .await?
        .ok_or_else(|| AppError::NotFound("The lesson".into()))?;
    let outline: Vec<LessonOutline> = queries::outline(pool, id, enrollment.as_ref().map(|e| e.id))
        .await?
        .into_iter()
        .flat_map(|m| m.lessons)
        .collect();
    Ok(LessonView {
        course: CourseRef {
            id,
            slug: card.slug,
            title: card.title,
        },
        n,
        total: card.lessons,
        done: outline.iter().any(|l| l.n == n && l.done),
        enrolled: enrollment.is_some(),
        html: super::markdown::to_safe_html(&row.body_md),
        title: row.title,
        module_title: row.module_title,
        minutes: row.minutes,
        outline,
    })
}

/// Records lesson `n` done for the caller. One transaction, which first
/// touches the enrollment's row so that two lessons marked at once (two
/// devices) are counted one after the other and the completion is never missed.
pub async fn complete_lesson(
    st: &AppState,
    me: &SessionUser,
    slug: &str,
    n: i64,
) -> Result<LessonDone, AppError> {
    let at = now();
    let mut tx = db::begin_write(&st.pool).await?;
    // (lesson, the caller's enrollment, the course's validity, its lesson count)
    type Target = (i64, Option<i64>, Option<i64>, i64);
    let found: Option<Target> = sqlx::query_as(
        "SELECT l.id, e.id, c.validity_months,
                (SELECT COUNT(*) FROM lessons t WHERE t.course_id = c.id AND t.live = TRUE)
         FROM courses c
         JOIN lessons l ON l.course_id = c.id AND l.position = $2 AND l.live = TRUE
         LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = $3
         WHERE c.slug = $1 AND c.published = TRUE",
    )
    .bind(slug.trim())
    .bind(n)
    .bind(me.id)
    .fetch_optional(&mut *tx)
    .await?;
    let (lesson_id, enrollment_id, validity, total) =
        found.ok_or_else(|| AppError::NotFound("The lesson".into()))?;
    let enrollment_id = enrollment_id.ok_or_else(|| {
        AppError::validation(
            "Enrol in this course first: lessons count for enrolled learners only.",
        )
    })?;
    sqlx::query("UPDATE enrollments SET last_activity_at = $1 WHERE id = $2")
        .bind(at)
        .bind(enrollment_id)
        .execute(&mut *tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO lesson_progress (enrollment_id, lesson_id, done_at) VALUES ($1, $2, $3)
         ON CONFLICT (enrollment_id, lesson_id) DO NOTHING",
    )
    .bind(enrollment_id)
    .bind(lesson_id)
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let done = queries::done_positions(&mut *tx, enrollment_id).await?;
    let completed_course = inserted && rules::is_complete(done.len() as i64, total);
    if completed_course {
        let expires = rules::expiry(at, validity);
        sqlx::query(
            "UPDATE enrollments SET completed_at = $1, expires_at = $2, restarted_at = NULL WHERE id = $3",
        )
            .bind(at)
            .bind(expires)
            .bind(enrollment_id)
            .execute(&mut *tx)
            .await?;
        let event = Event::by(me, AuditAction::CourseCompleted, "course", slug.trim())
            .detail(serde_json::json!({ "user": me.id, "expires_at": expires }));
        audit::record(&mut *tx, at, &event).await?;
    }
    tx.commit().await?;
    Ok(LessonDone {
        next: rules::next_lesson(&done, total, n),
        completed_course,
    })
}

/// Stores the caller's rating of a course they have completed.
pub async fn rate(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    rating: i64,
    comment: &str,
) -> Result<(), AppError> {
    let at = now();
    let (id, _) = find(pool, me, slug, at).await?;
    let completed = queries::enrollment(pool, me.id, id)
        .await?
        .is_some_and(|e| e.completed_at.is_some());
    if !completed {
        return Err(AppError::validation(
            "Rate a course once you have completed it.",
        ));
    }
    let mut tx = db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO course_feedback (course_id, user_id, rating, comment, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (course_id, user_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, at = excluded.at",
    )
    .bind(id)
    .bind(me.id)
    .bind(rating)
    .bind(comment)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
