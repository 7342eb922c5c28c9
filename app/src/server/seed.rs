//! The demo dataset: Nordlift and its partners and customers, with the demo
//! accounts listed in the README. Loaded only when demo data is on, and only
//! into an empty database.

use super::{db::Pool, now, passwords};
use crate::error::AppError;
use crate::model::Role;

pub const DEMO_PASSWORD: &str = "careport-demo";

struct DemoOrg {
    name: &'static str,
    kind: &'static str,
    partner_kind: Option<&'static str>,
    segment: Option<&'static str>,
    assigned_partner: Option<&'static str>,
}

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        name: "Nordlift",
        kind: "supplier",
        partner_kind: None,
        segment: None,
        assigned_partner: None,
    },
    DemoOrg {
        name: "Baltic Lift Service",
        kind: "partner",
        partner_kind: Some("reseller"),
        segment: None,
        assigned_partner: None,
    },
    DemoOrg {
        name: "Iberia Agents",
        kind: "partner",
        partner_kind: Some("agent"),
        segment: None,
        assigned_partner: None,
    },
    DemoOrg {
        name: "GlobalPort Terminals",
        kind: "customer",
        partner_kind: None,
        segment: Some("large_global"),
        assigned_partner: None,
    },
    DemoOrg {
        name: "Harbor Logistics",
        kind: "customer",
        partner_kind: None,
        segment: Some("small_local"),
        assigned_partner: Some("Baltic Lift Service"),
    },
    DemoOrg {
        name: "Jon Tanner",
        kind: "customer",
        partner_kind: None,
        segment: Some("end_user"),
        assigned_partner: None,
    },
];

/// (e-mail, display name, role, organisation)
pub const USERS: &[(&str, &str, Role, &str)] = &[
    (
        "admin@nordlift.example",
        "Ingrid Nord",
        Role::Admin,
        "Nordlift",
    ),
    (
        "pm@nordlift.example",
        "Per Magnusson",
        Role::PartnerManager,
        "Nordlift",
    ),
    (
        "support@nordlift.example",
        "Sofia Berg",
        Role::SupportEngineer,
        "Nordlift",
    ),
    (
        "admin@balticlift.example",
        "Andris Ozols",
        Role::PartnerAdmin,
        "Baltic Lift Service",
    ),
    (
        "tech@balticlift.example",
        "Toomas Tamm",
        Role::PartnerUser,
        "Baltic Lift Service",
    ),
    (
        "agent@iberia.example",
        "Ana Ibarra",
        Role::PartnerUser,
        "Iberia Agents",
    ),
    (
        "admin@globalport.example",
        "Grace Porter",
        Role::CustomerAdmin,
        "GlobalPort Terminals",
    ),
    (
        "ops@globalport.example",
        "Omar Patel",
        Role::CustomerUser,
        "GlobalPort Terminals",
    ),
    (
        "admin@harbor.example",
        "Hanna Lind",
        Role::CustomerAdmin,
        "Harbor Logistics",
    ),
    (
        "jon@tanner.example",
        "Jon Tanner",
        Role::CustomerUser,
        "Jon Tanner",
    ),
];

/// Loads the demo dataset when the database has no organisations yet.
/// Returns whether anything was loaded.
pub async fn load_if_empty(pool: &Pool) -> Result<bool, AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(pool)
        .await?;
    if count > 0 {
        return Ok(false);
    }
    let hash = passwords::hash(DEMO_PASSWORD.to_string()).await?;
    let at = now();
    let mut tx = pool.begin().await?;
    for o in ORGS {
        let partner_id: Option<i64> = match o.assigned_partner {
            Some(p) => Some(
                sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
                    .bind(p)
                    .fetch_one(&mut *tx)
                    .await?,
            ),
            None => None,
        };
        sqlx::query(
            "INSERT INTO organisations (name, kind, partner_kind, segment, assigned_partner_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(o.name)
        .bind(o.kind)
        .bind(o.partner_kind)
        .bind(o.segment)
        .bind(partner_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    for (email, name, role, org) in USERS {
        sqlx::query(
            "INSERT INTO users (org_id, email, display_name, role, password_hash, created_at, password_changed_at)
             SELECT id, $1, $2, $3, $4, $5, $5 FROM organisations WHERE name = $6",
        )
        .bind(email)
        .bind(name)
        .bind(role.as_str())
        .bind(&hash)
        .bind(at)
        .bind(org)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        organisations = ORGS.len(),
        users = USERS.len(),
        "demo dataset loaded"
    );
    Ok(true)
}
