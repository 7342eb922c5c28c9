//! This domain's part of the demo dataset: Nordlift, its partners and customers.

use super::api::{OrgKind, PartnerKind, Segment};
use super::rules::NewOrg;
use crate::platform::{db::Tx, now};

/// (name, kind, partner kind, segment, assigned partner)
type DemoOrg = (
    &'static str,
    OrgKind,
    Option<PartnerKind>,
    Option<Segment>,
    Option<&'static str>,
);

const ORGS: &[DemoOrg] = &[
    ("Nordlift", OrgKind::Supplier, None, None, None),
    (
        "Baltic Lift Service",
        OrgKind::Partner,
        Some(PartnerKind::Reseller),
        None,
        None,
    ),
    (
        "Iberia Agents",
        OrgKind::Partner,
        Some(PartnerKind::Agent),
        None,
        None,
    ),
    (
        "GlobalPort Terminals",
        OrgKind::Customer,
        None,
        Some(Segment::LargeGlobal),
        None,
    ),
    (
        "Harbor Logistics",
        OrgKind::Customer,
        None,
        Some(Segment::SmallLocal),
        Some("Baltic Lift Service"),
    ),
    (
        "Jon Tanner",
        OrgKind::Customer,
        None,
        Some(Segment::EndUser),
        None,
    ),
];

pub async fn load(tx: &mut Tx) -> Result<(), sqlx::Error> {
    let at = now();
    let mut ids: Vec<(&str, i64)> = Vec::new();
    for (name, kind, partner_kind, segment, partner) in ORGS {
        let assigned_partner_id =
            partner.and_then(|p| ids.iter().find(|(n, _)| *n == p).map(|(_, id)| *id));
        let new = NewOrg {
            name: name.to_string(),
            kind: *kind,
            partner_kind: *partner_kind,
            segment: *segment,
            assigned_partner_id,
        };
        let id = super::queries::insert(&mut **tx, &new, at).await?;
        ids.push((name, id));
    }
    Ok(())
}
