//! Pure rules of the audit trail: reading a search from its text fields and
//! paging. (Exported cells are made safe for spreadsheets by
//! `platform::download::CsvExport`, shared by every export.)

use super::api::{AuditAction, AuditFilter};
use crate::dates::{parse_day, DAY_SECS};

/// Entries per page on the audit page.
pub const PAGE_SIZE: i64 = 50;
/// The most rows one CSV export carries; narrow the search for more.
pub const EXPORT_MAX_ROWS: i64 = 100_000;

/// A checked audit search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditQuery {
    /// Part of the actor's e-mail address, lower-cased.
    pub actor: Option<String>,
    pub org_id: Option<i64>,
    pub action: Option<AuditAction>,
    /// From this moment (start of the first day, UTC).
    pub from: Option<i64>,
    /// Before this moment (end of the last day, UTC).
    pub until: Option<i64>,
    /// 1-based.
    pub page: i64,
}

impl AuditQuery {
    /// Reads the form's fields; `Err` is a message for the person searching.
    pub fn parse(f: &AuditFilter) -> Result<AuditQuery, String> {
        let actor = f.actor.trim().to_lowercase();
        if actor.chars().count() > crate::identity::MAX_EMAIL_CHARS {
            return Err("The actor's e-mail address is too long.".into());
        }
        let org_id = match f.org.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| "Choose an organisation from the list.".to_string())?,
            ),
        };
        let action =
            match f.action.trim() {
                "" => None,
                s => Some(AuditAction::parse(s).ok_or_else(|| {
                    format!("'{}' is not an action of the audit trail.", short(s))
                })?),
            };
        let day = |s: &str, which: &str| -> Result<Option<i64>, String> {
            match s.trim() {
                "" => Ok(None),
                t => parse_day(t)
                    .map(Some)
                    .ok_or_else(|| format!("The {which} date must be a date like 2026-11-24.")),
            }
        };
        let from = day(&f.from, "start")?;
        let until = day(&f.to, "end")?.map(|d| d + DAY_SECS);
        if let (Some(a), Some(b)) = (from, until) {
            if b <= a {
                return Err("The end date is before the start date.".into());
            }
        }
        let page = match f.page.trim() {
            "" => 1,
            s => s
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| "That page does not exist.".to_string())?,
        };
        Ok(AuditQuery {
            actor: (!actor.is_empty()).then_some(actor),
            org_id,
            action,
            from,
            until,
            page,
        })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * PAGE_SIZE
    }
}

/// Pages needed for `total` entries (at least one, for an empty result).
pub fn page_count(total: i64) -> i64 {
    ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` escaped
/// (used with `ESCAPE '\'`).
pub fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(pairs: &[(&str, &str)]) -> AuditFilter {
        let mut f = AuditFilter::default();
        for (k, v) in pairs {
            let v = v.to_string();
            match *k {
                "actor" => f.actor = v,
                "org" => f.org = v,
                "action" => f.action = v,
                "from" => f.from = v,
                "to" => f.to = v,
                "page" => f.page = v,
                _ => unreachable!(),
            }
        }
        f
    }

    #[test]
    fn an_empty_search_is_everything_first_page() {
        let q = AuditQuery::parse(&AuditFilter::default()).unwrap();
        assert_eq!(
            q,
            AuditQuery {
                page: 1,
                ..Default::default()
            }
        );
        assert_eq!(q.offset(), 0);
    }

    #[test]
    fn reads_every_field() {
        let q = AuditQuery::parse(&filter(&[
            ("actor", "  Anna@Example.TEST "),
            ("org", "3"),
            ("action", "user.created"),
            ("from", "2026-11-01"),
            ("to", "2026-11-01"),
            ("page", "3"),
        ]))
        .unwrap();
        assert_eq!(q.actor.as_deref(), Some("anna@example.test"));
        assert_eq!(q.org_id, Some(3));
        assert_eq!(q.action, Some(AuditAction::UserCreated));
        // One whole day: the end date is inclusive.
        assert_eq!(q.until.unwrap() - q.from.unwrap(), DAY_SECS);
        assert_eq!(q.offset(), 2 * PAGE_SIZE);
    }

    #[test]
    fn refuses_what_cannot_be_searched() {
        let err = |pairs: &[(&str, &str)]| AuditQuery::parse(&filter(pairs)).unwrap_err();
        assert_eq!(
            err(&[("from", "2026-11-10"), ("to", "2026-11-09")]),
            "The end date is before the start date."
        );
        assert!(err(&[("action", "user.exploded")]).contains("not an action"));
        assert!(err(&[("from", "yesterday")]).contains("start date"));
        assert!(err(&[("to", "2026-13-01")]).contains("end date"));
        assert!(err(&[("org", "acme")]).contains("organisation"));
        assert!(err(&[("page", "0")]).contains("page"));
        assert!(err(&[("actor", &"a".repeat(300))]).contains("too long"));
    }

    #[test]
    fn pages_and_patterns() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PAGE_SIZE), 1);
        assert_eq!(page_count(PAGE_SIZE + 1), 2);
        assert_eq!(contains_pattern("a_b%c\\"), "%a\\_b\\%c\\\\%");
    }
}
