//! Dates and times as people read and type them. Every timestamp is stored as
//! Unix epoch seconds and shown in UTC, the one clock all nodes and all
//! organisations share.

use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// `2026-11-24 14:05 UTC`, for tables and pages.
pub fn format_utc(epoch_secs: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp(epoch_secs)
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_else(|| "—".into())
}

/// `2026-11-24T14:05:09Z` (RFC 3339), for exports.
pub fn iso_utc(epoch_secs: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from_unix_timestamp(epoch_secs)
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_default()
}

/// `2026-11-24`, for dates without a time (installation, warranty end).
pub fn format_day(epoch_secs: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    OffsetDateTime::from_unix_timestamp(epoch_secs)
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_else(|| "—".into())
}

/// The start (00:00 UTC) of a day typed as `YYYY-MM-DD`, as epoch seconds.
pub fn parse_day(text: &str) -> Option<i64> {
    let fmt = format_description!("[year]-[month]-[day]");
    let day = Date::parse(text.trim(), fmt).ok()?;
    Some(day.midnight().assume_utc().unix_timestamp())
}

/// Seconds in a day, to turn an inclusive end day into an exclusive bound.
pub const DAY_SECS: i64 = 86_400;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(iso_utc(1_795_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(parse_day("2026-11-24"), Some(1_795_478_400));
        assert_eq!(parse_day(" 1970-01-02 "), Some(DAY_SECS));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("24/11/2026"), None);
        assert_eq!(parse_day(""), None);
    }
}
