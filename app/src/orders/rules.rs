//! Pure rules of ordering: quantities, the checkout form, the order's
//! statuses and who moves them, totals, and who sees which order.

use super::api::OrderStatus;
use crate::accounts::{Role, SessionUser};
use crate::organisations::OrgKind;

pub const MAX_QUANTITY: i64 = 9_999;
pub const MAX_LINES: usize = 200;

/// A quantity as typed: a whole number from 1 to 9,999.
pub fn parse_quantity(text: &str) -> Result<i64, String> {
    let msg = || format!("Enter a whole number from 1 to {MAX_QUANTITY} as the quantity.");
    let n: i64 = text.trim().parse().map_err(|_| msg())?;
    if (1..=MAX_QUANTITY).contains(&n) {
        Ok(n)
    } else {
        Err(msg())
    }
}

/// "ORD-000042": how people name an order.
pub fn order_number(id: i64) -> String {
    format!("ORD-{id:06}")
}

/// The order id in "ORD-000042" (or "42").
pub fn parse_order_number(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t
        .strip_prefix("ORD-")
        .or_else(|| t.strip_prefix("ord-"))
        .unwrap_or(t);
    digits.parse().ok().filter(|id| *id > 0)
}

/// The checkout form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    pub po_reference: String,
    pub delivery_address: String,
    pub notes: String,
}

/// Checks the checkout form; the error is the message shown.
pub fn validate_checkout(po: &str, address: &str, notes: &str) -> Result<Checkout, String> {
    let po = po.trim();
    let address = address.trim();
    let notes = notes.trim();
    if po.chars().count() > 40 {
        return Err("Keep your purchase-order reference to 40 characters.".into());
    }
    if address.is_empty() {
        return Err("Enter the delivery address.".into());
    }
    if address.chars().count() > 400 {
        return Err("Keep the delivery address to 400 characters.".into());
    }
    if notes.chars().count() > 2_000 {
        return Err("Keep the notes to 2,000 characters.".into());
    }
    Ok(Checkout {
        po_reference: po.to_string(),
        delivery_address: address.to_string(),
        notes: notes.to_string(),
    })
}

/// The statuses an order may move to from `from`, by the supplier's staff.
pub fn next_statuses(from: OrderStatus) -> &'static [OrderStatus] {
    use OrderStatus::*;
    match from {
        Draft => &[],
        Submitted => &[Confirmed, Cancelled],
        Confirmed => &[Shipped, Cancelled],
        Shipped => &[Delivered],
        Delivered | Cancelled => &[],
    }
}

/// Who placed an order: the person, and the organisation they ordered as (a
/// customer, or a partner for its customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedBy {
    pub user_id: i64,
    pub org_id: i64,
}

/// Whether `actor`, of a customer or a partner, may cancel an order placed by
/// `placed` (its status permitting, see [`may_move`]): the person who placed
/// it, and the administrators (customer_admin, partner_admin) of the
/// organisation that placed it. So a customer's admin cancels a colleague's
/// order but a customer_user only their own; a partner's order for its
/// customer is cancelled by its placer or the partner's admin, not by the
/// customer. The supplier's staff move orders by [`next_statuses`] instead.
pub fn may_cancel(actor: &SessionUser, placed: PlacedBy) -> bool {
    actor.org_kind != OrgKind::Supplier
        && actor.org_id == placed.org_id
        && (actor.id == placed.user_id
            || matches!(actor.role, Role::CustomerAdmin | Role::PartnerAdmin))
}

/// Whether `actor` may move an order placed by `placed` from `from` to `to`:
/// the supplier's staff along [`next_statuses`]; those who [`may_cancel`] it
/// may only cancel it while nobody has confirmed it yet.
pub fn may_move(actor: &SessionUser, placed: PlacedBy, from: OrderStatus, to: OrderStatus) -> bool {
    if actor.org_kind == OrgKind::Supplier {
        return next_statuses(from).contains(&to);
    }
    from == OrderStatus::Submitted && to == OrderStatus::Cancelled && may_cancel(actor, placed)
}

