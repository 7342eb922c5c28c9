//! Learning types and the learner's server functions: the course catalogue,
//! a course's page, enrolling, lessons and their progress, feedback and the
//! transcript. (Training administration is in `training`, authoring in `authoring`.)

pub use super::rules::{Audience, EnrollmentSource, Level, TrainingStatus};
use crate::catalog::ModelRef;
use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A course as the catalogue lists it, with the caller's own status in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub audience: Audience,
    pub level: Level,
    pub model_code: Option<String>,
    pub duration_minutes: i64,
    pub validity_months: Option<i64>,
    pub lessons: i64,
    /// The caller's status; `None` when not enrolled.
    pub status: Option<TrainingStatus>,
    pub rating_sum: i64,
    pub rating_count: i64,
    /// The list price of a seat, for a course customers buy by the seat.
    pub seat_price_cents: Option<i64>,
}

/// A course sold by the seat, as its page offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatOffer {
    /// What the caller's organisation pays for a seat.
    pub price_cents: i64,
    pub list_price_cents: i64,
    /// For a customer: the seats it has left (each learner who starts the
    /// course takes one).
    pub left: Option<i64>,
    /// For a customer: the seats its confirmed orders bought.
    pub bought: i64,
    /// The caller may buy seats (they go in the cart).
    pub can_buy: bool,
}

/// The course catalogue and its filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseList {
    pub courses: Vec<CourseCard>,
    pub models: Vec<ModelRef>,
    /// The caller may filter by audience (the supplier's staff, who see every course).
    pub audience_filter: bool,
    /// The caller writes courses (a link to the course editor).
    pub can_edit: bool,
}

/// A course named by its address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CourseRef {
    pub id: i64,
    pub slug: String,
    pub title: String,
}

/// A lesson in a course's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonOutline {
    pub n: i64,
    pub title: String,
    pub minutes: i64,
    pub done: bool,
}

/// A module and its lessons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleOutline {
    pub title: String,
    pub lessons: Vec<LessonOutline>,
}

/// The caller's enrollment in a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentView {
    pub source: EnrollmentSource,
    pub enrolled_at: i64,
    pub due_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub lessons_done: i64,
    pub lessons_total: i64,
    pub status: TrainingStatus,
    /// The lesson to go on with; `None` when all are done.
    pub resume_at: Option<i64>,
    /// A retake of the course runs (the completion may still be in force).
    pub retaking: bool,
}

impl EnrollmentView {
    /// Whether the learner goes on with the course rather than (re)starting
    /// it: enrolled and not lapsed, not expiring, or a retake already runs.
    pub fn in_progress(&self) -> bool {
        self.retaking || (!self.status.is_gap() && self.status != TrainingStatus::Expiring)
    }
}

/// A prerequisite and whether the caller holds a current completion of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prerequisite {
    pub course: CourseRef,
    pub met: bool,
}

/// A course's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub card: CourseCard,
    pub modules: Vec<ModuleOutline>,
    pub prerequisites: Vec<Prerequisite>,
    pub enrollment: Option<EnrollmentView>,
    /// Why the caller cannot enrol (audience, prerequisites), if they cannot.
    pub enroll_refusal: Option<String>,
    /// The caller may read the lessons without enrolling (the supplier's staff).
    pub preview: bool,
    /// The caller's rating, once given.
    pub my_rating: Option<(i64, String)>,
    /// Files to download (for those the course is open to).
    pub materials: Vec<super::authoring::api::MaterialView>,
    /// For a course sold by the seat: its price and the caller's seats.
    pub seats: Option<SeatOffer>,
}

/// One lesson, rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonView {
    pub course: CourseRef,
    pub n: i64,
    pub total: i64,
    pub title: String,
    pub module_title: String,
    pub minutes: i64,
    /// Safe HTML, rendered on the server from the lesson's Markdown.
    pub html: String,
    pub done: bool,
    /// The caller is enrolled and records progress (else: a preview).
    pub enrolled: bool,
    pub outline: Vec<LessonOutline>,
}

/// What marking a lesson done led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonDone {
    /// The lesson to go on with, if any is left.
    pub next: Option<i64>,
    /// This call completed the course.
    pub completed_course: bool,
}

/// One course of the caller's transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptRow {
    pub course: CourseRef,
    pub model_code: Option<String>,
    pub source: EnrollmentSource,
    pub enrolled_at: i64,
    pub due_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub lessons_done: i64,
    pub lessons_total: i64,
    pub status: TrainingStatus,
}

