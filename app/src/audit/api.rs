//! Audit types and the search server function.

use crate::error::AppError;
use crate::vocab::text_enum;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

text_enum!(
    /// What happened. The fixed list: each module adds its actions here.
    AuditAction {
        SignInSucceeded => "sign_in.succeeded" / "Signed in",
        SignInFailed => "sign_in.failed" / "Sign-in failed",
        SignedOut => "sign_out" / "Signed out",
        PasswordChanged => "password.changed" / "Password changed",
        SessionEnded => "session.ended" / "Session ended",
        TwoStepEnabled => "two_step.enabled" / "Two-step verification turned on",
        TwoStepDisabled => "two_step.disabled" / "Two-step verification turned off",
        TwoStepReset => "two_step.reset" / "Two-step verification reset",
        RecoveryCodesRenewed => "two_step.codes_renewed" / "Recovery codes renewed",
        UserSessionsEnded => "user.sessions_ended" / "User signed out everywhere",
        UserCreated => "user.created" / "User created",
        UserActivated => "user.activated" / "User reactivated",
        UserDeactivated => "user.deactivated" / "User deactivated",
        UserRoleChanged => "user.role_changed" / "Role changed",
        OrganisationCreated => "organisation.created" / "Organisation created",
        OrganisationActivated => "organisation.activated" / "Organisation reactivated",
        OrganisationDeactivated => "organisation.deactivated" / "Organisation deactivated",
        OrderSubmitted => "order.submitted" / "Order submitted",
        OrderStatusChanged => "order.status_changed" / "Order status changed",
        DocumentUploaded => "document.uploaded" / "Document uploaded",
        CatalogImportStarted => "catalog.import_started" / "Catalogue import started",
        CourseEnrolled => "course.enrolled" / "Enrolled in a course",
        CourseAssigned => "course.assigned" / "Course assigned",
        CourseCompleted => "course.completed" / "Course completed",
        DevelopmentPlanChanged => "training.plan_changed" / "Development plan changed",
        CourseEdited => "course.edited" / "Course edited",
    }
);

/// One recorded action, as the audit page and the export show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub action: AuditAction,
    pub object_kind: String,
    pub object_id: String,
    pub detail: String,
    pub client_addr: String,
}

/// The search as typed into the audit page's form (and its URL): every field
/// is text, checked on the server by [`super::rules::AuditQuery::parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: String,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// Searches the audit trail (the fields of [`AuditFilter`]): supplier admin only.
#[access(ViewAudit)]
#[server(prefix = "/api", endpoint = "audit/search")]
pub async fn search_audit(
    actor: String,
    org: String,
    action: String,
    from: String,
    to: String,
    page: String,
) -> Result<AuditPage, AppError> {
    use super::{queries, rules};
    let st = crate::platform::state()?;
    let filter = AuditFilter {
        actor,
        org,
        action,
        from,
        to,
        page,
    };
    let query = rules::AuditQuery::parse(&filter).map_err(AppError::Validation)?;
    let total = queries::count(&st.pool, &query).await?;
    let entries = queries::search(&st.pool, &query, rules::PAGE_SIZE, query.offset()).await?;
    Ok(AuditPage {
        entries,
        total,
        page: query.page,
        pages: rules::page_count(total),
    })
}

/// Where the CSV export of a search is served (`audit::export`).
pub const EXPORT_PATH: &str = "/audit/export.csv";
