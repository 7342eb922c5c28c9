//! The flash notice: a successful form leaves a one-shot notice that the next
//! page shows once, then clears; unknown keys show nothing.

use crate::common;

use app::accounts::{ChangePassword, CreateUser};
use app::orders::{AddToCart, UpdateCartLine};
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
        .call(
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
    let weak = CreateUser {
        password: "password".into(),
        ..new_user(own, "weak@harbor.example", "Weak", "customer_user")
    };
    let r = t.call(&weak, Some(&cadmin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(notice_cookie(&r), None);
}

/// The error a link puts in a page's address (`__path`, `__err`: what Leptos'
/// redirect after a plain form post carries) is shown only when this server
/// sent it to this browser; the genuine error of a plain form post still shows,
/// once.
#[tokio::test]
async fn an_error_in_the_address_shows_only_when_this_server_sent_it() {
    use base64::Engine;
    const BAIT: &str = "Seat licence expired: re-enter your password at https://evil.example/login";
    let t = app().await;
    let ops = t.login("ops@globalport.example").await;
    let encode_error = |e: &app::error::AppError| {
        base64::engine::general_purpose::URL_SAFE.encode(serde_json::to_vec(e).unwrap())
    };
    let bait = encode_error(&app::error::AppError::validation(BAIT));
    for (page, function) in [
        ("/cart", TestApp::path::<UpdateCartLine>()),
        ("/account", TestApp::path::<ChangePassword>()),
    ] {
        let forged = format!("{page}?{}", form(&[("__path", function), ("__err", &bait)]));
        let r = t.get(&forged, Some(&ops)).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(
            !r.body.contains("Seat licence expired"),
            "{page}: {}",
            r.body
        );
    }

    // A plain form post that fails: back to its page, with the error.
    let add = AddToCart {
        part_number: "NL-1104-022".into(),
        quantity: "2".into(),
        unit: String::new(),
        add_key: String::new(),
    };
    let r = t.call(&add, Some(&ops)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The cart page's form as a browser without script posts it (a part's line
    // sends no `course` field).
    let body = form(&[("part_number", "NL-1104-022"), ("quantity", "0")]);
    let r = t.post_plain_form::<UpdateCartLine>(body, &ops).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let err = to
        .split("__err=")
        .nth(1)
        .expect("the error in the address")
        .split('&')
        .next()
        .unwrap()
        .replace("%3D", "=");
    let sent: app::error::AppError = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE
            .decode(err.as_bytes())
            .unwrap(),
    )
    .unwrap();
    let message = sent.to_string();
    let proof = r.cookie("careport_form_error").expect("the error's proof");
    let path = to.trim_start_matches("http://127.0.0.1:3000");
    let page = t.get(path, Some(&format!("{ops}; {proof}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&message), "{message}: {}", page.body);
    let cleared = page
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("careport_form_error="))
        .expect("the proof is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    // Shown once; never in another browser; and the proof of one error
    // vouches for no other.
    let again = t.get(path, Some(&ops)).await;
    assert!(!again.body.contains(&message));
    let forged = format!(
        "/cart?{}",
        form(&[
            ("__path", TestApp::path::<UpdateCartLine>()),
            ("__err", &bait)
        ])
    );
    let r = t.get(&forged, Some(&format!("{ops}; {proof}"))).await;
    assert!(!r.body.contains("Seat licence expired"));
}
