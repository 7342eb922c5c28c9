//! Adding a user never tells an organisation's administrator whether an e-mail
//! address belongs to another organisation's account (ASVS: no account
//! enumeration); the migration that made that possible keeps what it found.

use crate::common;

use app::accounts::ListUsers;
use axum::http::StatusCode;
use common::{app, fresh_db_url, new_user, TestApp, NEW_USER_PASSWORD, PASSWORD};

async fn create(t: &TestApp, cookie: &str, org: i64, email: &str) -> common::Reply {
    t.call(
        &new_user(org, email, "New Person", "customer_user"),
        Some(cookie),
    )
    .await
}

async fn listed(t: &TestApp, cookie: &str, email: &str) -> serde_json::Value {
    let list = t.call(&ListUsers {}, Some(cookie)).await.json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

#[tokio::test]
async fn an_address_of_another_organisation_answers_like_a_new_one() {
    let t = app().await;
    let harbor_admin = t.login("admin@harbor.example").await;
    let harbor = t.org_id("Harbor Logistics").await;

    let fresh = create(&t, &harbor_admin, harbor, "new.person@harbor.example").await;
    // ops@ belongs to GlobalPort Terminals.
    let taken = create(&t, &harbor_admin, harbor, "ops@globalport.example").await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    assert_eq!(taken.status, fresh.status, "{}", taken.body);
    assert!(taken.body.parse::<i64>().is_ok() && fresh.body.parse::<i64>().is_ok());
    assert_eq!(
        taken.cookie("careport_notice"),
        fresh.cookie("careport_notice"),
        "the same notice"
    );
    // The team list shows both the same way.
    let a = listed(&t, &harbor_admin, "new.person@harbor.example").await;
    let b = listed(&t, &harbor_admin, "ops@globalport.example").await;
    for field in [
        "active",
        "role",
        "email_conflict",
        "org_name",
        "mfa_enabled",
        "last_login_at",
    ] {
        assert_eq!(a[field], b[field], "{field}");
    }

    // The placeholder never signs in, even with the initial password; the real
    // account is untouched.
    let r = t
        .login_raw("ops@globalport.example", NEW_USER_PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let ops = t.login("ops@globalport.example").await;
    assert_eq!(t.me(&ops).await["org_name"], "GlobalPort Terminals");

    // The supplier's administrator sees it marked, and is told plainly.
    let admin = t.login("admin@nordlift.example").await;
    let rows = t.call(&ListUsers {}, Some(&admin)).await.json();
    let marked: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["email"] == "ops@globalport.example")
        .map(|u| (u["org_name"].clone(), u["email_conflict"].clone()))
        .collect();
    assert_eq!(marked.len(), 2);
    assert!(marked.contains(&("Harbor Logistics".into(), true.into())));
    assert!(marked.contains(&("GlobalPort Terminals".into(), false.into())));
    let plain = create(
        &t,
        &admin,
        t.org_id("Jon Tanner").await,
        "ops@globalport.example",
    )
    .await;
    assert_eq!(plain.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        plain
            .body
            .contains("belongs to a user of GlobalPort Terminals"),
        "{}",
        plain.body
    );
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_events WHERE action = 'user.created' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&t.state.pool)
    .await
    .unwrap();
    assert!(detail.contains("\"email_conflict\":true"), "{detail}");
}

#[tokio::test]
async fn an_address_already_in_the_organisation_is_refused_the_same_for_real_and_placeholder() {
    let t = app().await;
    let harbor_admin = t.login("admin@harbor.example").await;
    let harbor = t.org_id("Harbor Logistics").await;
    assert_eq!(
        create(&t, &harbor_admin, harbor, "ops@globalport.example")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        create(&t, &harbor_admin, harbor, "new.person@harbor.example")
            .await
            .status,
        StatusCode::OK
    );
    let again_placeholder = create(&t, &harbor_admin, harbor, "ops@globalport.example").await;
    let again_real = create(&t, &harbor_admin, harbor, "new.person@harbor.example").await;
    assert_eq!(again_placeholder.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again_placeholder.body, again_real.body);
    assert!(again_real
        .body
        .contains("already exists in this organisation"));
    // Signing in with the real account's password still works.
    assert_eq!(
        t.login_raw("ops@globalport.example", PASSWORD).await.status,
        StatusCode::OK
    );
}

/// Migration 0205 rebuilds `users` on SQLite (to drop a UNIQUE constraint):
/// the users, their ids and their sessions survive it, on both databases.
#[tokio::test]
async fn the_email_conflict_migration_keeps_users_and_sessions() {
    use app::platform::db::{Pool, MIGRATOR};
    use sqlx::migrate::Migrator;
    use std::borrow::Cow;
    let url = fresh_db_url().await;
    let pool = Pool::connect(&url).await.unwrap();
    let before = Migrator {
        migrations: Cow::Owned(
            MIGRATOR
                .iter()
                .filter(|m| m.version < 205)
                .cloned()
                .collect(),
        ),
        ..Migrator::DEFAULT
    };
    before.run(&pool).await.unwrap();
    sqlx::query("INSERT INTO organisations (id, name, kind, created_at) VALUES (7, 'Supplier', 'supplier', 0)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO users (id, org_id, email, display_name, role, password_hash, created_at, password_changed_at)
         VALUES (41, 7, 'kept@example.com', 'Kept', 'admin', 'x', 0, 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, last_seen_at, client_addr, user_agent)
         VALUES ('s1', 41, 1, 2, '192.0.2.1', 'ua')",
    )
    .execute(&pool)
    .await
    .unwrap();

    MIGRATOR.run(&pool).await.unwrap();
    let user: (i64, String, bool) = sqlx::query_as("SELECT id, email, email_conflict FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(user, (41, "kept@example.com".into(), false));
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = 41")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1);
    // Unique among real accounts; a placeholder may share the address; the
    // sessions still follow their user.
    let insert = "INSERT INTO users (org_id, email, display_name, role, password_hash, created_at, password_changed_at, email_conflict)
                  VALUES (7, 'kept@example.com', 'Dup', 'admin', 'x', 0, 0, $1)";
    assert!(sqlx::query(insert)
        .bind(false)
        .execute(&pool)
        .await
        .is_err());
    sqlx::query(
        "INSERT INTO organisations (id, name, kind, segment, created_at) VALUES (8, 'Other', 'customer', 'large_global', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let other = insert.replace("VALUES (7,", "VALUES (8,");
    sqlx::query(&other).bind(true).execute(&pool).await.unwrap();
    sqlx::query("DELETE FROM users WHERE id = 41")
        .execute(&pool)
        .await
        .unwrap();
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "ON DELETE CASCADE still applies");
}