/// What a status change does to the course seats an order's seat lines
/// bought: +1 when the supplier confirms it (the seats can be used from
/// then on), -1 when a confirmed order is cancelled (they are given back),
/// 0 otherwise. Seats are not goods: shipping and delivery change nothing.
pub fn seat_grant(from: OrderStatus, to: OrderStatus) -> i64 {
    use OrderStatus::*;
    match (from, to) {
        (Submitted, Confirmed) => 1,
        (Confirmed | Shipped | Delivered, Cancelled) => -1,
        _ => 0,
    }
}

/// The total of (quantity, unit price) lines.
pub fn total(lines: impl IntoIterator<Item = (i64, i64)>) -> i64 {
    lines.into_iter().map(|(q, p)| q * p).sum()
}

/// What the scope rule needs to know about an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderRef {
    pub ordering_org_id: i64,
    pub customer_id: i64,
    /// The partner the customer is assigned to.
    pub customer_partner_id: Option<i64>,
}

/// The orders a user may see (submitted ones; a draft is only its author's
/// cart): the supplier's staff all; a partner the orders it placed and those
/// of the customers assigned to it; a customer the orders placed for it, by
/// itself or by its partner. [`OrderScope::includes`] states it for one order;
/// `queries::push_order_scope` in SQL; a test proves they agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderScope {
    All,
    Partner(i64),
    Customer(i64),
}

impl OrderScope {
    pub fn of(actor: &SessionUser) -> Self {
        match actor.org_kind {
            OrgKind::Supplier => OrderScope::All,
            OrgKind::Partner => OrderScope::Partner(actor.org_id),
            OrgKind::Customer => OrderScope::Customer(actor.org_id),
        }
    }

    pub fn includes(self, o: &OrderRef) -> bool {
        match self {
            OrderScope::All => true,
            OrderScope::Partner(p) => o.ordering_org_id == p || o.customer_partner_id == Some(p),
            OrderScope::Customer(c) => o.customer_id == c,
        }
    }

    /// Whether this scope sees the prices of an order it includes (its lines'
    /// prices, its discount and its total), placed by `ordering_org_id`. A
    /// customer sees the prices it is charged: those of the orders it placed
    /// itself. On an order a partner placed for it the prices are the
    /// partner's buy prices, with the partner's discount: the partner's and the
    /// supplier's business, so the customer sees the items and quantities
    /// only (the partner prices them on its own invoice). The partner and the
    /// supplier's staff see every price.
    pub fn sees_prices(self, ordering_org_id: i64) -> bool {
        match self {
            OrderScope::All | OrderScope::Partner(_) => true,
            OrderScope::Customer(c) => ordering_org_id == c,
        }
    }
}

