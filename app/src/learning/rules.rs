//! Pure rules of learning: who may take a course, when a completion expires,
//! the status of a person's training in a course (the matrix's cells and the
//! transcript's groups), where a learner resumes, and the checks of what an
//! admin types (due dates, job roles, ratings).

use crate::dates::DAY_SECS;
use crate::organisations::OrgKind;
use crate::vocab::text_enum;
use time::{Date, Month, OffsetDateTime};

text_enum!(
    /// Who a course is for.
    Audience {
        Partner => "partner" / "Partner staff",
        Customer => "customer" / "Customer staff",
        Both => "both" / "Partner and customer staff",
    }
);

text_enum!(
    /// How demanding a course is.
    Level {
        Foundation => "foundation" / "Foundation",
        Intermediate => "intermediate" / "Intermediate",
        Advanced => "advanced" / "Advanced",
    }
);

text_enum!(
    /// How an enrollment came about.
    EnrollmentSource {
        SelfService => "self" / "Self-enrolled",
        Assigned => "assigned" / "Assigned",
        Seat => "seat" / "Training seat",
    }
);

text_enum!(
    /// Where a person stands in a course: a cell of the training matrix.
    TrainingStatus {
        NotAssigned => "not_assigned" / "Not assigned",
        NotStarted => "not_started" / "Not started",
        InProgress => "in_progress" / "In progress",
        Completed => "completed" / "Completed",
        Expiring => "expiring" / "Expiring",
        Expired => "expired" / "Expired",
        Overdue => "overdue" / "Overdue",
    }
);

/// A completion that expires within this many days shows as expiring.
pub const EXPIRING_DAYS: i64 = 60;

/// Whether staff of an organisation of `kind` may see a published course of
/// `audience` at all: its authors (the supplier) and partners (who sell
/// customers their training seats) every course, customers the courses for
/// customers. Outside it a course is "not found": a partner's service
/// training is none of a customer's business.
pub fn in_audience(kind: OrgKind, audience: Audience) -> bool {
    kind != OrgKind::Customer || audience.admits(kind)
}

impl Audience {
    /// Whether staff of an organisation of this kind may take the course.
    /// The supplier's staff take none: they read courses as their authors.
    pub fn admits(self, kind: OrgKind) -> bool {
        matches!(
            (self, kind),
            (Audience::Both, OrgKind::Partner | OrgKind::Customer)
                | (Audience::Partner, OrgKind::Partner)
                | (Audience::Customer, OrgKind::Customer)
        )
    }

    /// The audiences whose courses staff of this kind may take.
    pub fn for_kind(kind: OrgKind) -> &'static [Audience] {
        match kind {
            OrgKind::Partner => &[Audience::Partner, Audience::Both],
            OrgKind::Customer => &[Audience::Customer, Audience::Both],
            OrgKind::Supplier => Audience::ALL,
        }
    }
}

/// What the status of one enrollment is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EnrollmentFacts {
    pub due_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub lessons_done: i64,
}

/// The status of a person in a course at `now`: `None` for no enrollment, and
/// `required` says whether their development plan asks for the course.
/// Returns `None` for a course neither required nor enrolled in.
pub fn status(facts: Option<&EnrollmentFacts>, required: bool, now: i64) -> Option<TrainingStatus> {
    let Some(f) = facts else {
        return required.then_some(TrainingStatus::NotAssigned);
    };
    let valid = f.completed_at.is_some() && f.expires_at.is_none_or(|end| now < end);
    if valid {
        let expiring = f
            .expires_at
            .is_some_and(|end| end - now <= EXPIRING_DAYS * DAY_SECS);
        return Some(if expiring {
            TrainingStatus::Expiring
        } else {
            TrainingStatus::Completed
        });
    }
    if f.due_at.is_some_and(|due| now >= due) {
        return Some(TrainingStatus::Overdue);
    }
    if f.completed_at.is_some() {
        return Some(TrainingStatus::Expired);
    }
    Some(if f.lessons_done > 0 {
        TrainingStatus::InProgress
    } else {
        TrainingStatus::NotStarted
    })
}

/// What enrolling again does to an existing enrollment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    /// Nothing: the course is in progress, completed, or already retaken.
    No,
    /// A retake of a completion still in force (expiring): progress starts
    /// again, the completion stays until the retake replaces it.
    Retake,
    /// The completion has lapsed: it is cleared (and, unless a retake is
    /// already running, progress starts again).
    Lapsed,
}

