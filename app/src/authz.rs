//! Pure authorisation rules: which role holds which permission, and the
//! navigation that follows from it. The guard (`platform::guard`) enforces the
//! permissions per server function; each domain's `rules` hold its scope rules
//! (which organisations, users, units… a caller may see).

use crate::accounts::Role;
use crate::organisations::OrgKind;
use serde::{Deserialize, Serialize};

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

/// One entry of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The navigation that fits a role.
pub fn navigation(role: Role) -> Vec<NavItem> {
    let mut items = vec![
        NavItem {
            href: "/",
            label: "Dashboard",
        },
        NavItem {
            href: "/units",
            label: if role.org_kind() == OrgKind::Customer {
                "My equipment"
            } else {
                "Installed base"
            },
        },
        NavItem {
            href: "/parts",
            label: "Parts",
        },
        NavItem {
            href: "/orders",
            label: "Orders",
        },
        NavItem {
            href: "/documents",
            label: "Documents",
        },
        NavItem {
            href: "/courses",
            label: "Courses",
        },
    ];
    if role.has(Permission::ManageTraining) {
        items.push(NavItem {
            href: "/training",
            label: "Training",
        });
    }
    match role {
        Role::Admin => {
            items.push(NavItem {
                href: "/organisations",
                label: "Organisations",
            });
            items.push(NavItem {
                href: "/users",
                label: "Users",
            });
            items.push(NavItem {
                href: "/audit",
                label: "Audit trail",
            });
            items.push(NavItem {
                href: "/jobs",
                label: "Jobs",
            });
        }
        Role::PartnerManager => {
            items.push(NavItem {
                href: "/organisations",
                label: "Partners & customers",
            });
        }
        Role::SupportEngineer => {
            items.push(NavItem {
                href: "/organisations",
                label: "Customers",
            });
        }
        Role::PartnerAdmin => {
            items.push(NavItem {
                href: "/organisations",
                label: "My customers",
            });
            items.push(NavItem {
                href: "/users",
                label: "Team",
            });
        }
        Role::PartnerUser => {
            items.push(NavItem {
                href: "/organisations",
                label: "My customers",
            });
        }
        Role::CustomerAdmin => {
            items.push(NavItem {
                href: "/users",
                label: "Team",
            });
        }
        Role::CustomerUser => {}
    }
    items.push(NavItem {
        href: "/account",
        label: "My account",
    });
    items
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

    #[test]
    fn navigation_fits_role() {
        let labels = |r| navigation(r).iter().map(|i| i.label).collect::<Vec<_>>();
        assert_eq!(
            labels(Role::Admin),
            [
                "Dashboard",
                "Installed base",
                "Parts",
                "Orders",
                "Documents",
                "Courses",
                "Training",
                "Organisations",
                "Users",
                "Audit trail",
                "Jobs",
                "My account"
            ]
        );
        assert_eq!(
            labels(Role::PartnerAdmin),
            [
                "Dashboard",
                "Installed base",
                "Parts",
                "Orders",
                "Documents",
                "Courses",
                "Training",
                "My customers",
                "Team",
                "My account"
            ]
        );
        assert_eq!(
            labels(Role::CustomerUser),
            [
                "Dashboard",
                "My equipment",
                "Parts",
                "Orders",
                "Documents",
                "Courses",
                "My account"
            ]
        );
        // Only roles with the permission behind a page get its entry.
        for r in Role::ALL {
            let has = |href| navigation(*r).iter().any(|i| i.href == href);
            assert_eq!(has("/users"), r.has(Permission::ManageUsers), "{r:?}");
            assert_eq!(has("/training"), r.has(Permission::ManageTraining), "{r:?}");
            assert_eq!(
                has("/organisations"),
                r.has(Permission::ViewOrganisations),
                "{r:?}"
            );
            assert_eq!(has("/audit"), r.has(Permission::ViewAudit), "{r:?}");
            assert_eq!(has("/jobs"), r.has(Permission::ViewJobs), "{r:?}");
        }
    }
}
