//! Pure rules for organisations: who sees which organisation, and what a valid
//! new organisation is.

use super::api::{OrgKind, PartnerKind, Segment};
use crate::identity::SessionUser;

/// What the scope rule needs to know about an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgRef {
    pub id: i64,
    pub kind: OrgKind,
    pub assigned_partner_id: Option<i64>,
}

/// The organisations a user may see. This one rule serves both sides: the
/// queries translate it into SQL (`queries::push_scope`) and [`OrgScope::includes`]
/// states it for single records; a test proves the two agree for every role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgScope {
    /// Supplier staff see every organisation.
    All,
    /// Partner staff see their partner and the customers assigned to it.
    PartnerOf(i64),
    /// Customer staff see their own organisation.
    Own(i64),
}

impl OrgScope {
    pub fn of(actor: &SessionUser) -> Self {
        match actor.role.org_kind() {
            OrgKind::Supplier => OrgScope::All,
            OrgKind::Partner => OrgScope::PartnerOf(actor.org_id),
            OrgKind::Customer => OrgScope::Own(actor.org_id),
        }
    }

    pub fn includes(self, org: &OrgRef) -> bool {
        match self {
            OrgScope::All => true,
            OrgScope::PartnerOf(p) => org.id == p || org.assigned_partner_id == Some(p),
            OrgScope::Own(id) => org.id == id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub name: String,
    pub kind: OrgKind,
    pub partner_kind: Option<PartnerKind>,
    pub segment: Option<Segment>,
    pub assigned_partner_id: Option<i64>,
}

/// Validates the new-organisation form; the error is the message shown.
pub fn validate_new(
    name: &str,
    kind: &str,
    partner_kind: &str,
    segment: &str,
    assigned_partner_id: &str,
) -> Result<NewOrg, String> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 120 {
        return Err("Enter the organisation's name (at most 120 characters).".into());
    }
    match OrgKind::parse(kind) {
        Some(OrgKind::Partner) => {
            let pk = PartnerKind::parse(partner_kind)
                .ok_or("Choose whether the partner is a reseller or an agent.")?;
            Ok(NewOrg {
                name,
                kind: OrgKind::Partner,
                partner_kind: Some(pk),
                segment: None,
                assigned_partner_id: None,
            })
        }
        Some(OrgKind::Customer) => {
            let seg = Segment::parse(segment).ok_or("Choose the customer's segment.")?;
            let partner = match (seg, assigned_partner_id.trim()) {
                (Segment::SmallLocal, "") => {
                    return Err("A small local customer needs a service partner.".into())
                }
                (Segment::SmallLocal, id) => Some(
                    id.parse::<i64>()
                        .map_err(|_| "Choose a service partner from the list.")?,
                ),
                _ => None,
            };
            Ok(NewOrg {
                name,
                kind: OrgKind::Customer,
                partner_kind: None,
                segment: Some(seg),
                assigned_partner_id: partner,
            })
        }
        Some(OrgKind::Supplier) => Err("There is only one supplier per installation.".into()),
        None => Err("Choose whether this is a partner or a customer.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::test_user as user;
    use crate::identity::Role;

    const SUPPLIER: i64 = 1;
    const RESELLER: i64 = 2;
    const OTHER_PARTNER: i64 = 3;
    const SERVED_CUSTOMER: i64 = 4;
    const OTHER_CUSTOMER: i64 = 5;

    fn org(id: i64) -> OrgRef {
        let (kind, assigned_partner_id) = match id {
            SUPPLIER => (OrgKind::Supplier, None),
            RESELLER | OTHER_PARTNER => (OrgKind::Partner, None),
            SERVED_CUSTOMER => (OrgKind::Customer, Some(RESELLER)),
            _ => (OrgKind::Customer, None),
        };
        OrgRef {
            id,
            kind,
            assigned_partner_id,
        }
    }

    #[test]
    fn visibility_follows_assignment() {
        let sees = |role, own, id| OrgScope::of(&user(role, own)).includes(&org(id));
        assert!(sees(Role::PartnerUser, RESELLER, RESELLER));
        assert!(sees(Role::PartnerUser, RESELLER, SERVED_CUSTOMER));
        assert!(!sees(Role::PartnerUser, RESELLER, OTHER_CUSTOMER));
        assert!(!sees(Role::PartnerUser, RESELLER, OTHER_PARTNER));
        assert!(!sees(Role::PartnerUser, RESELLER, SUPPLIER));
        assert!(sees(Role::CustomerUser, SERVED_CUSTOMER, SERVED_CUSTOMER));
        assert!(!sees(Role::CustomerUser, SERVED_CUSTOMER, OTHER_CUSTOMER));
        assert!(!sees(Role::CustomerAdmin, SERVED_CUSTOMER, RESELLER));
        for id in [
            SUPPLIER,
            RESELLER,
            OTHER_PARTNER,
            SERVED_CUSTOMER,
            OTHER_CUSTOMER,
        ] {
            assert!(sees(Role::PartnerManager, SUPPLIER, id));
            assert!(sees(Role::SupportEngineer, SUPPLIER, id));
        }
    }

    #[test]
    fn partner_needs_kind() {
        let ok = validate_new(" Nordic Care ", "partner", "agent", "", "").unwrap();
        assert_eq!(ok.name, "Nordic Care");
        assert_eq!(ok.partner_kind, Some(PartnerKind::Agent));
        assert!(validate_new("X", "partner", "", "", "").is_err());
    }

    #[test]
    fn small_local_customer_needs_partner() {
        assert!(validate_new("Dock 9", "customer", "", "small_local", "")
            .unwrap_err()
            .contains("service partner"));
        let ok = validate_new("Dock 9", "customer", "", "small_local", "2").unwrap();
        assert_eq!(ok.assigned_partner_id, Some(2));
        // Other segments ignore a stray partner choice.
        let ok = validate_new("Big Co", "customer", "", "large_global", "2").unwrap();
        assert_eq!(ok.assigned_partner_id, None);
    }

    #[test]
    fn refuses_second_supplier_and_blank_names() {
        assert!(validate_new("Other", "supplier", "", "", "").is_err());
        assert!(validate_new("   ", "partner", "reseller", "", "").is_err());
        assert!(validate_new("X", "alien", "", "", "").is_err());
    }
}