/// What enrolling again does, given the enrollment's status and whether a
/// retake already runs. One retake per completion: a second click, a reload
/// or another tab finds `retaking` and changes nothing.
pub fn restart(status: Option<TrainingStatus>, retaking: bool) -> Restart {
    match status {
        Some(TrainingStatus::Expiring) if !retaking => Restart::Retake,
        Some(TrainingStatus::Expired) => Restart::Lapsed,
        _ => Restart::No,
    }
}

impl TrainingStatus {
    /// Whether the person holds a completion that is in force.
    pub fn is_current(self) -> bool {
        matches!(self, TrainingStatus::Completed | TrainingStatus::Expiring)
    }

    /// Whether the matrix proposes an enrollment for a required course in this
    /// state: nobody is enrolled, or the completion has lapsed.
    pub fn is_gap(self) -> bool {
        matches!(self, TrainingStatus::NotAssigned | TrainingStatus::Expired)
    }
}

/// When a completion on `completed_at` expires, for a course valid for
/// `validity_months` (`None`: never). The same day of the month, months later;
/// the month's last day where that day does not exist (31 January + 1 month
/// is 28 or 29 February).
pub fn expiry(completed_at: i64, validity_months: Option<i64>) -> Option<i64> {
    let months = validity_months?;
    let start = OffsetDateTime::from_unix_timestamp(completed_at).ok()?;
    let total = start.year() as i64 * 12 + (start.month() as i64 - 1) + months;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).ok()?;
    let year = i32::try_from(year).ok()?;
    let day = start.day().min(month.length(year));
    let date = Date::from_calendar_date(year, month, day).ok()?;
    Some(start.replace_date(date).unix_timestamp())
}

/// Whether a course of `total` lessons is complete with `done` of them done.
/// (Courses have no quiz until the certification issue brings the exam engine.)
pub fn is_complete(done: i64, total: i64) -> bool {
    total > 0 && done >= total
}

/// The lesson a learner resumes at: the first not done, in course order;
/// `None` when every lesson is done.
pub fn resume_at(done_positions: &[i64], total: i64) -> Option<i64> {
    (1..=total).find(|n| !done_positions.contains(n))
}

/// The lesson after `n` that is not done yet, else the first not done.
pub fn next_lesson(done_positions: &[i64], total: i64, n: i64) -> Option<i64> {
    ((n + 1)..=total)
        .find(|p| !done_positions.contains(p))
        .or_else(|| resume_at(done_positions, total))
}

/// Where a course's page is.
/// A learner is reminded of a due date this many days before it…
pub const DUE_NOTICE_DAYS: i64 = 7;
/// …and of a completion this many days before it expires.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// A reminder an enrollment calls for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// Not completed, due within [`DUE_NOTICE_DAYS`] (at this time).
    DueSoon(i64),
    /// Completed, and the completion expires within [`EXPIRY_NOTICE_DAYS`].
    Expiring(i64),
}

impl Reminder {
    /// The outbox key: one reminder per enrollment and date (a new due date
    /// or a new completion gets its own).
    pub fn key(self, enrollment_id: i64) -> String {
        match self {
            Reminder::DueSoon(at) => format!("learning.due:{enrollment_id}:{at}"),
            Reminder::Expiring(at) => format!("learning.expiring:{enrollment_id}:{at}"),
        }
    }
}

/// The reminder an enrollment calls for at `now`, if any. Past dates call for
/// none: the matrix shows those as overdue or expired.
pub fn reminder(
    now: i64,
    due_at: Option<i64>,
    completed_at: Option<i64>,
    expires_at: Option<i64>,
) -> Option<Reminder> {
    match completed_at {
        None => due_at
            .filter(|d| *d >= now && *d <= now + DUE_NOTICE_DAYS * DAY_SECS)
            .map(Reminder::DueSoon),
        Some(_) => expires_at
            .filter(|e| *e > now && *e <= now + EXPIRY_NOTICE_DAYS * DAY_SECS)
            .map(Reminder::Expiring),
    }
}

/// A course's page in the editor.
pub fn editor_href(slug: &str) -> String {
    format!("/course-editor/{slug}")
}

/// A lesson's page in the editor.
pub fn lesson_editor_href(slug: &str, n: i64) -> String {
    format!("/course-editor/{slug}/lessons/{n}")
}

