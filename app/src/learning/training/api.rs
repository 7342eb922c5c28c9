//! Training administration for customer_admin and partner_admin (and the
//! supplier admin, for any partner or customer): the matrix of staff × the
//! courses their development plan requires or they were assigned, assignment,
//! the development plan's job roles, and the proposals that close its gaps.

use super::super::api::CourseRef;
use super::super::rules::TrainingStatus;
use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An organisation whose training is administered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TrainingOrg {
    pub id: i64,
    pub name: String,
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub status: TrainingStatus,
    pub required: bool,
    pub due_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub lessons_done: i64,
    pub lessons_total: i64,
}

/// One person's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub user_id: i64,
    pub job_role_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub job_role: Option<String>,
    /// One per column: `None` where the course is neither required nor taken.
    pub cells: Vec<Option<MatrixCell>>,
}

/// An enrollment the development plan asks for and nobody made yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub user_id: i64,
    pub name: String,
    pub course: CourseRef,
    /// The person's completion has lapsed (else: never enrolled).
    pub renewal: bool,
    /// The prerequisites ("A and B") the person holds no completion of yet:
    /// the proposal waits for them and "Assign all" leaves it.
    pub waiting_for: Option<String>,
}

/// A job role of the organisation and the courses it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRoleView {
    pub id: i64,
    pub name: String,
    pub courses: Vec<CourseRef>,
    pub staff: i64,
}

/// A person of the organisation, for the forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChoice {
    pub id: i64,
    pub name: String,
    pub job_role_id: Option<i64>,
}

/// The training page of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingMatrix {
    pub org: TrainingOrg,
    /// The organisations the caller may switch to (the supplier admin); empty otherwise.
    pub orgs: Vec<TrainingOrg>,
    pub columns: Vec<CourseRef>,
    /// The rows that pass the filters, one page of them.
    pub rows: Vec<MatrixRow>,
    /// How many rows pass the filters.
    pub rows_total: i64,
    pub page: i64,
    pub pages: i64,
    /// How many people the organisation has (before the filters).
    pub staff_total: i64,
    /// The first proposals (at most `training::PROPOSALS_LISTED`).
    pub proposals: Vec<Proposal>,
    /// How many proposals there are.
    pub proposals_total: i64,
    /// How many of them wait for a prerequisite: "Assign all" assigns the
    /// others.
    pub proposals_waiting: i64,
    pub roles: Vec<JobRoleView>,
    pub staff: Vec<StaffChoice>,
    /// The courses its staff may be assigned (their audience admits them).
    pub courses: Vec<CourseRef>,
    /// How many cells of each status the whole matrix has.
    pub totals: Vec<(TrainingStatus, i64)>,
}

/// The matrix of an organisation (the caller's own; the supplier admin's
/// choice), with rows filtered by job role, status and name.
#[access(ManageTraining)]
#[server(prefix = "/api", endpoint = "training/matrix")]
pub async fn get_training_matrix(
    #[server(default)] org: String,
    #[server(default)] role: String,
    #[server(default)] status: String,
    #[server(default)] q: String,
    #[server(default)] page: String,
) -> Result<TrainingMatrix, AppError> {
    let st = crate::platform::state()?;
    let filter = super::matrix::MatrixFilter::parse(&role, &status, &q, &page);
    super::matrix::matrix(&st.pool, &session.user, &org, &filter).await
}

/// Assigns a course to a person of the organisation, with an optional due
/// date. Someone outside it is not found. In the audit trail. The matrix's
/// cells send both as one `pick` ("{user id}:{course slug}").
#[access(ManageTraining)]
#[server(prefix = "/api", endpoint = "training/assign")]
pub async fn assign_course(
    #[server(default)] org: String,
    #[server(default)] user_id: String,
    #[server(default)] course: String,
    #[server(default)] due: String,
    #[server(default)] pick: String,
) -> Result<(), AppError> {
    use crate::platform::flash;
    let st = crate::platform::state()?;
    let (user_id, course) = match pick.split_once(':') {
        Some((user, course)) => (user.to_string(), course.to_string()),
        None => (user_id, course),
    };
    super::assign::assign(&st.pool, &session.user, &org, &user_id, &course, &due).await?;
    flash::set(flash::Notice::CourseAssigned)?;
    Ok(())
}

/// Makes every enrollment the matrix proposes (the development plan's gaps),
/// with an optional due date, except those waiting for a prerequisite.
/// Returns how many were made.
#[access(ManageTraining)]
#[server(prefix = "/api", endpoint = "training/apply")]
pub async fn apply_proposals(
    #[server(default)] org: String,
    #[server(default)] due: String,
) -> Result<i64, AppError> {
    use crate::platform::flash;
    let st = crate::platform::state()?;
    let done = super::assign::apply(&st.pool, &session.user, &org, &due).await?;
    flash::set(if done.waiting > 0 {
        flash::Notice::ProposalsWaiting
    } else {
        flash::Notice::ProposalsApplied
    })?;
    Ok(done.assigned)
}

/// Adds a job role to the organisation's development plan.
#[access(ManageTraining)]
#[server(prefix = "/api", endpoint = "training/roles/add")]
pub async fn add_job_role(#[server(default)] org: String, name: String) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    super::matrix::add_role(&st.pool, &session.user, &org, &name).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Saved)?;
    Ok(())
}

/// Adds a course to a job role's plan (`required` true) or takes it off.
#[access(ManageTraining)]
#[server(prefix = "/api", endpoint = "training/roles/course")]
pub async fn set_plan_course(
    #[server(default)] org: String,
    job_role_id: String,
    course: String,
    required: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let required = required == "true";
    super::matrix::set_plan_course(
        &st.pool,
        &session.user,
        &org,
        &job_role_id,
        &course,
        required,
    )
    .await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Saved)?;
    Ok(())
}

/// Gives a person of the organisation a job role (empty: none).
#[access(ManageTraining)]
#[server(prefix = "/api", endpoint = "training/roles/staff")]
pub async fn set_staff_role(
    #[server(default)] org: String,
    user_id: String,
    #[server(default)] job_role_id: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    super::matrix::set_staff_role(&st.pool, &session.user, &org, &user_id, &job_role_id).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Saved)?;
    Ok(())
}
