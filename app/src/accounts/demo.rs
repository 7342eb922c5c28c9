//! The demo accounts (listed in the README); all share `platform::setup::DEMO_PASSWORD`.

use super::api::Role;
use super::queries::{insert_user, NewUser};
use crate::platform::{db::Tx, now};

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

/// Inserts the demo accounts; their organisations must exist already.
pub async fn load(tx: &mut Tx, password_hash: &str) -> Result<(), sqlx::Error> {
    let at = now();
    for (email, name, role, org) in USERS {
        let org_id: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
            .bind(org)
            .fetch_one(&mut **tx)
            .await?;
        let new = NewUser {
            org_id,
            email,
            display_name: name,
            role: *role,
            password_hash,
            must_change_password: false,
            email_conflict: false,
        };
        insert_user(&mut **tx, &new, at).await?;
    }
    Ok(())
}
