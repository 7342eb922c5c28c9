//! Sign-in, sessions, throttling, password changes and deactivation, over HTTP.

use crate::common;

use app::accounts::{sessions, ChangePassword, CurrentUser, Login, Logout, SetUserActive};
use app::dashboard::LoadDashboard;
use app::organisations::SetOrganisationActive;
use app::platform::now;
use axum::http::{header, StatusCode};
use common::*;

#[tokio::test]
async fn login_success_sets_a_hardened_session_cookie() {
    let t = app().await;
    let r = t.login_raw("admin@nordlift.example", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "not secure unless configured");
    assert_eq!(r.json(), "SignedIn");
    let cookie = r.session_cookie().unwrap();
    let me = t.me(&cookie).await;
    assert_eq!(me["role"], "admin");
    assert_eq!(me["email"], "admin@nordlift.example");
    assert_eq!(me["org_name"], "Nordlift");
    // Only the hash of the token is stored.
    let token = cookie.split_once('=').unwrap().1;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1")
        .bind(token)
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let t = app_with(app::platform::Config {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    let r = t.login_raw("admin@nordlift.example", PASSWORD).await;
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        set.starts_with("__Host-careport_session=") && set.contains("; Secure"),
        "{set}"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer_and_no_session() {
    let t = app().await;
    let wrong = t
        .login_raw("admin@nordlift.example", "not-the-password")
        .await;
    let unknown = t
        .login_raw("nobody@nordlift.example", "not-the-password")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.session_cookie().is_none() && unknown.session_cookie().is_none());
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    let empty = t.login_raw("", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn five_failures_stop_that_address_but_only_slow_the_owner_elsewhere() {
    let t = app().await;
    let attacker = "198.51.100.7";
    for _ in 0..5 {
        let r = t
            .login_from("tech@balticlift.example", "wrong-password", attacker)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // The attacker's address is stopped for this account, even with the right password.
    let r = t
        .login_from("tech@balticlift.example", PASSWORD, attacker)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let wait: i64 = r
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((895..=900).contains(&wait), "{wait}");
    let msg: app::error::AppError = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        msg.to_string(),
        "Too many sign-in attempts. Please try again in 15 minutes."
    );
    assert!(r.session_cookie().is_none());
    // The owner, at another address, is slowed by seconds, not locked out.
    let owner = "203.0.113.20";
    let r = t
        .login_from("tech@balticlift.example", PASSWORD, owner)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let wait = r
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(wait == "1" || wait == "2", "{wait}");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = t
        .login_from("tech@balticlift.example", PASSWORD, owner)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Unknown accounts are throttled the same way, revealing nothing.
    for _ in 0..5 {
        t.login_from("ghost@balticlift.example", "wrong-password", attacker)
            .await;
    }
    assert_eq!(
        t.login_from("ghost@balticlift.example", "x", attacker)
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn many_failures_from_one_address_slow_it_down_without_locking_out_the_office() {
    let t = app().await;
    let office = "198.51.100.40";
    for i in 0..30 {
        let r = t
            .login_from(&format!("probe{i}@example.test"), "wrong-password", office)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = t
        .login_from("admin@nordlift.example", PASSWORD, office)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = r
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(wait == "1" || wait == "2", "{wait}");
    // Other addresses are not affected at all.
    let r = t
        .login_from("admin@nordlift.example", PASSWORD, "203.0.113.5")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // And the office gets in after the short wait.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = t
        .login_from("admin@nordlift.example", PASSWORD, office)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn an_office_signing_in_all_day_from_one_address_is_never_slowed() {
    let t = app().await;
    let office = "198.51.100.77";
    for i in 0..40 {
        let r = t
            .login_from("ops@globalport.example", PASSWORD, office)
            .await;
        assert_eq!(r.status, StatusCode::OK, "sign-in {i}: {}", r.body);
    }
}

#[tokio::test]
async fn success_clears_the_account_failures() {
    let t = app().await;
    for _ in 0..4 {
        t.login_raw("ops@globalport.example", "wrong-password")
            .await;
    }
    t.login("ops@globalport.example").await;
    for _ in 0..4 {
        t.login_raw("ops@globalport.example", "wrong-password")
            .await;
    }
    assert_eq!(
        t.login_raw("ops@globalport.example", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_overlong_email_is_refused_without_a_lookup() {
    let t = app().await;
    let long = format!("{}@example.test", "a".repeat(300));
    let r = t.login_raw(&long, "whatever").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let counters: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signin_counters")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(counters, 0, "nothing of it is stored");
}

#[tokio::test]
async fn login_rotates_the_session_id() {
    let t = app().await;
    let first = t.login("jon@tanner.example").await;
    let again = Login {
        email: "jon@tanner.example".into(),
        password: PASSWORD.into(),
    };
    let r = t.call(&again, Some(&first)).await;
    let second = r.session_cookie().unwrap();
    assert_ne!(first, second);
    assert!(t.me(&first).await.is_null(), "the old session ended");
    assert_eq!(t.me(&second).await["email"], "jon@tanner.example");
}

#[tokio::test]
async fn sessions_expire_when_idle_and_absolutely() {
    let t = app().await;
    let cfg = &t.state.config;
    let uid = t.user_id("jon@tanner.example").await;
    let start = now();
    let token = sessions::create(&t.state.pool, uid, "127.0.0.1", "test", start)
        .await
        .unwrap();
    assert!(sessions::resolve(&t.state.pool, &token, start + 60, cfg)
        .await
        .unwrap()
        .is_some());
    let idle_limit = start + 60 + cfg.session_idle_secs;
    assert!(sessions::resolve(&t.state.pool, &token, idle_limit, cfg)
        .await
        .unwrap()
        .is_some());
    // That use slid the idle window; a whole idle period more without use ends it.
    let next_limit = idle_limit + cfg.session_idle_secs;
    assert!(
        sessions::resolve(&t.state.pool, &token, next_limit + 1, cfg)
            .await
            .unwrap()
            .is_none()
    );
    // An expired session is gone for good.
    assert!(sessions::resolve(&t.state.pool, &token, start + 61, cfg)
        .await
        .unwrap()
        .is_none());

    // Activity keeps a session alive only up to the absolute timeout.
    let token = sessions::create(&t.state.pool, uid, "127.0.0.1", "test", start)
        .await
        .unwrap();
    let mut at = start;
    while at + cfg.session_idle_secs / 2 <= start + cfg.session_absolute_secs {
        at += cfg.session_idle_secs / 2;
        assert!(sessions::resolve(&t.state.pool, &token, at, cfg)
            .await
            .unwrap()
            .is_some());
    }
    let past = start + cfg.session_absolute_secs + 1;
    assert!(sessions::resolve(&t.state.pool, &token, past, cfg)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn expired_cookie_is_cleared_and_treated_as_signed_out() {
    let t = app().await;
    let r = t
        .call(&CurrentUser {}, Some("careport_session=forged"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json().is_null());
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(set.contains("Max-Age=0"));
}

#[tokio::test]
async fn logout_ends_the_session() {
    let t = app().await;
    let cookie = t.login("ops@globalport.example").await;
    let r = t.call(&Logout {}, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert!(t.me(&cookie).await.is_null());
    assert_eq!(
        t.call(&LoadDashboard {}, Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn password_change_applies_rules_and_ends_other_sessions() {
    let t = app().await;
    let here = t.login("admin@harbor.example").await;
    let elsewhere = t.login("admin@harbor.example").await;
    let change = |current: &str, new: &str, confirm: &str| ChangePassword {
        current_password: current.into(),
        new_password: new.into(),
        confirm_password: confirm.into(),
    };
    let r = t
        .call(&change(PASSWORD, "password123", "password123"), Some(&here))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("too common"), "{}", r.body);
    let r = t
        .call(&change(PASSWORD, "short", "short"), Some(&here))
        .await;
    assert!(r.body.contains("at least 8"), "{}", r.body);
    let r = t
        .call(
            &change("wrong-current", "harbour lights 42", "harbour lights 42"),
            Some(&here),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("current password"), "{}", r.body);
    let r = t
        .call(
            &change(PASSWORD, "harbour lights 42", "harbour lights 4"),
            Some(&here),
        )
        .await;
    assert!(r.body.contains("do not match"), "{}", r.body);

    let r = t
        .call(
            &change(PASSWORD, "harbour lights 42", "harbour lights 42"),
            Some(&here),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body, "1");
    // The session that changed the password continues under a new token.
    let renewed = r.session_cookie().expect("a new session token");
    assert_ne!(renewed, here);
    assert_eq!(t.me(&renewed).await["email"], "admin@harbor.example");
    assert!(t.me(&here).await.is_null(), "the old token is dead");
    assert!(t.me(&elsewhere).await.is_null(), "other sessions end");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1);
    assert_eq!(
        t.login_raw("admin@harbor.example", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.login_raw("admin@harbor.example", "harbour lights 42")
            .await
            .status,
        StatusCode::OK
    );
}

/// How many session rows belong to the users matching `filter` (on `u`, one bind).
async fn sessions_of(t: &TestApp, filter: &str, value: i64) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE {filter}"
    ))
    .bind(value)
    .fetch_one(&t.state.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn deactivated_users_cannot_sign_in_and_lose_their_sessions() {
    let t = app().await;
    let admin = t.login("admin@globalport.example").await;
    let ops = t.login("ops@globalport.example").await;
    let ops_id = t.user_id("ops@globalport.example").await;
    let deactivate = SetUserActive {
        user_id: ops_id,
        active: false,
    };
    let r = t.call(&deactivate, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The rows are gone at once, not only refused when next presented.
    assert_eq!(sessions_of(&t, "u.id = $1", ops_id).await, 0);
    assert!(t.me(&ops).await.is_null());
    let r = t.login_raw("ops@globalport.example", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body.contains("InvalidCredentials"),
        "same answer as a wrong password: {}",
        r.body
    );
    // Reactivated, they can sign in again.
    let reactivate = SetUserActive {
        user_id: ops_id,
        active: true,
    };
    t.call(&reactivate, Some(&admin)).await;
    assert_eq!(
        t.login_raw("ops@globalport.example", PASSWORD).await.status,
        StatusCode::OK
    );
    // Nobody deactivates themselves.
    let self_id = t.user_id("admin@globalport.example").await;
    let deactivate_self = SetUserActive {
        user_id: self_id,
        active: false,
    };
    let r = t.call(&deactivate_self, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn deactivating_an_organisation_ends_its_sessions() {
    let t = app().await;
    let admin = t.login("admin@nordlift.example").await;
    let agent = t.login("agent@iberia.example").await;
    let iberia = t.org_id("Iberia Agents").await;
    let deactivate = SetOrganisationActive {
        org_id: iberia,
        active: false,
    };
    let r = t.call(&deactivate, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(sessions_of(&t, "u.org_id = $1", iberia).await, 0);
    assert!(
        sessions_of(&t, "u.org_id <> $1", iberia).await > 0,
        "others keep theirs"
    );
    assert!(t.me(&agent).await.is_null());
    assert_eq!(
        t.login_raw("agent@iberia.example", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}
