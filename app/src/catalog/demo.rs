//! This domain's part of the demo dataset: two equipment models with three
//! assemblies each and their bills of materials, a generated catalogue of
//! more than 2,000 parts (fasteners, seals, bearings, electrical and hydraulic
//! components) with a few superseded parts, units for every demo customer, and
//! the partners' and the global customer's price agreements.
//!
//! Everything is generated deterministically, so every demo database holds the
//! same part numbers (the browser journeys rely on some of them).

use super::demo_data::*;
use super::rules::part_number_key;
use crate::dates::DAY_SECS;
use crate::platform::{db::Tx, now};
use sqlx::QueryBuilder;

pub async fn load(tx: &mut Tx) -> Result<(), sqlx::Error> {
    for (code, name, description) in MODELS {
        sqlx::query("INSERT INTO equipment_models (code, name, description) VALUES ($1, $2, $3)")
            .bind(code)
            .bind(name)
            .bind(description)
            .execute(&mut **tx)
            .await?;
    }

    // Parts: BOM parts, superseded parts, generated catalogue, in batches.
    let mut parts: Vec<(String, String, i64, i64, i64)> = Vec::new();
    let mut mix = Mix(7);
    for (_, _, _, lines) in BOMS {
        for (number, description, price, _) in *lines {
            parts.push((
                number.to_string(),
                description.to_string(),
                *price,
                1 + mix.below(40),
                3 + mix.below(20),
            ));
        }
    }
    for (number, description, price, _) in SUPERSEDED {
        parts.push((number.to_string(), description.to_string(), *price, 0, 30));
    }
    let generated = generated();
    for g in &generated {
        parts.push((
            g.number.clone(),
            g.description.clone(),
            g.price,
            g.stock,
            g.lead,
        ));
    }
    for chunk in parts.chunks(400) {
        let mut q = QueryBuilder::new(
            "INSERT INTO parts (part_number, pn_key, description, list_price_cents, stock_qty, lead_time_days) ",
        );
        q.push_values(chunk, |mut b, (number, description, price, stock, lead)| {
            b.push_bind(number.clone())
                .push_bind(part_number_key(number))
                .push_bind(description.clone())
                .push_bind(*price)
                .push_bind(*stock)
                .push_bind(*lead);
        });
        q.build().execute(&mut **tx).await?;
    }
    for (old, _, _, new) in SUPERSEDED {
        sqlx::query(
            "UPDATE parts SET superseded_by = (SELECT id FROM parts WHERE part_number = $1)
             WHERE part_number = $2",
        )
        .bind(new)
        .bind(old)
        .execute(&mut **tx)
        .await?;
    }

    // Assemblies, BOM lines and the fits they imply.
    for (position, (model, code, name, lines)) in BOMS.iter().enumerate() {
        let assembly: i64 = sqlx::query_scalar(
            "INSERT INTO assemblies (model_id, code, name, position)
             SELECT id, $1, $2, $3 FROM equipment_models WHERE code = $4 RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(position as i64)
        .bind(model)
        .fetch_one(&mut **tx)
        .await?;
        for (item, (number, _, _, quantity)) in lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO bom_lines (assembly_id, item_no, part_id, quantity)
                 SELECT $1, $2, id, $3 FROM parts WHERE part_number = $4",
            )
            .bind(assembly)
            .bind(item as i64 + 1)
            .bind(quantity)
            .bind(number)
            .execute(&mut **tx)
            .await?;
        }
    }
    sqlx::query(
        "INSERT INTO part_fits (part_id, model_id)
         SELECT DISTINCT b.part_id, a.model_id FROM bom_lines b JOIN assemblies a ON a.id = b.assembly_id",
    )
    .execute(&mut **tx)
    .await?;
    // Newest first, so that a part replaced by a part that was replaced in turn
    // finds its successor's fits already there.
    for (old, _, _, new) in SUPERSEDED.iter().rev() {
        sqlx::query(
            "INSERT INTO part_fits (part_id, model_id)
             SELECT o.id, f.model_id FROM parts o, parts n JOIN part_fits f ON f.part_id = n.id
             WHERE o.part_number = $1 AND n.part_number = $2",
        )
        .bind(old)
        .bind(new)
        .execute(&mut **tx)
        .await?;
    }
    let part_ids: std::collections::HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT part_number, id FROM parts")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
    let model_ids: std::collections::HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM equipment_models")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
    let fits: Vec<(i64, i64)> = generated
        .iter()
        .flat_map(|g| g.fits.iter().map(move |m| (g.number.as_str(), *m)))
        .filter_map(|(number, model)| Some((*part_ids.get(number)?, *model_ids.get(model)?)))
        .collect();
    for chunk in fits.chunks(1000) {
        let mut q = QueryBuilder::new("INSERT INTO part_fits (part_id, model_id) ");
        q.push_values(chunk, |mut b, (part, model)| {
            b.push_bind(*part).push_bind(*model);
        });
        q.build().execute(&mut **tx).await?;
    }

    // Units and price agreements.
    let today = now();
    for (serial, model, customer, site, installed, years) in UNITS {
        let installed_at = crate::dates::parse_day(installed).unwrap_or(today);
        let warranty_until = installed_at + years * 365 * DAY_SECS;
        sqlx::query(
            "INSERT INTO units (serial, model_id, customer_id, servicing_partner_id, site, installed_at, warranty_until)
             SELECT $1, m.id, c.id, c.assigned_partner_id, $2, $3, $4
             FROM equipment_models m, organisations c WHERE m.code = $5 AND c.name = $6",
        )
        .bind(serial)
        .bind(site)
        .bind(installed_at)
        .bind(warranty_until)
        .bind(model)
        .bind(customer)
        .execute(&mut **tx)
        .await?;
    }
    for (org, pct, label) in AGREEMENTS {
        sqlx::query(
            "INSERT INTO price_agreements (org_id, discount_pct, label)
             SELECT id, $1, $2 FROM organisations WHERE name = $3",
        )
        .bind(pct)
        .bind(label)
        .bind(org)
        .execute(&mut **tx)
        .await?;
    }
    load_drawings(tx).await
}

