//! Order rules that must hold under races and across organisations, on both
//! databases: a cart write never lands in an order just submitted; no CSV
//! cell can become a formula; only the orderer and the ordering
//! organisation's admins cancel; a customer does not see its partner's prices.

use crate::common;
use crate::orders::*;

use app::orders::{ListOrders, UpdateCartLine};
use axum::http::StatusCode;
use common::app;

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
                let call = UpdateCartLine {
                    part_number: "NL-1104-022".into(),
                    course: String::new(),
                    quantity: qty.clone(),
                };
                t.call(&call, Some(&second)).await
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

    let list = ListOrders {
        status: String::new(),
        q: "BLS-PRICES".into(),
        page: String::new(),
    };
    let list = t.call(&list, Some(&customer)).await.json();
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
