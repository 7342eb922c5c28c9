//! Two-step verification over HTTP: turning it on, signing in with a code or a
//! recovery code (each accepted once), the challenge's limits, the requirement
//! for the supplier's staff, turning it off, and an administrator's reset.

use crate::common;

use axum::http::StatusCode;
use common::{app, app_with, form, TestApp, PASSWORD};
use totp_rs::{Builder, Secret};

const OPS: &str = "ops@globalport.example";

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The code an authenticator app shows for a secret (as the page prints it) at `time`.
fn code_at(secret: &str, time: u64) -> String {
    let secret = Secret::try_from_base32(secret.replace(' ', "").to_uppercase()).unwrap();
    let totp = Builder::new().with_secret(secret).build().unwrap();
    totp.generate(time).to_string()
}

/// Turns two-step verification on for a signed-in user; returns the secret
/// and the recovery codes.
async fn enroll(t: &TestApp, cookie: &str) -> (String, Vec<String>) {
    let setup = t
        .post("/api/accounts/two-step/begin", "", Some(cookie))
        .await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
    let setup = setup.json();
    assert!(
        setup["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || setup["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let secret = setup["secret"].as_str().unwrap().to_string();
    // A reload shows the same secret until it is confirmed.
    let again = t
        .post("/api/accounts/two-step/begin", "", Some(cookie))
        .await;
    assert_eq!(again.json()["secret"].as_str(), Some(secret.as_str()));

    let wrong = t
        .post(
            "/api/accounts/two-step/confirm",
            &form(&[("code", "000000")]),
            Some(cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = code_at(&secret, now());
    let done = t
        .post(
            "/api/accounts/two-step/confirm",
            &form(&[("code", &code)]),
            Some(cookie),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes: Vec<String> = serde_json::from_str(&done.body).unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// Signs in with the password; returns the challenge cookie (no session yet).
async fn password_step(t: &TestApp, email: &str) -> String {
    let r = t.login_raw(email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), serde_json::json!("SecondFactor"));
    assert_eq!(
        r.session_cookie(),
        None,
        "no session before the second factor"
    );
    r.cookie("careport_signin").expect("challenge cookie")
}

async fn code_step(t: &TestApp, challenge: &str, code: &str) -> common::Reply {
    t.post(
        "/api/accounts/login-code",
        &form(&[("code", code)]),
        Some(challenge),
    )
    .await
}

async fn audit_count(t: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_asks_for_a_code_each_accepted_once() {
    let t = app().await;
    let cookie = t.login(OPS).await;
    let (secret, _) = enroll(&t, &cookie).await;
    assert_eq!(audit_count(&t, "two_step.enabled").await, 1);
    assert_eq!(t.me(&cookie).await["mfa_enabled"], true);

    let challenge = password_step(&t, OPS).await;
    // The challenge is not a session.
    let me = t.post("/api/accounts/me", "", Some(&challenge)).await;
    assert_eq!(me.json(), serde_json::Value::Null);
    let wrong = code_step(&t, &challenge, "123456").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("not correct"), "{}", wrong.body);
    // The code that confirmed the enrolment was used: the next step's code signs in.
    let next = code_at(&secret, now() + 30);
    let ok = code_step(&t, &challenge, &next).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let session = ok.session_cookie().expect("session after the code");
    assert_eq!(t.me(&session).await["email"], OPS);
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_events WHERE action = 'sign_in.succeeded' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&t.state.pool)
    .await
    .unwrap();
    assert!(detail.contains("totp"), "{detail}");

    // The challenge is gone, and the same code does not sign in twice.
    assert_eq!(
        code_step(&t, &challenge, &next).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let challenge = password_step(&t, OPS).await;
    let replay = code_step(&t, &challenge, &next).await;
    assert_eq!(
        replay.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code is accepted once"
    );
}

#[tokio::test]
async fn recovery_codes_work_once() {
    let t = app().await;
    let cookie = t.login(OPS).await;
    let (_, codes) = enroll(&t, &cookie).await;
    let challenge = password_step(&t, OPS).await;
    // Typed in capitals with spaces instead of dashes.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let ok = code_step(&t, &challenge, &typed).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let status = t
        .post("/api/accounts/two-step", "", ok.session_cookie().as_deref())
        .await;
    assert_eq!(status.json()["recovery_codes_left"], 9);

    let challenge = password_step(&t, OPS).await;
    let again = code_step(&t, &challenge, &codes[3]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "used up");

    // New codes replace the old ones, after the password.
    let wrong = t
        .post(
            "/api/accounts/two-step/recovery-codes",
            &form(&[("password", "not it")]),
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renewed = t
        .post(
            "/api/accounts/two-step/recovery-codes",
            &form(&[("password", PASSWORD)]),
            Some(&cookie),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let fresh: Vec<String> = serde_json::from_str(&renewed.body).unwrap();
    let challenge = password_step(&t, OPS).await;
    assert_eq!(
        code_step(&t, &challenge, &codes[5]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        code_step(&t, &challenge, &fresh[0]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_challenge_takes_five_codes_and_needs_its_cookie() {
    let t = app().await;
    let cookie = t.login(OPS).await;
    let (secret, _) = enroll(&t, &cookie).await;
    let no_cookie = t
        .post(
            "/api/accounts/login-code",
            &form(&[("code", "123456")]),
            None,
        )
        .await;
    assert_eq!(no_cookie.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_cookie.body.contains("Start again"), "{}", no_cookie.body);

    let challenge = password_step(&t, OPS).await;
    for n in 1..=5 {
        let r = code_step(&t, &challenge, "999999").await;
        // Codes count in the sign-in throttle with the password: the pair's
        // limit (5) is reached at the fifth code.
        let expected = if n < 5 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(r.status, expected, "attempt {n}: {}", r.body);
    }
    let late = code_step(&t, &challenge, &code_at(&secret, now() + 30)).await;
    assert_eq!(
        late.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "out of attempts"
    );
    assert!(late.body.contains("Start again"), "{}", late.body);
    assert_eq!(late.session_cookie(), None);
    assert_eq!(audit_count(&t, "sign_in.failed").await, 4);
}

#[tokio::test]
async fn staff_must_turn_it_on_when_required_and_cannot_turn_it_off() {
    let config = app::platform::Config {
        mfa_required_for_staff: true,
        ..Default::default()
    };
    let t = app_with(config).await;
    let staff = t.login("support@nordlift.example").await;
    let me = t.me(&staff).await;
    assert_eq!(me["must_enroll_mfa"], true);
    let gated = t.post("/api/accounts/sessions", "", Some(&staff)).await;
    assert_eq!(
        gated.status,
        StatusCode::OK,
        "the account page's own list stays"
    );
    let gated = t.post("/api/organisations/list", "", Some(&staff)).await;
    assert_eq!(gated.status, StatusCode::FORBIDDEN, "{}", gated.body);
    assert!(
        gated.body.contains("SecondFactorRequired"),
        "{}",
        gated.body
    );
    // Pages send them to the enrolment page.
    let page = t.get("/organisations", Some(&staff)).await;
    assert_eq!(
        page.headers[axum::http::header::LOCATION],
        "/account/two-step"
    );

    // Partner and customer users are not asked.
    let partner = t.login("tech@balticlift.example").await;
    assert_eq!(t.me(&partner).await["must_enroll_mfa"], false);

    enroll(&t, &staff).await;
    assert_eq!(t.me(&staff).await["must_enroll_mfa"], false);
    let open = t.post("/api/organisations/list", "", Some(&staff)).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.body);
    let off = t
        .post(
            "/api/accounts/two-step/disable",
            &form(&[("password", PASSWORD)]),
            Some(&staff),
        )
        .await;
    assert_eq!(off.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(off.body.contains("required"), "{}", off.body);
}

#[tokio::test]
async fn turning_it_off_needs_the_password() {
    let t = app().await;
    let cookie = t.login(OPS).await;
    enroll(&t, &cookie).await;
    let wrong = t
        .post(
            "/api/accounts/two-step/disable",
            &form(&[("password", "wrong password")]),
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let off = t
        .post(
            "/api/accounts/two-step/disable",
            &form(&[("password", PASSWORD)]),
            Some(&cookie),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    // The password alone signs in again.
    t.login(OPS).await;
    assert_eq!(audit_count(&t, "two_step.disabled").await, 1);
}

#[tokio::test]
async fn an_administrator_resets_it_within_their_scope() {
    let t = app().await;
    let ops = t.login(OPS).await;
    enroll(&t, &ops).await;
    let ops_id = t.user_id(OPS).await;
    let body = form(&[("user_id", &ops_id.to_string())]);

    // Another organisation's admin: not found. A user without the permission: refused.
    let harbor = t.login("admin@harbor.example").await;
    let other = t
        .post("/api/users/reset-two-step", &body, Some(&harbor))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let jon = t.login("jon@tanner.example").await;
    let plain = t.post("/api/users/reset-two-step", &body, Some(&jon)).await;
    assert_eq!(plain.status, StatusCode::FORBIDDEN);
    assert_eq!(t.me(&ops).await["mfa_enabled"], true);

    let admin = t.login("admin@globalport.example").await;
    let users = t.post("/api/users/list", "", Some(&admin)).await.json();
    let row = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == OPS)
        .unwrap()
        .clone();
    assert_eq!(row["mfa_enabled"], true);
    let reset = t
        .post("/api/users/reset-two-step", &body, Some(&admin))
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    // Their sessions ended; the password alone signs them in again.
    assert_eq!(t.me(&ops).await, serde_json::Value::Null);
    let again = t.login(OPS).await;
    assert_eq!(t.me(&again).await["mfa_enabled"], false);
    assert_eq!(audit_count(&t, "two_step.reset").await, 1);
    let twice = t
        .post("/api/users/reset-two-step", &body, Some(&admin))
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
}
