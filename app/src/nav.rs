//! The main navigation: the pages a role may open, grouped by what people come
//! to do. Pure data, compiled for the server and the browser; the header
//! (`shell::SignedIn`) renders a group as a server-rendered `<details>`
//! disclosure, so the menus need no wasm and no client router.
//!
//! The groups, in order: the dashboard; "Equipment & parts" (the installed base,
//! parts, orders, documents); "Learning" (courses, the transcript, training
//! administration, the course editor; certification joins it); the organisation
//! directory for those who see it without administering it (it moves into the
//! support or partners group when those sections arrive); and "Administration"
//! (organisations, users, the catalogue import, the audit trail, jobs). A group
//! left with one page for a role is shown as that page's link, and an empty one
//! not at all. "My account" is in the account menu.

use crate::identity::{OrgKind, Permission, Role};

/// One page of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// One entry of the header's navigation: a page, or a group of pages behind a
/// disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NavEntry {
    Link(NavItem),
    Group {
        label: &'static str,
        items: Vec<NavItem>,
    },
}

pub const EQUIPMENT: &str = "Equipment & parts";
pub const LEARNING: &str = "Learning";
pub const ADMINISTRATION: &str = "Administration";

impl NavItem {
    const fn new(href: &'static str, label: &'static str) -> NavItem {
        NavItem { href, label }
    }

    /// Whether `path` is this page or a page under it (a part under `/parts`,
    /// a lesson under `/courses`). The dashboard has no pages under it.
    pub fn leads_to(&self, path: &str) -> bool {
        path == self.href
            || (self.href != "/"
                && path
                    .strip_prefix(self.href)
                    .is_some_and(|rest| rest.starts_with('/')))
    }

    /// The link's `aria-current` on the page at `path`: "page" on the page
    /// itself, "true" on a page under it, none elsewhere.
    pub fn aria_current(&self, path: &str) -> Option<&'static str> {
        if path == self.href {
            Some("page")
        } else if self.leads_to(path) {
            Some("true")
        } else {
            None
        }
    }
}

impl NavEntry {
    /// The group's entry, or the link of its only page, or nothing when the
    /// role may open none of its pages.
    fn of(label: &'static str, items: Vec<Option<NavItem>>) -> Option<NavEntry> {
        let mut items: Vec<NavItem> = items.into_iter().flatten().collect();
        match items.len() {
            0 => None,
            1 => items.pop().map(NavEntry::Link),
            _ => Some(NavEntry::Group { label, items }),
        }
    }

    /// The pages of this entry.
    pub fn items(&self) -> &[NavItem] {
        match self {
            NavEntry::Link(item) => std::slice::from_ref(item),
            NavEntry::Group { items, .. } => items,
        }
    }

    /// The label shown in the header's row.
    pub fn label(&self) -> &'static str {
        match self {
            NavEntry::Link(item) => item.label,
            NavEntry::Group { label, .. } => label,
        }
    }

    /// A group's `aria-current` ("true") while the page at `path` is one of its pages.
    pub fn aria_current(&self, path: &str) -> Option<&'static str> {
        self.items()
            .iter()
            .any(|item| item.leads_to(path))
            .then_some("true")
    }
}

