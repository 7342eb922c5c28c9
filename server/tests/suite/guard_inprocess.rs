//! Every server function, called in-process as a page rendered on the server
//! calls it (no HTTP layer in front), as every role and anonymously: the check
//! stated with `#[access]` runs inside the function and refuses exactly the
//! callers the permission table refuses.

use app::accounts::{Role, SessionUser};
use app::error::AppError;
use app::organisations::OrgKind;
use app::platform::guard::{self, Caller, GuardTrace, Policy, Session};
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;

fn user(role: Role) -> SessionUser {
    SessionUser {
        id: 42,
        email: "probe@example.test".into(),
        display_name: "Probe".into(),
        role,
        org_id: 7,
        org_name: "Probe Org".into(),
        org_kind: role.org_kind(),
        must_change_password: false,
        mfa_enabled: false,
        must_enroll_mfa: false,
    }
}

/// Calls the function behind `policy` with default arguments as `who`, with no
/// application state in context: a call the guard lets through fails at its
/// first use of the database, a refused one never gets there.
async fn call_as(
    policy: &Policy,
    who: Option<SessionUser>,
) -> (Result<(), AppError>, Vec<(&'static str, bool)>) {
    let trace = GuardTrace::default();
    let (mut parts, ()) = http::Request::new(()).into_parts();
    parts.extensions.insert(Caller {
        session: who.map(|user| Session {
            id: "in-process".into(),
            user,
        }),
        ..Caller::default()
    });
    let owner = Owner::new();
    let call = owner.with(|| {
        provide_context(parts);
        provide_context(trace.clone());
        ScopedFuture::new((policy.probe)())
    });
    let result = call.await;
    let decisions = trace.0.lock().unwrap().clone();
    (result, decisions)
}

#[tokio::test]
async fn every_function_checks_its_access_in_process_for_every_role() {
    let policies: Vec<&Policy> = guard::policies().collect();
    assert!(policies.len() >= 10, "{} policies", policies.len());
    assert_eq!(guard::unguarded_functions(), Vec::<&str>::new());
    let callers: Vec<Option<SessionUser>> = std::iter::once(None)
        .chain(Role::ALL.iter().map(|r| Some(user(*r))))
        .collect();
    let mut refusals = 0;
    for policy in &policies {
        for who in &callers {
            let allowed = policy.access.allows(who.as_ref());
            let label = format!("{} as {:?}", policy.path, who.as_ref().map(|u| u.role));
            let (result, decisions) = call_as(policy, who.clone()).await;
            assert_eq!(
                decisions,
                vec![(policy.path, allowed)],
                "{label}: the guard ran once, inside the function, and decided by the table"
            );
            match (allowed, who) {
                (false, None) => assert_eq!(result, Err(AppError::Unauthenticated), "{label}"),
                (false, Some(_)) => assert_eq!(result, Err(AppError::Forbidden), "{label}"),
                (true, _) => assert!(
                    !matches!(result, Err(AppError::Unauthenticated | AppError::Forbidden)),
                    "{label}: allowed by the table but refused: {result:?}"
                ),
            }
            refusals += usize::from(!allowed);
        }
    }
    assert!(
        refusals > policies.len(),
        "some roles are refused somewhere"
    );
}

#[test]
fn org_kinds_of_probe_users_fit_their_roles() {
    assert_eq!(user(Role::PartnerUser).org_kind, OrgKind::Partner);
}
