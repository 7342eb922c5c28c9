//! The parts search (server-only SQL). A query is answered tier by tier, each
//! tier by its own index, never by ranking every match:
//!
//! 1. part-number prefix matches, in part-number-key order (the key index);
//! 2. description-word matches that are not already in tier 1, by relevance
//!    (FTS5's bm25 on SQLite, `ts_rank` on PostgreSQL) when there are at most
//!    [`RANK_CAP`] of them, otherwise in catalogue order: ranking thousands of
//!    equally short descriptions costs more than it tells;
//! 3. with no query, every part in part-number order.
//!
//! Counting stops at [`COUNT_CAP`] + 1 per tier, so a one-letter search over a
//! large catalogue costs the same as a precise one; the page then says "more
//! than 1,000" and pages through the first thousand.

use super::api::PartHit;
use super::queries::{model_codes, priced, HitRow, PART_COLUMNS};
use super::rules::{self, PartQuery};
use crate::platform::db::{Db, Pool};
use sqlx::QueryBuilder;

/// Matches counted per tier, at most; the result count is capped here.
pub const COUNT_CAP: i64 = 1000;
/// Word matches are ranked by relevance up to this many.
pub const RANK_CAP: i64 = 500;

/// One page of a search.
#[derive(Debug)]
pub struct Found {
    pub hits: Vec<PartHit>,
    /// Matches in all, at most [`COUNT_CAP`].
    pub total: i64,
    /// There are more than [`COUNT_CAP`] matches.
    pub more: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Prefix,
    Words,
    All,
}

fn tiers(query: &PartQuery) -> Vec<Tier> {
    let mut tiers = Vec::new();
    if !query.key.is_empty() {
        tiers.push(Tier::Prefix);
    }
    if !query.words.is_empty() {
        tiers.push(Tier::Words);
    }
    if tiers.is_empty() {
        tiers.push(Tier::All);
    }
    tiers
}

/// The part-number prefix condition on `p`, in each backend's indexable form
/// (keys hold ASCII letters and digits only, so no pattern character).
fn push_prefix(q: &mut QueryBuilder<'_, Db>, key: &str) {
    #[cfg(not(feature = "postgres"))]
    q.push("p.pn_key GLOB ").push_bind(format!("{key}*"));
    #[cfg(feature = "postgres")]
    q.push("p.pn_key COLLATE \"C\" LIKE ")
        .push_bind(format!("{key}%"));
}

/// The part id of a tier's rows: on SQLite the word tier reads the FTS5 table
/// alone (joining every match to `parts` cost more than the search).
fn id_of(tier: Tier) -> &'static str {
    if cfg!(not(feature = "postgres")) && tier == Tier::Words {
        "parts_fts.rowid"
    } else {
        "p.id"
    }
}

/// `FROM … WHERE …` of a tier.
fn push_from(q: &mut QueryBuilder<'_, Db>, tier: Tier, query: &PartQuery) {
    match tier {
        Tier::Prefix => {
            q.push(" FROM parts p WHERE ");
            push_prefix(q, &query.key);
        }
        Tier::Words => {
            #[cfg(not(feature = "postgres"))]
            {
                // The model's parts are looked up per match, never the other
                // way round (SQLite would otherwise evaluate the MATCH once per
                // part of the model): CROSS JOIN fixes the order.
                q.push(" FROM parts_fts");
                if let Some(m) = query.model_id {
                    q.push(" CROSS JOIN part_fits mf ON mf.part_id = parts_fts.rowid AND mf.model_id = ")
                        .push_bind(m);
                }
                q.push(" WHERE parts_fts MATCH ")
                    .push_bind(rules::fts5_query(&query.words));
                if !query.key.is_empty() {
                    // At most COUNT_CAP ids: later tiers are read only then.
                    q.push(" AND parts_fts.rowid NOT IN (SELECT p.id FROM parts p WHERE ");
                    push_prefix(q, &query.key);
                    q.push(")");
                }
            }
            #[cfg(feature = "postgres")]
            {
                q.push(" FROM parts p WHERE p.search @@ to_tsquery('english', ")
                    .push_bind(rules::tsquery(&query.words))
                    .push(")");
                if !query.key.is_empty() {
                    q.push(" AND NOT ");
                    push_prefix(q, &query.key);
                }
            }
        }
        Tier::All => {
            q.push(" FROM parts p WHERE 1 = 1");
        }
    }
    // One model's parts are few: the planner may start from them.
    if let (Some(m), true) = (query.model_id, id_of(tier) == "p.id") {
        q.push(" AND p.id IN (SELECT mf.part_id FROM part_fits mf WHERE mf.model_id = ")
            .push_bind(m)
            .push(")");
    }
}