/// The navigation that fits a role: every page whose permission it holds, and
/// no other.
pub fn navigation(role: Role) -> Vec<NavEntry> {
    let has = |p: Permission| role.has(p);
    let page = |p: Permission, href, label| has(p).then_some(NavItem::new(href, label));
    let customer = role.org_kind() == OrgKind::Customer;
    let supplier = role.org_kind() == OrgKind::Supplier;
    let mut nav = vec![NavEntry::Link(NavItem::new("/", "Dashboard"))];
    nav.extend(NavEntry::of(
        EQUIPMENT,
        vec![
            Some(NavItem::new(
                "/units",
                if customer {
                    "My equipment"
                } else {
                    "Installed base"
                },
            )),
            Some(NavItem::new("/parts", "Parts")),
            Some(NavItem::new("/orders", "Orders")),
            Some(NavItem::new("/documents", "Documents")),
        ],
    ));
    nav.extend(NavEntry::of(
        LEARNING,
        vec![
            Some(NavItem::new("/courses", "Courses")),
            Some(NavItem::new("/transcript", "My transcript")),
            page(Permission::ManageTraining, "/training", "Training"),
            page(Permission::EditCourses, "/course-editor", "Course editor"),
        ],
    ));
    // The organisation directory of those who see it without administering it.
    if has(Permission::ViewOrganisations) && !has(Permission::ManageOrganisations) {
        nav.push(NavEntry::Link(NavItem::new(
            "/organisations",
            match role {
                Role::PartnerManager => "Partners & customers",
                Role::SupportEngineer => "Customers",
                _ => "My customers",
            },
        )));
    }
    nav.extend(NavEntry::of(
        ADMINISTRATION,
        vec![
            page(
                Permission::ManageOrganisations,
                "/organisations",
                "Organisations",
            ),
            page(
                Permission::ManageUsers,
                "/users",
                if supplier { "Users" } else { "Team" },
            ),
            page(
                Permission::ManageCatalog,
                "/catalog/import",
                "Catalogue import",
            ),
            page(Permission::ViewAudit, "/audit", "Audit trail"),
            page(Permission::ViewJobs, "/jobs", "Jobs"),
        ],
    ));
    nav
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A role's navigation in one line per entry: "Group: page, page" or "page".
    fn outline(role: Role) -> Vec<String> {
        navigation(role)
            .iter()
            .map(|entry| match entry {
                NavEntry::Link(item) => item.label.to_string(),
                NavEntry::Group { label, items } => format!(
                    "{label}: {}",
                    items.iter().map(|i| i.label).collect::<Vec<_>>().join(", ")
                ),
            })
            .collect()
    }

    #[test]
    fn the_groups_of_every_role() {
        let equipment = "Equipment & parts: Installed base, Parts, Orders, Documents";
        let my_equipment = "Equipment & parts: My equipment, Parts, Orders, Documents";
        let learning = "Learning: Courses, My transcript";
        let training = "Learning: Courses, My transcript, Training";
        let expected: [(Role, Vec<&str>); 7] = [
            (
                Role::Admin,
                vec![
                    "Dashboard",
                    equipment,
                    "Learning: Courses, My transcript, Training, Course editor",
                    "Administration: Organisations, Users, Catalogue import, Audit trail, Jobs",
                ],
            ),
            (
                Role::PartnerManager,
                vec!["Dashboard", equipment, learning, "Partners & customers"],
            ),
            (
                Role::SupportEngineer,
                vec!["Dashboard", equipment, learning, "Customers"],
            ),
            (
                Role::PartnerAdmin,
                vec!["Dashboard", equipment, training, "My customers", "Team"],
            ),
            (
                Role::PartnerUser,
                vec!["Dashboard", equipment, learning, "My customers"],
            ),
            (
                Role::CustomerAdmin,
                vec!["Dashboard", my_equipment, training, "Team"],
            ),
            (
                Role::CustomerUser,
                vec!["Dashboard", my_equipment, learning],
            ),
        ];
        assert_eq!(expected.len(), Role::ALL.len());
        for (role, lines) in expected {
            assert_eq!(outline(role), lines, "{role:?}");
        }
    }

    #[test]
    fn every_page_appears_once_for_exactly_the_roles_with_its_permission() {
        let pages = [
            ("/", Permission::SignedIn),
            ("/units", Permission::SignedIn),
            ("/parts", Permission::SignedIn),
            ("/orders", Permission::SignedIn),
            ("/documents", Permission::SignedIn),
            ("/courses", Permission::SignedIn),
            ("/transcript", Permission::SignedIn),
            ("/training", Permission::ManageTraining),
            ("/course-editor", Permission::EditCourses),
            ("/organisations", Permission::ViewOrganisations),
            ("/users", Permission::ManageUsers),
            ("/catalog/import", Permission::ManageCatalog),
            ("/audit", Permission::ViewAudit),
            ("/jobs", Permission::ViewJobs),
        ];
        for r in Role::ALL {
            let nav = navigation(*r);
            let hrefs: Vec<&str> = nav
                .iter()
                .flat_map(|e| e.items().iter().map(|i| i.href))
                .collect();
            for (href, permission) in pages {
                let times = hrefs.iter().filter(|h| **h == href).count();
                assert_eq!(times, usize::from(r.has(permission)), "{r:?} {href}");
            }
            // No page outside the list above, which the test keeps in step with the routes.
            assert!(
                hrefs.iter().all(|h| pages.iter().any(|(p, _)| p == h)),
                "{r:?}"
            );
            // Groups hold two pages or more; a single page is a plain link.
            for entry in &nav {
                if let NavEntry::Group { items, .. } = entry {
                    assert!(items.len() >= 2, "{r:?} {}", entry.label());
                }
            }
            // Labels are distinct, so each names one place (for people and for screen readers).
            let mut labels: Vec<&str> = nav
                .iter()
                .flat_map(|e| {
                    std::iter::once(e.label()).chain(match e {
                        NavEntry::Link(_) => Vec::new(),
                        NavEntry::Group { items, .. } => items.iter().map(|i| i.label).collect(),
                    })
                })
                .collect();
            let all = labels.len();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), all, "{r:?}");
        }
    }

    /// A guard for the header's width, not a measurement (navigation.spec.ts
    /// measures and screenshots it): at 15 px, about 8.5 px a character plus
    /// 40 px of padding and chevron an entry, the row must leave room at 1366 px
    /// for the brand, the bell, the cart and the account menu (about 560 px with
    /// the gaps). The row wraps rather than cut a label, but a second row on a
    /// laptop is the sign that a group is due.
    #[test]
    fn the_header_row_fits_a_laptop() {
        for r in Role::ALL {
            let width: usize = navigation(*r)
                .iter()
                .map(|e| e.label().chars().count() * 17 / 2 + 40)
                .sum();
            assert!(width <= 1366 - 560, "{r:?}: {width} px");
        }
    }

    #[test]
    fn the_current_page_and_its_group() {
        let parts = NavItem::new("/parts", "Parts");
        assert_eq!(parts.aria_current("/parts"), Some("page"));
        assert_eq!(parts.aria_current("/parts/NL-1104-022"), Some("true"));
        assert_eq!(parts.aria_current("/partsx"), None);
        assert_eq!(parts.aria_current("/orders"), None);
        let dashboard = NavItem::new("/", "Dashboard");
        assert_eq!(dashboard.aria_current("/"), Some("page"));
        assert_eq!(dashboard.aria_current("/parts"), None);
        // The course editor is not under the courses.
        assert!(!NavItem::new("/courses", "Courses").leads_to("/course-editor"));
        let nav = navigation(Role::CustomerUser);
        let equipment = nav.iter().find(|e| e.label() == EQUIPMENT).unwrap();
        assert_eq!(
            equipment.aria_current("/units/LX2-2020-00655"),
            Some("true")
        );
        assert_eq!(equipment.aria_current("/courses"), None);
    }
}
