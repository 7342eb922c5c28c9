//! Order SQL (server-only), in the dialect SQLite and PostgreSQL share.

use super::api::*;
use super::rules::{self, OrderScope};
use crate::accounts::SessionUser;
use crate::catalog::rules::{net_price, part_number_key};
use crate::error::AppError;
use crate::organisations::OrgKind;
use crate::platform::db::{Db, Pool, Tx};
use sqlx::QueryBuilder;

/// Orders per page of the history.
pub const PAGE_SIZE: i64 = 20;

/// A part that can be ordered: found by number, and not replaced.
pub struct OrderablePart {
    pub id: i64,
}

/// The part behind a number as typed; a replaced part is refused with its
/// replacement named.
pub async fn orderable_part(pool: &Pool, part_number: &str) -> Result<OrderablePart, AppError> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT p.id, s.part_number FROM parts p LEFT JOIN parts s ON s.id = p.superseded_by
         WHERE p.pn_key = $1",
    )
    .bind(part_number_key(part_number))
    .fetch_optional(pool)
    .await?;
    match row {
        None => Err(AppError::NotFound("The part".into())),
        Some((_, Some(next))) => Err(AppError::validation(format!(
            "{} has been replaced by {next}: add {next} instead.",
            part_number.trim()
        ))),
        Some((id, None)) => Ok(OrderablePart { id }),
    }
}

/// Refuses a part that does not fit a unit; a unit the caller may not see is
/// not found.
pub async fn check_fits_unit(
    pool: &Pool,
    me: &SessionUser,
    serial: &str,
    part_id: i64,
) -> Result<(), AppError> {
    use crate::catalog::rules::UnitScope;
    let unit = crate::catalog::queries::unit(pool, UnitScope::of(me), serial)
        .await?
        .ok_or_else(|| AppError::NotFound("The unit".into()))?;
    let fits: Option<i64> =
        sqlx::query_scalar("SELECT part_id FROM part_fits WHERE part_id = $1 AND model_id = $2")
            .bind(part_id)
            .bind(unit.model_id)
            .fetch_optional(pool)
            .await?;
    match fits {
        Some(_) => Ok(()),
        None => Err(AppError::validation(format!(
            "This part does not fit unit {} ({}).",
            unit.serial, unit.model_code
        ))),
    }
}

