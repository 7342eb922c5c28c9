//! Cart and orders over HTTP, on both databases: the cart, bad input that
//! changes nothing, idempotent submission under concurrent duplicates, cart
//! writes racing a submit, a partner ordering for its customer (and the prices
//! its customer does not see), statuses with the audit trail and who may
//! cancel, scope by id, reorder and the CSV export (safe for spreadsheets).

use crate::common;

use axum::http::StatusCode;
use common::{app, form, TestApp};

const OPS: &str = "ops@globalport.example";

async fn add(
    t: &TestApp,
    cookie: &str,
    part: &str,
    qty: &str,
    unit: &str,
    key: &str,
) -> common::Reply {
    t.post(
        "/api/cart/add",
        &form(&[
            ("part_number", part),
            ("quantity", qty),
            ("unit", unit),
            ("add_key", key),
        ]),
        Some(cookie),
    )
    .await
}

async fn cart(t: &TestApp, cookie: &str) -> serde_json::Value {
    let r = t.post("/api/cart/get", "", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// The submission key of a fresh checkout form.
async fn checkout_key(t: &TestApp, cookie: &str) -> String {
    cart(t, cookie).await["submission_key"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn submit(t: &TestApp, cookie: &str, customer: &str, key: &str) -> common::Reply {
    t.post(
        "/api/orders/submit",
        &form(&[
            ("customer_id", customer),
            ("po_reference", "PO-4711"),
            ("delivery_address", "Dock 4\nRotterdam"),
            ("notes", ""),
            ("submission_key", key),
        ]),
        Some(cookie),
    )
    .await
}

/// Places an order of one NL-1104-022 from the caller's cart (for `customer`
/// when a partner orders) with a purchase-order reference; its id.
async fn place(t: &TestApp, cookie: &str, customer: &str, po: &str) -> String {
    let r = add(t, cookie, "NL-1104-022", "1", "", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let key = checkout_key(t, cookie).await;
    let r = t
        .post(
            "/api/orders/submit",
            &form(&[
                ("customer_id", customer),
                ("po_reference", po),
                ("delivery_address", "Dock 4\nRotterdam"),
                ("notes", ""),
                ("submission_key", &key),
            ]),
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

/// "ORD-000042" of an order id as the submit answers it.
fn number(id: &str) -> String {
    format!("ORD-{:06}", id.parse::<i64>().unwrap())
}

async fn get_order(t: &TestApp, cookie: &str, id: &str) -> common::Reply {
    t.post(
        "/api/orders/get",
        &form(&[("number", &number(id))]),
        Some(cookie),
    )
    .await
}

async fn set_status(t: &TestApp, cookie: &str, id: &str, status: &str) -> common::Reply {
    t.post(
        "/api/orders/status",
        &form(&[("order_id", id), ("status", status), ("note", "")]),
        Some(cookie),
    )
    .await
}

async fn status_of(t: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

async fn count(t: &TestApp, sql: &str) -> i64 {
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
    let no_address = t
        .post(
            "/api/orders/submit",
            &form(&[
                ("po_reference", ""),
                ("delivery_address", "  "),
                ("submission_key", "k2"),
            ]),
            Some(&ops),
        )
        .await;
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
    t.post("/api/accounts/logout", "", Some(&ops)).await;
    let other_device = t.login(OPS).await;
    let c = cart(&t, &other_device).await;
    assert_eq!(c["lines"].as_array().unwrap().len(), 1);
    assert_eq!(c["lines"][0]["quantity"], 3);
    assert_eq!(
        c["lines"][0]["unit_price_cents"], 16_192,
        "today's price with the 12 % agreement"
    );
    assert_eq!(c["total_cents"], 3 * 16_192);
    let count = t
        .post("/api/cart/count", "", Some(&other_device))
        .await
        .json();
    assert_eq!(count, 1);
    let upd = t
        .post(
            "/api/cart/update",
            &form(&[("part_number", "NL-1104-022"), ("quantity", "0")]),
            Some(&other_device),
        )
        .await;
    assert_eq!(upd.status, StatusCode::UNPROCESSABLE_ENTITY);
    let upd = t
        .post(
            "/api/cart/update",
            &form(&[("part_number", "NL-1104-022"), ("quantity", "5")]),
            Some(&other_device),
        )
        .await;
    assert_eq!(upd.status, StatusCode::OK);
    assert_eq!(cart(&t, &other_device).await["lines"][0]["quantity"], 5);
    let rm = t
        .post(
            "/api/cart/remove",
            &form(&[("part_number", "NL-1104-022")]),
            Some(&other_device),
        )
        .await;
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
    assert_eq!(t.post("/api/cart/count", "", Some(&ops)).await.json(), 0);

    // Prices were captured: a later list price change does not touch the order.
    sqlx::query("UPDATE parts SET list_price_cents = list_price_cents * 2")
        .execute(&t.state.pool)
        .await
        .unwrap();
    let order = t
        .post(
            "/api/orders/get",
            &form(&[(
                "number",
                &format!("ORD-{:06}", ids[0].parse::<i64>().unwrap()),
            )]),
            Some(&ops),
        )
        .await
        .json();
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
    let number = format!("ORD-{:06}", ok.body.parse::<i64>().unwrap());
    let get = |cookie: String| {
        let (t, number) = (&t, number.clone());
        async move {
            t.post(
                "/api/orders/get",
                &form(&[("number", &number)]),
                Some(&cookie),
            )
            .await
        }
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
    assert_eq!(
        get(t.login(OPS).await).await.status,
        StatusCode::NOT_FOUND,
        "another customer"
    );
    assert_eq!(
        get(t.login("agent@iberia.example").await).await.status,
        StatusCode::NOT_FOUND,
        "another partner"
    );
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
        let (t, id) = (&t, id.clone());
        async move {
            t.post(
                "/api/orders/status",
                &form(&[("order_id", &id), ("status", status), ("note", "")]),
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(
        set(ops.clone(), "confirmed").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the customer does not confirm"
    );
    let jon = t.login("jon@tanner.example").await;
    assert_eq!(
        set(jon, "cancelled").await.status,
        StatusCode::NOT_FOUND,
        "another customer"
    );
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
    let number = format!("ORD-{:06}", id.parse::<i64>().unwrap());
    let o = t
        .post("/api/orders/get", &form(&[("number", &number)]), Some(&ops))
        .await
        .json();
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
        .post(
            "/api/orders/reorder",
            &form(&[("order_id", &id)]),
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
    let r = t
        .post(
            "/api/orders/status",
            &form(&[("order_id", &second), ("status", "cancelled")]),
            Some(&ops),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = |status: &'static str| {
        let (t, ops) = (&t, ops.clone());
        async move {
            t.post(
                "/api/orders/list",
                &form(&[("status", status), ("q", "po-4711"), ("page", "")]),
                Some(&ops),
            )
            .await
            .json()
        }
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
        let list = t.post("/api/orders/list", "", Some(&cookie)).await.json();
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
    use axum::body::Body;
    use axum::http::{header, Request};
    let t = app().await;
    let ops = t.login(OPS).await;
    add(&t, &ops, "NL-1104-022", "2", "", "").await;
    let body = form(&[("part_number", "NL-1104-022"), ("quantity", "0")]);
    let req = Request::post("/api/cart/update")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, "http://127.0.0.1:3000/cart")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, &ops)
        .body(Body::from(body))
        .unwrap();
    let r = t.send(req).await;
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

/// Two sessions of one person: one submits the cart while the other changes
/// it (a quantity, new lines). Every write lands either in the order before
/// its prices are captured or in a new cart, never in the submitted order
/// afterwards: each order's lines at their captured prices add up to its
/// total. (On PostgreSQL, under READ COMMITTED, a write used to slip in
/// between the submit's reading of the lines and its commit; SQLite runs the
/// transactions one at a time.) The writers start a little later each round,
/// so that they meet the submit at every step of it.
#[tokio::test]
async fn a_cart_write_racing_a_submit_never_lands_in_the_submitted_order() {
    use std::collections::BTreeMap;
    use std::time::Duration;
    const ROUNDS: u64 = 40;
    let t = app().await;
    let first = t.login(OPS).await;
    let second = t.login(OPS).await;
    let ops_id = t.user_id(OPS).await;
    let before = count(&t, "SELECT COALESCE(MAX(id), 0) FROM orders").await;
    for round in 0..ROUNDS {
        let r = add(&t, &first, "NL-1104-022", "1", "", "").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let key = checkout_key(&t, &first).await;
        let qty = (2 + round % 5).to_string();
        let later = |micros: u64| tokio::time::sleep(Duration::from_micros(micros));
        let (submitted, updated, added, added_too) = tokio::join!(
            submit(&t, &first, "", &key),
            async {
                later(round * 150).await;
                t.post(
                    "/api/cart/update",
                    &form(&[("part_number", "NL-1104-022"), ("quantity", &qty)]),
                    Some(&second),
                )
                .await
            },
            async {
                later((ROUNDS - round) * 150).await;
                add(&t, &second, "NL-2113-009", "1", "", "").await
            },
            async {
                later(round * 397 % 6_000).await;
                add(&t, &second, "NL-2203-010", "1", "", "").await
            },
        );
        assert_eq!(
            submitted.status,
            StatusCode::OK,
            "round {round}: {}",
            submitted.body
        );
        // The update finds no line when it comes after the submit (the new
        // cart does not hold the part).
        assert!(
            matches!(updated.status, StatusCode::OK | StatusCode::NOT_FOUND),
            "round {round}: {} {}",
            updated.status,
            updated.body
        );
        assert_eq!(
            added.status,
            StatusCode::OK,
            "round {round}: {}",
            added.body
        );
        assert_eq!(
            added_too.status,
            StatusCode::OK,
            "round {round}: {}",
            added_too.body
        );
    }
    let rows: Vec<(i64, Option<i64>, i64, Option<i64>)> = sqlx::query_as(
        "SELECT o.id, o.total_cents, l.quantity, l.unit_price_cents
         FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.created_by = $1 AND o.status <> 'draft' AND o.id > $2 ORDER BY o.id, l.id",
    )
    .bind(ops_id)
    .bind(before)
    .fetch_all(&t.state.pool)
    .await
    .unwrap();
    let mut orders: BTreeMap<i64, (Option<i64>, i64)> = BTreeMap::new();
    for (id, total, quantity, price) in rows {
        let price = price.unwrap_or_else(|| {
            panic!("order {id} holds a line without a captured price (quantity {quantity})")
        });
        orders.entry(id).or_insert((total, 0)).1 += quantity * price;
    }
    assert_eq!(orders.len() as u64, ROUNDS, "one order per round");
    for (id, (total, lines)) in orders {
        assert_eq!(
            total,
            Some(lines),
            "order {id}: its lines at their captured prices make its total"
        );
    }
}

/// A purchase-order reference made to become a formula in a spreadsheet
/// that splits cells on `;` (German, Dutch, French) reaches the export as
/// text: quoted, and with no piece of it that starts like a formula.
#[tokio::test]
async fn a_po_reference_cannot_become_a_formula_in_the_orders_csv() {
    const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    const SEPARATORS: [char; 5] = [',', ';', '\t', '\n', '\r'];
    let starts_a_formula = |piece: &str| piece.trim_start_matches([' ', '"']).starts_with(FORMULA);
    let t = app().await;
    let ops = t.login(OPS).await;
    let id = place(&t, &ops, "", "PO7;=1+1").await;
    let csv = t.get("/orders/export.csv", Some(&ops)).await;
    assert_eq!(csv.status, StatusCode::OK);

    // Read as the file says (commas, quotes): the cell keeps its text, and
    // no piece of it a spreadsheet could split off starts a formula.
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let head = reader.headers().unwrap().clone();
    let po_col = head.iter().position(|h| h == "po_reference").unwrap();
    let row = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| r[0] == number(&id))
        .expect("the order is exported");
    let cell = &row[po_col];
    assert_eq!(cell.replace('\'', ""), "PO7;=1+1", "{cell}");
    assert!(
        !cell.split(SEPARATORS).any(starts_a_formula),
        "{cell:?} reads as a formula"
    );

    // Read by a spreadsheet that splits on `;` or tabs and ignores quotes:
    // still no cell starts a formula.
    let line = csv
        .body
        .lines()
        .find(|l| l.contains("PO7"))
        .expect("the order's line");
    assert!(line.contains("\"PO7;"), "the field is quoted: {line}");
    for piece in line.split([';', '\t']) {
        assert!(!starts_a_formula(piece), "{piece:?} of {line:?}");
    }
    for piece in csv.body.split([';', '\t', '\n', '\r']) {
        assert!(!starts_a_formula(piece), "{piece:?}");
    }
}

/// Who may cancel: the person who placed the order and the administrators of
/// the organisation that placed it; a customer_user not a colleague's order,
/// and a customer not what its partner ordered for it.
#[tokio::test]
async fn only_the_orderer_and_the_ordering_organisations_admins_cancel() {
    let t = app().await;
    let admin = t.login("admin@globalport.example").await;
    let ops = t.login(OPS).await;
    let by_admin = place(&t, &admin, "", "GP-ADMIN").await;
    let by_ops = place(&t, &ops, "", "GP-OPS-1").await;
    let by_ops_too = place(&t, &ops, "", "GP-OPS-2").await;

    // A customer_user cannot cancel the admin's order, nor is offered to.
    let events = count(&t, "SELECT COUNT(*) FROM order_events").await;
    let audited = count(&t, "SELECT COUNT(*) FROM audit_events").await;
    let r = set_status(&t, &ops, &by_admin, "cancelled").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(status_of(&t, &by_admin).await, "submitted");
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM order_events").await,
        events,
        "nothing changed"
    );
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM audit_events").await,
        audited
    );
    let seen = get_order(&t, &ops, &by_admin).await.json();
    assert_eq!(seen["moves"], serde_json::json!([]), "{seen}");
    let page = t
        .get(&format!("/orders/{}", number(&by_admin)), Some(&ops))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Mark cancelled"), "no Cancel button");

    // The orderer cancels their own order.
    let own = get_order(&t, &ops, &by_ops).await.json();
    assert_eq!(own["moves"], serde_json::json!(["cancelled"]), "{own}");
    let r = set_status(&t, &ops, &by_ops, "cancelled").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(status_of(&t, &by_ops).await, "cancelled");

    // The admin cancels a colleague's.
    let page = t
        .get(&format!("/orders/{}", number(&by_ops_too)), Some(&admin))
        .await;
    assert!(page.body.contains("Mark cancelled"), "the Cancel button");
    let r = set_status(&t, &admin, &by_ops_too, "cancelled").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(status_of(&t, &by_ops_too).await, "cancelled");

    // A partner's order for its customer: the partner's admin cancels it, the
    // customer's admin does not.
    let tech = t.login("tech@balticlift.example").await;
    let harbor = t.org_id("Harbor Logistics").await.to_string();
    let by_partner = place(&t, &tech, &harbor, "BLS-1").await;
    let harbor_admin = t.login("admin@harbor.example").await;
    let r = set_status(&t, &harbor_admin, &by_partner, "cancelled").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(status_of(&t, &by_partner).await, "submitted");
    let partner_admin = t.login("admin@balticlift.example").await;
    let r = set_status(&t, &partner_admin, &by_partner, "cancelled").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(status_of(&t, &by_partner).await, "cancelled");
}

/// A customer sees the items and quantities of an order its partner placed
/// for it, but not the partner's prices, discount or total (server function,
/// list, page, CSV); the partner and the supplier see them.
#[tokio::test]
async fn a_customer_sees_no_partner_prices_on_an_order_placed_for_it() {
    let t = app().await;
    let tech = t.login("tech@balticlift.example").await;
    let harbor = t.org_id("Harbor Logistics").await.to_string();
    let id = place(&t, &tech, &harbor, "BLS-PRICES").await;
    let customer = t.login("admin@harbor.example").await;

    let r = get_order(&t, &customer, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let o = r.json();
    assert_eq!(o["lines"][0]["part_number"], "NL-1104-022");
    assert_eq!(o["lines"][0]["quantity"], 1);
    assert!(o["lines"][0]["unit_price_cents"].is_null(), "{o}");
    assert!(o["order"]["total_cents"].is_null(), "{o}");
    assert!(o["discount_pct"].is_null(), "{o}");
    assert_eq!(o["priced_by"], "Baltic Lift Service");

    let list = t
        .post(
            "/api/orders/list",
            &form(&[("q", "BLS-PRICES")]),
            Some(&customer),
        )
        .await
        .json();
    assert_eq!(list["orders"][0]["id"].to_string(), id);
    assert!(list["orders"][0]["total_cents"].is_null(), "{list}");

    let page = t
        .get(&format!("/orders/{}", number(&id)), Some(&customer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Priced by Baltic Lift Service: ask them for your prices."));
    assert!(!page.body.contains("discount applied"));
    assert!(!page.body.contains("€138.00"));

    let total_in_csv = |cookie: String| {
        let (t, n) = (&t, number(&id));
        async move {
            let csv = t.get("/orders/export.csv", Some(&cookie)).await;
            assert_eq!(csv.status, StatusCode::OK);
            let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
            let col = reader
                .headers()
                .unwrap()
                .iter()
                .position(|h| h == "total_eur")
                .unwrap();
            let row = reader
                .records()
                .map(|r| r.unwrap())
                .find(|r| r[0] == n)
                .expect("the order is exported");
            row[col].to_string()
        }
    };
    assert_eq!(total_in_csv(customer.clone()).await, "");

    // The partner and the supplier see the prices, as before.
    let own = get_order(&t, &tech, &id).await.json();
    assert_eq!(
        own["lines"][0]["unit_price_cents"], 13_800,
        "25 % off 18 400"
    );
    assert_eq!(own["order"]["total_cents"], 13_800);
    assert_eq!(own["discount_pct"], 25);
    assert!(own["priced_by"].is_null());
    let page = t
        .get(&format!("/orders/{}", number(&id)), Some(&tech))
        .await;
    assert!(page.body.contains("Total (25 % discount applied)"));
    assert_eq!(total_in_csv(tech.clone()).await, "138.00");
    let staff = t.login("support@nordlift.example").await;
    assert_eq!(
        get_order(&t, &staff, &id).await.json()["order"]["total_cents"],
        13_800
    );
    assert_eq!(total_in_csv(staff).await, "138.00");

    // An order the customer placed itself shows it its prices.
    let own_order = place(&t, &customer, "", "HL-OWN").await;
    let o = get_order(&t, &customer, &own_order).await.json();
    assert!(o["order"]["total_cents"].is_i64(), "{o}");
    assert!(o["priced_by"].is_null());
}