/// The sort key of a tier's rows (ties go by id).
#[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
fn push_key(q: &mut QueryBuilder<'_, Db>, tier: Tier, query: &PartQuery, ranked: bool) {
    match tier {
        #[cfg(not(feature = "postgres"))]
        Tier::Prefix => q.push("p.pn_key"),
        #[cfg(feature = "postgres")]
        Tier::Prefix => q.push("p.pn_key COLLATE \"C\""),
        #[cfg(not(feature = "postgres"))]
        Tier::Words if ranked => q.push("parts_fts.rank"),
        #[cfg(feature = "postgres")]
        Tier::Words if ranked => q
            .push("-ts_rank(p.search, to_tsquery('english', ")
            .push_bind(rules::tsquery(&query.words))
            .push("))"),
        // FTS5 yields its matches in rowid order: no sort.
        Tier::Words => q.push(id_of(tier)),
        Tier::All => q.push("p.part_number"),
    };
}

/// The matches per tier, each counted up to [`COUNT_CAP`] + 1. A tier after
/// the cap is not counted: its matches lie beyond the last page (and counting
/// them could mean reading the whole catalogue, as when "BX-1" matches every
/// part by number and as words, and the word tier excludes them all one by one).
async fn counts(pool: &Pool, tiers: &[Tier], query: &PartQuery) -> Result<Vec<i64>, sqlx::Error> {
    let mut counts = Vec::new();
    for tier in tiers {
        if counts.iter().sum::<i64>() > COUNT_CAP {
            counts.push(0);
            continue;
        }
        let mut q = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1");
        push_from(&mut q, *tier, query);
        q.push(" LIMIT ").push_bind(COUNT_CAP + 1).push(") c");
        counts.push(q.build_query_scalar().fetch_one(pool).await?);
    }
    Ok(counts)
}

/// Up to `limit` rows of a tier from `offset`: the page's ids first, by the
/// tier's index, then their parts and replacements.
async fn rows(
    pool: &Pool,
    tier: Tier,
    query: &PartQuery,
    ranked: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<HitRow>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!(
        "SELECT p.id, {PART_COLUMNS} FROM (SELECT {} AS id, ",
        id_of(tier)
    ));
    push_key(&mut q, tier, query, ranked);
    q.push(" AS k");
    push_from(&mut q, tier, query);
    // Keys are unique but for relevance; a second sort column would stop
    // SQLite from reading the key's index (or FTS5's rowids) in order.
    q.push(if ranked {
        " ORDER BY k, id"
    } else {
        " ORDER BY k"
    });
    q.push(" LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset)
        .push(
            ") h JOIN parts p ON p.id = h.id LEFT JOIN parts s ON s.id = p.superseded_by
             ORDER BY h.k, h.id",
        );
    q.build_query_as().fetch_all(pool).await
}

/// A search at the prices `me` pays (the catalogue page and the suggestions
/// as one types both come here): the hits and the pricing they carry.
pub async fn search_for(
    pool: &Pool,
    me: &crate::accounts::SessionUser,
    query: &PartQuery,
) -> Result<(Found, super::api::Pricing), sqlx::Error> {
    let pricing = super::queries::pricing(pool, me).await?;
    Ok((search(pool, query, pricing.discount_pct).await?, pricing))
}

/// One page of parts matching a query, tier after tier, with the count.
pub async fn search(pool: &Pool, query: &PartQuery, pct: i64) -> Result<Found, sqlx::Error> {
    let tiers = tiers(query);
    let counts = counts(pool, &tiers, query).await?;
    let mut offset = query.offset();
    let mut need = rules::PAGE_SIZE;
    let mut page: Vec<HitRow> = Vec::new();
    for (tier, count) in tiers.iter().zip(&counts) {
        if need == 0 {
            break;
        }
        if offset >= *count {
            offset -= count;
            continue;
        }
        let ranked = *tier == Tier::Words && *count <= RANK_CAP;
        let got = rows(pool, *tier, query, ranked, offset, need).await?;
        need -= got.len() as i64;
        offset = 0;
        page.extend(got);
    }
    let ids: Vec<i64> = page.iter().map(|r| r.id).collect();
    let fits = model_codes(pool, &ids).await?;
    let hits = page
        .into_iter()
        .map(|r| PartHit {
            fits: fits
                .iter()
                .filter(|(id, _)| *id == r.id)
                .map(|(_, code)| code.clone())
                .collect(),
            part: priced(r.part, pct),
        })
        .collect();
    let all: i64 = counts.iter().sum();
    Ok(Found {
        hits,
        total: all.min(COUNT_CAP),
        more: all > COUNT_CAP,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_answered_by_the_tiers_it_has() {
        let q = |text: &str| tiers(&PartQuery::parse(text, "", ""));
        assert_eq!(q("NL-1104"), vec![Tier::Prefix, Tier::Words]);
        assert_eq!(q("seal"), vec![Tier::Words]);
        assert_eq!(q(""), vec![Tier::All]);
        assert_eq!(q(" -- "), vec![Tier::All]);
    }
}
