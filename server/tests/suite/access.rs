//! Authorisation as one mechanism: every server function is guarded, and each
//! role stays inside its organisation's scope (the HTTP layers: `http.rs`).

use crate::common;

use app::accounts::{
    CreateUser, CurrentUser, ListUsers, Login, LoginSecondFactor, Logout, SetUserActive,
    SetUserRole,
};
use app::organisations::{CreateOrganisation, ListOrganisations, SetOrganisationActive};
use app::platform::guard::{policy, Access};
use axum::http::{header, StatusCode};
use common::*;
use std::collections::BTreeSet;

/// The only server functions an anonymous caller may reach.
fn public() -> BTreeSet<&'static str> {
    BTreeSet::from([
        TestApp::path::<Login>(),
        TestApp::path::<LoginSecondFactor>(),
        TestApp::path::<Logout>(),
        TestApp::path::<CurrentUser>(),
    ])
}

#[tokio::test]
async fn every_server_function_refuses_anonymous_calls_unless_listed_public() {
    let t = app().await;
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    assert!(
        registered.len() >= 10,
        "server functions are registered: {registered:?}"
    );
    let mut found_public = BTreeSet::new();
    for path in &registered {
        let access = policy(path).unwrap_or_else(|| panic!("{path} has no access policy"));
        if access == Access::Public {
            found_public.insert(path.as_str());
            continue;
        }
        let r = t.post(path, "", None).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "anonymous call to {path}: {}",
            r.body
        );
        // A stale or forged cookie is no better.
        let r = t.post(path, "", Some("careport_session=forged")).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "forged cookie on {path}"
        );
    }
    assert_eq!(found_public, public());
    // Every policy entry names a real server function.
    for p in app::platform::guard::policies() {
        assert!(
            registered.contains(p.path),
            "policy for unknown function {}",
            p.path
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_are_refused() {
    let t = app().await;
    let cookie = t.login("admin@nordlift.example").await;
    // A path of no server function, written out: an unknown path has no type.
    let r = t
        .post("/api/accounts/delete-everything", "", Some(&cookie))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn permissions_are_checked_before_arguments_are_read() {
    let t = app().await;
    let cookie = t.login("ops@globalport.example").await;
    // Empty bodies: a function that read its arguments first would answer 400.
    for path in [
        TestApp::path::<ListUsers>(),
        TestApp::path::<CreateUser>(),
        TestApp::path::<CreateOrganisation>(),
        TestApp::path::<SetOrganisationActive>(),
    ] {
        let r = t.post(path, "", Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
}

async fn list_user_emails(t: &TestApp, cookie: &str) -> Vec<String> {
    let r = t.call(&ListUsers {}, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .collect()
}

async fn org_names(t: &TestApp, cookie: &str) -> Vec<String> {
    let r = t.call(&ListOrganisations {}, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn supplier_admin_manages_any_organisation() {
    let t = app().await;
    let admin = t.login("admin@nordlift.example").await;
    let everyone: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(list_user_emails(&t, &admin).await.len() as i64, everyone);
    let harbor = t.org_id("Harbor Logistics").await;
    let r = t
        .call(
            &new_user(harbor, "Dock@Harbor.example", "Dock Hand", "customer_user"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(list_user_emails(&t, &admin)
        .await
        .contains(&"dock@harbor.example".to_string()));
    // The same address again is refused, not duplicated.
    let again = t
        .call(
            &new_user(harbor, "dock@harbor.example", "Dock Hand", "customer_user"),
            Some(&admin),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already exists"));
    // A role must fit the organisation's kind.
    let r = t
        .call(
            &new_user(harbor, "x@harbor.example", "X", "admin"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(org_names(&t, &admin).await.len(), 6);
}

#[tokio::test]
async fn partner_admin_manages_only_its_own_users() {
    let t = app().await;
    let padmin = t.login("admin@balticlift.example").await;
    let emails = list_user_emails(&t, &padmin).await;
    assert_eq!(
        emails,
        vec!["admin@balticlift.example", "tech@balticlift.example"]
    );
    // Not the customers it serves, not another partner.
    for victim in [
        "admin@harbor.example",
        "agent@iberia.example",
        "ops@globalport.example",
    ] {
        let user_id = t.user_id(victim).await;
        let who = format!("the partner admin, on {victim}");
        let caller = [(who.as_str(), padmin.as_str())];
        let deactivate = SetUserActive {
            user_id,
            active: false,
        };
        expect_not_found(&t, &deactivate, &caller, &[victim]).await;
        let demote = SetUserRole {
            user_id,
            role: "customer_user".into(),
        };
        expect_not_found(&t, &demote, &caller, &[victim]).await;
    }
    for org in ["Harbor Logistics", "Iberia Agents", "Nordlift"] {
        let id = t.org_id(org).await;
        let r = t
            .call(
                &new_user(id, "new@x.example", "New", "partner_user"),
                Some(&padmin),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{org}");
    }
    // Its own: promote the technician, and it cannot hand out supplier roles.
    let tech = t.user_id("tech@balticlift.example").await;
    let r = t
        .call(
            &SetUserRole {
                user_id: tech,
                role: "partner_admin".into(),
            },
            Some(&padmin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .call(
            &SetUserRole {
                user_id: tech,
                role: "admin".into(),
            },
            Some(&padmin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Partners see themselves and the customers assigned to them only.
    assert_eq!(
        org_names(&t, &padmin).await,
        vec!["Baltic Lift Service", "Harbor Logistics"]
    );
    let agent = t.login("agent@iberia.example").await;
    assert_eq!(org_names(&t, &agent).await, vec!["Iberia Agents"]);
}

#[tokio::test]
async fn customer_admin_manages_only_its_own_users() {
    let t = app().await;
    let cadmin = t.login("admin@harbor.example").await;
    assert_eq!(
        list_user_emails(&t, &cadmin).await,
        vec!["admin@harbor.example"]
    );
    for victim in [
        "ops@globalport.example",
        "tech@balticlift.example",
        "admin@nordlift.example",
    ] {
        let deactivate = SetUserActive {
            user_id: t.user_id(victim).await,
            active: false,
        };
        let who = format!("the customer admin, on {victim}");
        expect_not_found(
            &t,
            &deactivate,
            &[(who.as_str(), cadmin.as_str())],
            &[victim],
        )
        .await;
    }
    let globalport = t.org_id("GlobalPort Terminals").await;
    let r = t
        .call(
            &new_user(globalport, "spy@x.example", "Spy", "customer_user"),
            Some(&cadmin),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let own = t.org_id("Harbor Logistics").await;
    let r = t
        .call(
            &new_user(
                own,
                "crane@harbor.example",
                "Crane Operator",
                "customer_user",
            ),
            Some(&cadmin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(org_names(&t, &cadmin).await, vec!["Harbor Logistics"]);
}

#[tokio::test]
async fn staff_without_user_management_are_refused() {
    let t = app().await;
    for email in [
        "pm@nordlift.example",
        "support@nordlift.example",
        "tech@balticlift.example",
        "ops@globalport.example",
        "jon@tanner.example",
    ] {
        let cookie = t.login(email).await;
        assert_eq!(
            t.call(&ListUsers {}, Some(&cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        let r = t
            .call(
                &CreateOrganisation {
                    name: "X".into(),
                    kind: "partner".into(),
                    partner_kind: "agent".into(),
                    segment: String::new(),
                    assigned_partner_id: String::new(),
                },
                Some(&cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
    }
    // Partner managers see every partner and customer.
    let pm = t.login("pm@nordlift.example").await;
    assert_eq!(org_names(&t, &pm).await.len(), 6);
}

#[tokio::test]
async fn organisations_are_validated() {
    let t = app().await;
    let admin = t.login("admin@nordlift.example").await;
    let create = |name: &str, kind: &str, seg: &str, partner: &str| CreateOrganisation {
        name: name.into(),
        kind: kind.into(),
        partner_kind: "reseller".into(),
        segment: seg.into(),
        assigned_partner_id: partner.into(),
    };
    let r = t
        .call(
            &create("Dock Nine", "customer", "small_local", ""),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("service partner"));
    let customer = t.org_id("GlobalPort Terminals").await.to_string();
    let r = t
        .call(
            &create("Dock Nine", "customer", "small_local", &customer),
            Some(&admin),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a customer is no service partner"
    );
    let baltic = t.org_id("Baltic Lift Service").await.to_string();
    let r = t
        .call(
            &create("Dock Nine", "customer", "small_local", &baltic),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .call(
            &create("Dock Nine", "customer", "small_local", &baltic),
            Some(&admin),
        )
        .await;
    assert!(r.body.contains("already exists"));
    let padmin = t.login("admin@balticlift.example").await;
    assert!(org_names(&t, &padmin)
        .await
        .contains(&"Dock Nine".to_string()));
}

/// The scope rules the pure functions state (`OrgScope::includes`,
/// `may_manage_users_of`) and the scope the queries apply in SQL are one rule:
/// for every demo user, the list a server function returns is exactly the
/// records the pure rule admits.
#[tokio::test]
async fn queries_apply_the_same_scope_rules_as_the_pure_functions() {
    use app::accounts::rules::may_manage_users_of;
    use app::organisations::rules::{OrgRef, OrgScope};
    use app::organisations::OrgKind;
    let t = app().await;
    let all: Vec<(i64, String, OrgKind, Option<i64>)> = sqlx::query_as(
        "SELECT id, name, kind, assigned_partner_id FROM organisations ORDER BY name",
    )
    .fetch_all(&t.state.pool)
    .await
    .unwrap();
    let users: Vec<(String, i64)> =
        sqlx::query_as("SELECT email, org_id FROM users ORDER BY email")
            .fetch_all(&t.state.pool)
            .await
            .unwrap();
    for (email, _) in users.clone() {
        let cookie = t.login(&email).await;
        let me = t.me(&cookie).await;
        let me: app::accounts::SessionUser = serde_json::from_value(me).unwrap();
        let mut listed = org_names(&t, &cookie).await;
        listed.sort();
        let scope = OrgScope::of(&me);
        let admitted: Vec<String> = all
            .iter()
            .filter(|(id, _, kind, partner)| {
                scope.includes(&OrgRef {
                    id: *id,
                    kind: *kind,
                    assigned_partner_id: *partner,
                })
            })
            .map(|(_, name, _, _)| name.clone())
            .collect();
        assert_eq!(listed, admitted, "organisations of {email}");
        let r = t.call(&ListUsers {}, Some(&cookie)).await;
        if r.status == StatusCode::OK {
            let mut listed = list_user_emails(&t, &cookie).await;
            listed.sort();
            let admitted: Vec<String> = users
                .iter()
                .filter(|(_, org)| may_manage_users_of(&me, *org))
                .map(|(e, _)| e.clone())
                .collect();
            assert_eq!(listed, admitted, "users managed by {email}");
        } else {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
            assert!(
                users.iter().all(|(_, org)| !may_manage_users_of(&me, *org)),
                "{email}"
            );
        }
    }
}

/// A signed-in visitor of the sign-in page goes on to `next`, but only to a path
/// of this app: hostile values (a tab or newline that browsers strip, a
/// protocol-relative or absolute URL, a backslash) go to the dashboard, and none
/// reaches a response header unchecked.
#[tokio::test]
async fn sign_in_page_follows_only_paths_of_this_app() {
    let t = app().await;
    let cookie = t.login("ops@globalport.example").await;
    let r = t.get("/login?next=/account", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/account");
    for hostile in [
        "/%09/evil.example",
        "/%0A",
        "/%0D%0ASet-Cookie:%20x=1",
        "//evil.example",
        "https://evil.example/",
        "/%5Cevil.example",
        "%2F%2Fevil.example",
    ] {
        let r = t
            .get(&format!("/login?next={hostile}"), Some(&cookie))
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{hostile}: {}", r.body);
        assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/", "{hostile}");
        assert!(r
            .headers
            .get("set-cookie")
            .is_none_or(|v| !v.to_str().unwrap().starts_with("x=")));
    }
    // Signed out, the page renders and carries only the checked target to its form.
    let r = t.get("/login?next=/%09/evil.example", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !r.body.contains("evil.example"),
        "the hostile target is dropped"
    );
}