/// Where a course material is downloaded.
pub fn material_href(slug: &str, id: i64) -> String {
    format!("/courses/{slug}/materials/{id}")
}

pub fn course_href(slug: &str) -> String {
    format!("/courses/{}", crate::url::encode_component(slug))
}

/// Where lesson `n` of a course is.
pub fn lesson_href(slug: &str, n: i64) -> String {
    format!("{}/lessons/{n}", course_href(slug))
}

/// A due date as typed (`YYYY-MM-DD`, optional): the end of that day (UTC),
/// which must not have passed.
pub fn parse_due(text: &str, now: i64) -> Result<Option<i64>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let day = crate::dates::parse_day(text)
        .ok_or_else(|| "Enter the due date as a day, like 2026-12-31.".to_string())?;
    let end = day + DAY_SECS;
    if end <= now {
        return Err("That due date has passed: choose today or a later day.".into());
    }
    Ok(Some(end))
}

/// The day a due date (the end of a day) falls on, as people read it.
pub fn due_day(due_at: i64) -> String {
    crate::dates::format_day(due_at - 1)
}

/// A job role's name as typed: 2 to 60 characters.
pub fn parse_job_role(text: &str) -> Result<String, String> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err("Name the job role, like “LX-200 operator”.".into()),
        1 => Err("A job role's name needs at least 2 characters.".into()),
        61.. => Err("Keep the job role's name to 60 characters.".into()),
        _ => Ok(name),
    }
}

/// A rating as sent: a whole number from 1 to 5, and a comment of at most
/// 2,000 characters.
pub fn parse_feedback(rating: &str, comment: &str) -> Result<(i64, String), String> {
    let rating: i64 = rating
        .trim()
        .parse()
        .ok()
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| "Choose a rating from 1 to 5 stars.".to_string())?;
    let comment = comment.trim();
    if comment.chars().count() > 2_000 {
        return Err("Keep the comment to 2,000 characters.".into());
    }
    Ok((rating, comment.to_string()))
}

/// Whether a learner of an organisation of `kind` takes one of its seats to
/// start a course: customers do for a course sold by the seat; partner staff
/// are trained as part of their programme, and the supplier's staff do not
/// take courses.
pub fn needs_seat(kind: OrgKind, seat_price_cents: Option<i64>) -> bool {
    kind == OrgKind::Customer && seat_price_cents.is_some()
}

/// The seats an organisation has left of those it bought (a cancelled order
/// may take back seats already used: never below zero).
pub fn seats_left(bought: i64, used: i64) -> i64 {
    (bought - used).max(0)
}

