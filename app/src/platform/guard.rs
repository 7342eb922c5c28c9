//! The one authorisation mechanism.
//!
//! A server function states its access once, with `#[access(..)]` above
//! `#[server]` (see the `app_macros` crate). From that statement come both:
//! - the registry entry ([`Policy`], collected with `inventory`), from which the
//!   HTTP layer builds its table: it refuses a call before reading its arguments
//!   when the path has no entry (deny by default), the caller is anonymous, or the
//!   role lacks the permission;
//! - the check at the top of the function body ([`enter`] / [`public`]), which is
//!   what protects a page that calls the function directly on the server, and
//!   which hands the checked caller to the body for the organisation scope of its
//!   queries.

use crate::accounts::SessionUser;
use crate::authz::Permission;
use crate::error::AppError;
use leptos::prelude::use_context;
use leptos::server_fn::ServerFn;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};

/// The access a server function needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Callable without signing in (sign-in, sign-out, who-am-I).
    Public,
    /// Needs a signed-in user holding the permission.
    Requires(Permission),
}

impl Access {
    /// Whether a caller (signed in as `user`, or anonymous) passes.
    pub fn allows(self, user: Option<&SessionUser>) -> bool {
        check(self, user).is_ok()
    }
}

/// A call of the function with default arguments, for the in-process access test.
pub type ProbeFuture = Pin<Box<dyn Future<Output = Result<(), AppError>> + Send>>;

/// One server function's registry entry, written by `#[access]`.
pub struct Policy {
    pub path: &'static str,
    pub access: Access,
    pub probe: fn() -> ProbeFuture,
}

impl Policy {
    pub const fn new<T: ServerFn>(access: Access, probe: fn() -> ProbeFuture) -> Self {
        Policy {
            path: T::PATH,
            access,
            probe,
        }
    }
}

inventory::collect!(Policy);

/// Every registered policy.
pub fn policies() -> impl Iterator<Item = &'static Policy> {
    inventory::iter::<Policy>.into_iter()
}

fn table() -> &'static HashMap<&'static str, Access> {
    static TABLE: OnceLock<HashMap<&'static str, Access>> = OnceLock::new();
    TABLE.get_or_init(|| policies().map(|p| (p.path, p.access)).collect())
}

/// The access entry for a server-function path; `None` means the path is unknown
/// and must be refused.
pub fn policy(path: &str) -> Option<Access> {
    table().get(path).copied()
}

/// Server functions registered with the framework but without an `#[access]`
/// statement. The server refuses to start while this is not empty.
pub fn unguarded_functions() -> Vec<&'static str> {
    let mut missing: Vec<&'static str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .filter(|path| policy(path).is_none())
        .collect();
    missing.sort_unstable();
    missing
}

/// Whether a path belongs to a registered server function.
pub fn is_server_fn(path: &str) -> bool {
    static PATHS: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    PATHS
        .get_or_init(|| {
            leptos::server_fn::axum::server_fn_paths()
                .map(|(p, _)| p)
                .collect()
        })
        .contains(path)
}

/// Whether a server function takes file uploads (and so a larger body).
pub fn is_upload(path: &str) -> bool {
    path == <crate::documents::UploadDocument as ServerFn>::PATH
        || path == <crate::catalog::import_api::StartImport as ServerFn>::PATH
        || path == <crate::learning::editor_api::UploadMaterial as ServerFn>::PATH
}

/// Whether a server function takes a long text (a lesson's Markdown) and so a
/// body larger than a form's.
pub fn is_long_text(path: &str) -> bool {
    path == <crate::learning::editor_api::SaveLesson as ServerFn>::PATH
}

/// Applies an access entry to a caller.
pub fn check(access: Access, user: Option<&SessionUser>) -> Result<(), AppError> {
    match access {
        Access::Public => Ok(()),
        Access::Requires(perm) => match user {
            None => Err(AppError::Unauthenticated),
            Some(u) if u.role.has(perm) => Ok(()),
            Some(_) => Err(AppError::Forbidden),
        },
    }
}

/// A live session: its stored id and its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub user: SessionUser,
}

/// The caller of a request, as resolved from the session cookie by the HTTP layer.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The stored session id and its user, when signed in.
    pub session: Option<Session>,
    /// The client address used for sign-in throttling.
    pub client_addr: String,
    pub user_agent: String,
    /// The raw session token presented, if any (to end it at sign-in or sign-out).
    pub token: Option<String>,
}

/// The caller of the current request.
pub fn caller() -> Caller {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Caller>().cloned())
        .unwrap_or_default()
}

/// Records the guard's decisions when a test provides it as context.
#[derive(Debug, Clone, Default)]
pub struct GuardTrace(pub Arc<Mutex<Vec<(&'static str, bool)>>>);

fn trace(path: &'static str, allowed: bool) {
    if let Some(t) = use_context::<GuardTrace>() {
        if let Ok(mut v) = t.0.lock() {
            v.push((path, allowed));
        }
    }
}

/// Server functions a person may call while their password must be changed:
/// the change itself, and the account page's list of their sessions.
pub fn allowed_before_password_change(path: &str) -> bool {
    use crate::accounts::api::{ChangePassword, MySessions};
    path == <ChangePassword as ServerFn>::PATH || path == <MySessions as ServerFn>::PATH
}

/// Server functions a person may call while two-step verification is required
/// of them and not on yet: turning it on, and the password change.
pub fn allowed_before_second_factor(path: &str) -> bool {
    use crate::accounts::two_step::{BeginTwoStep, ConfirmTwoStep, TwoStepStatus};
    allowed_before_password_change(path)
        || [
            <TwoStepStatus as ServerFn>::PATH,
            <BeginTwoStep as ServerFn>::PATH,
            <ConfirmTwoStep as ServerFn>::PATH,
        ]
        .contains(&path)
}

/// Refuses everything else to a user who must first change a password an
/// administrator set, or turn on the two-step verification required of them.
pub fn account_gate(user: Option<&SessionUser>, path: &str) -> Result<(), AppError> {
    match user {
        Some(u) if u.must_change_password && !allowed_before_password_change(path) => {
            Err(AppError::PasswordChangeRequired)
        }
        Some(u) if u.must_enroll_mfa && !allowed_before_second_factor(path) => {
            Err(AppError::SecondFactorRequired)
        }
        _ => Ok(()),
    }
}

/// Enters a protected server function (called by `#[access]`): checks the access
/// and returns the signed-in caller's session.
pub fn enter<T: ServerFn>(access: Access) -> Result<Session, AppError> {
    let session = caller().session;
    let user = session.as_ref().map(|s| &s.user);
    let verdict = check(access, user).and_then(|()| account_gate(user, T::PATH));
    trace(T::PATH, verdict.is_ok());
    if let (Err(AppError::Forbidden), Some(s)) = (&verdict, &session) {
        tracing::warn!(
            user = s.user.id,
            role = s.user.role.as_str(),
            path = T::PATH,
            "permission refused"
        );
    }
    verdict?;
    session.ok_or(AppError::Unauthenticated)
}

/// Enters a public server function (called by `#[access(public)]`).
pub fn public<T: ServerFn>() -> Caller {
    trace(T::PATH, true);
    caller()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;

    #[test]
    fn check_applies_permissions() {
        let u = crate::accounts::api::test_user(Role::CustomerUser, 1);
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
    fn unknown_paths_have_no_policy_and_every_function_has_one() {
        assert_eq!(policy("/api/not-a-function"), None);
        assert_eq!(unguarded_functions(), Vec::<&str>::new());
        assert!(policies().count() >= 10);
    }
}
