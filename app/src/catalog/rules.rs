//! Pure rules of the catalog: part-number normalisation, the search query,
//! prices, availability, supersession chains, warranty, and who sees which unit.

use crate::accounts::SessionUser;
use crate::organisations::OrgKind;
use std::collections::HashSet;

/// The longest supersession chain followed before it is called broken.
pub const MAX_CHAIN: usize = 20;
/// Search results per page.
pub const PAGE_SIZE: i64 = 25;

/// A part number as it is searched and compared: upper case, letters and digits
/// only (spaces, dashes, dots and slashes are how people and ERPs differ).
pub fn part_number_key(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A search as typed: a part-number prefix (when the text has a digit, it may
/// be one) and the words of a description, both bounded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartQuery {
    /// The normalised text, matched as a part-number prefix; empty for none.
    pub key: String,
    /// Lower-case words (letters and digits), at most 8, for the full-text search.
    pub words: Vec<String>,
    pub model_id: Option<i64>,
    /// 1-based.
    pub page: i64,
}

impl PartQuery {
    pub fn parse(text: &str, model: &str, page: &str) -> Self {
        let text: String = text.chars().take(100).collect();
        let key = if text.chars().any(|c| c.is_ascii_digit()) {
            part_number_key(&text)
        } else {
            String::new()
        };
        let words = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .take(8)
            .collect();
        PartQuery {
            key,
            words,
            model_id: model.trim().parse().ok().filter(|id| *id > 0),
            page: page
                .trim()
                .parse()
                .ok()
                .filter(|p| *p >= 1)
                .unwrap_or(1)
                .min(10_000),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.key.is_empty() && self.words.is_empty()
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * PAGE_SIZE
    }
}

/// The words as an SQLite FTS5 query: every word as a quoted prefix (the
/// quotes keep FTS syntax out), all required.
pub fn fts5_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words as a PostgreSQL `to_tsquery` text: prefixes, all required.
/// Words hold letters and digits only, so nothing else of tsquery's syntax can
/// appear.
pub fn tsquery(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("{}:*", w.replace(|c: char| !c.is_alphanumeric(), "")))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The price after a discount in whole percent (0 to 90), rounded to the cent.
pub fn net_price(list_cents: i64, discount_pct: i64) -> i64 {
    let pct = discount_pct.clamp(0, 90);
    list_cents - (list_cents * pct + 50) / 100
}

/// The discount an organisation gets: the better of its partner tier's and its
/// own agreement's. (Tiers come with the partner audit; until then `None`.)
pub fn discount(tier_pct: Option<i64>, agreement_pct: Option<i64>) -> i64 {
    tier_pct
        .unwrap_or(0)
        .max(agreement_pct.unwrap_or(0))
        .clamp(0, 90)
}

/// A price in euros as ERPs and people write it (`1234.5`, `1234.50`, `0`) in cents.
pub fn price_cents(text: &str) -> Option<i64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || whole.len() > 8
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let cents = format!("{frac:0<2}").parse::<i64>().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + cents)
}

/// "€1,234.50".
pub fn format_eur(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}€{}.{:02}", thousands(cents / 100), cents % 100)
}

/// A whole number with thousands separators: "100,000".
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// Whether a part can be had now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    InStock(i64),
    LeadTime(i64),
}

pub fn availability(stock_qty: i64, lead_time_days: i64) -> Availability {
    if stock_qty > 0 {
        Availability::InStock(stock_qty)
    } else {
        Availability::LeadTime(lead_time_days.max(1))
    }
}

impl Availability {
    pub fn label(self) -> String {
        match self {
            Availability::InStock(n) => format!("In stock ({n})"),
            Availability::LeadTime(1) => "Ships in 1 day".into(),
            Availability::LeadTime(d) => format!("Ships in {d} days"),
        }
    }
}

/// Why a supersession chain cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// The chain comes back to a part it passed (the ids in order).
    Cycle(Vec<i64>),
    /// Longer than [`MAX_CHAIN`].
    TooLong,
}

/// The parts that replace `start`, in order (`start` → a → b: `[a, b]`; empty
/// when it is current). `next` gives a part's replacement. A cycle, which
/// imported data could hold, is reported, never followed forever.
pub fn supersession_chain(
    start: i64,
    next: impl Fn(i64) -> Option<i64>,
) -> Result<Vec<i64>, ChainError> {
    let mut seen = HashSet::from([start]);
    let mut chain = Vec::new();
    let mut at = start;
    while let Some(n) = next(at) {
        if !seen.insert(n) {
            let mut cycle = vec![start];
            cycle.extend(&chain);
            cycle.push(n);
            return Err(ChainError::Cycle(cycle));
        }
        if chain.len() == MAX_CHAIN {
            return Err(ChainError::TooLong);
        }
        chain.push(n);
        at = n;
    }
    Ok(chain)
}

