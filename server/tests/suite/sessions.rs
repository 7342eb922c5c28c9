//! A person sees their own sessions and signs out any other device; an
//! administrator ends a user's sessions without deactivating them. Both are
//! plain form posts (they work without script) and are audited.

use crate::common;

use app::accounts::{ChangePassword, EndSession, EndUserSessions, Login, MySessions};
use app::organisations::ListOrganisations;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use leptos::server_fn::ServerFn;
use serde::Serialize;

const FIREFOX: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";

/// Signs in from a device (user agent) and returns the session cookie.
async fn login_on(t: &TestApp, email: &str, agent: &str) -> String {
    let login = Login {
        email: email.into(),
        password: PASSWORD.into(),
    };
    let req = Request::post(TestApp::path::<Login>())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::USER_AGENT, agent)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(encode(&login)))
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.session_cookie().unwrap()
}

/// A server function's form posted as a browser without script sends it, from `page`.
async fn form_post<F>(t: &TestApp, call: &F, cookie: &str, page: &str) -> Reply
where
    F: ServerFn + Serialize,
{
    let req = Request::post(TestApp::path::<F>())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .header(header::REFERER, format!("http://127.0.0.1:3000{page}"))
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(encode(call)))
        .unwrap();
    t.send(req).await
}

async fn audit_actions(t: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_events ORDER BY id")
        .fetch_all(&t.state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_person_signs_out_another_of_their_devices() {
    let t = app().await;
    let laptop = login_on(&t, "ops@globalport.example", FIREFOX).await;
    let phone = login_on(&t, "ops@globalport.example", IPHONE).await;
    let other = login_on(&t, "admin@globalport.example", FIREFOX).await;

    let r = t.call(&MySessions {}, Some(&laptop)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "only their own sessions: {list:?}");
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[0]["device"], "Firefox on Windows");
    assert_eq!(list[1]["device"], "Safari on iPhone");
    let phone_ref = list[1]["session_ref"].as_str().unwrap().to_string();
    let own_ref = list[0]["session_ref"].as_str().unwrap().to_string();

    let page = t.get("/account", Some(&laptop)).await;
    assert!(page.body.contains("Safari on iPhone") && page.body.contains("This device"));
    assert!(page.body.contains(&format!("value=\"{phone_ref}\"")));

    // The current session is not ended this way; another person's never.
    let r = t
        .call(
            &EndSession {
                session_ref: own_ref,
            },
            Some(&laptop),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let theirs = t.call(&MySessions {}, Some(&other)).await.json()[0]["session_ref"]
        .as_str()
        .unwrap()
        .to_string();
    expect_not_found(
        &t,
        &EndSession {
            session_ref: theirs,
        },
        &[("another person", laptop.as_str())],
        &["admin@globalport.example"],
    )
    .await;
    assert_eq!(t.me(&other).await["email"], "admin@globalport.example");

    // Without script: a plain form post, answered with a redirect back.
    let r = form_post(
        &t,
        &EndSession {
            session_ref: phone_ref,
        },
        &laptop,
        "/account",
    )
    .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap();
    assert!(to.contains("/account"), "back to the page: {to}");
    assert!(t.me(&phone).await.is_null(), "the phone is signed out");
    assert_eq!(t.me(&laptop).await["email"], "ops@globalport.example");
    assert!(audit_actions(&t)
        .await
        .contains(&"session.ended".to_string()));
}

#[tokio::test]
async fn an_admin_signs_a_user_out_everywhere_without_deactivating_them() {
    let t = app().await;
    let a = login_on(&t, "ops@globalport.example", FIREFOX).await;
    let b = login_on(&t, "ops@globalport.example", IPHONE).await;
    let admin = t.login("admin@globalport.example").await;
    let end_ops = EndUserSessions {
        user_id: t.user_id("ops@globalport.example").await,
    };

    // Outside the admin's organisation: not found; without the permission: refused.
    let harbor_admin = t.login("admin@harbor.example").await;
    expect_not_found(
        &t,
        &end_ops,
        &[("Harbor's admin", harbor_admin.as_str())],
        &["ops@globalport.example"],
    )
    .await;
    let r = t.call(&end_ops, Some(&a)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.me(&b).await["email"], "ops@globalport.example");

    let r = t.call(&end_ops, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body, "2");
    assert!(t.me(&a).await.is_null() && t.me(&b).await.is_null());
    // Still active: they sign in again.
    t.login("ops@globalport.example").await;
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_events WHERE action = 'user.sessions_ended'")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
    assert!(detail.contains("\"sessions_ended\":2"), "{detail}");

    // An admin ending their own sessions keeps the one they are using.
    let own = EndUserSessions {
        user_id: t.user_id("admin@globalport.example").await,
    };
    let r = t.call(&own, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(t.me(&admin).await["email"], "admin@globalport.example");
}

#[tokio::test]
async fn a_password_set_by_an_admin_is_changed_before_anything_else() {
    let t = app().await;
    let admin = t.login("admin@globalport.example").await;
    let own = t.org_id("GlobalPort Terminals").await;
    let r = t
        .call(
            &new_user(own, "winch@globalport.example", "Winch", "customer_user"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let r = t
        .login_raw("winch@globalport.example", NEW_USER_PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.session_cookie().unwrap();
    assert_eq!(t.me(&cookie).await["must_change_password"], true);
    // Every other function and page waits for the change.
    let r = t.call(&ListOrganisations {}, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body, "\"PasswordChangeRequired\"");
    let page = t.get("/", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.headers[header::LOCATION], "/account");
    // So do the downloads.
    let csv = t.get("/orders/export.csv", Some(&cookie)).await;
    assert_eq!(csv.status, StatusCode::SEE_OTHER);
    assert_eq!(csv.headers[header::LOCATION], "/account");
    let page = t.get("/account", Some(&cookie)).await;
    assert!(page.body.contains("Your administrator set your password"));
    assert_eq!(
        t.call(&MySessions {}, Some(&cookie)).await.status,
        StatusCode::OK
    );

    let change = ChangePassword {
        current_password: NEW_USER_PASSWORD.into(),
        new_password: "my own winding road".into(),
        confirm_password: "my own winding road".into(),
    };
    let r = t.call(&change, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cookie = r.session_cookie().unwrap();
    let r = t.call(&ListOrganisations {}, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(t.get("/", Some(&cookie)).await.status, StatusCode::OK);
    // Demo users and the first administrator chose their own: no change asked.
    assert_eq!(t.me(&admin).await["must_change_password"], false);
}
