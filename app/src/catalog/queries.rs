//! Catalog SQL (server-only), in the dialect SQLite and PostgreSQL share; the
//! search, whose full-text part differs between them, is in [`super::search`].

use super::api::*;
use super::rules::{self, UnitScope};
use crate::accounts::SessionUser;
use crate::organisations::OrgKind;
use crate::platform::db::{Db, Pool};
use sqlx::QueryBuilder;

const UNIT_SELECT: &str = "SELECT u.serial, u.model_id, m.code AS model_code, m.name AS model_name,
        c.name AS customer_name, p.name AS partner_name, u.site, u.installed_at, u.warranty_until
     FROM units u
     JOIN equipment_models m ON m.id = u.model_id
     JOIN organisations c ON c.id = u.customer_id
     LEFT JOIN organisations p ON p.id = COALESCE(u.servicing_partner_id, c.assigned_partner_id)";

/// Adds the `WHERE` clause of a unit scope over `units u JOIN organisations c`:
/// [`UnitScope::includes`] in SQL.
pub fn push_unit_scope(q: &mut QueryBuilder<'_, Db>, scope: UnitScope) {
    match scope {
        UnitScope::All => {
            q.push(" WHERE 1 = 1");
        }
        UnitScope::Partner(p) => {
            q.push(" WHERE (c.assigned_partner_id = ")
                .push_bind(p)
                .push(" OR u.servicing_partner_id = ")
                .push_bind(p)
                .push(")");
        }
        UnitScope::Customer(c) => {
            q.push(" WHERE u.customer_id = ").push_bind(c);
        }
    }
}

pub async fn units(pool: &Pool, scope: UnitScope) -> Result<Vec<UnitSummary>, sqlx::Error> {
    let mut q = QueryBuilder::new(UNIT_SELECT);
    push_unit_scope(&mut q, scope);
    q.push(" ORDER BY c.name, u.serial");
    q.build_query_as().fetch_all(pool).await
}

pub async fn unit(
    pool: &Pool,
    scope: UnitScope,
    serial: &str,
) -> Result<Option<UnitSummary>, sqlx::Error> {
    let mut q = QueryBuilder::new(UNIT_SELECT);
    push_unit_scope(&mut q, scope);
    q.push(" AND u.serial = ").push_bind(serial);
    q.build_query_as().fetch_optional(pool).await
}

/// The discount of the caller's organisation: none for the supplier's staff,
/// who see list prices.
pub async fn pricing(pool: &Pool, user: &SessionUser) -> Result<Pricing, sqlx::Error> {
    if user.org_kind == OrgKind::Supplier {
        return Ok(Pricing {
            discount_pct: 0,
            label: String::new(),
        });
    }
    let agreement: Option<(i64, String)> =
        sqlx::query_as("SELECT discount_pct, label FROM price_agreements WHERE org_id = $1")
            .bind(user.org_id)
            .fetch_optional(pool)
            .await?;
    let pct = rules::discount(None, agreement.as_ref().map(|(p, _)| *p));
    Ok(Pricing {
        discount_pct: pct,
        label: agreement.map(|(_, l)| l).unwrap_or_default(),
    })
}

/// The columns of a [`PartRow`] over `parts p LEFT JOIN parts s` (the
/// replacement); `price_cents` is the list price until [`priced`] applies the
/// discount.
pub(super) const PART_COLUMNS: &str = "p.part_number, p.description, p.list_price_cents,
        p.list_price_cents AS price_cents, p.stock_qty, p.lead_time_days,
        s.part_number AS superseded_by";
const PART_FROM: &str = " FROM parts p LEFT JOIN parts s ON s.id = p.superseded_by";

pub(super) fn priced(mut part: PartRow, pct: i64) -> PartRow {
    part.price_cents = rules::net_price(part.list_price_cents, pct);
    part
}

#[derive(sqlx::FromRow)]
struct BomRow {
    assembly_code: String,
    assembly_name: String,
    drawing_width: Option<i64>,
    drawing_height: Option<i64>,
    drawing_sha256: Option<String>,
    item_no: i64,
    quantity: i64,
    callout_x: Option<i64>,
    callout_y: Option<i64>,
    #[sqlx(flatten)]
    part: PartRow,
}

