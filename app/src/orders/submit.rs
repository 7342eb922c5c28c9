//! The transactions of ordering (server-only): submitting the cart once,
//! moving an order along its statuses, and reordering.

use super::api::OrderStatus;
use super::queries;
use super::rules::{self, Checkout, OrderRef, OrderScope};
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::catalog::rules::net_price;
use crate::error::AppError;
use crate::platform::{db, now, AppState};

async fn order_by_key(
    tx: &mut db::Tx,
    user_id: i64,
    key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM orders WHERE submission_key = $1 AND created_by = $2")
        .bind(key)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The customer an order is for: a customer's own organisation; for a
/// partner, the customer chosen, which must be assigned to it.
async fn customer_for(tx: &mut db::Tx, me: &SessionUser, chosen: &str) -> Result<i64, AppError> {
    if me.org_kind == crate::organisations::OrgKind::Customer {
        return Ok(me.org_id);
    }
    let id: i64 = chosen
        .trim()
        .parse()
        .map_err(|_| AppError::validation("Choose the customer this order is for."))?;
    let partner: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT assigned_partner_id FROM organisations WHERE id = $1 AND kind = 'customer' AND active",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    match partner {
        Some(p) if rules::may_order_for(me, id, p) => Ok(id),
        _ => Err(AppError::validation(
            "You do not serve this customer: choose one of your customers.",
        )),
    }
}

/// Submits the caller's cart (see `api::submit_order`).
pub async fn submit(
    st: &AppState,
    me: &SessionUser,
    customer: &str,
    checkout: &Checkout,
    key: &str,
) -> Result<i64, AppError> {
    let at = now();
    // Read before the write transaction: a transaction must never wait for a
    // second connection of the pool while it holds the write lock.
    let pct = crate::catalog::queries::pricing(&st.pool, me)
        .await?
        .discount_pct;
    let mut tx = db::begin_write(&st.pool).await?;
    if let Some(id) = order_by_key(&mut tx, me.id, key).await? {
        return Ok(id);
    }
    let cart: Option<i64> =
        sqlx::query_scalar("SELECT id FROM orders WHERE created_by = $1 AND status = 'draft'")
            .bind(me.id)
            .fetch_optional(&mut *tx)
            .await?;
    let lines: Vec<(i64, i64, i64, String, Option<String>)> = match cart {
        None => Vec::new(),
        Some(cart) => {
            sqlx::query_as(
                "SELECT l.id, l.quantity, p.list_price_cents, p.part_number, s.part_number
                 FROM order_lines l JOIN parts p ON p.id = l.part_id
                 LEFT JOIN parts s ON s.id = p.superseded_by
                 WHERE l.order_id = $1 ORDER BY l.id",
            )
            .bind(cart)
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let Some(cart) = cart.filter(|_| !lines.is_empty()) else {
        // On PostgreSQL a duplicate submit may find the cart already submitted
        // by the first, which committed after this one looked for the key.
        if let Some(id) = order_by_key(&mut tx, me.id, key).await? {
            return Ok(id);
        }
        return Err(AppError::validation(
            "Your cart is empty: add parts before submitting.",
        ));
    };
    if let Some((.., old, Some(new))) = lines.iter().find(|l| l.4.is_some()) {
        return Err(AppError::validation(format!(
            "{old} has been replaced by {new} since you added it: replace it in your cart first."
        )));
    }
    let customer_id = customer_for(&mut tx, me, customer).await?;
    let total = rules::total(lines.iter().map(|l| (l.1, net_price(l.2, pct))));
    // Claims the cart: of two submits racing with one key, one changes the row
    // and the other (waiting for it, on PostgreSQL) changes nothing.
    let claimed = sqlx::query(
        "UPDATE orders SET status = 'submitted', customer_id = $1, po_reference = $2,
             delivery_address = $3, notes = $4, submission_key = $5, discount_pct = $6,
             total_cents = $7, submitted_at = $8, updated_at = $8
         WHERE id = $9 AND status = 'draft'",
    )
    .bind(customer_id)
    .bind(&checkout.po_reference)
    .bind(&checkout.delivery_address)
    .bind(&checkout.notes)
    .bind(key)
    .bind(pct)
    .bind(total)
    .bind(at)
    .bind(cart)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        drop(tx);
        let mut tx = db::begin_write(&st.pool).await?;
        return order_by_key(&mut tx, me.id, key).await?.ok_or_else(|| {
            AppError::validation("Your cart is empty: add parts before submitting.")
        });
    }
    for (line, _, list, ..) in &lines {
        sqlx::query("UPDATE order_lines SET unit_price_cents = $1 WHERE id = $2")
            .bind(net_price(*list, pct))
            .bind(line)
            .execute(&mut *tx)
            .await?;
    }
    queries::add_event(&mut tx, cart, at, me.id, OrderStatus::Submitted, "").await?;
    let event =
        Event::by(me, AuditAction::OrderSubmitted, "order", cart).detail(serde_json::json!({
            "number": rules::order_number(cart), "customer_id": customer_id,
            "lines": lines.len(), "total_cents": total,
        }));
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    tracing::info!(user = me.id, order = cart, total, "order submitted");
    Ok(cart)
}

/// Loads what the rules need of an order the caller may see.
async fn order_ref(
    tx: &mut db::Tx,
    me: &SessionUser,
    order_id: i64,
) -> Result<(OrderStatus, OrderRef), AppError> {
    let row: Option<(OrderStatus, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT o.status, o.ordering_org_id, o.customer_id, c.assigned_partner_id
         FROM orders o JOIN organisations c ON c.id = o.customer_id
         WHERE o.id = $1 AND o.status <> 'draft'",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some((status, ordering_org_id, customer_id, customer_partner_id)) => {
            let r = OrderRef {
                ordering_org_id,
                customer_id,
                customer_partner_id,
            };
            if OrderScope::of(me).includes(&r) {
                return Ok((status, r));
            }
            Err(AppError::NotFound("The order".into()))
        }
        None => Err(AppError::NotFound("The order".into())),
    }
}

