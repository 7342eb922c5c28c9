//! Order types and server functions: the cart (a server-side draft order),
//! checkout with an idempotent submit, the order history, status changes by
//! the supplier's staff, and reordering.

use crate::catalog::Pricing;
use crate::error::AppError;
use crate::vocab::text_enum;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Where an order stands.
    OrderStatus {
        Draft => "draft" / "Cart",
        Submitted => "submitted" / "Submitted",
        Confirmed => "confirmed" / "Confirmed",
        Shipped => "shipped" / "Shipped",
        Delivered => "delivered" / "Delivered",
        Cancelled => "cancelled" / "Cancelled",
    }
);

/// A line of the cart or of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderLine {
    pub part_number: String,
    pub description: String,
    pub quantity: i64,
    /// The captured price of a submitted order; in the cart, today's price.
    /// `None` on an order whose prices the caller does not see
    /// (`rules::OrderScope::sees_prices`).
    pub unit_price_cents: Option<i64>,
    /// Set in the cart when the part has been replaced since it was added.
    pub superseded_by: Option<String>,
    /// A line of course seats: the course's address (`part_number` is empty
    /// and `description` the course's title).
    pub course_slug: Option<String>,
}

/// A customer a partner may order for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomerChoice {
    pub id: i64,
    pub name: String,
}

/// The caller's cart and what checkout needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub lines: Vec<OrderLine>,
    pub total_cents: i64,
    pub pricing: Pricing,
    /// For a partner: its customers, one of which the order is for. Empty for a
    /// customer, who orders for itself.
    pub customers: Vec<CustomerChoice>,
    /// A fresh key for this checkout form: submitting twice with it makes one order.
    pub submission_key: String,
}

/// An order as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderSummary {
    pub id: i64,
    pub status: OrderStatus,
    pub ordering_org: String,
    pub customer: String,
    pub placed_by: String,
    pub po_reference: String,
    pub submitted_at: i64,
    /// `None` for a caller who does not see the order's prices
    /// (`rules::OrderScope::sees_prices`): the ordering organisation priced it.
    pub total_cents: Option<i64>,
    pub line_count: i64,
}

/// One entry of an order's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderEvent {
    pub at: i64,
    pub status: OrderStatus,
    pub by_name: String,
    pub note: String,
}

/// An order's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: OrderSummary,
    pub delivery_address: String,
    pub notes: String,
    /// `None` (like every price of the order) for a caller who does not see
    /// its prices.
    pub discount_pct: Option<i64>,
    /// Set when the caller does not see the order's prices: the partner that
    /// placed it, whom the customer asks for them.
    pub priced_by: Option<String>,
    pub lines: Vec<OrderLine>,
    pub events: Vec<OrderEvent>,
    /// The statuses the caller may move it to.
    pub moves: Vec<OrderStatus>,
    /// The caller may put its lines in their cart again.
    pub can_reorder: bool,
}

/// A page of the order history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderList {
    pub orders: Vec<OrderSummary>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// Adds a part to the caller's cart (from a part's or a unit's page). The same
/// form sent twice (`add_key`) adds once. With `unit`, the part must fit that
/// unit, which must be the caller's to see.
#[access(PlaceOrders)]
#[server(prefix = "/api", endpoint = "cart/add")]
pub async fn add_to_cart(
    part_number: String,
    quantity: String,
    #[server(default)] unit: String,
    #[server(default)] add_key: String,
) -> Result<(), AppError> {
    use super::{queries, rules};
    use crate::platform::{flash, state};
    let st = state()?;
    let me = &session.user;
    let quantity = rules::parse_quantity(&quantity).map_err(AppError::Validation)?;
    let part = queries::orderable_part(&st.pool, &part_number).await?;
    if !unit.trim().is_empty() {
        queries::check_fits_unit(&st.pool, me, unit.trim(), part.id).await?;
    }
    let item = queries::LineItem::Part(part.id);
    super::submit::add_to_cart(&st.pool, me, item, quantity, &add_key).await?;
    flash::set(flash::Notice::AddedToCart)?;
    Ok(())
}

/// Sets the quantity of a cart line: a part's by number, or with `course`
/// the seats of that course.
#[access(PlaceOrders)]
#[server(prefix = "/api", endpoint = "cart/update")]
pub async fn update_cart_line(
    #[server(default)] part_number: String,
    #[server(default)] course: String,
    quantity: String,
) -> Result<(), AppError> {
    use super::{queries, rules};
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    let quantity = rules::parse_quantity(&quantity).map_err(AppError::Validation)?;
    let mut tx = db::begin_write(&st.pool).await?;
    let cart = queries::cart_id(&mut tx, &session.user, now()).await?;
    queries::set_line(&mut tx, cart, &part_number, &course, Some(quantity)).await?;
    tx.commit().await?;
    flash::set(flash::Notice::Saved)?;
    Ok(())
}

/// Removes a line from the cart: a part's by number, or with `course` the
/// seats of that course.
#[access(PlaceOrders)]
#[server(prefix = "/api", endpoint = "cart/remove")]
pub async fn remove_cart_line(
    #[server(default)] part_number: String,
    #[server(default)] course: String,
) -> Result<(), AppError> {
    use super::queries;
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    let mut tx = db::begin_write(&st.pool).await?;
    let cart = queries::cart_id(&mut tx, &session.user, now()).await?;
    queries::set_line(&mut tx, cart, &part_number, &course, None).await?;
    tx.commit().await?;
    flash::set(flash::Notice::RemovedFromCart)?;
    Ok(())
}

