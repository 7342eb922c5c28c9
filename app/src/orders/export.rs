//! `GET /orders/export.csv`: the orders the caller may see as a CSV file (an
//! organisation's orders for its people; every order for the supplier's
//! staff), with the totals the caller may see (`OrderScope::sees_prices`).
//! A plain route, because it answers with a file; it resolves the caller
//! (`platform::download::permitted_user`) and the scope like the server
//! functions do. Written by `platform::download::CsvExport`, which makes
//! every cell safe for spreadsheets.

use super::queries;
use super::rules::{order_number, OrderScope};
use crate::dates::iso_utc;
use crate::identity::Permission;
use crate::platform::guard::{Access, Caller};
use crate::platform::{download, AppState};
use axum::extract::State;
use axum::response::Response;
use axum::Extension;

pub use super::EXPORT_PATH as PATH;

pub async fn handler(State(state): State<AppState>, caller: Option<Extension<Caller>>) -> Response {
    let user = match download::permitted_user(caller, Access::Requires(Permission::SignedIn), PATH)
    {
        Ok(user) => user,
        Err(e) => return download::refusal(e, "/orders"),
    };
    download::csv(
        "careport-orders.csv",
        csv_of(&state, OrderScope::of(&user)).await,
    )
}

async fn csv_of(state: &AppState, scope: OrderScope) -> Result<Vec<u8>, String> {
    let orders = queries::all_in_scope(&state.pool, scope)
        .await
        .map_err(|e| e.to_string())?;
    let mut w = download::CsvExport::new(&[
        "order",
        "status",
        "submitted_utc",
        "customer",
        "ordering_organisation",
        "placed_by",
        "po_reference",
        "lines",
        "total_eur",
    ])?;
    for o in orders {
        // Empty where the caller does not see the order's prices.
        let total = o
            .total_cents
            .map(|c| format!("{}.{:02}", c / 100, c % 100))
            .unwrap_or_default();
        w.row([
            order_number(o.id).as_str(),
            o.status.as_str(),
            &iso_utc(o.submitted_at),
            &o.customer,
            &o.ordering_org,
            &o.placed_by,
            &o.po_reference,
            &o.line_count.to_string(),
            &total,
        ])?;
    }
    w.finish()
}
