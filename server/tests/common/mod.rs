#![allow(dead_code)]
//! Test harness: the real router over a fresh, migrated SQLite file with the demo data.

pub mod nodes;

use app::accounts::{CreateUser, CurrentUser, Login};
use app::error::AppError;
use app::platform::{db, AppState, Config};
use app::wiring::demo;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use leptos::server_fn::ServerFn;
use serde::Serialize;
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = demo::DEMO_PASSWORD;
/// The client address of test requests unless a test names another (TEST-NET-1).
pub const DEFAULT_ADDR: &str = "192.0.2.10";

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The session token this reply sets, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookie("careport_session")
    }

    /// The `name=value` of a cookie this reply sets (not one it clears).
    pub fn cookie(&self, name: &str) -> Option<String> {
        let prefix = format!("{name}=");
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&prefix) && !v.contains("Max-Age=0"))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A fresh, empty database for one test: a new SQLite file, or a new database in
/// the PostgreSQL cluster named by `CAREPORT_TEST_POSTGRES_URL` (the test command
/// starts a throwaway cluster and sets it).
#[cfg(not(feature = "postgres"))]
pub async fn fresh_db_url() -> String {
    let n: u64 = rand::random();
    let path = std::env::temp_dir().join(format!("careport-test-{n:016x}.db"));
    format!("sqlite://{}?mode=rwc", path.display())
}

#[cfg(feature = "postgres")]
pub async fn fresh_db_url() -> String {
    use sqlx::Connection;
    let admin = std::env::var("CAREPORT_TEST_POSTGRES_URL").expect(
        "CAREPORT_TEST_POSTGRES_URL must name a PostgreSQL server for the postgres test suite \
         (./scripts/test.sh starts one)",
    );
    let name = format!("careport_test_{:016x}", rand::random::<u64>());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    conn.close().await.ok();
    let (base, _) = admin.rsplit_once('/').expect("URL with a database name");
    format!("{base}/{name}")
}

/// A migrated pool on a fresh database.
pub async fn fresh_pool() -> (db::Pool, String) {
    let url = fresh_db_url().await;
    let pool = db::connect(&url, 8).await.expect("test database");
    (pool, url)
}

/// A data directory of its own for a test (document files).
pub fn fresh_data_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("careport-test-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("test data directory");
    dir
}

pub async fn app_with(mut config: Config) -> TestApp {
    let (pool, _) = fresh_pool().await;
    config.data_dir = fresh_data_dir();
    demo::load_if_empty(&pool, &config.data_dir)
        .await
        .expect("demo data");
    let state = AppState {
        pool,
        config: Arc::new(config),
    };
    let options = LeptosOptions::builder().output_name("careport").build();
    TestApp {
        router: server::app(state.clone(), options),
        state,
    }
}

pub async fn app() -> TestApp {
    app_with(Config::default()).await
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The initial password `new_user` gives.
pub const NEW_USER_PASSWORD: &str = "forklift morning";

/// A create-user call (initial password `NEW_USER_PASSWORD`); change a field
/// with `CreateUser { password: "x".into(), ..new_user(..) }`.
pub fn new_user(org_id: i64, email: &str, name: &str, role: &str) -> CreateUser {
    CreateUser {
        org_id,
        email: email.into(),
        display_name: name.into(),
        role: role.into(),
        password: NEW_USER_PASSWORD.into(),
    }
}

/// A server function's arguments as its client sends them (server_fn's
/// PostUrl encoding): the body of a typed call, for the tests that send it
/// with headers of their own.
pub fn encode<F: Serialize>(args: &F) -> String {
    serde_qs::to_string(args).expect("arguments encode")
}

/// A scope check stated once: each of `callers` (a name for the failure
/// message, and a session cookie) gets 404 for `call`, as for a record that
/// does not exist, and the answer is the bare not-found error (a noun: "The
/// user"), repeating none of the call's arguments and naming none of `hidden`
/// (what the record holds).
/// `expect_not_found(&t, &GetUnit { serial: "HX5-2023-00151".into() }, &[("ops", &ops)], &[])`.
pub async fn expect_not_found<F>(t: &TestApp, call: &F, callers: &[(&str, &str)], hidden: &[&str])
where
    F: ServerFn + Serialize,
{
    assert!(!callers.is_empty(), "{}: no callers to check", F::PATH);
    let arguments = argument_values(call);
    for (who, cookie) in callers {
        let r = t.call(call, Some(cookie)).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{who} calling {}: {}",
            F::PATH,
            r.body
        );
        match serde_json::from_str::<AppError>(&r.body) {
            Ok(AppError::NotFound(what)) => {
                for value in &arguments {
                    assert!(
                        !what.contains(value.as_str()),
                        "{who} calling {}: the answer repeats {value:?}: {}",
                        F::PATH,
                        r.body
                    );
                }
            }
            other => panic!(
                "{who} calling {}: not the bare not-found error ({other:?}): {}",
                F::PATH,
                r.body
            ),
        }
        for h in hidden {
            assert!(
                !r.body.contains(h),
                "{who} calling {} reveals {h:?}: {}",
                F::PATH,
                r.body
            );
        }
    }
}

