//! The flash notice: a successful form leaves a one-shot notice that the next
//! page shows once, then clears; unknown keys show nothing.

use crate::common;

use axum::http::{header, StatusCode};
use common::*;

fn notice_cookie(r: &Reply) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("careport_notice="))
        .map(str::to_string)
}

#[tokio::test]
async fn a_created_user_is_confirmed_once_on_the_next_page() {
    let t = app().await;
    let cadmin = t.login("admin@harbor.example").await;
    let own = t.org_id("Harbor Logistics").await;
    let r = t
        .post(
            "/api/users/create",
            &new_user(own, "rigger@harbor.example", "Rigger", "customer_user"),
            Some(&cadmin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let set = notice_cookie(&r).expect("a notice is set");
    assert!(
        set.contains("HttpOnly") && set.contains("Max-Age=60"),
        "{set}"
    );
    let pair = set.split(';').next().unwrap().to_string();

    let page = t.get("/users", Some(&format!("{cadmin}; {pair}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("User added."), "the notice is shown");
    assert!(page.body.contains("rigger@harbor.example"));
    let cleared = notice_cookie(&page).expect("the notice is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    let again = t.get("/users", Some(&cadmin)).await;
    assert!(!again.body.contains("User added."));
    let forged = t
        .get(
            "/users",
            Some(&format!("{cadmin}; careport_notice=%3Cscript%3E")),
        )
        .await;
    assert!(!forged.body.contains("script%3E") && !forged.body.contains("alert-ok flash"));
}

#[tokio::test]
async fn a_failed_form_leaves_no_notice() {
    let t = app().await;
    let cadmin = t.login("admin@harbor.example").await;
    let own = t.org_id("Harbor Logistics").await;
    let mut body = new_user(own, "weak@harbor.example", "Weak", "customer_user");
    body = body.replace("forklift%20morning", "password");
    let r = t.post("/api/users/create", &body, Some(&cadmin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(notice_cookie(&r), None);
}
