//! The HTTP layers every request passes through: cross-site refusal against the
//! public origin, body limits and encodings, security headers, compression,
//! redirects, caching, health, and errors that are logged but never shown.

use crate::common;

use app::accounts::{CurrentUser, ListUsers, Login, Logout};
use app::organisations::ListOrganisations;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;

/// The supplier admin's sign-in, the call the tests of the layers send.
fn admin_login() -> Login {
    Login {
        email: "admin@nordlift.example".into(),
        password: PASSWORD.into(),
    }
}

#[tokio::test]
async fn cross_site_mutations_are_refused() {
    let t = app().await;
    let req = Request::post(TestApp::path::<Login>())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::from(encode(&admin_login())))
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.session_cookie().is_none());
    let req = Request::post(TestApp::path::<Logout>())
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
}

/// A sign-in post with the given origin headers, as a browser would send it.
fn login_with(headers: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::post(TestApp::path::<Login>())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::from(encode(&admin_login()))).unwrap()
}

#[tokio::test]
async fn the_origin_is_compared_with_the_public_url_not_the_host() {
    let t = app_with(app::platform::Config {
        allowed_origins: vec!["https://care.example.com".into()],
        ..app::platform::Config::default()
    })
    .await;
    // Behind a proxy that rewrites Host, and over HTTP/2 with no Host at all.
    for headers in [
        vec![
            ("origin", "https://care.example.com"),
            ("host", "10.0.0.11:3000"),
        ],
        vec![("origin", "https://care.example.com")],
    ] {
        let r = t.send(login_with(&headers)).await;
        assert_eq!(r.status, StatusCode::OK, "{headers:?}: {}", r.body);
        assert!(r.session_cookie().is_some());
    }
    // An origin that merely matches the Host header is not the public one.
    let r = t
        .send(login_with(&[
            ("origin", "http://10.0.0.11:3000"),
            ("host", "10.0.0.11:3000"),
        ]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_post_with_neither_origin_nor_fetch_metadata_is_refused() {
    let t = app().await;
    let r = t.send(login_with(&[])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.session_cookie().is_none());
    // The listen address's own spellings are accepted when no public URL is set.
    for origin in ["http://127.0.0.1:3000", "http://localhost:3000"] {
        let r = t.send(login_with(&[("origin", origin)])).await;
        assert_eq!(r.status, StatusCode::OK, "{origin}: {}", r.body);
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let t = app().await;
    let big = "x".repeat(server::BODY_LIMIT_BYTES + 1);
    let login = Login {
        email: "a@b.c".into(),
        password: big,
    };
    let r = t.call(&login, None).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce() {
    let t = app().await;
    let r = t.get("/login", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        r.body.contains(&format!("nonce=\"{nonce}\"")),
        "hydration script carries the nonce"
    );
    assert_eq!(
        r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert!(r.body.contains("id=\"login-form\""));
    // A fresh nonce every time.
    let again = t.get("/login", None).await;
    assert_ne!(
        again
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap(),
        csp
    );
}

#[tokio::test]
async fn responses_are_compressed() {
    let t = app().await;
    for enc in ["br", "gzip"] {
        let req = Request::get("/login")
            .header(header::ACCEPT_ENCODING, enc)
            .body(Body::empty())
            .unwrap();
        let r = t.send(req).await;
        assert_eq!(
            r.headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            Some(enc)
        );
    }
}

#[tokio::test]
async fn signed_out_pages_redirect_to_sign_in_and_unknown_pages_are_404() {
    let t = app().await;
    let r = t.get("/users", None).await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    assert_eq!(
        r.headers.get(header::LOCATION).unwrap(),
        "/login?next=/users"
    );
    let r = t.get("/no/such/page", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("This page does not exist"));
    let cookie = t.login("ops@globalport.example").await;
    let r = t.get("/", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Welcome, Omar"),
        "dashboard renders on the server"
    );
    let r = t.get("/users", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains("You don&#x27;t have access")
            || r.body.contains("have access to this page"),
        "{}",
        &r.body[..r.body.len().min(400)]
    );
}

#[tokio::test]
async fn healthz_follows_the_database() {
    let t = app().await;
    let r = t.get("/healthz", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    t.state.pool.close().await;
    assert_eq!(
        t.get("/healthz", None).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn pages_are_never_stored_by_caches() {
    let t = app().await;
    let r = t.get("/login", None).await;
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let r = t.call(&CurrentUser {}, None).await;
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
}

/// Collects what the server logs while a test runs.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn internal_errors_are_logged_not_shown() {
    let t = app().await;
    let cookie = t.login("admin@nordlift.example").await;
    // The session still resolves; the failure happens inside the server function.
    sqlx::query("ALTER TABLE audit_events RENAME TO audit_events_gone")
        .execute(&t.state.pool)
        .await
        .unwrap();
    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let r = t.call(&crate::audit::search(), Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.body, "\"Internal\"");
    let shown: app::error::AppError = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        shown.to_string(),
        "Something went wrong on our side. Please try again in a moment."
    );
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("ERROR") && logged.contains("internal error"),
        "{logged}"
    );
    assert!(
        logged.contains("audit_events"),
        "the detail is in the log: {logged}"
    );
    assert!(
        logged.contains("app/src/audit"),
        "with where it happened: {logged}"
    );
}

#[tokio::test]
async fn a_page_while_the_database_is_down_is_the_apps_error_page() {
    let t = app().await;
    let cookie = t.login("admin@nordlift.example").await;
    t.state.pool.close().await;
    let r = t.get("/users", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        r.body.contains("Careport is unavailable right now"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("pool") && !r.body.contains("sqlx"));
    // A server function in the same state still answers JSON for its client.
    let r = t.call(&CurrentUser {}, Some(&cookie)).await;
    assert_eq!(r.body, "\"Internal\"");
}

#[tokio::test]
async fn chunked_oversized_and_non_utf8_bodies_are_4xx() {
    use futures_util::stream;
    let t = app().await;
    let chunk = vec![b'x'; 64 * 1024];
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..(server::BODY_LIMIT_BYTES / chunk.len() + 2))
            .map(|_| Ok(chunk.clone()))
            .collect();
    let req = Request::post(TestApp::path::<Login>())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from_stream(stream::iter(chunks)))
        .unwrap();
    assert!(req.headers().get(header::CONTENT_LENGTH).is_none());
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.body, "\"TooLarge\"");

    let req = Request::post(TestApp::path::<Login>())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(vec![
            b'e', b'm', b'a', b'i', b'l', b'=', 0xff, 0xfe,
        ]))
        .unwrap();
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body, "\"BadRequest\"");
}

#[tokio::test]
async fn cross_site_calls_are_refused_whatever_the_method() {
    let t = app().await;
    let cookie = t.login("admin@nordlift.example").await;
    for method in ["GET", "POST"] {
        let req = Request::builder()
            .method(method)
            .uri(TestApp::path::<ListUsers>())
            .header(header::COOKIE, &cookie)
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap();
        assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN, "{method}");
    }
}

/// A site directory with a bundle and an icon, and a router serving it.
fn site_with_bundle(t: &TestApp) -> (axum::Router, Vec<u8>) {
    let site = fresh_data_dir();
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let wasm = b"\0asm\x01\0\0\0".to_vec();
    std::fs::write(site.join("pkg/careport.wasm"), &wasm).unwrap();
    std::fs::write(site.join("pkg/careport.js"), "export default () => {};\n").unwrap();
    std::fs::write(
        site.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let options = leptos::config::LeptosOptions::builder()
        .output_name("careport")
        .site_root(site.display().to_string())
        .build();
    (server::app(t.state.clone(), options), wasm)
}

/// A Playwright run once failed with `failed to fetch Wasm: 403 Forbidden
/// fetching '/pkg/careport.wasm'`. Nothing of the app may refuse a static file:
/// not the session of someone who must first turn on two-step verification
/// (every other server function answers them 403), not a fetch's metadata, and
/// not the response options of another request. Served through Leptos'
/// fallback, a file took the status and headers of any `ResponseOptions` that
/// the worker thread's current reactive owner could see; here a stray owner
/// sees those of a page that answered 403, as a concurrent request's would.
#[tokio::test]
async fn static_files_are_never_refused_whatever_the_request() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let t = app_with(app::platform::Config {
        mfa_required_for_staff: true,
        ..app::platform::Config::default()
    })
    .await;
    let (router, wasm) = site_with_bundle(&t);
    let staff = t.login("support@nordlift.example").await;
    let gated = t.call(&ListOrganisations {}, Some(&staff)).await;
    assert_eq!(gated.status, StatusCode::FORBIDDEN, "{}", gated.body);

    let stray = leptos::reactive::owner::Owner::new();
    stray.set();
    let forbidden_page = leptos_axum::ResponseOptions::default();
    forbidden_page.set_status(StatusCode::FORBIDDEN);
    leptos::prelude::provide_context(forbidden_page);

    let requests = [
        ("/pkg/careport.wasm", None, "same-origin"),
        ("/pkg/careport.wasm", Some(staff.as_str()), "same-origin"),
        (
            "/pkg/careport.wasm",
            Some("careport_session=stale"),
            "cross-site",
        ),
        ("/pkg/careport.js", Some(staff.as_str()), "same-origin"),
        ("/favicon.svg", Some(staff.as_str()), "same-origin"),
    ];
    for (path, cookie, fetch_site) in requests {
        let mut req = Request::get(path)
            .header(header::ACCEPT, "*/*")
            .header("sec-fetch-site", fetch_site)
            .header("sec-fetch-mode", "cors")
            .header("sec-fetch-dest", "empty");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let res = router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .expect("router answers");
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{path} with {cookie:?}, {fetch_site}"
        );
        assert!(
            res.headers().get(header::SET_COOKIE).is_none(),
            "{path}: no cookie of another response"
        );
        assert_eq!(
            res.headers()[header::CACHE_CONTROL],
            "no-cache",
            "{path}: revalidated"
        );
        if path.ends_with(".wasm") {
            assert_eq!(res.headers()[header::CONTENT_TYPE], "application/wasm");
            let body = res.into_body().collect().await.unwrap().to_bytes();
            assert_eq!(body.as_ref(), wasm.as_slice());
        }
    }
    stray.unset();

    // A missing file is a plain 404.
    let res = router
        .clone()
        .oneshot(
            Request::get("/pkg/nothing.wasm")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
