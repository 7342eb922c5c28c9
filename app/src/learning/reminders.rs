//! Learning's notices, server-only: the message of an assignment (written in
//! the assignment's transaction) and the hourly job that reminds learners of
//! due dates within a week and of completions expiring within 30 days. Both
//! write to the outbox only; delivery is the notices domain's job.

use super::rules::{self, Reminder};
use crate::dates::format_day;
use crate::notices::outbox::{self, Message};
use crate::platform::db::Tx;
use crate::platform::jobs::{self, Handler};
use crate::platform::now;

pub const KIND: &str = "learning.reminders";
pub const EVERY_SECS: i64 = 3600;

/// The message telling a learner a course was assigned to them.
pub fn assigned(
    user_id: i64,
    enrollment_id: i64,
    slug: &str,
    title: &str,
    by: &str,
    due_at: Option<i64>,
    at: i64,
) -> Message {
    let due = due_at
        .map(|d| format!(" It is due on {}.", rules::due_day(d)))
        .unwrap_or_default();
    Message {
        user_id,
        kind: "learning.assigned",
        subject: format!("Course assigned: {title}"),
        body: format!("{by} assigned this course to you.{due}"),
        link: rules::course_href(slug),
        key: format!("learning.assigned:{enrollment_id}:{at}"),
    }
}

/// The message of a reminder.
pub fn reminder_message(
    user_id: i64,
    enrollment_id: i64,
    slug: &str,
    title: &str,
    r: Reminder,
) -> Message {
    let (kind, subject, body) = match r {
        Reminder::DueSoon(at) => (
            "learning.due",
            format!("Due on {}: {title}", rules::due_day(at)),
            "Finish the course by its due date; your progress is kept where you left off.".to_string(),
        ),
        Reminder::Expiring(at) => (
            "learning.expiring",
            format!("Expires on {}: {title}", format_day(at)),
            "Your completion of this course expires soon. Take it again to stay certified for support.".to_string(),
        ),
    };
    Message {
        user_id,
        kind,
        subject,
        body,
        link: rules::course_href(slug),
        key: r.key(enrollment_id),
    }
}

// (enrollment, user, slug, title, due, completed, expires)
type Candidate = (
    i64,
    i64,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// Writes the reminders due at `at` (each once, by its key); returns how many
/// were new.
pub async fn remind(tx: &mut Tx, at: i64) -> Result<u64, sqlx::Error> {
    let day = crate::dates::DAY_SECS;
    let candidates: Vec<Candidate> = sqlx::query_as(
        "SELECT e.id, e.user_id, c.slug, c.title, e.due_at, e.completed_at, e.expires_at
         FROM enrollments e
         JOIN courses c ON c.id = e.course_id
         JOIN users u ON u.id = e.user_id
         WHERE u.active = TRUE AND c.published = TRUE
           AND ((e.completed_at IS NULL AND e.due_at BETWEEN $1 AND $2)
             OR (e.completed_at IS NOT NULL AND e.expires_at BETWEEN $1 AND $3))",
    )
    .bind(at)
    .bind(at + rules::DUE_NOTICE_DAYS * day)
    .bind(at + rules::EXPIRY_NOTICE_DAYS * day)
    .fetch_all(&mut **tx)
    .await?;
    let mut written = 0;
    for (id, user, slug, title, due, completed, expires) in candidates {
        if let Some(r) = rules::reminder(at, due, completed, expires) {
            let m = reminder_message(user, id, &slug, &title, r);
            if outbox::write(&mut **tx, &m, at).await? {
                written += 1;
            }
        }
    }
    if written > 0 {
        // Delivered by the same runner right after (its sweep is due too).
        jobs::enqueue(&mut **tx, outbox::DELIVER, &serde_json::json!({}), at, None).await?;
    }
    Ok(written)
}

pub fn handler() -> Handler {
    jobs::handler(|tx, _item| {
        Box::pin(async move {
            let n = remind(tx, now()).await?;
            Ok(format!("{n} learning reminders written"))
        })
    })
}