/// A model's assemblies with their drawings and bills of materials, in drawing order.
pub async fn unit_parts(
    pool: &Pool,
    model_id: i64,
    pct: i64,
) -> Result<Vec<AssemblyParts>, sqlx::Error> {
    let sql = format!(
        "SELECT a.code AS assembly_code, a.name AS assembly_name,
                d.width AS drawing_width, d.height AS drawing_height, d.sha256 AS drawing_sha256,
                b.item_no, b.quantity, b.callout_x, b.callout_y, {PART_COLUMNS}
         FROM assemblies a
         LEFT JOIN assembly_drawings d ON d.assembly_id = a.id
         JOIN bom_lines b ON b.assembly_id = a.id
         JOIN parts p ON p.id = b.part_id
         LEFT JOIN parts s ON s.id = p.superseded_by
         WHERE a.model_id = $1 ORDER BY a.position, a.code, b.item_no"
    );
    let rows: Vec<BomRow> = sqlx::query_as(&sql).bind(model_id).fetch_all(pool).await?;
    let mut out: Vec<AssemblyParts> = Vec::new();
    for r in rows {
        if out
            .last()
            .map(|a| a.code != r.assembly_code)
            .unwrap_or(true)
        {
            let drawing = match (r.drawing_width, r.drawing_height, &r.drawing_sha256) {
                (Some(width), Some(height), Some(sha)) => Some(DrawingRef {
                    width,
                    height,
                    version: sha.chars().take(16).collect(),
                }),
                _ => None,
            };
            out.push(AssemblyParts {
                code: r.assembly_code.clone(),
                name: r.assembly_name.clone(),
                drawing,
                lines: Vec::new(),
            });
        }
        if let Some(a) = out.last_mut() {
            a.lines.push(BomLine {
                item_no: r.item_no,
                quantity: r.quantity,
                callout: r.callout_x.zip(r.callout_y),
                part: priced(r.part, pct),
            });
        }
    }
    Ok(out)
}

/// An assembly's drawing (SVG text), by model and assembly code.
pub async fn drawing(
    pool: &Pool,
    model: &str,
    assembly: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT d.svg FROM assembly_drawings d
         JOIN assemblies a ON a.id = d.assembly_id
         JOIN equipment_models m ON m.id = a.model_id
         WHERE m.code = $1 AND a.code = $2",
    )
    .bind(model)
    .bind(assembly)
    .fetch_optional(pool)
    .await
}

pub async fn models(pool: &Pool) -> Result<Vec<ModelRef>, sqlx::Error> {
    sqlx::query_as("SELECT id, code, name FROM equipment_models ORDER BY code")
        .fetch_all(pool)
        .await
}

#[derive(sqlx::FromRow)]
pub(super) struct HitRow {
    pub id: i64,
    #[sqlx(flatten)]
    pub part: PartRow,
}

/// (part id, model code) for the given parts.
pub(super) async fn model_codes(
    pool: &Pool,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(
        "SELECT f.part_id, m.code FROM part_fits f JOIN equipment_models m ON m.id = f.model_id
         WHERE f.part_id IN (",
    );
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(") ORDER BY m.code");
    q.build_query_as().fetch_all(pool).await
}

/// A part by its normalised number, with its id.
pub async fn part_by_key(
    pool: &Pool,
    key: &str,
    pct: i64,
) -> Result<Option<(i64, PartRow)>, sqlx::Error> {
    let sql = format!("SELECT p.id, {PART_COLUMNS}{PART_FROM} WHERE p.pn_key = $1");
    let row: Option<HitRow> = sqlx::query_as(&sql).bind(key).fetch_optional(pool).await?;
    Ok(row.map(|r| (r.id, priced(r.part, pct))))
}

/// The supersession links reachable from a part, (from, to), at most 25 deep
/// (so that a cycle in the data ends the query; the rule reports it).
pub async fn supersession_links(pool: &Pool, id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "WITH RECURSIVE chain (id, next, depth) AS (
             SELECT id, superseded_by, 0 FROM parts WHERE id = $1
             UNION ALL
             SELECT p.id, p.superseded_by, c.depth + 1 FROM chain c JOIN parts p ON p.id = c.next
             WHERE c.depth < 25
         )
         SELECT DISTINCT id, next FROM chain WHERE next IS NOT NULL",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

/// Parts by id, in the order given.
pub async fn parts_by_ids(pool: &Pool, ids: &[i64], pct: i64) -> Result<Vec<PartRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(format!(
        "SELECT p.id, {PART_COLUMNS}{PART_FROM} WHERE p.id IN ("
    ));
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    let rows: Vec<HitRow> = q.build_query_as().fetch_all(pool).await?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.id == *id))
        .map(|r| priced(r.part.clone(), pct))
        .collect())
}

/// The part numbers a part replaces.
pub async fn replaces(pool: &Pool, id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT part_number FROM parts WHERE superseded_by = $1 ORDER BY part_number",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

pub async fn fits(pool: &Pool, id: i64) -> Result<Vec<ModelRef>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.code, m.name FROM part_fits f JOIN equipment_models m ON m.id = f.model_id
         WHERE f.part_id = $1 ORDER BY m.code",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}

pub async fn used_in(pool: &Pool, id: i64) -> Result<Vec<UsedIn>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.code AS model_code, a.code AS assembly_code, a.name AS assembly_name,
                b.item_no, b.quantity
         FROM bom_lines b JOIN assemblies a ON a.id = b.assembly_id
         JOIN equipment_models m ON m.id = a.model_id
         WHERE b.part_id = $1 ORDER BY m.code, a.position, b.item_no",
    )
    .bind(id)
    .fetch_all(pool)
    .await
}
