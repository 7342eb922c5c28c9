//! Request layers: security headers (CSP with a per-request nonce), session
//! resolution, the errors of plain form posts (shown only when this server sent
//! them), and the `/api` guard (cross-site refusal, deny-by-default policy,
//! error statuses).

use app::accounts::sessions;
use app::error::AppError;
use app::platform::config::normalize_origin;
use app::platform::form_errors;
use app::platform::guard::{self, Caller};
use app::platform::{now, AppState};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rand::RngCore;
use std::net::SocketAddr;

/// The CSP nonce of the current request.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The Content-Security-Policy for a response with the given nonce. The app's own
/// wasm may run (`'wasm-unsafe-eval'`); inline scripts only with the nonce; no framing.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = base64::engine::general_purpose::STANDARD.encode(bytes);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let asset = is_static(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A file route may set a stricter policy of its own (the drawings do).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&content_security_policy(&nonce)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        // Assets are revalidated (Last-Modified); pages and API answers carry
        // personal data and are never stored.
        let policy = if asset { "no-cache" } else { "no-store" };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

fn client_addr(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy {
        // The last hop is the one our own proxy appended.
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if let Some(addr) = forwarded {
            return addr;
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path == "/favicon.svg"
        || path == "/favicon.ico"
        || path == "/healthz"
}

/// Resolves the session cookie into a [`Caller`] for pages and server functions.
pub async fn resolve_caller(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if is_static(req.uri().path()) {
        return next.run(req).await;
    }
    let token = sessions::token_from_headers(req.headers(), &state.config);
    let session = match &token {
        Some(t) => match sessions::resolve(&state.pool, t, now(), &state.config).await {
            Ok(s) => s,
            Err(e) if wants_page(&req) => return error_page(&e),
            Err(e) => return error_response(&e),
        },
        None => None,
    };
    let stale_cookie = token.is_some() && session.is_none();
    let caller = Caller {
        session,
        client_addr: client_addr(&req, state.config.trust_proxy),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
        token,
    };
    req.extensions_mut().insert(caller);
    let mut res = next.run(req).await;
    if stale_cookie && !res.headers().contains_key(header::SET_COOKIE) {
        if let Ok(v) = HeaderValue::from_str(&sessions::clear_cookie(&state.config)) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// The errors of plain form posts (see `app::platform::form_errors`): a server
/// function's redirect that carries an error leaves the cookie that proves it
/// was sent; a page keeps `__path` and `__err` in the address it reads only
/// with that cookie (then cleared), and never otherwise, so that no link can
/// show its own text as an error on a genuine page.
pub async fn form_errors(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_static(&path) {
        return next.run(req).await;
    }
    if guard::is_server_fn(&path) || path.starts_with("/api/") {
        let mut res = next.run(req).await;
        let proof = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(form_errors::proof_for_redirect);
        if let Some(proof) = proof {
            append_cookie(&mut res, &form_errors::set_cookie(&state.config, &proof));
        }
        return res;
    }
    let proof = sessions::cookie_value(req.headers(), form_errors::cookie_name(&state.config));
    let checked = req
        .uri()
        .query()
        .and_then(|q| form_errors::checked_query(q, proof.as_deref()));
    let Some((query, used)) = checked else {
        return next.run(req).await;
    };
    let target = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let Ok(target) = target.parse::<axum::http::uri::PathAndQuery>() else {
        return error_page(&AppError::BadRequest);
    };
    let mut parts = req.uri().clone().into_parts();
    parts.path_and_query = Some(target);
    match axum::http::Uri::from_parts(parts) {
        Ok(uri) => *req.uri_mut() = uri,
        Err(_) => return error_page(&AppError::BadRequest),
    }
    let mut res = next.run(req).await;
    if used {
        append_cookie(&mut res, &form_errors::clear_cookie(&state.config));
    }
    res
}

fn append_cookie(res: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A JSON error response the browser's server-function client understands.
pub fn error_response(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(e).unwrap_or_else(|_| "\"Internal\"".into());
    let mut res = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    add_retry_after(&mut res, e);
    res
}

fn add_retry_after(res: &mut Response, e: &AppError) {
    if let Some(secs) = e.retry_after() {
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
}

/// Whether a request comes from another site (CSRF defence in depth over
/// SameSite): a `Sec-Fetch-Site` other than same-origin, or an `Origin` that is
/// not one of this server's public origins. The Host header plays no part: a
/// proxy may rewrite it, and HTTP/2 has none.
pub fn is_cross_site(headers: &http::HeaderMap, allowed_origins: &[String]) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().ok().and_then(normalize_origin);
        return !origin.is_some_and(|o| allowed_origins.contains(&o));
    }
    false
}

/// A request that may change state and says nothing of where it comes from:
/// every browser sends `Origin` or `Sec-Fetch-Site` with a POST; a request with
/// neither is not from a page of this site.
pub fn is_unattributed_write(method: &http::Method, headers: &http::HeaderMap) -> bool {
    !method.is_safe()
        && !headers.contains_key(header::ORIGIN)
        && !headers.contains_key("sec-fetch-site")
}

/// The server-function guard. Which paths it protects comes from the registry
/// of server functions itself, not from a prefix: a registered function at any
/// path, and any other path under `/api/` (refused as unknown: deny by
/// default). It refuses cross-site calls whatever their method, anonymous
/// callers and missing permissions before any argument is read, and gives
/// server-function errors their proper HTTP status.
pub async fn api_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !guard::is_server_fn(&path) && !path.starts_with("/api/") {
        return next.run(req).await;
    }
    if is_cross_site(req.headers(), &state.config.allowed_origins) {
        tracing::warn!(%path, method = %req.method(), "cross-site request refused");
        return error_response(&AppError::Forbidden);
    }
    if is_unattributed_write(req.method(), req.headers()) {
        tracing::warn!(%path, method = %req.method(), "state-changing request without Origin or Sec-Fetch-Site refused");
        return error_response(&AppError::Forbidden);
    }
    let Some(access) = guard::policy(&path) else {
        tracing::warn!(%path, "call to a path without a policy refused");
        return error_response(&AppError::NotFound("This action".into()));
    };
    let user = req
        .extensions()
        .get::<Caller>()
        .and_then(|c| c.session.as_ref())
        .map(|s| s.user.clone());
    let gated = match access {
        guard::Access::Requires(_) => guard::account_gate(user.as_ref(), &path),
        guard::Access::Public => Ok(()),
    };
    if let Err(e) = guard::check(access, user.as_ref()).and(gated) {
        return error_response(&e);
    }
    let req = match read_body(req).await {
        Ok(req) => req,
        Err(e) => return error_response(&e),
    };
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    // Server functions answer every error with 500; restore the error's own status.
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&bytes).ok();
    if let Some(e) = &error {
        parts.status =
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    let mut res = Response::from_parts(parts, Body::from(bytes));
    if let Some(e) = &error {
        add_retry_after(&mut res, e);
    }
    res
}

/// Bounds every request body by `body_limit` of its path (uploads get more):
/// a declared length over it is refused at once with 413; a body sent in
/// chunks stops at the limit (and `read_body` answers 413).
pub async fn limit_body(req: Request, next: Next) -> Response {
    let limit = crate::body_limit(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return if wants_page(&req) {
            error_page(&AppError::TooLarge)
        } else {
            error_response(&AppError::TooLarge)
        };
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

/// Reads a server function's body before the function does: one too large
/// (also when sent in chunks, without a length) is a 413, and a form that is not
/// UTF-8 a 400, instead of an internal error inside the function.
async fn read_body(req: Request) -> Result<Request, AppError> {
    let limit = crate::body_limit(req.uri().path());
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|e| {
        if is_length_limit(&e) {
            AppError::TooLarge
        } else {
            AppError::BadRequest
        }
    })?;
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if is_form && std::str::from_utf8(&bytes).is_err() {
        return Err(AppError::BadRequest);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// Whether a failed request wants the app's error page rather than JSON: a
/// page, not a server function.
fn wants_page(req: &Request) -> bool {
    let path = req.uri().path();
    !(guard::is_server_fn(path) || path.starts_with("/api/"))
}

/// The app's error page for a request that failed before the page could
/// render (the database is down, say): a standalone HTML page with the
/// error's status and its message for people, never the detail.
pub fn error_page(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (title, message) = match e {
        AppError::Internal | AppError::Network | AppError::Busy { .. } => (
            "Careport is unavailable right now",
            "We could not load this page. Please try again in a moment; if it keeps happening, tell your Careport administrator.",
        ),
        _ => ("Something went wrong", "Please go back and try again."),
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Careport</title><link rel=\"stylesheet\" href=\"/pkg/careport.css\"></head>\
         <body><main class=\"standalone\"><div class=\"error-panel\"><p class=\"error-code\">{code}</p>\
         <h1>{title}</h1><p class=\"muted\">{message}</p>\
         <a class=\"btn btn-primary\" href=\"\">Try again</a></div></main></body></html>",
        code = status.as_u16()
    );
    let mut res = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    add_retry_after(&mut res, e);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn cross_site_detection() {
        let allowed = vec!["https://care.example.com".to_string()];
        let cross = |pairs: &[(&str, &str)]| is_cross_site(&headers(pairs), &allowed);
        assert!(!cross(&[]));
        assert!(!cross(&[("sec-fetch-site", "same-origin")]));
        assert!(cross(&[("sec-fetch-site", "cross-site")]));
        assert!(cross(&[("sec-fetch-site", "same-site")]));
        // The public origin counts, whatever the Host header says (a proxy
        // rewrites it; HTTP/2 has none).
        assert!(!cross(&[
            ("origin", "https://care.example.com"),
            ("host", "10.0.0.11:3000")
        ]));
        assert!(!cross(&[("origin", "https://CARE.example.com:443")]));
        assert!(cross(&[
            ("origin", "http://10.0.0.11:3000"),
            ("host", "10.0.0.11:3000")
        ]));
        assert!(cross(&[("origin", "https://evil.example")]));
        assert!(cross(&[(
            "origin",
            "https://care.example.com.evil.example"
        )]));
        assert!(cross(&[("origin", "null")]));
    }

    #[test]
    fn writes_must_say_where_they_come_from() {
        let post = http::Method::POST;
        assert!(is_unattributed_write(&post, &headers(&[])));
        assert!(!is_unattributed_write(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!is_unattributed_write(
            &post,
            &headers(&[("origin", "https://care.example.com")])
        ));
        assert!(!is_unattributed_write(&http::Method::GET, &headers(&[])));
    }

    #[test]
    fn csp_allows_own_wasm_and_forbids_framing() {
        let csp = content_security_policy("abc");
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
