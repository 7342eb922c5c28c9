//! Pure rules of ordering: quantities, the checkout form, the order's
//! statuses and who moves them, totals, and who sees which order.

use super::api::OrderStatus;
use crate::accounts::SessionUser;
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

/// Whether `actor` may move an order from `from` to `to`: the supplier's staff
/// along [`next_statuses`]; the ordering organisation may only cancel an order
/// nobody has confirmed yet.
pub fn may_move(actor: &SessionUser, is_orderer: bool, from: OrderStatus, to: OrderStatus) -> bool {
    if actor.org_kind == OrgKind::Supplier {
        return next_statuses(from).contains(&to);
    }
    is_orderer && from == OrderStatus::Submitted && to == OrderStatus::Cancelled
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

    #[test]
    fn statuses_move_forward_only_and_by_the_right_people() {
        let staff = test_user(Role::SupportEngineer, 1);
        let customer = test_user(Role::CustomerUser, 5);
        assert!(may_move(&staff, false, Submitted, Confirmed));
        assert!(may_move(&staff, false, Confirmed, Shipped));
        assert!(may_move(&staff, false, Shipped, Delivered));
        assert!(may_move(&staff, false, Confirmed, Cancelled));
        assert!(
            !may_move(&staff, false, Shipped, Cancelled),
            "shipped goods are not cancelled"
        );
        assert!(!may_move(&staff, false, Delivered, Shipped));
        assert!(
            !may_move(&staff, false, Draft, Submitted),
            "only checkout submits"
        );
        assert!(may_move(&customer, true, Submitted, Cancelled));
        assert!(!may_move(&customer, true, Confirmed, Cancelled));
        assert!(!may_move(&customer, true, Submitted, Confirmed));
        assert!(!may_move(&customer, false, Submitted, Cancelled));
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
