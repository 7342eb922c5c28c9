//! The navigation that follows from a role's permissions (the permissions
//! themselves are `crate::identity`). The guard (`platform::guard`) enforces the
//! permissions per server function; each domain's `rules` hold its scope rules
//! (which organisations, users, units… a caller may see).

pub use crate::identity::Permission;
use crate::identity::{OrgKind, Role};

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
