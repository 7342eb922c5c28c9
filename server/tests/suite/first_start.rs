//! First start in production: `server create-admin` makes the first
//! administrator of an empty database (and only the first), and a database
//! that holds the demo data refuses production settings, whatever the flags say.

use crate::common;

use common::nodes::*;
use common::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `server create-admin` with the password on standard input.
fn create_admin(
    db_url: &str,
    data: &std::path::Path,
    args: &[&str],
    password: &str,
) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("create-admin")
        .args(args)
        .env("CAREPORT_DATABASE_URL", db_url)
        .env("CAREPORT_DATA_DIR", data)
        .env("CAREPORT_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), output_text(&out))
}

const ADMIN: [&str; 6] = [
    "--email",
    "Root@Care.Example",
    "--name",
    "Rita Root",
    "--organisation",
    "Nordlift",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_admin_makes_the_first_administrator_once() {
    let url = fresh_db_url().await;
    let data = data_dir("first");
    let (code, text) = create_admin(&url, &data, &ADMIN, "short");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("at least"),
        "a weak password is refused: {text}"
    );

    let (code, text) = create_admin(&url, &data, &ADMIN, "a long first passphrase");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("root@care.example created"), "{text}");

    // The administrator signs in on a production-like node (no demo data).
    let node = start_with(&url, &data, &[]).await;
    let r = node
        .login("root@care.example", "a long first passphrase")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let me = node
        .call(&app::accounts::CurrentUser {}, r.cookie().as_deref())
        .await;
    assert!(
        me.body.contains("\"role\":\"admin\"") && me.body.contains("Nordlift"),
        "{}",
        me.body
    );
    // Production settings would require two-step verification of this
    // administrator; this node runs without secure cookies, so it is not.
    assert!(me.body.contains("\"must_enroll_mfa\":false"), "{}", me.body);
    drop(node);

    let (code, text) = create_admin(
        &url,
        &data,
        &["--email", "second@care.example", "--name", "Sam"],
        "another long passphrase",
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("An administrator already exists"), "{text}");
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_database_refuses_production_settings() {
    let url = fresh_db_url().await;
    let data = data_dir("first");
    drop(start(&url, &data).await); // filled with the demo data once
    let production = [
        ("CAREPORT_SECURE_COOKIES", "true"),
        ("CAREPORT_PUBLIC_URL", "https://care.example.com"),
    ];
    let (code, text) = run_to_exit(&url, &data, &production);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("holds the demo data"), "{text}");

    // The same settings on a database without the demo data start.
    let clean = fresh_db_url().await;
    let node = start_with(&clean, &data, &production).await;
    drop(node);
    let _ = std::fs::remove_dir_all(&data);
}
