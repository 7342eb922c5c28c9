//! Two-step verification over HTTP: turning it on (a setup of one session, for
//! ten minutes, confirmed with a code and the password), signing in with a code
//! or a recovery code (each accepted once), the challenge's limits, the
//! requirement for the supplier's staff, turning it off, and an administrator's
//! reset (with the administrator's password).

use crate::common;

use app::accounts::two_step::{
    BeginTwoStep, ConfirmTwoStep, DisableTwoStep, RenewRecoveryCodes, ResetTwoStep, TwoStepStatus,
};
use app::accounts::{CurrentUser, ListUsers, LoginSecondFactor, Logout, MySessions};
use app::organisations::ListOrganisations;
use axum::http::StatusCode;
use common::{app, app_with, expect_not_found, form, TestApp, PASSWORD};
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
    let setup = t.call(&BeginTwoStep {}, Some(cookie)).await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
    let setup = setup.json();
    assert!(
        setup["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || setup["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let secret = setup["secret"].as_str().unwrap().to_string();
    // A reload shows the same secret until it is confirmed.
    let again = t.call(&BeginTwoStep {}, Some(cookie)).await;
    assert_eq!(again.json()["secret"].as_str(), Some(secret.as_str()));

    let wrong = confirm(t, cookie, "000000", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("not correct"), "{}", wrong.body);
    let code = code_at(&secret, now());
    let done = confirm(t, cookie, &code, PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes: Vec<String> = serde_json::from_str(&done.body).unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// Starts a setup in a session; returns the secret as the page prints it.
async fn begin(t: &TestApp, cookie: &str) -> String {
    let setup = t.call(&BeginTwoStep {}, Some(cookie)).await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
    setup.json()["secret"].as_str().unwrap().to_string()
}

/// Confirms the session's setup with a code and the account's password.
async fn confirm(t: &TestApp, cookie: &str, code: &str, password: &str) -> common::Reply {
    let confirm = ConfirmTwoStep {
        code: code.into(),
        password: password.into(),
    };
    t.call(&confirm, Some(cookie)).await
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
    t.call(&LoginSecondFactor { code: code.into() }, Some(challenge))
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
    let me = t.call(&CurrentUser {}, Some(&challenge)).await;
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
        .call(&TwoStepStatus {}, ok.session_cookie().as_deref())
        .await;
    assert_eq!(status.json()["recovery_codes_left"], 9);

    let challenge = password_step(&t, OPS).await;
    let again = code_step(&t, &challenge, &codes[3]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "used up");

    // New codes replace the old ones, after the password.
    let wrong = t
        .call(
            &RenewRecoveryCodes {
                password: "not it".into(),
            },
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renewed = t
        .call(
            &RenewRecoveryCodes {
                password: PASSWORD.into(),
            },
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
        .call(
            &LoginSecondFactor {
                code: "123456".into(),
            },
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
    let gated = t.call(&MySessions {}, Some(&staff)).await;
    assert_eq!(
        gated.status,
        StatusCode::OK,
        "the account page's own list stays"
    );
    let gated = t.call(&ListOrganisations {}, Some(&staff)).await;
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
    let open = t.call(&ListOrganisations {}, Some(&staff)).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.body);
    let off = t
        .call(
            &DisableTwoStep {
                password: PASSWORD.into(),
            },
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
        .call(
            &DisableTwoStep {
                password: "wrong password".into(),
            },
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let off = t
        .call(
            &DisableTwoStep {
                password: PASSWORD.into(),
            },
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
    let reset_ops = ResetTwoStep {
        user_id: t.user_id(OPS).await,
        password: PASSWORD.into(),
    };

    // Another organisation's admin: not found. A user without the permission: refused.
    let harbor = t.login("admin@harbor.example").await;
    expect_not_found(
        &t,
        &reset_ops,
        &[("Harbor's admin", harbor.as_str())],
        &[OPS],
    )
    .await;
    let jon = t.login("jon@tanner.example").await;
    let plain = t.call(&reset_ops, Some(&jon)).await;
    assert_eq!(plain.status, StatusCode::FORBIDDEN);
    assert_eq!(t.me(&ops).await["mfa_enabled"], true);

    let admin = t.login("admin@globalport.example").await;
    let users = t.call(&ListUsers {}, Some(&admin)).await.json();
    let row = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == OPS)
        .unwrap()
        .clone();
    assert_eq!(row["mfa_enabled"], true);
    let reset = t.call(&reset_ops, Some(&admin)).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    // Their sessions ended; the password alone signs them in again.
    assert_eq!(t.me(&ops).await, serde_json::Value::Null);
    let again = t.login(OPS).await;
    assert_eq!(t.me(&again).await["mfa_enabled"], false);
    assert_eq!(audit_count(&t, "two_step.reset").await, 1);
    let twice = t.call(&reset_ops, Some(&admin)).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn setups_of(t: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM two_step_setups WHERE user_id = (SELECT id FROM users WHERE email = $1)",
    )
    .bind(email)
    .fetch_one(&t.state.pool)
    .await
    .unwrap()
}

/// Issue 23, item 11: two sessions of one account each get their own secret; a
/// session cannot confirm (or see) another's.
#[tokio::test]
async fn each_session_gets_its_own_secret() {
    const PM: &str = "pm@nordlift.example";
    let t = app().await;
    let a = t.login(PM).await;
    let b = t.login(PM).await;
    let c = t.login(PM).await;
    let secret_a = begin(&t, &a).await;
    let secret_b = begin(&t, &b).await;
    assert_ne!(
        secret_a, secret_b,
        "a second session gets a secret of its own"
    );
    assert_eq!(begin(&t, &a).await, secret_a, "a reload shows the same one");
    assert_eq!(setups_of(&t, PM).await, 2);

    // A's code, sent from B (whose setup has another secret) and from C (no setup).
    let code_a = code_at(&secret_a, now());
    let from_b = confirm(&t, &b, &code_a, PASSWORD).await;
    assert_eq!(
        from_b.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        from_b.body
    );
    let from_c = confirm(&t, &c, &code_a, PASSWORD).await;
    assert_eq!(
        from_c.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        from_c.body
    );
    assert!(from_c.body.contains("Start again"), "{}", from_c.body);
    assert_eq!(t.me(&a).await["mfa_enabled"], false);
    assert_eq!(audit_count(&t, "two_step.enabled").await, 0);

    // A confirms its own; every setup of the account is gone, B's secret is not in force.
    let on = confirm(&t, &a, &code_a, PASSWORD).await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(setups_of(&t, PM).await, 0);
    let late_b = confirm(&t, &b, &code_at(&secret_b, now()), PASSWORD).await;
    assert_eq!(late_b.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late_b.body.contains("already on"), "{}", late_b.body);
    let challenge = password_step(&t, PM).await;
    let with_b = code_step(&t, &challenge, &code_at(&secret_b, now() + 30)).await;
    assert_eq!(with_b.status, StatusCode::UNPROCESSABLE_ENTITY);
    let with_a = code_step(&t, &challenge, &code_at(&secret_a, now() + 30)).await;
    assert_eq!(with_a.status, StatusCode::OK, "{}", with_a.body);

    // Nothing of the secrets or the password reached the audit trail.
    let details: Vec<String> = sqlx::query_scalar("SELECT detail FROM audit_events")
        .fetch_all(&t.state.pool)
        .await
        .unwrap();
    let compact = |s: &str| s.replace(' ', "").to_uppercase();
    for d in &details {
        assert!(!d.contains(PASSWORD), "{d}");
        assert!(
            !compact(d.as_str()).contains(&compact(secret_a.as_str())),
            "{d}"
        );
    }
}

/// A setup lasts ten minutes: confirming it later fails, and it is removed (by
/// the next begin, which makes a new secret, and by the housekeeping job).
#[tokio::test]
async fn a_setup_expires() {
    use app::accounts::two_step::SETUP_SECS;
    let t = app().await;
    let cookie = t.login(OPS).await;
    let old = begin(&t, &cookie).await;
    let ops_id = t.user_id(OPS).await;
    // Ten minutes pass (the stored time moves back rather than the test sleeping).
    sqlx::query("UPDATE two_step_setups SET created_at = created_at - $1 WHERE user_id = $2")
        .bind(SETUP_SECS)
        .bind(ops_id)
        .execute(&t.state.pool)
        .await
        .unwrap();
    let late = confirm(&t, &cookie, &code_at(&old, now()), PASSWORD).await;
    assert_eq!(
        late.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        late.body
    );
    assert!(late.body.contains("Start again"), "{}", late.body);
    assert_eq!(t.me(&cookie).await["mfa_enabled"], false);

    // Begin again: the expired setup goes, a new secret comes.
    let new = begin(&t, &cookie).await;
    assert_ne!(new, old);
    assert_eq!(setups_of(&t, OPS).await, 1);
    let with_old = confirm(&t, &cookie, &code_at(&old, now()), PASSWORD).await;
    assert_eq!(with_old.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The housekeeping removes expired setups, of sessions that never come back too.
    let other = t.login(OPS).await;
    begin(&t, &other).await;
    assert_eq!(setups_of(&t, OPS).await, 2);
    let later = now() as i64 + SETUP_SECS;
    let removed = app::accounts::second_factor::prune_setups(&t.state.pool, later)
        .await
        .unwrap();
    assert_eq!(removed, 2);
    assert_eq!(setups_of(&t, OPS).await, 0);

    // A setup also ends with its session.
    begin(&t, &other).await;
    t.call(&Logout {}, Some(&other)).await;
    assert_eq!(setups_of(&t, OPS).await, 0);
}

/// Confirming asks for the account's password (a factor changes: ASVS 6.3);
/// without it, or with a wrong one, two-step verification stays off.
#[tokio::test]
async fn turning_it_on_needs_the_password() {
    let t = app().await;
    let cookie = t.login(OPS).await;
    let secret = begin(&t, &cookie).await;
    let code = code_at(&secret, now());
    let no_field = t
        .post(
            TestApp::path::<ConfirmTwoStep>(),
            &form(&[("code", &code)]),
            Some(&cookie),
        )
        .await;
    // An old form without the field: refused as a malformed request.
    assert!(no_field.status.is_client_error(), "{}", no_field.body);
    let empty = confirm(&t, &cookie, &code, "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Enter your password"), "{}", empty.body);
    let wrong = confirm(&t, &cookie, &code, "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("password is not correct"),
        "{}",
        wrong.body
    );
    assert_eq!(t.me(&cookie).await["mfa_enabled"], false);
    assert_eq!(audit_count(&t, "two_step.enabled").await, 0);
    // The wrong password counted in the sign-in throttle (the pair's counter).
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM signin_counters WHERE key = $1")
        .bind(format!("pair:{OPS} {}", common::DEFAULT_ADDR))
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(attempts, 1);
    // The same session, with the password, turns it on.
    let on = confirm(&t, &cookie, &code, PASSWORD).await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(t.me(&cookie).await["mfa_enabled"], true);
}

/// An administrator's reset of someone else's two-step verification asks for
/// the administrator's own password; refused, it changes nothing.
#[tokio::test]
async fn a_reset_needs_the_administrators_password() {
    let t = app().await;
    let ops = t.login(OPS).await;
    enroll(&t, &ops).await;
    let ops_id = t.user_id(OPS).await;
    let admin = t.login("admin@globalport.example").await;
    // Without the field (an old form), empty, and wrong.
    let no_field = t
        .post(
            TestApp::path::<ResetTwoStep>(),
            &form(&[("user_id", &ops_id.to_string())]),
            Some(&admin),
        )
        .await;
    assert!(no_field.status.is_client_error(), "{}", no_field.body);
    for (password, says) in [
        ("", "Enter your own password"),
        ("not the password", "not correct"),
    ] {
        let reset = ResetTwoStep {
            user_id: ops_id,
            password: password.into(),
        };
        let r = t.call(&reset, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(says), "{}", r.body);
    }
    assert_eq!(
        t.me(&ops).await["mfa_enabled"],
        true,
        "still on, still signed in"
    );
    assert_eq!(audit_count(&t, "two_step.reset").await, 0);

    let reset = ResetTwoStep {
        user_id: ops_id,
        password: PASSWORD.into(),
    };
    let ok = t.call(&reset, Some(&admin)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(t.me(&ops).await, serde_json::Value::Null);
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_events WHERE action = 'two_step.reset'")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
    assert!(!detail.contains(PASSWORD), "{detail}");
}
