//! Organisation types and server functions.

use crate::error::AppError;
use crate::vocab::text_enum;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::identity::OrgKind;

text_enum!(
    /// A partner's kind.
    PartnerKind {
        Reseller => "reseller" / "Reseller",
        Agent => "agent" / "Agent",
    }
);

text_enum!(
    /// A customer's segment.
    Segment {
        LargeGlobal => "large_global" / "Large global",
        SmallLocal => "small_local" / "Small local",
        EndUser => "end_user" / "End user",
    }
);

/// An organisation with what people need to recognise it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub partner_kind: Option<PartnerKind>,
    pub segment: Option<Segment>,
    pub assigned_partner_id: Option<i64>,
    pub assigned_partner_name: Option<String>,
    pub active: bool,
    pub user_count: i64,
}

impl Organisation {
    /// "Reseller partner", "Small local customer", "Supplier".
    pub fn description(&self) -> String {
        match (self.kind, self.partner_kind, self.segment) {
            (OrgKind::Partner, Some(k), _) => format!("{} partner", k.label()),
            (OrgKind::Customer, _, Some(s)) => format!("{} customer", s.label()),
            (k, _, _) => k.label().to_string(),
        }
    }
}

/// The organisations the caller may see: all for supplier staff, own and
/// assigned customers for partner staff, own for customer staff.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "organisations/list")]
pub async fn list_organisations() -> Result<Vec<Organisation>, AppError> {
    use super::{queries, rules::OrgScope};
    let st = crate::platform::state()?;
    Ok(queries::visible(&st.pool, OrgScope::of(&session.user)).await?)
}

/// Creates a partner or customer organisation. Returns its id.
#[access(ManageOrganisations)]
#[server(prefix = "/api", endpoint = "organisations/create")]
pub async fn create_organisation(
    name: String,
    kind: String,
    partner_kind: String,
    segment: String,
    assigned_partner_id: String,
) -> Result<i64, AppError> {
    use super::{queries, rules};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    let new = rules::validate_new(&name, &kind, &partner_kind, &segment, &assigned_partner_id)
        .map_err(AppError::Validation)?;
    if let Some(pid) = new.assigned_partner_id {
        if !matches!(
            queries::kind_and_active(&st.pool, pid).await?,
            Some((OrgKind::Partner, true))
        ) {
            return Err(AppError::validation(
                "Choose an active partner to serve this customer.",
            ));
        }
    }
    let at = now();
    let mut tx = db::begin_write(&st.pool).await?;
    let id = queries::insert(&mut *tx, &new, at)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Validation(_) => {
                AppError::validation("An organisation with this name already exists.")
            }
            other => other,
        })?;
    let event = Event::by(
        &session.user,
        AuditAction::OrganisationCreated,
        "organisation",
        id,
    )
    .detail(serde_json::json!({ "name": new.name, "kind": new.kind.as_str() }));
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    tracing::info!(by = session.user.id, org = id, "organisation created");
    flash::set(flash::Notice::OrganisationAdded)?;
    Ok(id)
}

/// Activates or deactivates an organisation; deactivation ends its users' sessions.
#[access(ManageOrganisations)]
#[server(prefix = "/api", endpoint = "organisations/set-active")]
pub async fn set_organisation_active(org_id: i64, active: bool) -> Result<(), AppError> {
    use super::queries;
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    match queries::kind_and_active(&st.pool, org_id).await? {
        None => return Err(AppError::NotFound("The organisation".into())),
        Some((OrgKind::Supplier, _)) => {
            return Err(AppError::validation(
                "The supplier organisation cannot be deactivated.",
            ))
        }
        Some(_) => {}
    }
    let mut tx = db::begin_write(&st.pool).await?;
    queries::set_active(&mut *tx, org_id, active).await?;
    let mut ended = 0;
    if !active {
        // Accounts ends its people's sessions (`super::hooks`).
        ended = super::hooks::deactivated(&mut tx, org_id).await?;
    }
    let action = if active {
        AuditAction::OrganisationActivated
    } else {
        AuditAction::OrganisationDeactivated
    };
    let event = Event::by(&session.user, action, "organisation", org_id)
        .detail(serde_json::json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    tracing::info!(
        by = session.user.id,
        org = org_id,
        active,
        "organisation activation changed"
    );
    flash::set(flash::Notice::Saved)?;
    Ok(())
}
