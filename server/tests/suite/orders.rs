//! Cart and orders over HTTP, on both databases: the cart, bad input that
//! changes nothing, idempotent submission under concurrent duplicates, cart
//! writes racing a submit, a partner ordering for its customer (and the prices
//! its customer does not see), statuses with the audit trail and who may
//! cancel, scope by id, reorder and the CSV export (safe for spreadsheets).

use crate::common;

use app::accounts::Logout;
use app::orders::{
    AddToCart, CartCount, GetCart, GetOrder, ListOrders, RemoveCartLine, Reorder, SetOrderStatus,
    SubmitOrder, UpdateCartLine,
};
use axum::http::StatusCode;
use common::{app, expect_not_found, form, TestApp};

pub(crate) const OPS: &str = "ops@globalport.example";

pub(crate) async fn add(
    t: &TestApp,
    cookie: &str,
    part: &str,
    qty: &str,
    unit: &str,
    key: &str,
) -> common::Reply {
    let call = AddToCart {
        part_number: part.into(),
        quantity: qty.into(),
        unit: unit.into(),
        add_key: key.into(),
    };
    t.call(&call, Some(cookie)).await
}

pub(crate) async fn cart(t: &TestApp, cookie: &str) -> serde_json::Value {
    let r = t.call(&GetCart {}, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// The submission key of a fresh checkout form.
pub(crate) async fn checkout_key(t: &TestApp, cookie: &str) -> String {
    cart(t, cookie).await["submission_key"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The checkout form: for `customer` when a partner orders, with a
/// purchase-order reference, to the test's dock.
pub(crate) fn checkout(customer: &str, po: &str, key: &str) -> SubmitOrder {
    SubmitOrder {
        customer_id: customer.into(),
        po_reference: po.into(),
        delivery_address: "Dock 4\nRotterdam".into(),
        notes: String::new(),
        submission_key: key.into(),
    }
}

pub(crate) async fn submit(t: &TestApp, cookie: &str, customer: &str, key: &str) -> common::Reply {
    t.call(&checkout(customer, "PO-4711", key), Some(cookie))
        .await
}

/// Places an order of one NL-1104-022 from the caller's cart (for `customer`
/// when a partner orders) with a purchase-order reference; its id.
pub(crate) async fn place(t: &TestApp, cookie: &str, customer: &str, po: &str) -> String {
    let r = add(t, cookie, "NL-1104-022", "1", "", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let key = checkout_key(t, cookie).await;
    let r = t.call(&checkout(customer, po, &key), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

/// "ORD-000042" of an order id as the submit answers it.
pub(crate) fn number(id: &str) -> String {
    format!("ORD-{:06}", order_id(id))
}

/// An order id as the submit answers it, as the calls take it.
pub(crate) fn order_id(id: &str) -> i64 {
    id.parse()
        .unwrap_or_else(|_| panic!("an order id, not {id:?}"))
}

pub(crate) async fn get_order(t: &TestApp, cookie: &str, id: &str) -> common::Reply {
    t.call(&GetOrder { number: number(id) }, Some(cookie)).await
}

/// Moving an order to a status, without a note.
pub(crate) fn move_to(id: &str, status: &str) -> SetOrderStatus {
    SetOrderStatus {
        order_id: order_id(id),
        status: status.into(),
        note: String::new(),
    }
}

pub(crate) async fn set_status(t: &TestApp, cookie: &str, id: &str, status: &str) -> common::Reply {
    t.call(&move_to(id, status), Some(cookie)).await
}

pub(crate) async fn status_of(t: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

pub(crate) async fn count(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let t = app().await;
    let ops = t.login(OPS).await;
    let lines_before = count(&t, "SELECT COUNT(*) FROM order_lines").await;
    let orders_before = count(&t, "SELECT COUNT(*) FROM orders WHERE status <> 'draft'").await;
    for (qty, why) in [
        ("0", "zero"),
        ("1.5", "fraction"),
        ("10000", "too many"),
        ("two", "text"),
        ("", "empty"),
    ] {
        let r = add(&t, &ops, "NL-1104-022", qty, "", "").await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            r.body
        );
        assert!(r.body.contains("whole number from 1 to 9999"), "{}", r.body);
    }
    assert_eq!(
        add(&t, &ops, "NL-0000-000", "1", "", "").await.status,
        StatusCode::NOT_FOUND
    );
    let old = add(&t, &ops, "NL-1104-020", "1", "", "").await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(old.body.contains("replaced by NL-1104-021"), "{}", old.body);
    // An HX-500 part for an LX-200 unit; another customer's unit.
    let misfit = add(&t, &ops, "NL-2101-003", "1", "LX2-2019-00417", "").await;
    assert_eq!(misfit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        misfit.body.contains("does not fit unit LX2-2019-00417"),
        "{}",
        misfit.body
    );
    let foreign = add(&t, &ops, "NL-2101-003", "1", "HX5-2023-00151", "").await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM order_lines").await,
        lines_before,
        "nothing was added"
    );

    let empty = submit(&t, &ops, "", "k1").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("cart is empty"), "{}", empty.body);
    assert_eq!(
        add(&t, &ops, "NL-2101-003", "2", "HX5-2021-00088", "")
            .await
            .status,
        StatusCode::OK
    );
    let no_address = SubmitOrder {
        po_reference: String::new(),
        delivery_address: "  ".into(),
        ..checkout("", "", "k2")
    };
    let no_address = t.call(&no_address, Some(&ops)).await;
    assert_eq!(no_address.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM orders WHERE status <> 'draft'").await,
        orders_before
    );
    // Staff do not order.
    let staff = t.login("support@nordlift.example").await;
    assert_eq!(
        add(&t, &staff, "NL-1104-022", "1", "", "").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_cart_survives_sign_out_and_the_same_add_form_counts_once() {
    let t = app().await;
    let ops = t.login(OPS).await;
    assert_eq!(
        add(&t, &ops, "nl1104022", "2", "", "form-1").await.status,
        StatusCode::OK
    );
    assert_eq!(
        add(&t, &ops, "nl1104022", "2", "", "form-1").await.status,
        StatusCode::OK,
        "a double click"
    );
    assert_eq!(
        add(&t, &ops, "NL-1104-022", "1", "", "form-2").await.status,
        StatusCode::OK
    );
    t.call(&Logout {}, Some(&ops)).await;
    let other_device = t.login(OPS).await;
    let c = cart(&t, &other_device).await;
    assert_eq!(c["lines"].as_array().unwrap().len(), 1);
    assert_eq!(c["lines"][0]["quantity"], 3);
    assert_eq!(
        c["lines"][0]["unit_price_cents"], 16_192,
        "today's price with the 12 % agreement"
    );
    assert_eq!(c["total_cents"], 3 * 16_192);
    let count = t.call(&CartCount {}, Some(&other_device)).await.json();
    assert_eq!(count, 1);
    let quantity = |quantity: &str| UpdateCartLine {
        part_number: "NL-1104-022".into(),
        course: String::new(),
        quantity: quantity.into(),
    };
    let upd = t.call(&quantity("0"), Some(&other_device)).await;
    assert_eq!(upd.status, StatusCode::UNPROCESSABLE_ENTITY);
    let upd = t.call(&quantity("5"), Some(&other_device)).await;
    assert_eq!(upd.status, StatusCode::OK);
    assert_eq!(cart(&t, &other_device).await["lines"][0]["quantity"], 5);
    let remove = RemoveCartLine {
        part_number: "NL-1104-022".into(),
        course: String::new(),
    };
    let rm = t.call(&remove, Some(&other_device)).await;
    assert_eq!(rm.status, StatusCode::OK);
    assert!(cart(&t, &other_device).await["lines"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn twenty_concurrent_duplicate_submissions_make_one_order() {
    let t = app().await;
    let ops = t.login(OPS).await;
    assert_eq!(
        add(&t, &ops, "NL-2101-003", "1", "", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        add(&t, &ops, "NL-2113-009", "4", "", "").await.status,
        StatusCode::OK
    );
    let key = checkout_key(&t, &ops).await;
    let before = count(&t, "SELECT COUNT(*) FROM orders WHERE status = 'submitted'").await;
    let replies = futures_util::future::join_all((0..20).map(|_| submit(&t, &ops, "", &key))).await;
    let ids: Vec<String> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body.clone()
        })
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM orders WHERE status = 'submitted'").await,
        before + 1
    );
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'order.submitted'"
        )
        .await,
        1
    );
    // A retry after the fact answers the same order; the cart is empty now.
    let again = submit(&t, &ops, "", &key).await;
    assert_eq!(again.body, ids[0]);
    assert_eq!(t.call(&CartCount {}, Some(&ops)).await.json(), 0);

    // Prices were captured: a later list price change does not touch the order.
    sqlx::query("UPDATE parts SET list_price_cents = list_price_cents * 2")
        .execute(&t.state.pool)
        .await
        .unwrap();
    let order = get_order(&t, &ops, &ids[0]).await.json();
    let expected = 342_320 + 4 * 3_212; // 12 % off 389 000 and 3 650
    assert_eq!(order["order"]["total_cents"], expected);
    assert_eq!(order["lines"][0]["unit_price_cents"], 342_320);
    assert_eq!(order["events"][0]["status"], "submitted");
}

#[tokio::test]
async fn a_partner_orders_for_its_customer_only_and_the_customer_sees_it() {
    let t = app().await;
    let tech = t.login("tech@balticlift.example").await;
    let harbor = t.org_id("Harbor Logistics").await.to_string();
    let global = t.org_id("GlobalPort Terminals").await.to_string();
    assert_eq!(
        add(&t, &tech, "NL-2203-010", "2", "HX5-2023-00151", "")
            .await
            .status,
        StatusCode::OK
    );
    let c = cart(&t, &tech).await;
    assert_eq!(c["customers"].as_array().unwrap().len(), 1);
    assert_eq!(c["customers"][0]["name"], "Harbor Logistics");
    let key = c["submission_key"].as_str().unwrap().to_string();
    let none = submit(&t, &tech, "", &key).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_served = submit(&t, &tech, &global, &key).await;
    assert_eq!(not_served.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_served.body.contains("do not serve this customer"),
        "{}",
        not_served.body
    );
    let ok = submit(&t, &tech, &harbor, &key).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let order = GetOrder {
        number: number(&ok.body),
    };
    let get = |cookie: String| {
        let (t, order) = (&t, order.clone());
        async move { t.call(&order, Some(&cookie)).await }
    };
    let seen = get(t.login("admin@harbor.example").await).await;
    assert_eq!(seen.status, StatusCode::OK);
    let o = seen.json();
    assert_eq!(o["order"]["customer"], "Harbor Logistics");
    assert_eq!(o["order"]["ordering_org"], "Baltic Lift Service");
    assert_eq!(o["lines"][0]["quantity"], 2);
    assert!(
        o["lines"][0]["unit_price_cents"].is_null(),
        "the reseller's buy price is not the customer's business: {o}"
    );
    let own = get(tech.clone()).await.json();
    assert_eq!(
        own["lines"][0]["unit_price_cents"], 16_950,
        "the reseller's 25 % off 22 600"
    );
    let other_customer = t.login(OPS).await;
    let other_partner = t.login("agent@iberia.example").await;
    expect_not_found(
        &t,
        &order,
        &[
            ("another customer", &other_customer),
            ("another partner", &other_partner),
        ],
        &[
            "Harbor Logistics",
            "Baltic Lift Service",
            "PO-4711",
            "NL-2203-010",
        ],
    )
    .await;
    assert_eq!(
        get(t.login("pm@nordlift.example").await).await.status,
        StatusCode::OK,
        "the supplier"
    );
}

#[tokio::test]
async fn statuses_move_on_by_the_right_people_into_the_audit_trail() {
    let t = app().await;
    let ops = t.login(OPS).await;
    add(&t, &ops, "NL-1104-022", "1", "", "").await;
    let key = checkout_key(&t, &ops).await;
    let id = submit(&t, &ops, "", &key).await.body;
    let set = |cookie: String, status: &'static str| {
        let (t, call) = (&t, move_to(&id, status));
        async move { t.call(&call, Some(&cookie)).await }
    };
    assert_eq!(
        set(ops.clone(), "confirmed").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the customer does not confirm"
    );
    let jon = t.login("jon@tanner.example").await;
    expect_not_found(
        &t,
        &move_to(&id, "cancelled"),
        &[("another customer", &jon)],
        &["PO-4711"],
    )
    .await;
    assert_eq!(status_of(&t, &id).await, "submitted", "nothing changed");
    let staff = t.login("support@nordlift.example").await;
    assert_eq!(
        set(staff.clone(), "delivered").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no skipping"
    );
    for s in ["confirmed", "shipped"] {
        assert_eq!(set(staff.clone(), s).await.status, StatusCode::OK, "{s}");
    }
    assert_eq!(
        set(ops.clone(), "cancelled").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "shipped goods"
    );
    assert_eq!(set(staff.clone(), "delivered").await.status, StatusCode::OK);
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'order.status_changed'"
        )
        .await,
        3
    );
    let o = get_order(&t, &ops, &id).await.json();
    let history: Vec<&str> = o["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["submitted", "confirmed", "shipped", "delivered"]);
    assert!(o["moves"].as_array().unwrap().is_empty());

    // Reorder puts the lines in the cart again.
    let again = t
        .call(
            &Reorder {
                order_id: order_id(&id),
            },
            Some(&ops),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(
        cart(&t, &ops).await["lines"][0]["part_number"],
        "NL-1104-022"
    );

    // The history filters by status, and the orderer may cancel a submitted order.
    let key = checkout_key(&t, &ops).await;
    let second = submit(&t, &ops, "", &key).await.body;
    let r = set_status(&t, &ops, &second, "cancelled").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = |status: &'static str| {
        let (t, ops) = (&t, ops.clone());
        let call = ListOrders {
            status: status.into(),
            q: "po-4711".into(),
            page: String::new(),
        };
        async move { t.call(&call, Some(&ops)).await.json() }
    };
    assert_eq!(list("").await["total"], 2);
    assert_eq!(list("cancelled").await["total"], 1);
    assert_eq!(list("delivered").await["orders"][0]["id"].to_string(), id);
}

#[tokio::test]
async fn order_lists_apply_the_pure_scope_rule_and_the_export_follows_it() {
    use app::orders::rules::{OrderRef, OrderScope};
    let t = app().await;
    // One order by a customer, one by the partner for its customer.
    let ops = t.login(OPS).await;
    add(&t, &ops, "NL-1104-022", "1", "", "").await;
    let key = checkout_key(&t, &ops).await;
    submit(&t, &ops, "", &key).await;
    let tech = t.login("tech@balticlift.example").await;
    add(&t, &tech, "NL-1104-022", "1", "", "").await;
    let key = checkout_key(&t, &tech).await;
    submit(
        &t,
        &tech,
        &t.org_id("Harbor Logistics").await.to_string(),
        &key,
    )
    .await;

    let all: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT o.id, o.ordering_org_id, o.customer_id, c.assigned_partner_id
         FROM orders o JOIN organisations c ON c.id = o.customer_id WHERE o.status <> 'draft'",
    )
    .fetch_all(&t.state.pool)
    .await
    .unwrap();
    assert!(all.len() >= 2);
    for (email, cookie, me) in t.every_user_signed_in().await {
        let scope = OrderScope::of(&me);
        let mut expected: Vec<i64> = all
            .iter()
            .filter(|(_, o, c, p)| {
                scope.includes(&OrderRef {
                    ordering_org_id: *o,
                    customer_id: *c,
                    customer_partner_id: *p,
                })
            })
            .map(|(id, ..)| *id)
            .collect();
        expected.sort();
        let every = ListOrders {
            status: String::new(),
            q: String::new(),
            page: String::new(),
        };
        let list = t.call(&every, Some(&cookie)).await.json();
        let mut got: Vec<i64> = list["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        got.sort();
        assert_eq!(got, expected, "{email}");
        let csv = t.get("/orders/export.csv", Some(&cookie)).await;
        assert_eq!(csv.status, StatusCode::OK, "{email}");
        assert_eq!(
            csv.body.lines().count(),
            1 + expected.len(),
            "{email}: {}",
            csv.body
        );
    }
    let anon = t.get("/orders/export.csv", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
}

/// Without the wasm a cart form posts natively: the server answers with a
/// redirect back to the page, an error travels in the address, and the page
/// shows it next to the form.
#[tokio::test]
async fn a_plain_form_post_shows_its_error_on_the_page_it_came_from() {
    use axum::http::header;
    let t = app().await;
    let ops = t.login(OPS).await;
    add(&t, &ops, "NL-1104-022", "2", "", "").await;
    let body = form(&[("part_number", "NL-1104-022"), ("quantity", "0")]);
    let r = t.post_plain_form::<UpdateCartLine>(body, &ops).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(
        to.starts_with("http://127.0.0.1:3000/cart?") && to.contains("__err="),
        "{to}"
    );
    let path = to.trim_start_matches("http://127.0.0.1:3000");
    // With the cookie that proves this server sent that error to this browser.
    let proof = r.cookie("careport_form_error").expect("the error's proof");
    let page = t.get(path, Some(&format!("{ops}; {proof}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Enter a whole number from 1 to 9999 as the quantity."),
        "the error shows"
    );
    assert_eq!(
        cart(&t, &ops).await["lines"][0]["quantity"],
        2,
        "nothing changed"
    );
}
