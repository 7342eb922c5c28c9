//! Account types and server functions: sign-in, sign-out, the current user,
//! password change, and the management of users by administrators.

use crate::error::AppError;
use crate::organisations::OrgKind;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(test)]
pub(crate) use crate::identity::test_user;
pub use crate::identity::{Role, SessionUser};

impl SessionUser {
    /// Applies the deployment's policy: whether two-step verification must be
    /// turned on before anything else.
    #[cfg(feature = "ssr")]
    pub fn apply_policy(&mut self, config: &crate::platform::Config) {
        self.must_enroll_mfa = super::rules::must_enroll_mfa(
            config.mfa_required_for_staff,
            self.org_kind,
            self.mfa_enabled,
        );
    }
}

/// A user as an administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
    pub active: bool,
    pub last_login_at: Option<i64>,
    /// Two-step verification is on.
    pub mfa_enabled: bool,
    /// A placeholder made for an e-mail address of another organisation's
    /// account: it cannot sign in. Shown to the supplier's administrators only
    /// (always `false` for others, who must not learn that the address exists).
    pub email_conflict: bool,
}

/// One of the signed-in user's sessions, as the account page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Names the session to its owner (`rules::session_ref`), never its token.
    pub session_ref: String,
    pub device: String,
    pub client_addr: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The session of this request.
    pub current: bool,
}

/// Changes the caller's password, ends their other sessions and gives this one
/// a new token. Returns how many other sessions were ended.
#[access(SignedIn, before_password_change)]
#[server(prefix = "/api", endpoint = "accounts/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<u64, AppError> {
    use super::{passwords, queries, rules, sessions, signin};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, guard, now, set_cookie, state};
    let st = state()?;
    let me = &session.user;
    if new_password != confirm_password {
        return Err(AppError::validation(
            "The new password and its confirmation do not match.",
        ));
    }
    rules::check_new_password(&new_password, &me.email).map_err(AppError::Validation)?;
    let at = now();
    let caller = guard::caller();
    signin::verify_own_password(&st.pool, me, current_password, &caller.client_addr, at).await?;
    let hash = passwords::hash(new_password).await?;
    let mut tx = db::begin_write(&st.pool).await?;
    queries::set_password(&mut *tx, me.id, &hash, at).await?;
    // Every session ends; the one that changed the password continues under a
    // new token. The count is of the others.
    let ended = sessions::revoke_all_for_user(&mut *tx, me.id, None).await?;
    let ended = ended.saturating_sub(1);
    let event = Event::by(me, AuditAction::PasswordChanged, "user", me.id)
        .detail(serde_json::json!({ "other_sessions_ended": ended }));
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    let token =
        sessions::create(&st.pool, me.id, &caller.client_addr, &caller.user_agent, at).await?;
    set_cookie(sessions::set_cookie(&st.config, &token))?;
    tracing::info!(user = me.id, ended, "password changed");
    Ok(ended)
}

/// The target user's organisation and its kind, if the actor may manage them.
/// Users outside the actor's scope are reported as not found.
#[cfg(feature = "ssr")]
pub(crate) async fn managed_target(
    pool: &crate::platform::db::Pool,
    actor: &SessionUser,
    user_id: i64,
) -> Result<(i64, OrgKind), AppError> {
    match super::queries::org_of_user(pool, user_id).await? {
        Some((org_id, kind)) if super::rules::may_manage_users_of(actor, org_id) => {
            Ok((org_id, kind))
        }
        _ => Err(AppError::NotFound("The user".into())),
    }
}

/// Users the caller may manage: every user for the supplier admin, otherwise the
/// caller's own organisation.
#[access(ManageUsers)]
#[server(prefix = "/api", endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use super::{queries, rules::UserScope};
    let st = crate::platform::state()?;
    let scope = UserScope::of(&session.user).ok_or(AppError::Forbidden)?;
    let mut users = queries::list_users(&st.pool, scope).await?;
    if scope != UserScope::All {
        users.iter_mut().for_each(|u| u.email_conflict = false);
    }
    Ok(users)
}

