//! Course seats, server-only. A course with a seat price is sold to customers
//! by the seat, as lines of the parts issue's orders: the seats of an order
//! are the customer's once the supplier confirms it (`grant`), and each
//! customer learner who starts (or restarts) the course takes one (`enroll`).
//! The pure rules are `rules::needs_seat`, `rules::seats_left` and
//! `orders::rules::seat_grant`.

use super::api::{CourseCard, SeatOffer};
use super::queries::{self, Enrolled, NewEnrollment};
use super::rules;
use crate::accounts::SessionUser;
use crate::catalog::rules::net_price;
use crate::error::AppError;
use crate::identity::Permission;
use crate::orders::hooks::{HookFuture, OnOrderMoved};
use crate::orders::queries::LineItem;
use crate::orders::rules::seat_grant;
use crate::orders::OrderStatus;
use crate::organisations::OrgKind;
use crate::platform::db::{Pool, Tx};

/// Confirming an order grants its seats, cancelling a confirmed one takes
/// them back (`orders::rules::seat_grant`): registered with orders, which
/// run it in the transaction of every status change.
fn on_order_moved(
    tx: &mut Tx,
    order_id: i64,
    from: OrderStatus,
    to: OrderStatus,
) -> HookFuture<'_> {
    Box::pin(grant(tx, order_id, seat_grant(from, to)))
}

inventory::submit! { OnOrderMoved(on_order_moved) }

/// Adds (`sign` 1) or takes back (`sign` -1) the seats of an order's seat
/// lines to its customer, in the transaction that moves the order.
pub async fn grant(tx: &mut Tx, order_id: i64, sign: i64) -> Result<(), sqlx::Error> {
    if sign == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO course_seats (org_id, course_id, bought, used)
         SELECT o.customer_id, l.course_id, l.quantity * $2, 0
         FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.order_id = $1 AND l.course_id IS NOT NULL
         ON CONFLICT (org_id, course_id) DO UPDATE SET bought = course_seats.bought + excluded.bought",
    )
    .bind(order_id)
    .bind(sign)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Why an enrollment was refused inside its transaction (the caller words it:
/// "you" for the learner, the person's name for the assigning admin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The organisation has no seat left.
    NoSeat,
    /// These prerequisites ("A and B") lack a completion in force.
    Prerequisites(String),
}

/// The one door into an enrollment (self-service, assignment, "assign all"):
/// enrols a learner of organisation `org` (of `kind`) as `queries::enroll`
/// does, and when the enrollment starts the course (new, or restarted) checks
/// the course's prerequisites and takes one of the organisation's seats if
/// the course needs one. Refused, nothing is written: the error is
/// `refusal(..)`, and the caller's transaction rolls back.
pub async fn enroll(
    tx: &mut Tx,
    new: &NewEnrollment,
    (kind, org): (OrgKind, i64),
    at: i64,
    refusal: impl FnOnce(Refusal) -> String,
) -> Result<Enrolled, AppError> {
    let outcome = queries::enroll(tx, new, at).await?;
    if outcome == Enrolled::Already {
        return Ok(outcome);
    }
    let missing = queries::unmet_prerequisites(&mut **tx, new.course_id, new.user_id, at).await?;
    if !missing.is_empty() {
        let titles = missing.join(" and ");
        return Err(AppError::Validation(refusal(Refusal::Prerequisites(
            titles,
        ))));
    }
    let price: Option<i64> =
        sqlx::query_scalar("SELECT seat_price_cents FROM courses WHERE id = $1")
            .bind(new.course_id)
            .fetch_one(&mut **tx)
            .await?;
    if !rules::needs_seat(kind, price) {
        return Ok(outcome);
    }
    // One conditional update: of two enrollments racing for the last seat,
    // the second finds used = bought (PostgreSQL re-reads the row it waited
    // for) and changes nothing.
    let taken = sqlx::query(
        "UPDATE course_seats SET used = used + 1
         WHERE org_id = $1 AND course_id = $2 AND used < bought",
    )
    .bind(org)
    .bind(new.course_id)
    .execute(&mut **tx)
    .await?;
    if taken.rows_affected() == 0 {
        return Err(AppError::Validation(refusal(Refusal::NoSeat)));
    }
    Ok(outcome)
}

/// (bought, used) seats of a course of an organisation.
pub async fn counts(pool: &Pool, org: i64, course_id: i64) -> Result<(i64, i64), sqlx::Error> {
    Ok(
        sqlx::query_as(
            "SELECT bought, used FROM course_seats WHERE org_id = $1 AND course_id = $2",
        )
        .bind(org)
        .bind(course_id)
        .fetch_optional(pool)
        .await?
        .unwrap_or((0, 0)),
    )
}

/// What a course's page says of its seats to `me`: none for a course not
/// sold by the seat.
pub async fn offer(
    pool: &Pool,
    me: &SessionUser,
    course_id: i64,
    card: &CourseCard,
) -> Result<Option<SeatOffer>, sqlx::Error> {
    let Some(list) = card.seat_price_cents else {
        return Ok(None);
    };
    let pct = crate::catalog::queries::pricing(pool, me)
        .await?
        .discount_pct;
    let (bought, used) = if me.org_kind == OrgKind::Customer {
        counts(pool, me.org_id, course_id).await?
    } else {
        (0, 0)
    };
    Ok(Some(SeatOffer {
        price_cents: net_price(list, pct),
        list_price_cents: list,
        left: (me.org_kind == OrgKind::Customer).then(|| rules::seats_left(bought, used)),
        bought,
        can_buy: me.role.has(Permission::PlaceOrders) && card.audience.admits(OrgKind::Customer),
    }))
}

/// Puts seats of a course in the caller's cart (see `api::add_seats_to_cart`).
pub async fn add_to_cart(
    pool: &Pool,
    me: &SessionUser,
    slug: &str,
    quantity: &str,
    add_key: &str,
) -> Result<(), AppError> {
    let quantity = crate::orders::rules::parse_quantity(quantity).map_err(AppError::Validation)?;
    let course: Option<(i64, Option<i64>, rules::Audience)> = sqlx::query_as(
        "SELECT id, seat_price_cents, audience FROM courses WHERE slug = $1 AND published = TRUE",
    )
    .bind(slug.trim())
    .fetch_optional(pool)
    .await?;
    let (id, price, audience) = course
        .filter(|(_, _, audience)| rules::in_audience(me.org_kind, *audience))
        .ok_or_else(|| AppError::NotFound("The course".into()))?;
    if price.is_none() || !audience.admits(OrgKind::Customer) {
        return Err(AppError::validation(
            "This course is not sold by the seat: its learners enrol without one.",
        ));
    }
    crate::orders::submit::add_to_cart(pool, me, LineItem::CourseSeat(id), quantity, add_key).await
}
