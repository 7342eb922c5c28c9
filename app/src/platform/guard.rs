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

use crate::error::AppError;
use crate::identity::{Permission, SessionUser};
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

/// The body a server function takes, and so the limit the HTTP layer sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// A form or a JSON call: small.
    Form,
    /// A multipart file upload (`#[access(.., upload)]`).
    Upload,
    /// A form with a long text, a lesson's Markdown (`#[access(.., long_text)]`).
    LongText,
}

/// While which pending account step a function stays callable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gate {
    /// Only once the account is complete (the default).
    Complete,
    /// Also while two-step verification required of the user is not on yet
    /// (`#[access(.., before_second_factor)]`): turning it on.
    BeforeSecondFactor,
    /// Also while a password set by an administrator must be changed, and so
    /// before the second factor too (`#[access(.., before_password_change)]`).
    BeforePasswordChange,
}

/// One server function's registry entry, written by `#[access]`.
pub struct Policy {
    pub path: &'static str,
    pub access: Access,
    pub probe: fn() -> ProbeFuture,
    pub body: Body,
    pub gate: Gate,
}

impl Policy {
    pub const fn new<T: ServerFn>(access: Access, probe: fn() -> ProbeFuture) -> Self {
        Policy {
            path: T::PATH,
            access,
            probe,
            body: Body::Form,
            gate: Gate::Complete,
        }
    }

    /// The body class and gate stated after the access in `#[access(..)]`.
    pub const fn with(self, body: Body, gate: Gate) -> Self {
        Policy { body, gate, ..self }
    }
}

inventory::collect!(Policy);

/// Every registered policy.
pub fn policies() -> impl Iterator<Item = &'static Policy> {
    inventory::iter::<Policy>.into_iter()
}

fn table() -> &'static HashMap<&'static str, &'static Policy> {
    static TABLE: OnceLock<HashMap<&'static str, &'static Policy>> = OnceLock::new();
    TABLE.get_or_init(|| policies().map(|p| (p.path, p)).collect())
}

/// The access entry for a server-function path; `None` means the path is unknown
/// and must be refused.
pub fn policy(path: &str) -> Option<Access> {
    table().get(path).map(|p| p.access)
}

/// The body a server-function path takes (a form's for an unknown path).
pub fn body(path: &str) -> Body {
    table().get(path).map_or(Body::Form, |p| p.body)
}

/// While which pending account step a path stays callable.
fn gate(path: &str) -> Gate {
    table().get(path).map_or(Gate::Complete, |p| p.gate)
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
/// those marked `before_password_change` (the change itself, the account
/// page's list of their sessions).
pub fn allowed_before_password_change(path: &str) -> bool {
    gate(path) >= Gate::BeforePasswordChange
}

/// Server functions a person may call while two-step verification is required
/// of them and not on yet: those marked `before_second_factor` (turning it on)
/// or `before_password_change`.
pub fn allowed_before_second_factor(path: &str) -> bool {
    gate(path) >= Gate::BeforeSecondFactor
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
    use crate::identity::Role;

    #[test]
    fn check_applies_permissions() {
        let u = crate::identity::test_user(Role::CustomerUser, 1);
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