/// Creates a user in an organisation the caller manages. Returns the new user's id.
#[access(ManageUsers)]
#[server(prefix = "/api", endpoint = "users/create")]
pub async fn create_user(
    org_id: i64,
    email: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<i64, AppError> {
    use super::{passwords, queries, rules, rules::UserScope};
    use crate::audit::{self, AuditAction, Event};
    use crate::organisations::queries::kind_and_active;
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    if !rules::may_manage_users_of(&session.user, org_id) {
        return Err(AppError::Forbidden);
    }
    let (kind, active) = kind_and_active(&st.pool, org_id)
        .await?
        .ok_or_else(|| AppError::NotFound("The organisation".into()))?;
    if !active {
        return Err(AppError::validation(
            "This organisation is deactivated; reactivate it first.",
        ));
    }
    let role = Role::parse(&role)
        .ok_or_else(|| AppError::validation("Choose a role for the new user."))?;
    if !rules::role_fits(role, kind) {
        return Err(AppError::validation(format!(
            "A {} cannot belong to a {} organisation.",
            role.label().to_lowercase(),
            kind.label().to_lowercase()
        )));
    }
    rules::check_email(&email).map_err(AppError::Validation)?;
    let email = rules::normalize_email(&email);
    let display_name = display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(AppError::validation(
            "Enter the user's name (at most 100 characters).",
        ));
    }
    rules::check_new_password(&password, &email).map_err(AppError::Validation)?;
    let taken = || {
        AppError::validation("A user with this e-mail address already exists in this organisation.")
    };
    let (in_org, owner) = queries::email_in_use(&st.pool, &email, org_id).await?;
    if in_org {
        return Err(taken());
    }
    // Only the supplier's administrators, who see every account, learn that the
    // address belongs to another organisation. Anyone else gets what a new
    // address gets, and the account made is a placeholder that cannot sign in.
    let sees_all = UserScope::of(&session.user) == Some(UserScope::All);
    if let (Some(owner), true) = (&owner, sees_all) {
        return Err(AppError::validation(format!(
            "This e-mail address already belongs to a user of {owner}."
        )));
    }
    let email_conflict = owner.is_some();
    let hash = passwords::hash(password).await?;
    let new = queries::NewUser {
        org_id,
        email: &email,
        display_name: &display_name,
        role,
        password_hash: &hash,
        must_change_password: true,
        email_conflict,
    };
    let at = now();
    let mut tx = db::begin_write(&st.pool).await?;
    let id = queries::insert_user(&mut *tx, &new, at)
        .await
        .map_err(|e| match AppError::from(e) {
            // Made at the same moment by another request.
            AppError::Validation(_) => taken(),
            other => other,
        })?;
    let event = Event::by(&session.user, AuditAction::UserCreated, "user", id).detail(
        serde_json::json!({ "email": email, "role": role.as_str(), "org_id": org_id, "email_conflict": email_conflict }),
    );
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    if email_conflict {
        tracing::warn!(by = session.user.id, user = id, org = org_id,
            "user created as a placeholder: the e-mail address belongs to another organisation's account");
    } else {
        tracing::info!(
            by = session.user.id,
            user = id,
            org = org_id,
            "user created"
        );
    }
    flash::set(flash::Notice::UserAdded)?;
    Ok(id)
}

/// Activates or deactivates a user. Deactivation ends all their sessions.
#[access(ManageUsers)]
#[server(prefix = "/api", endpoint = "users/set-active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<(), AppError> {
    use super::{queries, sessions};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    managed_target(&st.pool, &session.user, user_id).await?;
    if user_id == session.user.id {
        return Err(AppError::validation(
            "You cannot deactivate your own account.",
        ));
    }
    let mut tx = db::begin_write(&st.pool).await?;
    queries::set_user_active(&mut *tx, user_id, active).await?;
    let mut ended = 0;
    if !active {
        ended = sessions::revoke_all_for_user(&mut *tx, user_id, None).await?;
    }
    let action = if active {
        AuditAction::UserActivated
    } else {
        AuditAction::UserDeactivated
    };
    let event = Event::by(&session.user, action, "user", user_id)
        .detail(serde_json::json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    tracing::info!(
        by = session.user.id,
        user = user_id,
        active,
        "user activation changed"
    );
    flash::set(flash::Notice::Saved)?;
    Ok(())
}

