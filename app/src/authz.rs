//! Pure authorisation rules: which role holds which permission, and which
//! organisations a user may see or manage. The server enforces these in
//! `guard` (per server function) and in every query's scope.

use crate::model::{OrgKind, Role, SessionUser};
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
}

impl Role {
    pub fn has(self, p: Permission) -> bool {
        match p {
            Permission::SignedIn => true,
            Permission::ManageUsers => {
                matches!(self, Role::Admin | Role::PartnerAdmin | Role::CustomerAdmin)
            }
            Permission::ManageOrganisations => self == Role::Admin,
            Permission::ViewOrganisations => self.org_kind() != OrgKind::Customer,
        }
    }
}

/// What scope rules need to know about an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgRef {
    pub id: i64,
    pub kind: OrgKind,
    pub assigned_partner_id: Option<i64>,
}

/// May `actor` see organisation `org`? Supplier staff see every organisation;
/// partner staff see their own and the customers assigned to them; customer
/// staff see only their own.
pub fn may_view_org(actor: &SessionUser, org: &OrgRef) -> bool {
    match actor.role.org_kind() {
        OrgKind::Supplier => true,
        OrgKind::Partner => org.id == actor.org_id || org.assigned_partner_id == Some(actor.org_id),
        OrgKind::Customer => org.id == actor.org_id,
    }
}

/// May `actor` create, deactivate or change the role of users in `org_id`?
pub fn may_manage_users_of(actor: &SessionUser, org_id: i64) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::PartnerAdmin | Role::CustomerAdmin => actor.org_id == org_id,
        _ => false,
    }
}

/// The organisation a user-management call is limited to, or `None` for all.
pub fn user_admin_scope(actor: &SessionUser) -> Option<i64> {
    (actor.role != Role::Admin).then_some(actor.org_id)
}

/// A role may only be given to a user of an organisation of the role's kind.
pub fn role_fits(role: Role, org_kind: OrgKind) -> bool {
    role.org_kind() == org_kind
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The navigation that fits a role.
pub fn navigation(role: Role) -> Vec<NavItem> {
    let mut items = vec![NavItem {
        href: "/",
        label: "Dashboard",
    }];
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

    fn user(role: Role, org_id: i64) -> SessionUser {
        SessionUser {
            id: 1,
            email: "u@example.test".into(),
            display_name: "U".into(),
            role,
            org_id,
            org_name: "Org".into(),
            org_kind: role.org_kind(),
        }
    }

    const SUPPLIER: i64 = 1;
    const RESELLER: i64 = 2;
    const OTHER_PARTNER: i64 = 3;
    const SERVED_CUSTOMER: i64 = 4;
    const OTHER_CUSTOMER: i64 = 5;

    fn org(id: i64) -> OrgRef {
        match id {
            SUPPLIER => OrgRef {
                id,
                kind: OrgKind::Supplier,
                assigned_partner_id: None,
            },
            RESELLER | OTHER_PARTNER => OrgRef {
                id,
                kind: OrgKind::Partner,
                assigned_partner_id: None,
            },
            SERVED_CUSTOMER => OrgRef {
                id,
                kind: OrgKind::Customer,
                assigned_partner_id: Some(RESELLER),
            },
            _ => OrgRef {
                id,
                kind: OrgKind::Customer,
                assigned_partner_id: None,
            },
        }
    }

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
    fn org_admins_manage_only_their_own_users() {
        let admin = user(Role::Admin, SUPPLIER);
        let padmin = user(Role::PartnerAdmin, RESELLER);
        let cadmin = user(Role::CustomerAdmin, SERVED_CUSTOMER);
        for o in [
            SUPPLIER,
            RESELLER,
            OTHER_PARTNER,
            SERVED_CUSTOMER,
            OTHER_CUSTOMER,
        ] {
            assert!(may_manage_users_of(&admin, o));
            assert_eq!(may_manage_users_of(&padmin, o), o == RESELLER);
            assert_eq!(may_manage_users_of(&cadmin, o), o == SERVED_CUSTOMER);
        }
        // A partner does not manage the users of the customers it serves.
        assert!(!may_manage_users_of(&padmin, SERVED_CUSTOMER));
        for r in [
            Role::PartnerManager,
            Role::SupportEngineer,
            Role::PartnerUser,
            Role::CustomerUser,
        ] {
            let u = user(
                r,
                if r.org_kind() == OrgKind::Supplier {
                    SUPPLIER
                } else {
                    RESELLER
                },
            );
            assert!(!may_manage_users_of(&u, u.org_id), "{r:?}");
        }
        assert_eq!(user_admin_scope(&admin), None);
        assert_eq!(user_admin_scope(&padmin), Some(RESELLER));
    }

    #[test]
    fn visibility_follows_assignment() {
        let partner = user(Role::PartnerUser, RESELLER);
        assert!(may_view_org(&partner, &org(RESELLER)));
        assert!(may_view_org(&partner, &org(SERVED_CUSTOMER)));
        assert!(!may_view_org(&partner, &org(OTHER_CUSTOMER)));
        assert!(!may_view_org(&partner, &org(OTHER_PARTNER)));
        assert!(!may_view_org(&partner, &org(SUPPLIER)));
        let customer = user(Role::CustomerUser, SERVED_CUSTOMER);
        assert!(may_view_org(&customer, &org(SERVED_CUSTOMER)));
        assert!(!may_view_org(&customer, &org(OTHER_CUSTOMER)));
        assert!(!may_view_org(&customer, &org(RESELLER)));
        let pm = user(Role::PartnerManager, SUPPLIER);
        assert!(may_view_org(&pm, &org(OTHER_PARTNER)));
    }

    #[test]
    fn roles_only_fit_their_org_kind() {
        assert!(role_fits(Role::PartnerUser, OrgKind::Partner));
        assert!(!role_fits(Role::Admin, OrgKind::Customer));
        assert!(!role_fits(Role::CustomerAdmin, OrgKind::Partner));
    }

    #[test]
    fn navigation_fits_role() {
        let labels = |r| navigation(r).iter().map(|i| i.label).collect::<Vec<_>>();
        assert_eq!(
            labels(Role::Admin),
            ["Dashboard", "Organisations", "Users", "My account"]
        );
        assert_eq!(
            labels(Role::PartnerAdmin),
            ["Dashboard", "My customers", "Team", "My account"]
        );
        assert_eq!(labels(Role::CustomerUser), ["Dashboard", "My account"]);
        // Only roles with the permission behind a page get its entry.
        for r in Role::ALL {
            let has = |href| navigation(*r).iter().any(|i| i.href == href);
            assert_eq!(has("/users"), r.has(Permission::ManageUsers), "{r:?}");
            assert_eq!(
                has("/organisations"),
                r.has(Permission::ViewOrganisations),
                "{r:?}"
            );
        }
    }
}
