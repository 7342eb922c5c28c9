//! First start in production, server-only: the first administrator comes
//! from `server create-admin`, never from demo data.

use super::{passwords, queries as users, rules, Role};
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::organisations::{queries as orgs, rules::NewOrg, OrgKind};
use crate::platform::db::{self, Pool};
use crate::platform::now;

/// Creates the first administrator (and the supplier organisation, named
/// `organisation`, if there is none yet). Refused once any administrator
/// exists: from then on administrators add users on the Users page.
pub async fn create_admin(
    pool: &Pool,
    email: &str,
    display_name: &str,
    organisation: &str,
    password: &str,
) -> Result<i64, AppError> {
    rules::check_email(email).map_err(AppError::Validation)?;
    let email = rules::normalize_email(email);
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(AppError::validation(
            "Give the administrator's name (at most 100 characters) with --name.",
        ));
    }
    rules::check_new_password(password, &email).map_err(AppError::Validation)?;
    let hash = passwords::hash(password.to_string()).await?;
    let at = now();
    let mut tx = db::begin_write(pool).await?;
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = $1")
        .bind(Role::Admin)
        .fetch_one(&mut *tx)
        .await?;
    if admins > 0 {
        return Err(AppError::validation(
            "An administrator already exists. Sign in as them and add people on the Users page.",
        ));
    }
    let supplier: Option<i64> =
        sqlx::query_scalar("SELECT id FROM organisations WHERE kind = 'supplier'")
            .fetch_optional(&mut *tx)
            .await?;
    let org_id = match supplier {
        Some(id) => id,
        None => {
            let name = organisation.trim();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(AppError::validation(
                    "Give the supplier organisation's name (at most 100 characters) with --organisation.",
                ));
            }
            let new = NewOrg {
                name: name.to_string(),
                kind: OrgKind::Supplier,
                partner_kind: None,
                segment: None,
                assigned_partner_id: None,
            };
            orgs::insert(&mut *tx, &new, at).await?
        }
    };
    let new = users::NewUser {
        org_id,
        email: &email,
        display_name,
        role: Role::Admin,
        password_hash: &hash,
        must_change_password: false,
        email_conflict: false,
    };
    let id = users::insert_user(&mut *tx, &new, at).await?;
    let event = Event {
        action: AuditAction::UserCreated,
        actor: None,
        object: ("user", id.to_string()),
        detail: serde_json::json!({ "email": email, "role": "admin", "via": "server create-admin" }),
        client_addr: "",
    };
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    Ok(id)
}