/// Sets a user's role, within the roles of their organisation's kind.
#[access(ManageUsers)]
#[server(prefix = "/api", endpoint = "users/set-role")]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    use super::{queries, rules};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    let (_, kind) = managed_target(&st.pool, &session.user, user_id).await?;
    if user_id == session.user.id {
        return Err(AppError::validation("You cannot change your own role."));
    }
    let role = Role::parse(&role)
        .filter(|r| rules::role_fits(*r, kind))
        .ok_or_else(|| AppError::validation("That role does not exist for this organisation."))?;
    let mut tx = db::begin_write(&st.pool).await?;
    queries::set_user_role(&mut *tx, user_id, role).await?;
    let event = Event::by(&session.user, AuditAction::UserRoleChanged, "user", user_id)
        .detail(serde_json::json!({ "role": role.as_str() }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    tracing::info!(
        by = session.user.id,
        user = user_id,
        role = role.as_str(),
        "role changed"
    );
    flash::set(flash::Notice::Saved)?;
    Ok(())
}

/// The caller's live sessions (device, address, when), this one first.
#[access(SignedIn, before_password_change)]
#[server(prefix = "/api", endpoint = "accounts/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use super::{rules, sessions};
    use crate::platform::{now, state};
    let st = state()?;
    let at = now();
    let mut list: Vec<SessionInfo> = sessions::list_for_user(&st.pool, session.user.id)
        .await?
        .into_iter()
        .filter(|(_, created, seen, _, _)| sessions::is_alive(*created, *seen, at, &st.config))
        .map(
            |(id, created_at, last_seen_at, client_addr, user_agent)| SessionInfo {
                session_ref: rules::session_ref(&id),
                device: rules::device_label(&user_agent),
                client_addr,
                created_at,
                last_seen_at,
                current: id == session.id,
            },
        )
        .collect();
    list.sort_by_key(|s| !s.current);
    Ok(list)
}

/// Ends one of the caller's other sessions (sign out there).
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "accounts/end-session")]
pub async fn end_session(session_ref: String) -> Result<(), AppError> {
    use super::{rules, sessions};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{flash, now, state};
    let st = state()?;
    let session_ref = session_ref.trim().to_string();
    if !rules::is_session_ref(&session_ref) {
        return Err(AppError::NotFound("The session".into()));
    }
    if rules::session_ref(&session.id) == session_ref {
        return Err(AppError::validation(
            "This is the session you are using: sign out from the account menu instead.",
        ));
    }
    let ended = sessions::revoke_by_ref(&st.pool, session.user.id, &session_ref).await?;
    if ended == 0 {
        return Err(AppError::NotFound("The session".into()));
    }
    let event = Event::by(
        &session.user,
        AuditAction::SessionEnded,
        "session",
        &session_ref,
    );
    audit::record(&st.pool, now(), &event).await?;
    flash::set(flash::Notice::SessionsEnded)?;
    Ok(())
}

/// Ends every session of a user the caller manages, without deactivating them
/// (the caller's own current session stays). Returns how many ended.
#[access(ManageUsers)]
#[server(prefix = "/api", endpoint = "users/end-sessions")]
pub async fn end_user_sessions(user_id: i64) -> Result<u64, AppError> {
    use super::sessions;
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    managed_target(&st.pool, &session.user, user_id).await?;
    let keep = (user_id == session.user.id).then_some(session.id.as_str());
    let mut tx = db::begin_write(&st.pool).await?;
    let ended = sessions::revoke_all_for_user(&mut *tx, user_id, keep).await?;
    let event = Event::by(
        &session.user,
        AuditAction::UserSessionsEnded,
        "user",
        user_id,
    )
    .detail(serde_json::json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    tracing::info!(
        by = session.user.id,
        user = user_id,
        ended,
        "sessions ended"
    );
    flash::set(flash::Notice::SessionsEnded)?;
    Ok(ended)
}
