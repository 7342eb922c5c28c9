//! The one authorisation mechanism.
//!
//! Every server function has an entry in `POLICIES` (see `crate::policies`): the
//! access it needs. The HTTP layer refuses a call before its arguments are even
//! read when the entry is missing (deny by default), the caller is anonymous, or
//! the role lacks the permission. Inside, each function calls [`enter`] (or
//! [`public`]) with its own type, which applies the same entry again and hands
//! back the caller for the organisation-scope checks of its queries.

use crate::authz::Permission;
use crate::error::AppError;
use crate::model::SessionUser;
use leptos::prelude::use_context;
use leptos::server_fn::ServerFn;

/// The access a server function needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Callable without signing in (sign-in, sign-out, who-am-I).
    Public,
    /// Needs a signed-in user holding the permission.
    Requires(Permission),
}

/// The caller of a request, as resolved from the session cookie by the HTTP layer.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The stored session id and its user, when signed in.
    pub session: Option<super::sessions::Session>,
    /// The client address used for sign-in throttling.
    pub client_addr: String,
    pub user_agent: String,
    /// The raw session token presented, if any (to end it at sign-in or sign-out).
    pub token: Option<String>,
}

/// A policy-table entry for server function `T`.
pub const fn entry<T: ServerFn>(access: Access) -> (&'static str, Access) {
    (T::PATH, access)
}

/// The access entry for a server-function path; `None` means the path is unknown
/// and must be refused.
pub fn policy(path: &str) -> Option<Access> {
    crate::policies().find(|(p, _)| *p == path).map(|(_, a)| a)
}

/// Applies an access entry to a caller.
pub fn check(access: Access, user: Option<&SessionUser>) -> Result<(), AppError> {
    match access {
        Access::Public => Ok(()),
        Access::Requires(perm) => match user {
            None => Err(AppError::Unauthenticated),
            Some(u) if u.role.has(perm) => Ok(()),
            Some(u) => {
                tracing::warn!(
                    user = u.id,
                    role = u.role.as_str(),
                    ?perm,
                    "permission refused"
                );
                Err(AppError::Forbidden)
            }
        },
    }
}

/// The caller of the current request.
pub fn caller() -> Caller {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Caller>().cloned())
        .unwrap_or_default()
}

/// Enters a protected server function: checks its policy entry and returns the
/// signed-in user and session.
pub fn enter<T: ServerFn>() -> Result<super::sessions::Session, AppError> {
    let access =
        policy(T::PATH).ok_or_else(|| AppError::internal(format!("no policy for {}", T::PATH)))?;
    if access == Access::Public {
        return Err(AppError::internal(format!(
            "{} is public; use guard::public",
            T::PATH
        )));
    }
    let session = caller().session;
    check(access, session.as_ref().map(|s| &s.user))?;
    session.ok_or(AppError::Unauthenticated)
}

/// Enters a public server function, whose policy entry must say so.
pub fn public<T: ServerFn>() -> Result<Caller, AppError> {
    match policy(T::PATH) {
        Some(Access::Public) => Ok(caller()),
        _ => Err(AppError::internal(format!(
            "{} is not listed as public",
            T::PATH
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    #[test]
    fn check_applies_permissions() {
        let u = SessionUser {
            id: 1,
            email: "a@b.c".into(),
            display_name: "A".into(),
            role: Role::CustomerUser,
            org_id: 1,
            org_name: "O".into(),
            org_kind: Role::CustomerUser.org_kind(),
        };
        assert_eq!(check(Access::Public, None), Ok(()));
        assert_eq!(
            check(Access::Requires(Permission::SignedIn), None),
            Err(AppError::Unauthenticated)
        );
        assert_eq!(
            check(Access::Requires(Permission::SignedIn), Some(&u)),
            Ok(())
        );
        assert_eq!(
            check(Access::Requires(Permission::ManageUsers), Some(&u)),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn unknown_paths_have_no_policy() {
        assert_eq!(policy("/api/not-a-function"), None);
    }
}