/// Moves an order to another status (see `api::set_order_status`).
pub async fn move_status(
    me: &SessionUser,
    order_id: i64,
    status: &str,
    note: &str,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let to = OrderStatus::parse(status.trim())
        .ok_or_else(|| AppError::validation("Choose a status."))?;
    let note: String = note.trim().chars().take(500).collect();
    let at = now();
    let mut tx = db::begin_write(&st.pool).await?;
    let (from, r) = order_ref(&mut tx, me, order_id).await?;
    if !rules::may_move(me, r.ordering_org_id == me.org_id, from, to) {
        return Err(AppError::validation(format!(
            "An order that is {} cannot be marked {} by you.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    let moved =
        sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to)
            .bind(at)
            .bind(order_id)
            .bind(from)
            .execute(&mut *tx)
            .await?;
    if moved.rows_affected() == 0 {
        return Err(AppError::validation(
            "Someone changed this order meanwhile: reload the page.",
        ));
    }
    queries::add_event(&mut tx, order_id, at, me.id, to, &note).await?;
    let event = Event::by(me, AuditAction::OrderStatusChanged, "order", order_id)
        .detail(serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "note": note }));
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Saved)?;
    Ok(())
}

/// Puts an order's lines in the caller's cart (see `api::reorder`).
pub async fn reorder(me: &SessionUser, order_id: i64) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let mut tx = db::begin_write(&st.pool).await?;
    let (_, r) = order_ref(&mut tx, me, order_id).await?;
    if r.ordering_org_id != me.org_id {
        return Err(AppError::NotFound("The order".into()));
    }
    let lines: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT l.part_id, l.quantity, p.superseded_by FROM order_lines l
         JOIN parts p ON p.id = l.part_id WHERE l.order_id = $1 ORDER BY l.id",
    )
    .bind(order_id)
    .fetch_all(&mut *tx)
    .await?;
    let cart = queries::cart_id(&mut tx, me, now()).await?;
    for (part, quantity, replacement) in lines {
        // A replaced part goes in as its direct replacement.
        let part = replacement.unwrap_or(part);
        queries::add_line(&mut tx, cart, part, quantity, "").await?;
    }
    tx.commit().await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Reordered)?;
    Ok(())
}
