//! Account SQL (server-only), in the dialect SQLite and PostgreSQL share.
//! Sessions and sign-in failures have their own modules (`sessions`, `throttle`).

use super::api::{Role, SessionUser, UserSummary};
use super::rules::UserScope;
use crate::organisations::OrgKind;
use crate::platform::db::{Db, Pool};
use sqlx::{Executor, QueryBuilder};

/// Adds the `WHERE` clause of a user-management scope over `users u`:
/// [`UserScope::includes`] in SQL.
pub fn push_scope(q: &mut QueryBuilder<'_, Db>, scope: UserScope) {
    match scope {
        UserScope::All => {}
        UserScope::Org(org_id) => {
            q.push(" WHERE u.org_id = ").push_bind(org_id);
        }
    }
}

/// The columns of a [`SessionUser`] over `users u JOIN organisations o`.
pub const SESSION_USER_COLUMNS: &str =
    "u.id, u.email, u.display_name, u.role, u.org_id, o.name AS org_name, o.kind AS org_kind,
     u.must_change_password,
     EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS mfa_enabled";

pub async fn session_user(
    pool: &Pool,
    user_id: i64,
    config: &crate::platform::Config,
) -> Result<SessionUser, sqlx::Error> {
    let sql = format!(
        "SELECT {SESSION_USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1"
    );
    let mut user: SessionUser = sqlx::query_as(&sql).bind(user_id).fetch_one(pool).await?;
    user.apply_policy(config);
    Ok(user)
}

/// A user's e-mail address, and whether the user and the organisation are active.
pub async fn email_and_enabled(
    pool: &Pool,
    user_id: i64,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.active AND o.active
         FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// (id, password hash, user and organisation both active) for an e-mail address.
pub async fn credentials(
    pool: &Pool,
    email: &str,
) -> Result<Option<(i64, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.password_hash, u.active AND o.active
         FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE u.email = $1 AND NOT u.email_conflict",
    )
    .bind(email)
    .fetch_optional(pool)
    .await
}

pub async fn record_login(pool: &Pool, user_id: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(at)
        .bind(user_id)
        .execute(pool)
        .await
        .map(|_| ())
}

pub async fn password_hash(pool: &Pool, user_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

pub async fn set_password<'e, E: Executor<'e, Database = Db>>(
    db: E,
    user_id: i64,
    hash: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, password_changed_at = $2, must_change_password = FALSE
         WHERE id = $3",
    )
        .bind(hash)
        .bind(at)
        .bind(user_id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn list_users(pool: &Pool, scope: UserScope) -> Result<Vec<UserSummary>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT u.id, u.email, u.display_name, u.role, u.org_id, o.name AS org_name, o.kind AS org_kind,
                u.active, u.last_login_at, u.email_conflict,
                EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS mfa_enabled
         FROM users u JOIN organisations o ON o.id = u.org_id",
    );
    push_scope(&mut q, scope);
    q.push(" ORDER BY o.name, u.display_name");
    q.build_query_as().fetch_all(pool).await
}

/// The organisation of a user and its kind.
pub async fn org_of_user(pool: &Pool, user_id: i64) -> Result<Option<(i64, OrgKind)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.org_id, o.kind FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// Who already uses an e-mail address: whether an account of `org_id` has it,
/// and the organisation of the real account that has it, if any.
pub async fn email_in_use(
    pool: &Pool,
    email: &str,
    org_id: i64,
) -> Result<(bool, Option<String>), sqlx::Error> {
    let rows: Vec<(i64, bool, String)> = sqlx::query_as(
        "SELECT u.org_id, u.email_conflict, o.name
         FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_all(pool)
    .await?;
    let in_org = rows.iter().any(|(org, _, _)| *org == org_id);
    let owner = rows
        .into_iter()
        .find(|(_, conflict, _)| !conflict)
        .map(|(_, _, name)| name);
    Ok((in_org, owner))
}

pub struct NewUser<'a> {
    pub org_id: i64,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    /// Set for a password an administrator chose: changed at first sign-in.
    pub must_change_password: bool,
    /// A placeholder for an address that belongs to another organisation's
    /// account: it can never sign in (see migration 0205).
    pub email_conflict: bool,
}

const INSERT_USER: &str = "INSERT INTO users (org_id, email, display_name, role, password_hash, created_at, password_changed_at, must_change_password, email_conflict)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id";

/// Inserts a user, on the pool or inside a transaction (`&mut **tx`, the demo data).
pub async fn insert_user<'e, E: Executor<'e, Database = Db>>(
    db: E,
    new: &NewUser<'_>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(INSERT_USER)
        .bind(new.org_id)
        .bind(new.email)
        .bind(new.display_name)
        .bind(new.role)
        .bind(new.password_hash)
        .bind(at)
        .bind(new.must_change_password)
        .bind(new.email_conflict)
        .fetch_one(db)
        .await
}

pub async fn set_user_active<'e, E: Executor<'e, Database = Db>>(
    db: E,
    user_id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(user_id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn set_user_role<'e, E: Executor<'e, Database = Db>>(
    db: E,
    user_id: i64,
    role: Role,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role)
        .bind(user_id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn count_active_users(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE active")
        .fetch_one(pool)
        .await
}