/// The caller's transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub name: String,
    pub organisation: String,
    pub rows: Vec<TranscriptRow>,
    pub now: i64,
}

/// The course catalogue the caller may take (the supplier's staff see every
/// course), filtered by audience, equipment model and level.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "courses/list")]
pub async fn list_courses(
    #[server(default)] audience: String,
    #[server(default)] model: String,
    #[server(default)] level: String,
) -> Result<CourseList, AppError> {
    use crate::organisations::OrgKind;
    let st = crate::platform::state()?;
    let me = &session.user;
    let supplier = me.org_kind == OrgKind::Supplier;
    let filter = super::queries::CourseFilter {
        audiences: match Audience::parse(&audience) {
            Some(a) if supplier => vec![a],
            _ => Audience::for_kind(me.org_kind).to_vec(),
        },
        model: Some(model.trim())
            .filter(|m| !m.is_empty())
            .map(str::to_string),
        level: Level::parse(&level),
    };
    Ok(CourseList {
        courses: super::queries::courses(&st.pool, me.id, &filter, crate::platform::now()).await?,
        models: crate::catalog::queries::models(&st.pool).await?,
        audience_filter: supplier,
        can_edit: me.role.has(crate::identity::Permission::EditCourses),
    })
}

/// A course's page: outline, prerequisites, and the caller's enrollment.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "courses/get")]
pub async fn get_course(slug: String) -> Result<CourseDetail, AppError> {
    let st = crate::platform::state()?;
    super::progress::course_detail(&st.pool, &session.user, &slug, crate::platform::now()).await
}

/// Enrols the caller in a course their audience admits (with its
/// prerequisites completed). Enrolling again changes nothing; a lapsed or
/// lapsing completion starts the course again. In the audit trail.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "courses/enroll")]
pub async fn enroll(slug: String) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    super::progress::enroll_self(&st, &session.user, &slug).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Enrolled)?;
    leptos_axum::redirect(&super::rules::course_href(&slug));
    Ok(())
}

/// Puts seats of a course sold by the seat in the caller's cart (a customer
/// buys them for its staff; a partner for one of its customers, chosen at
/// checkout). The same form sent twice (`add_key`) adds once.
#[access(PlaceOrders)]
#[server(prefix = "/api", endpoint = "courses/seats/add")]
pub async fn add_seats_to_cart(
    slug: String,
    quantity: String,
    #[server(default)] add_key: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    super::seats::add_to_cart(&st.pool, &session.user, &slug, &quantity, &add_key).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::AddedToCart)?;
    Ok(())
}

/// A lesson of a course: for the enrolled learner (and the supplier's staff,
/// as a preview); others are sent to the course's page to enrol.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "courses/lesson")]
pub async fn get_lesson(slug: String, n: i64) -> Result<LessonView, AppError> {
    let st = crate::platform::state()?;
    super::progress::lesson(&st.pool, &session.user, &slug, n).await
}

/// Marks a lesson done. Idempotent: marking it again changes nothing and
/// answers the same. The last lesson completes the course (in the audit
/// trail). A plain form post goes on to the next lesson.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "courses/lesson/done")]
pub async fn complete_lesson(slug: String, n: i64) -> Result<LessonDone, AppError> {
    use crate::platform::flash;
    let st = crate::platform::state()?;
    let done = super::progress::complete_lesson(&st, &session.user, &slug, n).await?;
    if done.completed_course {
        flash::set(flash::Notice::CourseCompleted)?;
    }
    let to = match done.next {
        Some(next) if !done.completed_course => super::rules::lesson_href(&slug, next),
        _ => super::rules::course_href(&slug),
    };
    leptos_axum::redirect(&to);
    Ok(done)
}

/// Rates a course the caller has completed (1–5, with a comment); rating
/// again replaces the earlier rating.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "courses/feedback")]
pub async fn rate_course(
    slug: String,
    rating: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let (rating, comment) =
        super::rules::parse_feedback(&rating, &comment).map_err(AppError::Validation)?;
    super::progress::rate(&st.pool, &session.user, &slug, rating, &comment).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::FeedbackSaved)?;
    Ok(())
}

/// The caller's transcript: every course they are or were enrolled in.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "transcript")]
pub async fn get_transcript() -> Result<Transcript, AppError> {
    let st = crate::platform::state()?;
    let me = &session.user;
    let now = crate::platform::now();
    Ok(Transcript {
        name: me.display_name.clone(),
        organisation: me.org_name.clone(),
        rows: super::queries::transcript(&st.pool, me.id, now).await?,
        now,
    })
}
