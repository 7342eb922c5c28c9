//! The audit trail: what the existing modules record, that rows cannot be
//! changed or removed (refused by the database itself), the supplier admin's
//! search with its bad-input messages, and the CSV export.

use crate::common;

use app::accounts::{ChangePassword, Logout, SetUserActive, SetUserRole};
use app::audit::SearchAudit;
use app::organisations::{CreateOrganisation, SetOrganisationActive};
use axum::http::{header, StatusCode};
use common::*;

/// (action, actor e-mail, object kind, object id) of every row, oldest first.
async fn trail(t: &TestApp) -> Vec<(String, Option<String>, String, String)> {
    sqlx::query_as(
        "SELECT a.action, u.email, a.object_kind, a.object_id FROM audit_events a
         LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id",
    )
    .fetch_all(&t.state.pool)
    .await
    .unwrap()
}

fn actions(rows: &[(String, Option<String>, String, String)]) -> Vec<&str> {
    rows.iter().map(|r| r.0.as_str()).collect()
}

#[tokio::test]
async fn existing_actions_are_recorded_with_actor_and_object() {
    let t = app().await;
    assert!(trail(&t).await.is_empty(), "demo data records nothing");

    let r = t
        .login_raw("admin@nordlift.example", "wrong password")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t.login_raw("nobody@nowhere.example", "whatever").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let admin = t.login("admin@nordlift.example").await;
    let harbor = t.org_id("Harbor Logistics").await;
    let r = t
        .call(
            &new_user(harbor, "clerk@harbor.example", "Clerk", "customer_user"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let clerk = t.user_id("clerk@harbor.example").await;
    let id = clerk.to_string();
    let as_admin = Some(admin.as_str());
    t.call_ok(
        &SetUserRole {
            user_id: clerk,
            role: "customer_admin".into(),
        },
        as_admin,
    )
    .await;
    for active in [false, true] {
        t.call_ok(
            &SetUserActive {
                user_id: clerk,
                active,
            },
            as_admin,
        )
        .await;
    }
    t.call_ok(
        &CreateOrganisation {
            name: "Fjord Cranes".into(),
            kind: "customer".into(),
            partner_kind: String::new(),
            segment: "large_global".into(),
            assigned_partner_id: String::new(),
        },
        as_admin,
    )
    .await;
    let fjord_id = t.org_id("Fjord Cranes").await;
    let fjord = fjord_id.to_string();
    for active in [false, true] {
        t.call_ok(
            &SetOrganisationActive {
                org_id: fjord_id,
                active,
            },
            as_admin,
        )
        .await;
    }
    let change = ChangePassword {
        current_password: PASSWORD.into(),
        new_password: "a much longer passphrase".into(),
        confirm_password: "a much longer passphrase".into(),
    };
    let r = t.call(&change, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let admin = r.session_cookie().expect("a new token");
    let r = t.call(&Logout {}, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);

    let rows = trail(&t).await;
    assert_eq!(
        actions(&rows),
        [
            "sign_in.failed",
            "sign_in.failed",
            "sign_in.succeeded",
            "user.created",
            "user.role_changed",
            "user.deactivated",
            "user.activated",
            "organisation.created",
            "organisation.deactivated",
            "organisation.activated",
            "password.changed",
            "sign_out",
        ]
    );
    let admin_email = Some("admin@nordlift.example".to_string());
    // Failed sign-ins have no actor; the rest were done by the admin.
    assert_eq!(rows[0].1, None);
    assert!(rows[2..].iter().all(|r| r.1 == admin_email), "{rows:?}");
    assert_eq!(rows[3].2, "user");
    assert_eq!(rows[3].3, id);
    assert_eq!(
        (rows[7].2.as_str(), rows[7].3.as_str()),
        ("organisation", fjord.as_str())
    );

    let details: Vec<(String, String, String)> =
        sqlx::query_as("SELECT action, detail, client_addr FROM audit_events ORDER BY id")
            .fetch_all(&t.state.pool)
            .await
            .unwrap();
    assert!(
        details[0].1.contains("\"reason\":\"wrong_password\""),
        "{:?}",
        details[0]
    );
    assert!(
        details[1].1.contains("\"reason\":\"unknown_account\""),
        "{:?}",
        details[1]
    );
    assert!(
        details[3].1.contains("clerk@harbor.example"),
        "{:?}",
        details[3]
    );
    assert!(details.iter().all(|d| d.2 == DEFAULT_ADDR), "{details:?}");
    assert!(
        details
            .iter()
            .all(|d| !d.1.contains("wrong password") && !d.1.contains(PASSWORD)),
        "no password is ever recorded"
    );
}

#[tokio::test]
async fn audit_rows_cannot_be_changed_or_removed() {
    let t = app().await;
    t.login("admin@nordlift.example").await;
    let update = sqlx::query("UPDATE audit_events SET action = 'sign_out'")
        .execute(&t.state.pool)
        .await;
    let delete = sqlx::query("DELETE FROM audit_events")
        .execute(&t.state.pool)
        .await;
    for refused in [update, delete] {
        let e = refused.expect_err("the database refuses it");
        assert!(e.to_string().contains("append-only"), "{e}");
    }
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.succeeded'")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
    assert_eq!(count, 1);
}

/// A search with every filter empty; set some with
/// `SearchAudit { actor: "OPS@".into(), ..search() }`.
pub(crate) fn search() -> SearchAudit {
    SearchAudit {
        actor: String::new(),
        org: String::new(),
        action: String::new(),
        from: String::new(),
        to: String::new(),
        page: String::new(),
    }
}

#[tokio::test]
async fn the_admin_searches_pages_and_gets_clear_messages() {
    let t = app().await;
    for _ in 0..3 {
        t.login("ops@globalport.example").await;
    }
    t.login_raw("ops@globalport.example", "not it").await;
    let admin = t.login("admin@nordlift.example").await;
    let globalport = t.org_id("GlobalPort Terminals").await.to_string();

    let r = t.call(&search(), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["total"], 5);

    let r = t
        .call(
            &SearchAudit {
                actor: "OPS@".into(),
                action: "sign_in.succeeded".into(),
                org: globalport,
                ..search()
            },
            Some(&admin),
        )
        .await;
    assert_eq!(r.json()["total"], 3, "{}", r.body);
    let entries = r.json()["entries"].as_array().unwrap().clone();
    assert!(entries
        .iter()
        .all(|e| e["actor_email"] == "ops@globalport.example"));
    assert!(entries
        .iter()
        .all(|e| e["org_name"] == "GlobalPort Terminals"));

    // Dates are whole days in UTC: today's entries are inside today.
    let today = app::dates::iso_utc(app::platform::now())[..10].to_string();
    let r = t
        .call(
            &SearchAudit {
                from: today.clone(),
                to: today,
                ..search()
            },
            Some(&admin),
        )
        .await;
    assert_eq!(r.json()["total"], 5);
    let r = t
        .call(
            &SearchAudit {
                to: "2020-01-01".into(),
                ..search()
            },
            Some(&admin),
        )
        .await;
    assert_eq!(r.json()["total"], 0);

    for (filter, message) in [
        (
            SearchAudit {
                from: "2026-11-10".into(),
                to: "2026-11-01".into(),
                ..search()
            },
            "The end date is before the start date.",
        ),
        (
            SearchAudit {
                action: "user.exploded".into(),
                ..search()
            },
            "is not an action of the audit trail",
        ),
        (
            SearchAudit {
                from: "last tuesday".into(),
                ..search()
            },
            "The start date must be a date",
        ),
    ] {
        let r = t.call(&filter, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{filter:?}");
        assert!(r.body.contains(message), "{}", r.body);
    }
    // The page shows the same message, with the form kept.
    let page = t
        .get("/audit?from=2026-11-10&to=2026-11-01", Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The end date is before the start date."));
    assert!(page.body.contains("value=\"2026-11-10\""));

    // Nobody else may search.
    for email in [
        "pm@nordlift.example",
        "admin@harbor.example",
        "admin@balticlift.example",
    ] {
        let cookie = t.login(email).await;
        let r = t.call(&search(), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
        let page = t.get("/audit", Some(&cookie)).await;
        assert!(!page.body.contains("audit-table"), "{email}");
    }
}

#[tokio::test]
async fn the_page_lists_newest_first_and_pages_through() {
    let t = app().await;
    for i in 0..60 {
        let r = t
            .login_from(
                &format!("ghost{i}@nowhere.example"),
                "x",
                &format!("192.0.2.{}", 100 + i),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let admin = t.login("admin@nordlift.example").await;
    let page = t.get("/audit", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"audit-table\""));
    assert!(
        page.body.contains("61 entries · page 1 of 2"),
        "summary shown"
    );
    // Newest first: the admin's sign-in heads the list.
    let first_row = page.body.find("data-action=").unwrap();
    assert!(page.body[first_row..].starts_with("data-action=\"sign_in.succeeded\""));
    assert!(page.body.contains("href=\"/audit?page=2\""));
    let second = t.get("/audit?page=2", Some(&admin)).await;
    assert!(second.body.contains("61 entries · page 2 of 2"));
    assert!(second.body.contains("rel=\"prev\""));
}

#[tokio::test]
async fn the_export_is_a_csv_for_the_admin_only() {
    let t = app().await;
    t.login_raw("ghost@nowhere.example", "x").await;
    let admin = t.login("admin@nordlift.example").await;

    let r = t
        .get("/audit/export.csv?action=sign_in.failed", Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let mut reader = csv::Reader::from_reader(r.body.as_bytes());
    let head = reader.headers().unwrap().clone();
    assert_eq!(&head[0], "id");
    assert_eq!(&head[6], "action");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "only the failed sign-in");
    assert_eq!(&rows[0][6], "sign_in.failed");
    assert!(
        rows[0][10].contains("ghost@nowhere.example"),
        "{:?}",
        rows[0]
    );
    assert!(rows[0][1].ends_with('Z'));

    let bad = t
        .get(
            "/audit/export.csv?from=2026-11-10&to=2026-11-01",
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("The end date is before the start date."));

    let anon = t.get("/audit/export.csv", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(anon.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    let partner = t.login("admin@balticlift.example").await;
    let r = t.get("/audit/export.csv", Some(&partner)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("sign_in"));
}