/// A unit's warranty on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warranty {
    Active { days_left: i64 },
    Expired,
}

pub fn warranty(until: i64, now: i64) -> Warranty {
    if now <= until {
        Warranty::Active {
            days_left: (until - now) / crate::dates::DAY_SECS,
        }
    } else {
        Warranty::Expired
    }
}

/// What the scope rule needs to know about a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitRef {
    pub customer_id: i64,
    /// The partner the customer is assigned to.
    pub customer_partner_id: Option<i64>,
    pub servicing_partner_id: Option<i64>,
}

/// The units a user may see: the queries apply it in SQL
/// (`queries::push_unit_scope`) and [`UnitScope::includes`] states it for one
/// unit; a test proves the two agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitScope {
    /// Supplier staff: the whole installed base.
    All,
    /// Partner staff: units of the customers assigned to the partner, and the
    /// units it services.
    Partner(i64),
    /// Customer staff: their own organisation's units.
    Customer(i64),
}

impl UnitScope {
    pub fn of(actor: &SessionUser) -> Self {
        match actor.org_kind {
            OrgKind::Supplier => UnitScope::All,
            OrgKind::Partner => UnitScope::Partner(actor.org_id),
            OrgKind::Customer => UnitScope::Customer(actor.org_id),
        }
    }

    pub fn includes(self, unit: &UnitRef) -> bool {
        match self {
            UnitScope::All => true,
            UnitScope::Partner(p) => {
                unit.customer_partner_id == Some(p) || unit.servicing_partner_id == Some(p)
            }
            UnitScope::Customer(c) => unit.customer_id == c,
        }
    }
}