/// Locks a user's cart (their draft order) for the rest of the transaction
/// and returns its id; `None` when they have no cart (any more).
///
/// A conditional update rather than a read: on PostgreSQL it takes the row's
/// lock, so a cart write and a submit of the same cart, which both lock it
/// first (`cart_id`, `submit::submit`), run one after the other. The one that
/// waited re-reads the row: if a submit took the cart meanwhile it is no
/// longer a draft, and the answer is `None`. (SQLite runs every write
/// transaction alone: `db::begin_write`.)
pub async fn lock_cart(tx: &mut Tx, user_id: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE orders SET updated_at = $2 WHERE created_by = $1 AND status = 'draft' RETURNING id",
    )
    .bind(user_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// The id of the caller's cart, made when there is none, and locked
/// ([`lock_cart`]) for the rest of the transaction: every write to a cart
/// starts here, so none lands in an order a concurrent submit has taken; it
/// goes into a new cart instead.
pub async fn cart_id(tx: &mut Tx, me: &SessionUser, now: i64) -> Result<i64, sqlx::Error> {
    // A second round only when a submit took the cart between the insert and
    // the lock; a third, when another write of the same person made the new
    // cart first.
    for _ in 0..3 {
        sqlx::query(
            "INSERT INTO orders (status, ordering_org_id, created_by, created_at, updated_at)
             VALUES ('draft', $1, $2, $3, $3)
             ON CONFLICT (created_by) WHERE status = 'draft' DO NOTHING",
        )
        .bind(me.org_id)
        .bind(me.id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        if let Some(id) = lock_cart(tx, me.id, now).await? {
            return Ok(id);
        }
    }
    Err(sqlx::Error::RowNotFound)
}

/// What an order line sells: a part, or seats of a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineItem {
    Part(i64),
    CourseSeat(i64),
}

impl LineItem {
    /// The column of `order_lines` naming the item, and its id.
    fn column(self) -> (&'static str, i64) {
        match self {
            LineItem::Part(id) => ("part_id", id),
            LineItem::CourseSeat(id) => ("course_id", id),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            LineItem::Part(_) => "of this part",
            LineItem::CourseSeat(_) => "seats of this course",
        }
    }
}

/// Adds a quantity of an item to a cart; the same `add_key` twice adds once.
pub async fn add_line(
    tx: &mut Tx,
    cart: i64,
    item: LineItem,
    quantity: i64,
    add_key: &str,
) -> Result<(), AppError> {
    let (column, id) = item.column();
    let existing: Option<(i64, Option<String>)> = sqlx::query_as(&format!(
        "SELECT quantity, last_add_key FROM order_lines WHERE order_id = $1 AND {column} = $2"
    ))
    .bind(cart)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let add_key = (!add_key.is_empty()).then_some(add_key);
    match existing {
        Some((_, Some(last))) if Some(last.as_str()) == add_key => Ok(()),
        Some((have, _)) => {
            let total = have + quantity;
            if total > rules::MAX_QUANTITY {
                return Err(AppError::validation(format!(
                    "Your cart already holds {have} {}; at most {} can be ordered on one line.",
                    item.noun(),
                    rules::MAX_QUANTITY
                )));
            }
            sqlx::query(&format!(
                "UPDATE order_lines SET quantity = $1, last_add_key = $2 WHERE order_id = $3 AND {column} = $4"
            ))
            .bind(total)
            .bind(add_key)
            .bind(cart)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
        None => {
            let lines: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM order_lines WHERE order_id = $1")
                    .bind(cart)
                    .fetch_one(&mut **tx)
                    .await?;
            if lines as usize >= rules::MAX_LINES {
                return Err(AppError::validation(format!(
                    "An order holds at most {} lines: submit this one first.",
                    rules::MAX_LINES
                )));
            }
            sqlx::query(&format!(
                "INSERT INTO order_lines (order_id, {column}, quantity, last_add_key) VALUES ($1, $2, $3, $4)"
            ))
            .bind(cart)
            .bind(id)
            .bind(quantity)
            .bind(add_key)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
    }
}

/// Sets (or with `None` removes) the line of a part (by number) or, when
/// `course` is given, of a course's seats (by slug) in a cart.
pub async fn set_line(
    tx: &mut Tx,
    cart: i64,
    part_number: &str,
    course: &str,
    quantity: Option<i64>,
) -> Result<(), AppError> {
    let (item, key) = if course.trim().is_empty() {
        (
            "part_id = (SELECT id FROM parts WHERE pn_key = $2)",
            part_number_key(part_number),
        )
    } else {
        (
            "course_id = (SELECT id FROM courses WHERE slug = $2)",
            course.trim().to_string(),
        )
    };
    let done = match quantity {
        Some(q) => {
            sqlx::query(&format!(
                "UPDATE order_lines SET quantity = $3 WHERE order_id = $1 AND {item}"
            ))
            .bind(cart)
            .bind(key)
            .bind(q)
            .execute(&mut **tx)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "DELETE FROM order_lines WHERE order_id = $1 AND {item}"
            ))
            .bind(cart)
            .bind(key)
            .execute(&mut **tx)
            .await?
        }
    };
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("That line of your cart".into()));
    }
    Ok(())
}

/// A line's columns over `order_lines l` [`LINE_JOINS`]: a seat line has no
/// part number and the course's title as its description.
const LINE_COLUMNS: &str = "COALESCE(p.part_number, '') AS part_number,
        COALESCE(p.description, k.title) AS description, l.quantity,
        COALESCE(l.unit_price_cents, p.list_price_cents, k.seat_price_cents, 0) AS unit_price_cents,
        s.part_number AS superseded_by, k.slug AS course_slug";
