//! Several app nodes over one database: two server processes on different
//! ports share sessions, sign-out and sign-in throttling through the database
//! alone. Runs on SQLite (one file) and, in the postgres suite, on PostgreSQL.

use crate::common;

use app::accounts::{CurrentUser, Logout};
use common::nodes::*;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_sessions_sign_out_and_throttling() {
    let url = fresh_db_url().await;
    let data = data_dir("nodes");
    // The first node migrates and loads the demo data; the second finds them.
    let a = start(&url, &data).await;
    let b = start(&url, &data).await;

    // A session made on one node is valid on the other.
    let r = a.login("admin@nordlift.example", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie = r.cookie().expect("session cookie");
    let me = b.call(&CurrentUser {}, Some(&cookie)).await;
    assert_eq!(me.status, 200);
    assert!(me.body.contains("admin@nordlift.example"), "{}", me.body);

    // Signing out on one ends it on both.
    let out = b.call(&Logout {}, Some(&cookie)).await;
    assert_eq!(out.status, 200);
    for node in [&a, &b] {
        let me = node.call(&CurrentUser {}, Some(&cookie)).await;
        assert!(!me.body.contains("admin@nordlift.example"), "{}", me.body);
        let page = node
            .request("GET", "/users", Some(&cookie), "")
            .await
            .unwrap();
        assert_eq!(page.status, 302, "{}", page.head);
        assert!(
            page.head.to_lowercase().contains("location: /login"),
            "{}",
            page.head
        );
    }

    // Failed sign-ins are counted across both: five wrong passwords, alternating,
    // and the next attempt is refused on either node, even with the right one.
    for i in 0..5 {
        let node = if i % 2 == 0 { &a } else { &b };
        let r = node.login("jon@tanner.example", "not the password").await;
        assert_eq!(r.status, 401, "attempt {i}: {}", r.body);
    }
    for node in [&a, &b] {
        let r = node.login("jon@tanner.example", PASSWORD).await;
        assert_eq!(r.status, 429, "{}", r.body);
    }
    drop((a, b));
    let _ = std::fs::remove_dir_all(&data);
}

/// Starts the server binary with a database URL and returns its exit code and output.
fn refused_start(db_url: &str, wait_secs: &str) -> (Option<i32>, String) {
    let data = data_dir("refused");
    let result = run_to_exit(db_url, &data, &[("CAREPORT_DB_WAIT_SECONDS", wait_secs)]);
    let _ = std::fs::remove_dir_all(&data);
    result
}

#[test]
fn a_server_refuses_a_database_it_cannot_use() {
    let (code, text) = refused_start("mysql://db.example/careport", "1");
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("must start with sqlite:// or postgres://"),
        "{text}"
    );

    let other = if cfg!(feature = "postgres") {
        "sqlite://elsewhere.db"
    } else {
        "postgres://careport@127.0.0.1:1/careport"
    };
    let (code, text) = refused_start(other, "1");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("`postgres` feature"), "{text}");
}

/// An unreachable database is retried with a clear log line, then the server
/// exits non-zero.
#[cfg(feature = "postgres")]
#[test]
fn an_unreachable_database_is_retried_then_given_up() {
    use std::time::{Duration, Instant};
    let started = Instant::now();
    let (code, text) = refused_start("postgres://careport@127.0.0.1:1/careport", "2");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("does not answer yet; retrying"), "{text}");
    assert!(text.contains("giving up"), "{text}");
    assert!(started.elapsed() >= Duration::from_secs(2));
}
