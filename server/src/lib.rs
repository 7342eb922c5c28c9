//! The Careport HTTP server: the axum router around the Leptos app, with the
//! security layers every request passes through.

pub mod cli;
pub mod layers;

use app::platform::{guard, AppState};
use app::{shell, App};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::Path;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// The largest request body accepted (forms and server-function calls are small).
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// The largest body of an upload (`#[access(.., upload)]`): the larger
/// of the upload functions' file limits, and room for the form around it.
pub const UPLOAD_LIMIT_BYTES: usize = {
    let documents = app::documents::rules::MAX_FILE_BYTES;
    let import = app::catalog::import_api::MAX_IMPORT_FILE_BYTES;
    let material = app::learning::authoring::rules::MAX_MATERIAL_BYTES;
    let largest = if documents > import {
        documents
    } else {
        import
    };
    (if largest > material {
        largest
    } else {
        material
    }) + 64 * 1024
};

/// The largest body of a long text (`#[access(.., long_text)]`): a
/// lesson of the most characters, each of them percent-encoded UTF-8 of up to
/// four bytes (12 characters sent), and room for the form around it.
pub const LONG_TEXT_LIMIT_BYTES: usize =
    app::learning::authoring::rules::MAX_LESSON_CHARS * 12 + 64 * 1024;

/// The body limit of a request to `path`.
pub fn body_limit(path: &str) -> usize {
    use app::platform::guard::{body, Body};
    match body(path) {
        Body::Upload => UPLOAD_LIMIT_BYTES,
        Body::LongText => LONG_TEXT_LIMIT_BYTES,
        Body::Form => BODY_LIMIT_BYTES,
    }
}

/// Provides per-request context to pages and server functions.
fn request_context(state: &AppState) {
    provide_context(state.clone());
    if let Some(parts) = use_context::<http::request::Parts>() {
        if let Some(nonce) = parts.extensions.get::<layers::CspNonce>() {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
        }
    }
}

/// `GET /healthz`: 200 only while the database answers.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let probe = sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)").fetch_one(&state.pool);
    match tokio::time::timeout(Duration::from_secs(2), probe).await {
        Ok(Ok(1)) => (StatusCode::OK, "ok"),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// The static files: the bundle under `/pkg` (wasm, JS, CSS) and the files at
/// the top of the site directory (the icon). They are served by `ServeDir` and
/// `ServeFile` alone, outside the app: no session, guard, Leptos owner or
/// response options of the app ever touches them, and these services answer a
/// file that cannot be read with 404, never 403. (Through Leptos' fallback, a
/// file's response took the status and headers of any `ResponseOptions` the
/// worker thread's current reactive owner could see: another request's 403.)
/// They also answer conditional requests (304), which the fallback did not.
pub fn static_files(options: &LeptosOptions) -> Router {
    let root = Path::new(&*options.site_root);
    let pkg = options.site_pkg_dir.trim_matches('/');
    let mut router = Router::new();
    if !pkg.is_empty() {
        router = router.nest_service(
            &format!("/{pkg}"),
            ServeDir::new(root.join(pkg))
                .precompressed_br()
                .precompressed_gzip(),
        );
    }
    let top_files = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()));
    for entry in top_files {
        let name = entry.file_name().to_string_lossy().into_owned();
        // A plain file name with an extension: never a route pattern, nor a page's path.
        let plain = name.contains('.')
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if plain {
            router = router.route_service(&format!("/{name}"), ServeFile::new(entry.path()));
        }
    }
    router
}

/// Refuses to build a router while some server function has no stated access.
pub fn check_policies() -> Result<(), String> {
    match guard::unguarded_functions() {
        missing if missing.is_empty() => Ok(()),
        missing => Err(format!(
            "these server functions state no access (add #[access(..)] above #[server]): {}",
            missing.join(", ")
        )),
    }
}

/// Builds the whole application router. Every registered server function is
/// routed at its own path (by `leptos_routes_with_context`) behind the guard.
///
/// # Panics
/// When a server function states no access ([`check_policies`]): a build that
/// would serve an unguarded function must not start.
pub fn app(state: AppState, options: LeptosOptions) -> Router {
    if let Err(e) = check_policies() {
        panic!("{e}");
    }
    let routes = generate_route_list(App);
    // The periodic jobs, for the jobs page (the runner builds its own).
    let schedules =
        app::platform::jobs::Schedules(std::sync::Arc::from(app::wiring::jobs(&state).schedules()));
    let ctx = {
        let state = state.clone();
        move || {
            request_context(&state);
            provide_context(schedules.clone());
        }
    };
    let health = Router::new()
        .route("/healthz", get(healthz))
        .with_state(state.clone());
    // Plain routes that answer with files; each checks its own permission and
    // sits behind the same caller resolution and security layers as pages.
    let files = app::wiring::file_routes().with_state(state.clone());
    let assets = static_files(&options);

    Router::new()
        .leptos_routes_with_context(&options, routes, ctx.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(ctx, shell))
        .with_state(options)
        .merge(files)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::api_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::form_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::resolve_caller,
        ))
        .merge(health)
        .merge(assets)
        .layer(axum::middleware::from_fn(layers::limit_body))
        .layer(axum::middleware::from_fn_with_state(
            state,
            layers::security_headers,
        ))
        .layer(CompressionLayer::new())
}