/// The exploded views of the demo assemblies and the callouts of their BOM
/// lines (also loaded alone into a demo database made before drawings existed).
pub async fn load_drawings(tx: &mut Tx) -> Result<(), sqlx::Error> {
    let today = now();
    for (model, assembly, svg, callouts) in DRAWINGS {
        let (width, height) = super::rules::svg_view_box(svg)
            .ok_or_else(|| sqlx::Error::Protocol(format!("{model} {assembly}: no viewBox")))?;
        let sha = crate::platform::files::sha256_hex(svg.as_bytes());
        let assembly_id: i64 = sqlx::query_scalar(
            "SELECT a.id FROM assemblies a JOIN equipment_models m ON m.id = a.model_id
             WHERE m.code = $1 AND a.code = $2",
        )
        .bind(model)
        .bind(assembly)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO assembly_drawings (assembly_id, svg, width, height, sha256, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(assembly_id)
        .bind(svg)
        .bind(width)
        .bind(height)
        .bind(sha)
        .bind(today)
        .execute(&mut **tx)
        .await?;
        for (item, x, y) in *callouts {
            sqlx::query(
                "UPDATE bom_lines SET callout_x = $1, callout_y = $2
                 WHERE assembly_id = $3 AND item_no = $4",
            )
            .bind(x)
            .bind(y)
            .bind(assembly_id)
            .bind(item)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_generated_catalogue_is_large_unique_and_stable() {
        let parts = generated();
        assert!(parts.len() >= 2_000, "{}", parts.len());
        let mut numbers: HashSet<String> = parts.iter().map(|p| p.number.clone()).collect();
        assert_eq!(numbers.len(), parts.len(), "part numbers are unique");
        for (_, _, _, lines) in BOMS {
            for (n, ..) in *lines {
                assert!(numbers.insert(n.to_string()), "{n} is generated too");
            }
        }
        assert_eq!(generated()[100].number, parts[100].number);
        assert_eq!(generated()[100].price, parts[100].price, "deterministic");
    }

    #[test]
    fn superseded_parts_lead_to_parts_of_the_boms() {
        let bom: HashSet<&str> = BOMS
            .iter()
            .flat_map(|(_, _, _, l)| l.iter().map(|p| p.0))
            .collect();
        let old: HashSet<&str> = SUPERSEDED.iter().map(|s| s.0).collect();
        for (_, _, _, new) in SUPERSEDED {
            assert!(bom.contains(new) || old.contains(new), "{new}");
        }
    }

    #[test]
    fn every_assembly_has_a_drawing_with_a_callout_per_bom_line_inside_it() {
        assert_eq!(DRAWINGS.len(), BOMS.len());
        for (model, code, _, lines) in BOMS {
            let (_, _, svg, callouts) = DRAWINGS
                .iter()
                .find(|d| d.0 == *model && d.1 == *code)
                .unwrap_or_else(|| panic!("no drawing for {model} {code}"));
            let (w, h) = super::super::rules::svg_view_box(svg).expect("a viewBox");
            let items: Vec<i64> = callouts.iter().map(|c| c.0).collect();
            let expected: Vec<i64> = (1..=lines.len() as i64).collect();
            assert_eq!(items, expected, "{model} {code}: one callout per BOM line");
            for (item, x, y) in *callouts {
                assert!(
                    (0..=w).contains(x) && (0..=h).contains(y),
                    "{code} item {item}"
                );
            }
            assert!(
                !svg.contains("<script") && !svg.contains(" on"),
                "{code}: inert"
            );
        }
    }
}
