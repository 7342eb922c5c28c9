//! The transactions of ordering (server-only): submitting the cart once,
//! moving an order along its statuses, and reordering.

use super::api::OrderStatus;
use super::queries::{self, LineItem};
use super::rules::{self, Checkout, OrderRef, OrderScope, PlacedBy};
use crate::accounts::SessionUser;
use crate::audit::{self, AuditAction, Event};
use crate::catalog::rules::net_price;
use crate::error::AppError;
use crate::platform::{db, now, AppState};

/// A line of the cart being submitted.
#[derive(sqlx::FromRow)]
struct CartLine {
    id: i64,
    quantity: i64,
    /// Today's list price; none for a course no longer sold by the seat.
    list: Option<i64>,
    /// The part's number or the course's title.
    name: String,
    /// The part's replacement, if it has been replaced.
    replaced_by: Option<String>,
}

/// A line of an order put in the cart again.
#[derive(sqlx::FromRow)]
struct ReorderLine {
    part_id: Option<i64>,
    course_id: Option<i64>,
    quantity: i64,
    superseded_by: Option<i64>,
}

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

/// Adds a quantity of an item (a part, seats of a course) to the caller's
/// cart, made when there is none; the same `add_key` twice adds once.
pub async fn add_to_cart(
    pool: &db::Pool,
    me: &SessionUser,
    item: LineItem,
    quantity: i64,
    add_key: &str,
) -> Result<(), AppError> {
    let add_key: String = add_key.trim().chars().take(64).collect();
    let mut tx = db::begin_write(pool).await?;
    let cart = queries::cart_id(&mut tx, me, now()).await?;
    queries::add_line(&mut tx, cart, item, quantity, &add_key).await?;
    tx.commit().await?;
    Ok(())
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
    // Claims the cart before reading its lines: every cart write locks the
    // same row first (`queries::cart_id`), so a write either committed before
    // this, and its lines are read below, or waits for this submit and then
    // finds no cart (it makes a new one). Nothing lands in the order after
    // its prices are captured. Of two submits racing with one key, the one
    // that waited finds no cart, and the order by its key.
    let cart = queries::lock_cart(&mut tx, me.id, at).await?;
    let lines: Vec<CartLine> =
        match cart {
            None => Vec::new(),
            Some(cart) => sqlx::query_as(
                "SELECT l.id, l.quantity, COALESCE(p.list_price_cents, k.seat_price_cents) AS list,
                        COALESCE(p.part_number, k.title) AS name, s.part_number AS replaced_by
                 FROM order_lines l LEFT JOIN parts p ON p.id = l.part_id
                 LEFT JOIN parts s ON s.id = p.superseded_by
                 LEFT JOIN courses k ON k.id = l.course_id AND k.published = TRUE
                 WHERE l.order_id = $1 ORDER BY l.id",
            )
            .bind(cart)
            .fetch_all(&mut *tx)
            .await?,
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
    if let Some(CartLine {
        name,
        replaced_by: Some(new),
        ..
    }) = lines.iter().find(|l| l.replaced_by.is_some())
    {
        return Err(AppError::validation(format!(
            "{name} has been replaced by {new} since you added it: replace it in your cart first."
        )));
    }
    let mut priced = Vec::with_capacity(lines.len());
    for l in &lines {
        let Some(list) = l.list else {
            return Err(AppError::validation(format!(
                "Seats of {} are no longer sold: remove them from your cart first.",
                l.name
            )));
        };
        priced.push((l.id, l.quantity, net_price(list, pct)));
    }
    let customer_id = customer_for(&mut tx, me, customer).await?;
    let total = rules::total(priced.iter().map(|l| (l.1, l.2)));
    // Submits the cart this transaction has locked since it read its lines.
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
        return Err(AppError::internal(format!(
            "cart {cart} was no longer a draft while locked"
        )));
    }
    for (line, _, price) in &priced {
        sqlx::query("UPDATE order_lines SET unit_price_cents = $1 WHERE id = $2")
            .bind(price)
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

/// Loads what the rules need of an order the caller may see: its status,
/// where it stands for the scope rule, and who placed it.
async fn order_ref(
    tx: &mut db::Tx,
    me: &SessionUser,
    order_id: i64,
) -> Result<(OrderStatus, OrderRef, PlacedBy), AppError> {
    let row: Option<(OrderStatus, i64, i64, Option<i64>, i64)> = sqlx::query_as(
        "SELECT o.status, o.ordering_org_id, o.customer_id, c.assigned_partner_id, o.created_by
         FROM orders o JOIN organisations c ON c.id = o.customer_id
         WHERE o.id = $1 AND o.status <> 'draft'",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some((status, ordering_org_id, customer_id, customer_partner_id, created_by)) => {
            let r = OrderRef {
                ordering_org_id,
                customer_id,
                customer_partner_id,
            };
            if OrderScope::of(me).includes(&r) {
                let placed = PlacedBy {
                    user_id: created_by,
                    org_id: ordering_org_id,
                };
                return Ok((status, r, placed));
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
    let (from, _, placed) = order_ref(&mut tx, me, order_id).await?;
    if !rules::may_move(me, placed, from, to) {
        // Who may cancel is the person's right, not the order's state: an
        // order in view that is not theirs to cancel is refused as such.
        if to == OrderStatus::Cancelled
            && me.org_kind != crate::organisations::OrgKind::Supplier
            && !rules::may_cancel(me, placed)
        {
            return Err(AppError::Forbidden);
        }
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
    super::hooks::order_moved(&mut tx, order_id, from, to).await?;
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
    let (_, r, _) = order_ref(&mut tx, me, order_id).await?;
    if r.ordering_org_id != me.org_id {
        return Err(AppError::NotFound("The order".into()));
    }
    let lines: Vec<ReorderLine> = sqlx::query_as(
        "SELECT l.part_id, l.course_id, l.quantity, p.superseded_by FROM order_lines l
         LEFT JOIN parts p ON p.id = l.part_id WHERE l.order_id = $1 ORDER BY l.id",
    )
    .bind(order_id)
    .fetch_all(&mut *tx)
    .await?;
    let cart = queries::cart_id(&mut tx, me, now()).await?;
    for l in lines {
        // A replaced part goes in as its direct replacement.
        let item = match (l.superseded_by.or(l.part_id), l.course_id) {
            (Some(part), _) => LineItem::Part(part),
            (None, Some(course)) => LineItem::CourseSeat(course),
            (None, None) => continue,
        };
        queries::add_line(&mut tx, cart, item, l.quantity, "").await?;
    }
    tx.commit().await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Reordered)?;
    Ok(())
}