/// The string and number values of a call's arguments (those of three
/// characters or more, that could not be part of a message by chance).
fn argument_values<F: Serialize>(call: &F) -> Vec<String> {
    let json = serde_json::to_value(call).expect("arguments serialize");
    let Some(fields) = json.as_object() else {
        return Vec::new();
    };
    fields
        .values()
        .filter_map(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|v| v.chars().count() >= 3)
        .collect()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl TestApp {
    /// Posts `body` to a server function as a browser without script does: a
    /// same-origin form from the cart page that wants HTML back (so the answer
    /// is a redirect to that page, an error in its address).
    pub async fn post_plain_form<F: leptos::server_fn::ServerFn>(
        &self,
        body: String,
        cookie: &str,
    ) -> Reply {
        let req = Request::post(F::PATH)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, "http://127.0.0.1:3000/cart")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Calls a server function by its type, as the browser's client does:
    /// the path comes from the function itself (renaming an endpoint changes
    /// nothing here, removing a function breaks the build) and the body is its
    /// arguments, encoded as server_fn encodes them.
    /// `t.call(&Enroll { slug: "lift-safety-essentials".into() }, Some(&tom))`.
    pub async fn call<F>(&self, args: &F, cookie: Option<&str>) -> Reply
    where
        F: ServerFn + Serialize,
    {
        self.post(F::PATH, &encode(args), cookie).await
    }

    /// `call` from a given client address (as the connection's peer address).
    pub async fn call_from<F>(&self, args: &F, cookie: Option<&str>, addr: &str) -> Reply
    where
        F: ServerFn + Serialize,
    {
        self.post_from(F::PATH, &encode(args), cookie, addr).await
    }

    /// `call` that must succeed (200); the failure message names the function.
    pub async fn call_ok<F>(&self, args: &F, cookie: Option<&str>) -> Reply
    where
        F: ServerFn + Serialize,
    {
        let r = self.call(args, cookie).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", F::PATH, r.body);
        r
    }

    /// The path of a server function, for the tests that send a body of their
    /// own (a malformed one, an extra field, a multipart upload).
    pub fn path<F: ServerFn>() -> &'static str {
        F::PATH
    }

    /// POSTs a form to a path, as the browser's client does, from the default
    /// test client address (prefer `call`; this is for bodies made by hand).
    pub async fn post(&self, path: &str, body: &str, cookie: Option<&str>) -> Reply {
        self.post_from(path, body, cookie, DEFAULT_ADDR).await
    }

    /// POSTs from a given client address (as the connection's peer address).
    pub async fn post_from(
        &self,
        path: &str,
        body: &str,
        cookie: Option<&str>,
        addr: &str,
    ) -> Reply {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let mut req = req.body(Body::from(body.to_string())).unwrap();
        let peer: std::net::SocketAddr = format!("{addr}:40000")
            .parse()
            .expect("an IPv4 test address");
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.send(req).await
    }

    /// POSTs a multipart form as a browser sends it from `page`: text
    /// `fields`, then `files` as (input name, file name, bytes); `accept` tells
    /// JSON calls (`application/json`) from plain form posts (`text/html`).
    #[allow(clippy::too_many_arguments)]
    pub async fn post_multipart(
        &self,
        path: &str,
        page: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
        accept: &str,
    ) -> Reply {
        let boundary = "----careport-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::CONTENT_LENGTH, body.len())
            .header(header::ACCEPT, accept)
            .header(header::REFERER, format!("http://localhost{page}"))
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        // As a browser navigates: asking for HTML.
        let mut req = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn login_raw(&self, email: &str, password: &str) -> Reply {
        self.login_from(email, password, DEFAULT_ADDR).await
    }

    /// A sign-in attempt from a given client address.
    pub async fn login_from(&self, email: &str, password: &str, addr: &str) -> Reply {
        let login = Login {
            email: email.into(),
            password: password.into(),
        };
        self.call_from(&login, None, addr).await
    }

    /// Signs in and returns the `Cookie` header value for the new session.
    pub async fn login(&self, email: &str) -> String {
        let r = self.login_raw(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "login of {email}: {}", r.body);
        r.session_cookie().expect("session cookie")
    }

    /// Every user of the database signed in: (e-mail, session cookie, user), for
    /// tests that compare a query's scope with its pure rule for everyone.
    pub async fn every_user_signed_in(&self) -> Vec<(String, String, app::accounts::SessionUser)> {
        let emails: Vec<String> = sqlx::query_scalar("SELECT email FROM users ORDER BY email")
            .fetch_all(&self.state.pool)
            .await
            .unwrap();
        let mut out = Vec::new();
        for email in emails {
            let cookie = self.login(&email).await;
            let me = serde_json::from_value(self.me(&cookie).await).unwrap();
            out.push((email, cookie, me));
        }
        out
    }

    pub async fn me(&self, cookie: &str) -> serde_json::Value {
        self.call(&CurrentUser {}, Some(cookie)).await.json()
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.state.pool)
            .await
            .unwrap()
    }

    pub async fn org_id(&self, name: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
            .bind(name)
            .fetch_one(&self.state.pool)
            .await
            .unwrap()
    }
}
