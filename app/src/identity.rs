//! Identity, the kernel every domain and the foundation share: who a
//! signed-in person is (`SessionUser`), their role and organisation kind, and
//! the permissions a role holds. Compiled for the server and the browser;
//! foundation code, naming no domain. Accounts and organisations re-export
//! these types, which their domains manage.

use crate::vocab::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    /// What kind of organisation a user belongs to.
    OrgKind {
        Supplier => "supplier" / "Supplier",
        Partner => "partner" / "Partner",
        Customer => "customer" / "Customer",
    }
);

text_enum!(
    /// A user's role; every role belongs to one organisation kind.
    Role {
        Admin => "admin" / "Administrator",
        PartnerManager => "partner_manager" / "Partner manager",
        SupportEngineer => "support_engineer" / "Support engineer",
        PartnerAdmin => "partner_admin" / "Partner administrator",
        PartnerUser => "partner_user" / "Partner user",
        CustomerAdmin => "customer_admin" / "Customer administrator",
        CustomerUser => "customer_user" / "Customer user",
    }
);

impl Role {
    /// The organisation kind this role lives in.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Role::Admin | Role::PartnerManager | Role::SupportEngineer => OrgKind::Supplier,
            Role::PartnerAdmin | Role::PartnerUser => OrgKind::Partner,
            Role::CustomerAdmin | Role::CustomerUser => OrgKind::Customer,
        }
    }

    /// The roles that fit an organisation kind.
    pub fn for_org_kind(kind: OrgKind) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|r| r.org_kind() == kind)
            .collect()
    }
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
    /// The password was set by an administrator and must be changed before
    /// anything else.
    #[serde(default)]
    pub must_change_password: bool,
    /// Two-step verification is on.
    #[serde(default)]
    pub mfa_enabled: bool,
    /// Two-step verification is required for this user and not on yet: turning
    /// it on comes before anything else.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub must_enroll_mfa: bool,
}

/// The longest e-mail address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// What a server function needs beyond being signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Permission {
    /// Any signed-in user; data is still scoped to what they may see.
    SignedIn,
    /// Manage users: the supplier admin for any organisation, an org admin for its own.
    ManageUsers,
    /// Create and edit organisations: supplier admin only.
    ManageOrganisations,
    /// Browse the organisation directory (within scope): supplier and partner staff.
    ViewOrganisations,
    /// Search and export the audit trail: supplier admin only.
    ViewAudit,
    /// See the background jobs' runs and failures: supplier admin only.
    ViewJobs,
    /// Have a cart and submit orders: partner and customer staff (the
    /// supplier's staff move orders on instead).
    PlaceOrders,
    /// Upload documents and new versions of them: supplier admin only.
    ManageDocuments,
    /// Import the catalogue from the ERP's CSV files: supplier admin only.
    ManageCatalog,
    /// Administer an organisation's training (the matrix, assignments, the
    /// development plan): customer and partner admins for their own
    /// organisation, the supplier admin for any.
    ManageTraining,
    /// Write, edit and publish courses, and read learners' feedback: the
    /// supplier's content editors (the admin role).
    EditCourses,
}

impl Role {
    pub fn has(self, p: Permission) -> bool {
        match p {
            Permission::SignedIn => true,
            Permission::ManageUsers | Permission::ManageTraining => {
                matches!(self, Role::Admin | Role::PartnerAdmin | Role::CustomerAdmin)
            }
            Permission::ManageOrganisations
            | Permission::ViewAudit
            | Permission::ViewJobs
            | Permission::ManageDocuments
            | Permission::ManageCatalog
            | Permission::EditCourses => self == Role::Admin,
            Permission::ViewOrganisations => self.org_kind() != OrgKind::Customer,
            Permission::PlaceOrders => self.org_kind() != OrgKind::Supplier,
        }
    }
}

/// A signed-in user of `role` in organisation `org_id`, for unit tests of rules.
#[cfg(test)]
pub(crate) fn test_user(role: Role, org_id: i64) -> SessionUser {
    SessionUser {
        id: 1,
        email: "u@example.test".into(),
        display_name: "U".into(),
        role,
        org_id,
        org_name: "Org".into(),
        org_kind: role.org_kind(),
        must_change_password: false,
        mfa_enabled: false,
        must_enroll_mfa: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_by_role() {
        assert!(Role::Admin.has(Permission::ManageOrganisations));
        assert!(!Role::PartnerManager.has(Permission::ManageOrganisations));
        assert!(!Role::PartnerManager.has(Permission::ManageUsers));
        assert!(Role::PartnerAdmin.has(Permission::ManageUsers));
        assert!(Role::CustomerAdmin.has(Permission::ManageUsers));
        assert!(!Role::PartnerUser.has(Permission::ManageUsers));
        assert!(!Role::CustomerUser.has(Permission::ManageUsers));
        assert!(!Role::SupportEngineer.has(Permission::ManageUsers));
        for r in Role::ALL {
            assert!(r.has(Permission::SignedIn));
        }
    }
}
