//! Catalog types and server functions: the installed base (units) and the
//! parts catalogue, with the prices of the caller's organisation.

use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An equipment model, as filters and links name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ModelRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// One unit of the installed base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UnitSummary {
    pub serial: String,
    pub model_id: i64,
    pub model_code: String,
    pub model_name: String,
    pub customer_name: String,
    pub partner_name: Option<String>,
    pub site: String,
    pub installed_at: i64,
    pub warranty_until: i64,
}

/// A part with the caller's price and its availability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PartRow {
    pub part_number: String,
    pub description: String,
    pub list_price_cents: i64,
    /// The price the caller's organisation pays (`rules::net_price`).
    pub price_cents: i64,
    pub stock_qty: i64,
    pub lead_time_days: i64,
    /// The part number of the direct replacement, when this part is superseded.
    pub superseded_by: Option<String>,
}

/// The installed base the caller sees, and the server's day (for warranty states).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitList {
    pub units: Vec<UnitSummary>,
    pub today: i64,
}

/// A line of an assembly's bill of materials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BomLine {
    pub item_no: i64,
    pub quantity: i64,
    /// Where the line's numbered callout sits on the assembly's drawing.
    pub callout: Option<(i64, i64)>,
    pub part: PartRow,
}

/// An assembly's exploded-view drawing: its size in drawing units and the
/// version that makes its address (`drawing_href`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawingRef {
    pub width: i64,
    pub height: i64,
    pub version: String,
}

/// The address of an assembly's drawing (`drawings::PATH`); with a version, it
/// may be cached for good.
pub fn drawing_href(model: &str, assembly: &str, version: &str) -> String {
    let enc = crate::url::encode_component;
    let path = format!("/drawings/{}/{}.svg", enc(model), enc(assembly));
    if version.is_empty() {
        path
    } else {
        format!("{path}?v={}", enc(version))
    }
}

/// An assembly of a model, its drawing and its bill of materials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssemblyParts {
    pub code: String,
    pub name: String,
    pub drawing: Option<DrawingRef>,
    pub lines: Vec<BomLine>,
}

/// A unit's page: the unit, and the parts that fit it by assembly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDetail {
    pub unit: UnitSummary,
    pub assemblies: Vec<AssemblyParts>,
    pub pricing: Pricing,
    /// The server's clock, for the warranty state.
    pub today: i64,
}

/// How the caller's prices are made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pricing {
    pub discount_pct: i64,
    /// "Reseller agreement"; empty for list prices.
    pub label: String,
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartSearch {
    pub items: Vec<PartHit>,
    /// Matches in all, at most `search::COUNT_CAP`.
    pub total: i64,
    /// There are more matches than `total` (the count stopped at its cap).
    pub more: bool,
    pub page: i64,
    pub pages: i64,
    pub pricing: Pricing,
}

/// A search result: the part and the codes of the models it fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartHit {
    pub part: PartRow,
    pub fits: Vec<String>,
}

/// Where a part sits in a model: assembly and callout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UsedIn {
    pub model_code: String,
    pub assembly_code: String,
    pub assembly_name: String,
    pub item_no: i64,
    pub quantity: i64,
}

/// A part's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartDetail {
    pub part: PartRow,
    pub pricing: Pricing,
    /// The parts that replace it, in order; the last is the one to order.
    pub replaced_by: Vec<PartRow>,
    /// The chain of replacements is broken in the data (a cycle): say so
    /// instead of offering a part.
    pub chain_broken: bool,
    /// Part numbers this part replaces.
    pub replaces: Vec<String>,
    pub fits: Vec<ModelRef>,
    pub used_in: Vec<UsedIn>,
}

/// The units the caller may see: all for the supplier's staff, the units of its
/// customers (and those it services) for a partner, its own for a customer.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "units/list")]
pub async fn list_units() -> Result<UnitList, AppError> {
    use super::{queries, rules::UnitScope};
    let st = crate::platform::state()?;
    Ok(UnitList {
        units: queries::units(&st.pool, UnitScope::of(&session.user)).await?,
        today: crate::platform::now(),
    })
}

/// One unit and the parts that fit it; a unit outside the caller's scope is
/// not found.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "units/get")]
pub async fn get_unit(serial: String) -> Result<UnitDetail, AppError> {
    use super::{queries, rules::UnitScope};
    let st = crate::platform::state()?;
    let scope = UnitScope::of(&session.user);
    let unit = queries::unit(&st.pool, scope, serial.trim())
        .await?
        .ok_or_else(|| AppError::NotFound("The unit".into()))?;
    let pricing = queries::pricing(&st.pool, &session.user).await?;
    let assemblies = queries::unit_parts(&st.pool, unit.model_id, pricing.discount_pct).await?;
    Ok(UnitDetail {
        unit,
        assemblies,
        pricing,
        today: crate::platform::now(),
    })
}

/// The equipment models, for the catalogue's filter.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "catalog/models")]
pub async fn list_models() -> Result<Vec<ModelRef>, AppError> {
    let st = crate::platform::state()?;
    Ok(super::queries::models(&st.pool).await?)
}

/// Searches the catalogue: a part-number prefix (spaces, dashes and case
/// ignored) or words of the description, ranked, optionally for one model.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "catalog/search")]
pub async fn search_parts(q: String, model: String, page: String) -> Result<PartSearch, AppError> {
    use super::{rules, search};
    let st = crate::platform::state()?;
    let query = rules::PartQuery::parse(&q, &model, &page);
    let (found, pricing) = search::search_for(&st.pool, &session.user, &query).await?;
    let pages = ((found.total + rules::PAGE_SIZE - 1) / rules::PAGE_SIZE).max(1);
    Ok(PartSearch {
        items: found.hits,
        total: found.total,
        more: found.more,
        page: query.page,
        pages,
        pricing,
    })
}

/// A part: price, availability, its replacements, the models and positions it fits.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "catalog/part")]
pub async fn get_part(part_number: String) -> Result<PartDetail, AppError> {
    use super::{queries, rules};
    let st = crate::platform::state()?;
    let key = rules::part_number_key(&part_number);
    let pricing = queries::pricing(&st.pool, &session.user).await?;
    let pct = pricing.discount_pct;
    let (id, part) = queries::part_by_key(&st.pool, &key, pct)
        .await?
        .ok_or_else(|| AppError::NotFound("The part".into()))?;
    let links = queries::supersession_links(&st.pool, id).await?;
    let next = |from: i64| links.iter().find(|(a, _)| *a == from).map(|(_, b)| *b);
    let (replaced_by, chain_broken) = match rules::supersession_chain(id, next) {
        Ok(ids) => (queries::parts_by_ids(&st.pool, &ids, pct).await?, false),
        Err(e) => {
            tracing::warn!(part = %part.part_number, error = ?e, "broken supersession chain");
            (Vec::new(), true)
        }
    };
    Ok(PartDetail {
        replaces: queries::replaces(&st.pool, id).await?,
        fits: queries::fits(&st.pool, id).await?,
        used_in: queries::used_in(&st.pool, id).await?,
        part,
        pricing,
        replaced_by,
        chain_broken,
    })
}
