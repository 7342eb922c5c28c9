//! Assignment, server-only: a course assigned to one person of the
//! organisation the caller administers (from a matrix cell or the form), or
//! every proposal of the development plan at once. Each assignment is in the
//! audit trail and writes the learner's notice to the outbox in the same
//! transaction.

use super::super::api::{CourseRef, EnrollmentSource};
use super::super::queries::{Enrolled, NewEnrollment};
use super::super::rules;
use super::super::seats::Refusal;
use super::api::TrainingOrg;
use super::matrix::{course_for, load, scope_org, staff_member};
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::organisations::OrgKind;
use crate::platform::db::{self, Pool};
use crate::platform::now;

pub async fn assign(
    pool: &Pool,
    me: &SessionUser,
    org: &str,
    user_id: &str,
    course: &str,
    due: &str,
) -> Result<(), AppError> {
    let at = now();
    let (org, kind) = scope_org(pool, me, org).await?;
    let (user_id, name) = staff_member(pool, org.id, user_id).await?;
    let course = course_for(pool, kind, course).await?;
    let due_at = rules::parse_due(due, at).map_err(AppError::Validation)?;
    let mut tx = db::begin_write(pool).await?;
    let learner = (user_id, name.as_str());
    enroll_assigned(&mut tx, me, (&org, kind), learner, &course, due_at, at).await?;
    tx.commit().await?;
    crate::notices::outbox::request_delivery(pool).await;
    Ok(())
}

async fn enroll_assigned(
    tx: &mut db::Tx,
    me: &SessionUser,
    (org, kind): (&TrainingOrg, OrgKind),
    (user_id, name): (i64, &str),
    course: &CourseRef,
    due_at: Option<i64>,
    at: i64,
) -> Result<Enrolled, AppError> {
    let new = NewEnrollment {
        course_id: course.id,
        user_id,
        source: EnrollmentSource::Assigned,
        assigned_by: Some(me.id),
        due_at,
    };
    let refusal = |r| match r {
        Refusal::NoSeat => format!(
            "{} has no seat left for {}: buy seats on the course's page, then assign it.",
            org.name, course.title
        ),
        Refusal::Prerequisites(titles) => format!(
            "{name} has not completed {titles} yet, which {} needs first: assign that first.",
            course.title
        ),
    };
    let outcome = super::super::seats::enroll(tx, &new, (kind, org.id), at, refusal).await?;
    if outcome != Enrolled::Already {
        let id: i64 =
            sqlx::query_scalar("SELECT id FROM enrollments WHERE user_id = $1 AND course_id = $2")
                .bind(user_id)
                .bind(course.id)
                .fetch_one(&mut **tx)
                .await?;
        let m = super::super::reminders::assigned(
            user_id,
            id,
            &course.slug,
            &course.title,
            &me.display_name,
            due_at,
            at,
        );
        crate::notices::outbox::write(&mut **tx, &m, at).await?;
    }
    let event = Event::by(me, AuditAction::CourseAssigned, "course", &course.slug).detail(
        serde_json::json!({ "user": user_id, "due_at": due_at, "restarted": outcome == Enrolled::Restarted }),
    );
    audit::record(&mut **tx, at, &event).await?;
    Ok(outcome)
}

/// What "Assign all" did: proposals assigned, and those left waiting for a
/// prerequisite the person has not completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub assigned: i64,
    pub waiting: i64,
}

/// Assigns every proposal of the development plan whose prerequisites the
/// person holds; the others wait (assigning them would skip the rule).
pub async fn apply(
    pool: &Pool,
    me: &SessionUser,
    org: &str,
    due: &str,
) -> Result<Applied, AppError> {
    let at = now();
    let (org, kind) = scope_org(pool, me, org).await?;
    let due_at = rules::parse_due(due, at).map_err(AppError::Validation)?;
    let proposals = load(pool, org.id).await?.proposals(at);
    if proposals.is_empty() {
        return Err(AppError::validation(
            "Nothing to assign: everyone has the courses their job role needs.",
        ));
    }
    let mut tx = db::begin_write(pool).await?;
    let mut done = Applied {
        assigned: 0,
        waiting: 0,
    };
    for p in &proposals {
        // `seats::enroll` checks again in this transaction: a proposal read as
        // ready whose prerequisite lapsed meanwhile is refused, not skipped.
        if p.waiting_for.is_some() {
            done.waiting += 1;
            continue;
        }
        let learner = (p.user_id, p.name.as_str());
        enroll_assigned(&mut tx, me, (&org, kind), learner, &p.course, due_at, at).await?;
        done.assigned += 1;
    }
    if done.assigned == 0 {
        return Err(AppError::validation(
            "Nothing could be assigned yet: each proposed course needs a prerequisite its learner has not completed. Assign the prerequisites first.",
        ));
    }
    tx.commit().await?;
    crate::notices::outbox::request_delivery(pool).await;
    Ok(done)
}