/// "1 h 30 min", "45 min": a course's or lesson's length.
pub fn duration_text(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// "Valid for 24 months", "Does not expire".
pub fn validity_text(months: Option<i64>) -> String {
    match months {
        None => "Does not expire".into(),
        Some(m) if m % 12 == 0 && m >= 24 => format!("Valid for {} years", m / 12),
        Some(1) => "Valid for 1 month".into(),
        Some(m) => format!("Valid for {m} months"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_day;

    const NOW: i64 = 1_795_478_400; // 2026-11-24

    #[test]
    fn a_course_outside_the_audience_is_not_seen() {
        assert!(in_audience(OrgKind::Supplier, Audience::Partner));
        assert!(in_audience(OrgKind::Partner, Audience::Partner));
        assert!(!in_audience(OrgKind::Customer, Audience::Partner));
        assert!(in_audience(OrgKind::Customer, Audience::Both));
        assert!(in_audience(OrgKind::Customer, Audience::Customer));
        // Partners see customer courses (they buy seats for customers), though
        // they do not take them (`Audience::admits`).
        assert!(in_audience(OrgKind::Partner, Audience::Customer));
    }

    #[test]
    fn a_completion_is_retaken_once() {
        use TrainingStatus::*;
        assert_eq!(restart(Some(Expiring), false), Restart::Retake);
        // The second click of the same retake changes nothing.
        assert_eq!(restart(Some(Expiring), true), Restart::No);
        assert_eq!(restart(Some(Expired), false), Restart::Lapsed);
        assert_eq!(restart(Some(Expired), true), Restart::Lapsed);
        for s in [Completed, InProgress, NotStarted, Overdue] {
            assert_eq!(restart(Some(s), false), Restart::No, "{s:?}");
        }
        assert_eq!(restart(None, false), Restart::No);
    }

    fn facts(done: i64) -> EnrollmentFacts {
        EnrollmentFacts {
            lessons_done: done,
            ..Default::default()
        }
    }

    #[test]
    fn audiences_admit_partner_and_customer_staff_only() {
        assert!(Audience::Both.admits(OrgKind::Customer));
        assert!(Audience::Both.admits(OrgKind::Partner));
        assert!(Audience::Partner.admits(OrgKind::Partner));
        assert!(!Audience::Partner.admits(OrgKind::Customer));
        assert!(!Audience::Customer.admits(OrgKind::Partner));
        assert!(!Audience::Both.admits(OrgKind::Supplier));
        for kind in [OrgKind::Partner, OrgKind::Customer] {
            for a in Audience::for_kind(kind) {
                assert!(a.admits(kind));
            }
        }
    }

    #[test]
    fn status_of_each_kind_of_cell() {
        let s = |f: Option<&EnrollmentFacts>, req| status(f, req, NOW);
        assert_eq!(s(None, false), None);
        assert_eq!(s(None, true), Some(TrainingStatus::NotAssigned));
        assert_eq!(s(Some(&facts(0)), true), Some(TrainingStatus::NotStarted));
        assert_eq!(s(Some(&facts(2)), false), Some(TrainingStatus::InProgress));
        let overdue = EnrollmentFacts {
            due_at: Some(NOW),
            lessons_done: 3,
            ..Default::default()
        };
        assert_eq!(s(Some(&overdue), true), Some(TrainingStatus::Overdue));
        let not_yet_due = EnrollmentFacts {
            due_at: Some(NOW + 1),
            ..overdue
        };
        assert_eq!(
            s(Some(&not_yet_due), true),
            Some(TrainingStatus::InProgress)
        );
        let done = EnrollmentFacts {
            completed_at: Some(NOW - 10 * DAY_SECS),
            due_at: Some(NOW - 20 * DAY_SECS),
            ..Default::default()
        };
        // Completed after the due date is complete, not overdue; no expiry never lapses.
        assert_eq!(s(Some(&done), true), Some(TrainingStatus::Completed));
        let far = EnrollmentFacts {
            expires_at: Some(NOW + 61 * DAY_SECS),
            ..done
        };
        assert_eq!(s(Some(&far), true), Some(TrainingStatus::Completed));
        let soon = EnrollmentFacts {
            expires_at: Some(NOW + 60 * DAY_SECS),
            ..done
        };
        assert_eq!(s(Some(&soon), true), Some(TrainingStatus::Expiring));
        let lapsed = EnrollmentFacts {
            expires_at: Some(NOW),
            due_at: None,
            ..done
        };
        assert_eq!(s(Some(&lapsed), true), Some(TrainingStatus::Expired));
        // Reassigned after it lapsed, with a due date that has passed: overdue.
        let reassigned = EnrollmentFacts {
            due_at: Some(NOW - 1),
            ..lapsed
        };
        assert_eq!(s(Some(&reassigned), true), Some(TrainingStatus::Overdue));
    }

    #[test]
    fn gaps_are_missing_or_lapsed_completions() {
        use TrainingStatus::*;
        let gaps: Vec<_> = TrainingStatus::ALL.iter().filter(|s| s.is_gap()).collect();
        assert_eq!(gaps, [&NotAssigned, &Expired]);
        assert!(Completed.is_current() && Expiring.is_current() && !Expired.is_current());
    }

    #[test]
    fn expiry_adds_calendar_months() {
        let day = |s| parse_day(s).unwrap();
        assert_eq!(expiry(day("2026-11-24"), None), None);
        assert_eq!(expiry(day("2026-11-24"), Some(24)), Some(day("2028-11-24")));
        assert_eq!(expiry(day("2026-11-24"), Some(2)), Some(day("2027-01-24")));
        assert_eq!(expiry(day("2027-01-31"), Some(1)), Some(day("2027-02-28")));
        assert_eq!(expiry(day("2028-01-31"), Some(1)), Some(day("2028-02-29")));
        // The time of day is kept.
        assert_eq!(
            expiry(day("2026-03-31") + 3_600, Some(6)),
            Some(day("2026-09-30") + 3_600)
        );
    }

    #[test]
    fn completion_and_resume() {
        assert!(!is_complete(0, 0));
        assert!(!is_complete(2, 3));
        assert!(is_complete(3, 3));
        assert_eq!(resume_at(&[], 3), Some(1));
        assert_eq!(resume_at(&[1, 3], 3), Some(2));
        assert_eq!(resume_at(&[2, 1, 3], 3), None);
        assert_eq!(next_lesson(&[1, 3], 4, 1), Some(2));
        assert_eq!(next_lesson(&[1, 2, 4], 4, 2), Some(3));
        assert_eq!(next_lesson(&[2, 3, 4], 4, 4), Some(1));
        assert_eq!(next_lesson(&[1, 2, 3, 4], 4, 4), None);
    }

    #[test]
    fn due_dates_are_days_not_in_the_past() {
        assert_eq!(parse_due("  ", NOW), Ok(None));
        assert_eq!(parse_due("2026-11-24", NOW), Ok(Some(NOW + DAY_SECS)));
        assert!(parse_due("2026-11-23", NOW).unwrap_err().contains("passed"));
        assert!(parse_due("next week", NOW)
            .unwrap_err()
            .contains("2026-12-31"));
        assert_eq!(due_day(NOW + DAY_SECS), "2026-11-24");
    }

    #[test]
    fn job_roles_ratings_and_texts() {
        assert_eq!(
            parse_job_role("  LX-200   operator "),
            Ok("LX-200 operator".into())
        );
        assert!(parse_job_role("").is_err());
        assert!(parse_job_role("x").is_err());
        assert!(parse_job_role(&"a".repeat(61)).is_err());
        assert_eq!(parse_feedback(" 5 ", " Clear. "), Ok((5, "Clear.".into())));
        assert!(parse_feedback("0", "").is_err());
        assert!(parse_feedback("4.5", "").is_err());
        assert!(parse_feedback("3", &"x".repeat(2_001)).is_err());
        assert_eq!(duration_text(45), "45 min");
        assert_eq!(duration_text(120), "2 h");
        assert_eq!(duration_text(95), "1 h 35 min");
        assert_eq!(validity_text(None), "Does not expire");
        assert_eq!(validity_text(Some(24)), "Valid for 2 years");
        assert_eq!(validity_text(Some(18)), "Valid for 18 months");
    }

    #[test]
    fn reminders_come_within_their_windows_once_per_date() {
        let now = 1_800_000_000;
        // Due in 3 days, not done: reminded; in 8 days or yesterday: not.
        let soon = now + 3 * DAY_SECS;
        assert_eq!(
            reminder(now, Some(soon), None, None),
            Some(Reminder::DueSoon(soon))
        );
        assert_eq!(reminder(now, Some(now + 8 * DAY_SECS), None, None), None);
        assert_eq!(reminder(now, Some(now - DAY_SECS), None, None), None);
        // Done before the due date: no due reminder.
        assert_eq!(reminder(now, Some(soon), Some(now - DAY_SECS), None), None);
        // A completion expiring in 30 days is reminded, in 31 days or never not.
        let exp = now + 30 * DAY_SECS;
        assert_eq!(
            reminder(now, None, Some(now - 300 * DAY_SECS), Some(exp)),
            Some(Reminder::Expiring(exp))
        );
        assert_eq!(
            reminder(now, None, Some(now), Some(now + 31 * DAY_SECS)),
            None
        );
        assert_eq!(reminder(now, None, Some(now), None), None);
        assert_eq!(
            reminder(now, None, Some(now - 400 * DAY_SECS), Some(now - DAY_SECS)),
            None
        );
        // One key per enrollment and date.
        assert_eq!(Reminder::DueSoon(5).key(7), "learning.due:7:5");
        assert_ne!(Reminder::DueSoon(5).key(7), Reminder::DueSoon(6).key(7));
        assert_ne!(Reminder::DueSoon(5).key(7), Reminder::Expiring(5).key(7));
    }

    #[test]
    fn only_customers_take_seats_and_only_of_courses_sold_by_the_seat() {
        assert!(needs_seat(OrgKind::Customer, Some(18_000)));
        assert!(!needs_seat(OrgKind::Customer, None));
        assert!(!needs_seat(OrgKind::Partner, Some(18_000)));
        assert!(!needs_seat(OrgKind::Supplier, Some(18_000)));
        assert_eq!(seats_left(5, 2), 3);
        assert_eq!(seats_left(2, 2), 0);
        assert_eq!(seats_left(0, 3), 0);
    }
}