const LINE_JOINS: &str = "LEFT JOIN parts p ON p.id = l.part_id
        LEFT JOIN parts s ON s.id = p.superseded_by LEFT JOIN courses k ON k.id = l.course_id";

/// The lines of a user's cart with today's prices for a discount.
pub async fn cart_lines(
    pool: &Pool,
    user_id: i64,
    pct: i64,
) -> Result<Vec<OrderLine>, sqlx::Error> {
    let sql = format!(
        "SELECT {LINE_COLUMNS} FROM orders o JOIN order_lines l ON l.order_id = o.id
         {LINE_JOINS} WHERE o.created_by = $1 AND o.status = 'draft' ORDER BY l.id"
    );
    let lines: Vec<OrderLine> = sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await?;
    Ok(lines
        .into_iter()
        .map(|mut l| {
            l.unit_price_cents = l.unit_price_cents.map(|p| net_price(p, pct));
            l
        })
        .collect())
}

pub async fn cart_count(pool: &Pool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.created_by = $1 AND o.status = 'draft'",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await
}

/// The customers a partner orders for (none for others).
pub async fn customer_choices(
    pool: &Pool,
    me: &SessionUser,
) -> Result<Vec<CustomerChoice>, sqlx::Error> {
    if me.org_kind != OrgKind::Partner {
        return Ok(Vec::new());
    }
    sqlx::query_as(
        "SELECT id, name FROM organisations WHERE assigned_partner_id = $1 AND active ORDER BY name",
    )
    .bind(me.org_id)
    .fetch_all(pool)
    .await
}

/// The history's filter, as typed.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    /// Lower-case text matched in the order number, PO reference and customer.
    pub q: String,
    pub page: i64,
}

impl OrderFilter {
    pub fn parse(status: &str, q: &str, page: &str) -> Self {
        OrderFilter {
            status: OrderStatus::parse(status.trim()).filter(|s| *s != OrderStatus::Draft),
            q: q.trim().chars().take(60).collect::<String>().to_lowercase(),
            page: page
                .trim()
                .parse()
                .ok()
                .filter(|p| *p >= 1)
                .unwrap_or(1)
                .min(10_000),
        }
    }
}

/// Adds a `WHERE` clause of an order scope over `orders o JOIN organisations c`
/// (the customer): [`OrderScope::includes`] in SQL. Drafts never show.
pub fn push_order_scope(q: &mut QueryBuilder<'_, Db>, scope: OrderScope) {
    q.push(" WHERE o.status <> 'draft'");
    match scope {
        OrderScope::All => {}
        OrderScope::Partner(p) => {
            q.push(" AND (o.ordering_org_id = ")
                .push_bind(p)
                .push(" OR c.assigned_partner_id = ")
                .push_bind(p)
                .push(")");
        }
        OrderScope::Customer(c) => {
            q.push(" AND o.customer_id = ").push_bind(c);
        }
    }
}

const ORDER_SELECT: &str = "SELECT o.id, o.status, oo.name AS ordering_org, c.name AS customer,
        u.display_name AS placed_by, o.po_reference, o.submitted_at, o.total_cents,
        (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) AS line_count,
        o.ordering_org_id";
const ORDER_FROM: &str = " FROM orders o
     JOIN organisations c ON c.id = o.customer_id
     JOIN organisations oo ON oo.id = o.ordering_org_id
     JOIN users u ON u.id = o.created_by";

fn push_filter(q: &mut QueryBuilder<'_, Db>, filter: &OrderFilter) {
    if let Some(s) = filter.status {
        q.push(" AND o.status = ").push_bind(s);
    }
    if !filter.q.is_empty() {
        let like = format!(
            "%{}%",
            filter
                .q
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        q.push(" AND (LOWER(o.po_reference) LIKE ")
            .push_bind(like.clone())
            .push(" ESCAPE '\\' OR LOWER(c.name) LIKE ")
            .push_bind(like)
            .push(" ESCAPE '\\'");
        if let Some(id) = rules::parse_order_number(&filter.q.to_uppercase()) {
            q.push(" OR o.id = ").push_bind(id);
        }
        q.push(")");
    }
}

/// An order as lists show it, with what the price rule needs.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    summary: OrderSummary,
    ordering_org_id: i64,
}