/// The caller's cart with today's prices, and a fresh checkout key.
#[access(PlaceOrders)]
#[server(prefix = "/api", endpoint = "cart/get")]
pub async fn get_cart() -> Result<Cart, AppError> {
    use super::{queries, rules};
    let st = crate::platform::state()?;
    let me = &session.user;
    let pricing = crate::catalog::queries::pricing(&st.pool, me).await?;
    let lines = queries::cart_lines(&st.pool, me.id, pricing.discount_pct).await?;
    Ok(Cart {
        total_cents: rules::total(
            lines
                .iter()
                .map(|l| (l.quantity, l.unit_price_cents.unwrap_or_default())),
        ),
        lines,
        customers: queries::customer_choices(&st.pool, me).await?,
        pricing,
        submission_key: crate::ui::form_key(),
    })
}

/// How many lines the caller's cart holds (the header's badge); 0 for those
/// who do not order.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "cart/count")]
pub async fn cart_count() -> Result<i64, AppError> {
    let st = crate::platform::state()?;
    Ok(super::queries::cart_count(&st.pool, session.user.id).await?)
}

/// Submits the cart as an order, with the prices of today. Idempotent: a
/// second call with the same `submission_key` (a double click, a retry, a
/// reload) answers the order the first made. Returns the order's id.
#[access(PlaceOrders)]
#[server(prefix = "/api", endpoint = "orders/submit")]
pub async fn submit_order(
    #[server(default)] customer_id: String,
    po_reference: String,
    delivery_address: String,
    #[server(default)] notes: String,
    submission_key: String,
) -> Result<i64, AppError> {
    let st = crate::platform::state()?;
    let checkout = super::rules::validate_checkout(&po_reference, &delivery_address, &notes)
        .map_err(AppError::Validation)?;
    let key = submission_key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::BadRequest);
    }
    super::submit::submit(&st, &session.user, &customer_id, &checkout, key).await
}

/// The order history the caller may see, newest first, filtered by status
/// and by order number, purchase-order reference or customer.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "orders/list")]
pub async fn list_orders(
    #[server(default)] status: String,
    #[server(default)] q: String,
    #[server(default)] page: String,
) -> Result<OrderList, AppError> {
    use super::{queries, rules::OrderScope};
    let st = crate::platform::state()?;
    let filter = queries::OrderFilter::parse(&status, &q, &page);
    let (orders, total) = queries::list(&st.pool, OrderScope::of(&session.user), &filter).await?;
    Ok(OrderList {
        orders,
        total,
        page: filter.page,
        pages: ((total + queries::PAGE_SIZE - 1) / queries::PAGE_SIZE).max(1),
    })
}

/// One order, if the caller may see it (otherwise not found), with its
/// prices where the caller may see them (`rules::OrderScope::sees_prices`).
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "orders/get")]
pub async fn get_order(number: String) -> Result<OrderDetail, AppError> {
    use super::{queries, rules};
    let st = crate::platform::state()?;
    let me = &session.user;
    let not_found = || AppError::NotFound("The order".into());
    let id = rules::parse_order_number(&number).ok_or_else(not_found)?;
    let scope = rules::OrderScope::of(me);
    let record = queries::order(&st.pool, scope, id)
        .await?
        .ok_or_else(not_found)?;
    let placed = rules::PlacedBy {
        user_id: record.created_by,
        org_id: record.ordering_org_id,
    };
    let mut order = record.summary;
    let moves = rules::next_statuses(order.status)
        .iter()
        .copied()
        .filter(|to| rules::may_move(me, placed, order.status, *to))
        .collect();
    let mut lines = queries::order_lines(&st.pool, id).await?;
    let sees_prices = scope.sees_prices(record.ordering_org_id);
    if !sees_prices {
        order.total_cents = None;
        for l in &mut lines {
            l.unit_price_cents = None;
        }
    }
    Ok(OrderDetail {
        lines,
        events: queries::events(&st.pool, id).await?,
        can_reorder: record.ordering_org_id == me.org_id
            && me.role.has(crate::identity::Permission::PlaceOrders),
        delivery_address: record.delivery_address,
        notes: record.notes,
        discount_pct: sees_prices.then_some(record.discount_pct),
        priced_by: (!sees_prices).then(|| order.ordering_org.clone()),
        moves,
        order,
    })
}

/// Moves an order to another status (the supplier's staff along the order's
/// life; the person who placed it, or an administrator of the organisation
/// that placed it, may cancel it until it is confirmed: `rules::may_cancel`).
/// In the audit trail.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "orders/status")]
pub async fn set_order_status(
    order_id: i64,
    status: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    super::submit::move_status(&session.user, order_id, &status, &note).await
}

/// Puts an order's lines in the caller's cart again (current parts: a replaced
/// part is put in as its replacement).
#[access(PlaceOrders)]
#[server(prefix = "/api", endpoint = "orders/reorder")]
pub async fn reorder(order_id: i64) -> Result<(), AppError> {
    super::submit::reorder(&session.user, order_id).await
}
