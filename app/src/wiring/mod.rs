//! The wiring, server-only: the one place that lists every domain. The
//! foundation (`platform`, `identity`, `ui`…) names none; each domain names only
//! the domains before it (CONTRIBUTING.md); what runs across them is listed
//! here: the background jobs, the routes that answer with files, and the demo
//! dataset's loaders in their order (`demo`). What the guard needs to know of a
//! server function (its access, body class and gate) is stated on the function
//! itself, in `#[access(..)]`; the hooks by which an earlier domain triggers a
//! later one are registered by the later one (`orders::hooks`).

pub mod demo;

use crate::platform::jobs::Jobs;
use crate::platform::AppState;
use axum::routing::get;
use axum::Router;

/// Every job of the application, for the runner of a server process.
pub fn jobs(state: &AppState) -> Jobs {
    Jobs::new()
        .every(
            crate::accounts::jobs::PRUNE,
            crate::accounts::jobs::PRUNE_EVERY_SECS,
            crate::accounts::jobs::prune_handler(state.config.clone()),
        )
        .every(
            crate::notices::outbox::DELIVER,
            crate::notices::outbox::DELIVER_EVERY_SECS,
            crate::notices::outbox::deliver_handler(),
        )
        .every(
            crate::learning::reminders::KIND,
            crate::learning::reminders::EVERY_SECS,
            crate::learning::reminders::handler(),
        )
        .on(
            crate::catalog::import_job::KIND,
            crate::catalog::import_job::import_handler(state.config.clone()),
        )
}

/// The plain routes that answer with files (exports, downloads, drawings);
/// each checks its own permission.
pub fn file_routes() -> Router<AppState> {
    Router::new()
        .route(
            crate::audit::export::PATH,
            get(crate::audit::export::handler),
        )
        .route(
            crate::orders::export::PATH,
            get(crate::orders::export::handler),
        )
        .route(
            crate::learning::training::export::PATH,
            get(crate::learning::training::export::handler),
        )
        .route(
            crate::learning::authoring::materials::PATH,
            get(crate::learning::authoring::materials::handler),
        )
        .route(
            crate::catalog::drawings::PATH,
            get(crate::catalog::drawings::handler),
        )
        .route(
            crate::documents::download::PATH,
            get(crate::documents::download::handler),
        )
}