impl SummaryRow {
    /// The summary as `scope` may see it: without its total where
    /// [`OrderScope::sees_prices`] says so.
    fn shown_to(self, scope: OrderScope) -> OrderSummary {
        let mut s = self.summary;
        if !scope.sees_prices(self.ordering_org_id) {
            s.total_cents = None;
        }
        s
    }
}

fn shown_to(rows: Vec<SummaryRow>, scope: OrderScope) -> Vec<OrderSummary> {
    rows.into_iter().map(|r| r.shown_to(scope)).collect()
}

pub async fn list(
    pool: &Pool,
    scope: OrderScope,
    filter: &OrderFilter,
) -> Result<(Vec<OrderSummary>, i64), sqlx::Error> {
    let mut count = QueryBuilder::new(format!("SELECT COUNT(*){ORDER_FROM}"));
    push_order_scope(&mut count, scope);
    push_filter(&mut count, filter);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    let mut q = QueryBuilder::new(format!("{ORDER_SELECT}{ORDER_FROM}"));
    push_order_scope(&mut q, scope);
    push_filter(&mut q, filter);
    q.push(" ORDER BY o.submitted_at DESC, o.id DESC LIMIT ")
        .push_bind(PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind((filter.page - 1) * PAGE_SIZE);
    let rows: Vec<SummaryRow> = q.build_query_as().fetch_all(pool).await?;
    Ok((shown_to(rows, scope), total))
}

/// Every order in a scope, for the CSV export (newest first, at most
/// 100,000), with the totals the scope may see.
pub async fn all_in_scope(
    pool: &Pool,
    scope: OrderScope,
) -> Result<Vec<OrderSummary>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!("{ORDER_SELECT}{ORDER_FROM}"));
    push_order_scope(&mut q, scope);
    q.push(" ORDER BY o.submitted_at DESC, o.id DESC LIMIT 100000");
    let rows: Vec<SummaryRow> = q.build_query_as().fetch_all(pool).await?;
    Ok(shown_to(rows, scope))
}

/// One order as stored (prices included: the caller applies
/// [`OrderScope::sees_prices`]).
#[derive(sqlx::FromRow)]
pub struct OrderRecord {
    #[sqlx(flatten)]
    pub summary: OrderSummary,
    pub delivery_address: String,
    pub notes: String,
    pub discount_pct: i64,
    /// The organisation that placed it.
    pub ordering_org_id: i64,
    /// The person who placed it.
    pub created_by: i64,
}

/// One order in a scope.
pub async fn order(
    pool: &Pool,
    scope: OrderScope,
    id: i64,
) -> Result<Option<OrderRecord>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!(
        "{ORDER_SELECT}, o.delivery_address, o.notes, COALESCE(o.discount_pct, 0) AS discount_pct,
         o.created_by{ORDER_FROM}"
    ));
    push_order_scope(&mut q, scope);
    q.push(" AND o.id = ").push_bind(id);
    q.build_query_as().fetch_optional(pool).await
}

/// A submitted order's lines at their captured prices.
pub async fn order_lines(pool: &Pool, id: i64) -> Result<Vec<OrderLine>, sqlx::Error> {
    let sql = format!(
        "SELECT {LINE_COLUMNS} FROM order_lines l {LINE_JOINS} WHERE l.order_id = $1 ORDER BY l.id"
    );
    sqlx::query_as(&sql).bind(id).fetch_all(pool).await
}

pub async fn events(pool: &Pool, id: i64) -> Result<Vec<OrderEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.at, e.status, u.display_name AS by_name, e.note FROM order_events e
         JOIN users u ON u.id = e.user_id WHERE e.order_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// Records a step of an order's history.
pub async fn add_event(
    tx: &mut Tx,
    order_id: i64,
    at: i64,
    user_id: i64,
    status: OrderStatus,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO order_events (order_id, at, user_id, status, note) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(at)
    .bind(user_id)
    .bind(status)
    .bind(note)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