/// The size of an SVG drawing in its own units: the width and height of the
/// root element's `viewBox` ("min-x min-y width height"), whole and positive.
/// Callout positions are given in these units.
pub fn svg_view_box(svg: &str) -> Option<(i64, i64)> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let start = root.find("viewBox=\"")? + "viewBox=\"".len();
    let value = &root[start..start + root[start..].find('"')?];
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w >= 1.0 && h >= 1.0 && w <= 100_000.0 && h <= 100_000.0 => {
            Some((w.round() as i64, h.round() as i64))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{api::test_user, Role};

    #[test]
    fn prices_in_euros() {
        assert_eq!(price_cents("12.5"), Some(1250));
        assert_eq!(price_cents("0"), Some(0));
        assert_eq!(price_cents("7480.00"), Some(748_000));
        for bad in ["", "-1", "1,5", "1.234", "abc", ".5", "123456789"] {
            assert_eq!(price_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn part_numbers_compare_without_punctuation_or_case() {
        assert_eq!(part_number_key("nl-4102-118"), "NL4102118");
        assert_eq!(part_number_key(" NL 4102.118 "), "NL4102118");
        assert_eq!(part_number_key("NL/4102/118"), "NL4102118");
        assert_eq!(part_number_key("ø-"), "");
    }

    #[test]
    fn a_query_is_a_part_number_prefix_and_words() {
        let q = PartQuery::parse("NL4102 brake", "3", "2");
        assert_eq!(q.key, "NL4102BRAKE");
        assert_eq!(q.words, ["nl4102", "brake"]);
        assert_eq!((q.model_id, q.page, q.offset()), (Some(3), 2, PAGE_SIZE));
        let words = PartQuery::parse("Door roller", "", "x");
        assert_eq!(words.key, "", "no digit: not a part number");
        assert_eq!((words.model_id, words.page), (None, 1));
        assert!(PartQuery::parse("  -- ", "", "").is_empty());
        assert_eq!(PartQuery::parse(&"a ".repeat(50), "", "").words.len(), 8);
        assert_eq!(PartQuery::parse("x", "-4", "-1").model_id, None);
    }

    #[test]
    fn full_text_queries_carry_no_syntax_of_their_own() {
        let words = vec!["brake".to_string(), "pad\"s".to_string()];
        assert_eq!(fts5_query(&words), "\"brake\"* \"pads\"*");
        let words = PartQuery::parse("o-ring 45x3 | !nbr & (x)", "", "").words;
        assert_eq!(tsquery(&words), "o:* & ring:* & 45x3:* & nbr:* & x:*");
    }

    #[test]
    fn prices_round_to_the_cent_and_discounts_are_bounded() {
        assert_eq!(net_price(10_000, 25), 7_500);
        assert_eq!(net_price(999, 12), 879, "119.88 cents off, rounded to 120");
        assert_eq!(net_price(1, 50), 0, "half a cent rounds the discount up");
        assert_eq!(net_price(10_000, 0), 10_000);
        assert_eq!(net_price(10_000, 200), 1_000, "at most 90 %");
        assert_eq!(net_price(10_000, -5), 10_000);
        assert_eq!(discount(Some(10), Some(25)), 25);
        assert_eq!(discount(Some(30), None), 30);
        assert_eq!(discount(None, None), 0);
    }

    #[test]
    fn euros_are_written_as_people_read_them() {
        assert_eq!(format_eur(0), "€0.00");
        assert_eq!(format_eur(5), "€0.05");
        assert_eq!(format_eur(123_456), "€1,234.56");
        assert_eq!(format_eur(100_000_000), "€1,000,000.00");
        assert_eq!(format_eur(-250), "-€2.50");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(thousands(100_000u64), "100,000");
    }

    #[test]
    fn availability_says_when() {
        assert_eq!(availability(4, 10).label(), "In stock (4)");
        assert_eq!(availability(0, 10).label(), "Ships in 10 days");
        assert_eq!(availability(0, 0).label(), "Ships in 1 day");
    }

    #[test]
    fn supersession_chains_are_followed_and_cycles_refused() {
        let links = |pairs: &'static [(i64, i64)]| {
            move |id: i64| pairs.iter().find(|(a, _)| *a == id).map(|(_, b)| *b)
        };
        assert_eq!(supersession_chain(1, links(&[])), Ok(vec![]));
        assert_eq!(
            supersession_chain(1, links(&[(1, 2), (2, 3)])),
            Ok(vec![2, 3])
        );
        assert_eq!(supersession_chain(2, links(&[(1, 2), (2, 3)])), Ok(vec![3]));
        assert_eq!(
            supersession_chain(1, links(&[(1, 2), (2, 3), (3, 1)])),
            Err(ChainError::Cycle(vec![1, 2, 3, 1]))
        );
        assert_eq!(
            supersession_chain(1, links(&[(1, 2), (2, 3), (3, 2)])),
            Err(ChainError::Cycle(vec![1, 2, 3, 2]))
        );
        assert_eq!(
            supersession_chain(1, |id| Some(id + 1)),
            Err(ChainError::TooLong)
        );
    }

    #[test]
    fn warranty_ends_after_its_last_day() {
        let day = crate::dates::DAY_SECS;
        assert_eq!(
            warranty(10 * day, 3 * day),
            Warranty::Active { days_left: 7 }
        );
        assert_eq!(
            warranty(10 * day, 10 * day),
            Warranty::Active { days_left: 0 }
        );
        assert_eq!(warranty(10 * day, 10 * day + 1), Warranty::Expired);
    }

    #[test]
    fn units_are_seen_by_their_customer_partner_and_the_supplier() {
        let unit = UnitRef {
            customer_id: 5,
            customer_partner_id: Some(2),
            servicing_partner_id: None,
        };
        let serviced = UnitRef {
            customer_id: 6,
            customer_partner_id: None,
            servicing_partner_id: Some(3),
        };
        let scope = |role, org| UnitScope::of(&test_user(role, org));
        assert!(scope(Role::SupportEngineer, 1).includes(&unit));
        assert!(scope(Role::CustomerUser, 5).includes(&unit));
        assert!(!scope(Role::CustomerAdmin, 6).includes(&unit));
        assert!(scope(Role::PartnerUser, 2).includes(&unit));
        assert!(!scope(Role::PartnerUser, 3).includes(&unit));
        assert!(scope(Role::PartnerAdmin, 3).includes(&serviced));
        assert!(!scope(Role::PartnerAdmin, 2).includes(&serviced));
    }
    #[test]
    fn view_box_of_a_drawing() {
        let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 520" width="800"><rect/></svg>"#;
        assert_eq!(svg_view_box(svg), Some((800, 520)));
        assert_eq!(
            svg_view_box(r#"<svg viewBox="10,10, 640.4 480"></svg>"#),
            Some((640, 480))
        );
        assert_eq!(
            svg_view_box(r#"<svg width="800"></svg>"#),
            None,
            "no viewBox"
        );
        assert_eq!(
            svg_view_box(r#"<svg viewBox="0 0 0 520"></svg>"#),
            None,
            "empty"
        );
        assert_eq!(
            svg_view_box(r#"<svg viewBox="0 0 800"></svg>"#),
            None,
            "three numbers"
        );
        assert_eq!(svg_view_box(r#"<svg viewBox="a b c d"></svg>"#), None);
        assert_eq!(
            svg_view_box(r#"<svg><g viewBox="0 0 1 1"/></svg>"#),
            None,
            "only the root's"
        );
        assert_eq!(svg_view_box("not a drawing"), None);
    }
}