/// Whom a user orders for: a customer user for its own organisation; a
/// partner user for one of the customers assigned to it (chosen at checkout);
/// the supplier's staff do not order.
pub fn may_order_for(
    actor: &SessionUser,
    customer_id: i64,
    customer_partner_id: Option<i64>,
) -> bool {
    match actor.org_kind {
        OrgKind::Customer => customer_id == actor.org_id,
        OrgKind::Partner => customer_partner_id == Some(actor.org_id),
        OrgKind::Supplier => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{api::test_user, Role};
    use OrderStatus::*;

    #[test]
    fn quantities_are_whole_numbers_from_1_to_9999() {
        assert_eq!(parse_quantity("1"), Ok(1));
        assert_eq!(parse_quantity(" 9999 "), Ok(9_999));
        for bad in [
            "0",
            "10000",
            "-1",
            "1.5",
            "2e3",
            "",
            "abc",
            "99999999999999999999",
        ] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn order_numbers_round_trip() {
        assert_eq!(order_number(42), "ORD-000042");
        assert_eq!(parse_order_number("ORD-000042"), Some(42));
        assert_eq!(parse_order_number("42"), Some(42));
        assert_eq!(parse_order_number("ORD-x"), None);
        assert_eq!(parse_order_number("0"), None);
    }

    #[test]
    fn checkout_needs_an_address_and_bounds_the_text() {
        let ok = validate_checkout(" PO-77 ", " Dock 4\nRotterdam ", "").unwrap();
        assert_eq!(ok.po_reference, "PO-77");
        assert_eq!(ok.delivery_address, "Dock 4\nRotterdam");
        assert!(validate_checkout("", "  ", "")
            .unwrap_err()
            .contains("delivery address"));
        assert!(validate_checkout(&"x".repeat(41), "a", "").is_err());
        assert!(validate_checkout("", &"x".repeat(401), "").is_err());
        assert!(validate_checkout("", "a", &"x".repeat(2_001)).is_err());
    }

    #[test]
    fn seats_are_granted_on_confirmation_and_given_back_on_cancellation() {
        assert_eq!(seat_grant(Submitted, Confirmed), 1);
        assert_eq!(seat_grant(Confirmed, Cancelled), -1);
        assert_eq!(seat_grant(Submitted, Cancelled), 0);
        assert_eq!(seat_grant(Confirmed, Shipped), 0);
        assert_eq!(seat_grant(Shipped, Delivered), 0);
        // Along every allowed move, the grants of an order sum to 0 or 1.
        for path in [
            &[Submitted, Confirmed, Shipped, Delivered][..],
            &[Submitted, Confirmed, Cancelled][..],
            &[Submitted, Cancelled][..],
        ] {
            let sum: i64 = path.windows(2).map(|w| seat_grant(w[0], w[1])).sum();
            assert!(sum == 0 || sum == 1, "{path:?}");
            assert!(path.windows(2).all(|w| next_statuses(w[0]).contains(&w[1])));
        }
    }

    /// A user of `org` with id `id`.
    fn person(role: Role, org: i64, id: i64) -> SessionUser {
        SessionUser {
            id,
            ..test_user(role, org)
        }
    }

    #[test]
    fn statuses_move_forward_only_and_by_the_right_people() {
        let staff = test_user(Role::SupportEngineer, 1);
        let customer = person(Role::CustomerUser, 5, 50);
        let by_customer = PlacedBy {
            user_id: 50,
            org_id: 5,
        };
        let by_other = PlacedBy {
            user_id: 60,
            org_id: 6,
        };
        assert!(may_move(&staff, by_other, Submitted, Confirmed));
        assert!(may_move(&staff, by_other, Confirmed, Shipped));
        assert!(may_move(&staff, by_other, Shipped, Delivered));
        assert!(may_move(&staff, by_other, Confirmed, Cancelled));
        assert!(
            !may_move(&staff, by_other, Shipped, Cancelled),
            "shipped goods are not cancelled"
        );
        assert!(!may_move(&staff, by_other, Delivered, Shipped));
        assert!(
            !may_move(&staff, by_other, Draft, Submitted),
            "only checkout submits"
        );
        assert!(may_move(&customer, by_customer, Submitted, Cancelled));
        assert!(!may_move(&customer, by_customer, Confirmed, Cancelled));
        assert!(!may_move(&customer, by_customer, Submitted, Confirmed));
        assert!(!may_move(&customer, by_other, Submitted, Cancelled));
    }

    #[test]
    fn the_placer_and_the_ordering_organisations_admins_cancel() {
        // A customer (org 5): its admin 51 placed one order, its user 50 another.
        let by_admin = PlacedBy {
            user_id: 51,
            org_id: 5,
        };
        let by_user = PlacedBy {
            user_id: 50,
            org_id: 5,
        };
        let user = person(Role::CustomerUser, 5, 50);
        let colleague = person(Role::CustomerUser, 5, 52);
        let admin = person(Role::CustomerAdmin, 5, 51);
        assert!(may_cancel(&user, by_user), "the orderer");
        assert!(
            !may_cancel(&user, by_admin),
            "a customer_user, the admin's order"
        );
        assert!(
            !may_cancel(&colleague, by_user),
            "a customer_user, a colleague's order"
        );
        assert!(may_cancel(&admin, by_admin));
        assert!(
            may_cancel(&admin, by_user),
            "the admin, a colleague's order"
        );
        assert!(
            !may_cancel(&person(Role::CustomerAdmin, 6, 51), by_user),
            "another organisation's admin"
        );

        // A partner (org 2) ordered for its customer (org 5).
        let by_partner = PlacedBy {
            user_id: 20,
            org_id: 2,
        };
        assert!(may_cancel(&person(Role::PartnerUser, 2, 20), by_partner));
        assert!(may_cancel(&person(Role::PartnerAdmin, 2, 21), by_partner));
        assert!(!may_cancel(&person(Role::PartnerUser, 2, 22), by_partner));
        assert!(
            !may_cancel(&admin, by_partner),
            "the customer, its partner's order"
        );
        assert!(!may_cancel(&person(Role::PartnerAdmin, 3, 30), by_partner));

        // The supplier's staff move statuses instead (may_move).
        let staff = person(Role::Admin, 1, 1);
        assert!(!may_cancel(&staff, by_partner));
        assert!(may_move(&staff, by_partner, Submitted, Cancelled));
        // And the rule holds only while the order is submitted.
        assert!(!may_move(&admin, by_user, Confirmed, Cancelled));
    }

    #[test]
    fn a_customer_sees_no_prices_on_an_order_its_partner_placed() {
        let scope = |role, org| OrderScope::of(&test_user(role, org));
        // Placed by the partner (org 2) for the customer (org 5).
        assert!(!scope(Role::CustomerUser, 5).sees_prices(2));
        assert!(!scope(Role::CustomerAdmin, 5).sees_prices(2));
        assert!(scope(Role::PartnerUser, 2).sees_prices(2));
        assert!(scope(Role::PartnerAdmin, 2).sees_prices(2));
        assert!(scope(Role::SupportEngineer, 1).sees_prices(2));
        assert!(scope(Role::PartnerManager, 1).sees_prices(2));
        // Placed by the customer itself: it sees its prices, and so do its
        // partner and the supplier.
        assert!(scope(Role::CustomerUser, 5).sees_prices(5));
        assert!(scope(Role::PartnerAdmin, 2).sees_prices(5));
        assert!(scope(Role::Admin, 1).sees_prices(5));
    }

    #[test]
    fn totals_add_up_lines() {
        assert_eq!(total([(2, 1_250), (1, 99)]), 2_599);
        assert_eq!(total(Vec::<(i64, i64)>::new()), 0);
    }

    #[test]
    fn orders_are_seen_by_orderer_customer_partner_and_supplier() {
        let by_partner = OrderRef {
            ordering_org_id: 2,
            customer_id: 5,
            customer_partner_id: Some(2),
        };
        let by_customer = OrderRef {
            ordering_org_id: 6,
            customer_id: 6,
            customer_partner_id: None,
        };
        let scope = |role, org| OrderScope::of(&test_user(role, org));
        assert!(scope(Role::Admin, 1).includes(&by_partner));
        assert!(scope(Role::PartnerUser, 2).includes(&by_partner));
        assert!(scope(Role::CustomerUser, 5).includes(&by_partner));
        assert!(!scope(Role::CustomerUser, 6).includes(&by_partner));
        assert!(!scope(Role::PartnerAdmin, 2).includes(&by_customer));
        assert!(scope(Role::CustomerAdmin, 6).includes(&by_customer));
    }

    #[test]
    fn partners_order_for_their_customers_only() {
        let partner = test_user(Role::PartnerUser, 2);
        assert!(may_order_for(&partner, 5, Some(2)));
        assert!(!may_order_for(&partner, 6, None));
        assert!(!may_order_for(&partner, 7, Some(3)));
        let customer = test_user(Role::CustomerUser, 5);
        assert!(may_order_for(&customer, 5, Some(2)));
        assert!(!may_order_for(&customer, 6, None));
        assert!(!may_order_for(&test_user(Role::Admin, 1), 5, None));
    }
}
