//! This domain's part of the demo dataset: orders in every status, placed by
//! customers and by a partner for its customer, with their histories.

use super::api::OrderStatus;
use crate::catalog::rules::net_price;
use crate::dates::DAY_SECS;
use crate::platform::{db::Tx, now};

/// (placed by, for customer, PO reference, days ago, lines (part, quantity), the steps after submission)
type DemoOrder = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [(&'static str, i64)],
    &'static [OrderStatus],
);

const ORDERS: &[DemoOrder] = &[
    (
        "ops@globalport.example",
        "GlobalPort Terminals",
        "GP-2026-0412",
        58,
        &[("NL-2203-010", 2), ("NL-2113-009", 6)],
        &[
            OrderStatus::Confirmed,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
        ],
    ),
    (
        "admin@globalport.example",
        "GlobalPort Terminals",
        "GP-2026-0467",
        31,
        &[("NL-1203-011", 8), ("NL-1209-006", 8), ("NL-1207-001", 2)],
        &[OrderStatus::Confirmed, OrderStatus::Shipped],
    ),
    (
        "ops@globalport.example",
        "GlobalPort Terminals",
        "GP-2026-0503",
        9,
        &[("NL-1104-022", 1), ("NL-1104-030", 2)],
        &[OrderStatus::Confirmed],
    ),
    (
        "ops@globalport.example",
        "GlobalPort Terminals",
        "GP-2026-0519",
        2,
        &[("NL-2107-001", 10)],
        &[],
    ),
    (
        "admin@globalport.example",
        "GlobalPort Terminals",
        "GP-2026-0488",
        20,
        &[("NL-1305-030", 4)],
        &[OrderStatus::Cancelled],
    ),
    (
        "tech@balticlift.example",
        "Harbor Logistics",
        "BLS-7781",
        14,
        &[("NL-2307-002", 4), ("NL-2305-008", 1)],
        &[
            OrderStatus::Confirmed,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
        ],
    ),
    (
        "jon@tanner.example",
        "Jon Tanner",
        "",
        40,
        &[("NL-1205-020", 1)],
        &[
            OrderStatus::Confirmed,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
        ],
    ),
];

pub async fn load(tx: &mut Tx) -> Result<(), sqlx::Error> {
    let today = now();
    let staff: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'support@nordlift.example'")
            .fetch_one(&mut **tx)
            .await?;
    for (n, (email, customer, po, days_ago, lines, steps)) in ORDERS.iter().enumerate() {
        let (user, org): (i64, i64) =
            sqlx::query_as("SELECT id, org_id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&mut **tx)
                .await?;
        let customer: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
            .bind(customer)
            .fetch_one(&mut **tx)
            .await?;
        let pct: i64 = sqlx::query_scalar::<_, i64>(
            "SELECT discount_pct FROM price_agreements WHERE org_id = $1",
        )
        .bind(org)
        .fetch_optional(&mut **tx)
        .await?
        .unwrap_or(0);
        let mut priced = Vec::new();
        for (part, quantity) in *lines {
            let (id, list): (i64, i64) =
                sqlx::query_as("SELECT id, list_price_cents FROM parts WHERE part_number = $1")
                    .bind(part)
                    .fetch_one(&mut **tx)
                    .await?;
            priced.push((id, *quantity, net_price(list, pct)));
        }
        let total: i64 = priced.iter().map(|(_, q, p)| q * p).sum();
        let submitted = today - days_ago * DAY_SECS;
        let status = steps.last().copied().unwrap_or(OrderStatus::Submitted);
        let order: i64 = sqlx::query_scalar(
            "INSERT INTO orders (status, ordering_org_id, customer_id, created_by, po_reference,
                 delivery_address, submission_key, discount_pct, total_cents, created_at, submitted_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10) RETURNING id",
        )
        .bind(status)
        .bind(org)
        .bind(customer)
        .bind(user)
        .bind(po)
        .bind("Goods reception, main gate")
        .bind(format!("demo-{n}"))
        .bind(pct)
        .bind(total)
        .bind(submitted)
        .fetch_one(&mut **tx)
        .await?;
        for (part, quantity, price) in priced {
            sqlx::query("INSERT INTO order_lines (order_id, part_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)")
                .bind(order)
                .bind(part)
                .bind(quantity)
                .bind(price)
                .execute(&mut **tx)
                .await?;
        }
        super::queries::add_event(tx, order, submitted, user, OrderStatus::Submitted, "").await?;
        for (i, step) in steps.iter().enumerate() {
            let at = submitted + (i as i64 + 1) * DAY_SECS;
            let by = if *step == OrderStatus::Cancelled {
                user
            } else {
                staff
            };
            let note = match step {
                OrderStatus::Shipped => "Shipped with DHL Freight",
                OrderStatus::Cancelled => "Ordered twice by mistake",
                _ => "",
            };
            super::queries::add_event(tx, order, at, by, *step, note).await?;
        }
    }
    Ok(())
}
