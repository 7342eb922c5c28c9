//! Pure rules of course authoring: what a course's fields may hold, the
//! address (slug) made from a title, and prerequisites that never go round in
//! a circle.

use super::super::rules::{Audience, Level};

/// A lesson's Markdown is at most this long (characters).
pub const MAX_LESSON_CHARS: usize = 100_000;
/// A seat costs at most €100,000.
pub const MAX_SEAT_PRICE_CENTS: i64 = 10_000_000;
/// A course material (a PDF, a picture) is at most this large.
pub const MAX_MATERIAL_BYTES: usize = 32 * 1024 * 1024;

/// A course's fields, as a form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseForm {
    pub title: String,
    pub summary: String,
    pub audience: String,
    pub model: String,
    pub level: String,
    pub duration: String,
    pub validity: String,
    /// Euros a seat, or empty: customers enrol without buying seats.
    pub seat_price: String,
}

/// A course's fields, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseFields {
    pub title: String,
    pub summary: String,
    pub audience: Audience,
    /// An equipment model's code, if the course is about one.
    pub model: Option<String>,
    pub level: Level,
    pub duration_minutes: i64,
    pub validity_months: Option<i64>,
    pub seat_price_cents: Option<i64>,
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title: 3 to 120 characters on one line.
pub fn parse_title(text: &str, what: &str) -> Result<String, String> {
    let t = one_line(text);
    match t.chars().count() {
        0 => Err(format!("Give the {what} a title.")),
        1..=2 => Err(format!("A {what}'s title needs at least 3 characters.")),
        121.. => Err(format!("Keep the {what}'s title to 120 characters.")),
        _ => Ok(t),
    }
}

/// A whole number of minutes within `min..=max`.
pub fn parse_minutes(text: &str, what: &str, min: i64, max: i64) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(m) if (min..=max).contains(&m) => Ok(m),
        _ => Err(format!(
            "The {what} is a whole number of minutes from {min} to {max}."
        )),
    }
}

/// Who a course is for, as a form sends it.
pub fn parse_audience(text: &str) -> Result<Audience, String> {
    Audience::parse(text.trim()).ok_or_else(|| {
        "Choose who the course is for: partner staff, customer staff or both.".into()
    })
}

/// A course's level, as a form sends it.
pub fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text.trim()).ok_or_else(|| "Choose the course's level.".into())
}

/// Checks every field of a course.
pub fn validate_course(f: &CourseForm) -> Result<CourseFields, String> {
    let title = parse_title(&f.title, "course")?;
    let summary = one_line(&f.summary);
    if summary.chars().count() > 300 {
        return Err("Keep the summary to 300 characters: it is shown on the course's card.".into());
    }
    let audience = parse_audience(&f.audience)?;
    let level = parse_level(&f.level)?;
    let duration_minutes = parse_minutes(&f.duration, "duration", 5, 6000)?;
    let validity_months = match f.validity.trim() {
        "" | "0" => None,
        v => match v.parse::<i64>() {
            Ok(m) if (1..=120).contains(&m) => Some(m),
            _ => {
                return Err(
                    "The validity is a number of months from 1 to 120, or empty if a completion never expires."
                        .into(),
                )
            }
        },
    };
    let seat_price_cents = match f.seat_price.trim().trim_start_matches('€').trim() {
        "" => None,
        p => match crate::catalog::rules::price_cents(p) {
            Some(c) if (1..=MAX_SEAT_PRICE_CENTS).contains(&c) => Some(c),
            _ => {
                return Err(
                    "The seat price is in euros, like 180 or 180.50, from 0.01 to 100,000; or empty if customers do not buy seats."
                        .into(),
                )
            }
        },
    };
    if seat_price_cents.is_some() && !audience.admits(crate::organisations::OrgKind::Customer) {
        return Err(
            "Only courses for customer staff are sold by the seat: partner staff are trained without seats."
                .into(),
        );
    }
    let model = Some(f.model.trim())
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    Ok(CourseFields {
        title,
        summary,
        audience,
        model,
        level,
        duration_minutes,
        validity_months,
        seat_price_cents,
    })
}

/// A course's address: lower-case letters, digits and single dashes, 3 to 60
/// characters. Empty text makes one from the title.
pub fn parse_slug(text: &str, title: &str) -> Result<String, String> {
    let source = if text.trim().is_empty() { title } else { text };
    let mut slug = String::new();
    for c in source.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if !text.trim().is_empty() && slug != text.trim() {
        return Err(format!(
            "An address uses lower-case letters, digits and dashes only, like “{slug}”."
        ));
    }
    match slug.len() {
        0..=2 => Err("The course's address needs at least 3 letters or digits.".into()),
        61.. => Err("Keep the course's address to 60 characters.".into()),
        _ => Ok(slug),
    }
}

/// Lesson Markdown as sent: at most [`MAX_LESSON_CHARS`], with line ends made
/// plain.
pub fn parse_lesson_body(text: &str) -> Result<String, String> {
    if text.chars().count() > MAX_LESSON_CHARS {
        return Err(format!(
            "A lesson holds at most {MAX_LESSON_CHARS} characters: split it into two lessons."
        ));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// Whether making `course` require `requires` would close a circle: whether
/// `requires` already leads, through the prerequisites `edges` (course,
/// requires), back to `course`.
pub fn would_cycle(edges: &[(i64, i64)], course: i64, requires: i64) -> bool {
    let mut seen = vec![requires];
    let mut todo = vec![requires];
    while let Some(at) = todo.pop() {
        if at == course {
            return true;
        }
        for &(from, to) in edges {
            if from == at && !seen.contains(&to) {
                seen.push(to);
                todo.push(to);
            }
        }
    }
    false
}

/// The Markdown that shows a material in a lesson: a picture inline, any other
/// file as a download link.
pub fn material_markdown(title: &str, href: &str, content_type: &str) -> String {
    let label: String = title.chars().filter(|c| !"[]()".contains(*c)).collect();
    if content_type.starts_with("image/") {
        format!("![{label}]({href})")
    } else {
        format!("[{label}]({href})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CourseForm {
        CourseForm {
            title: "  LX-200   hydraulics ".into(),
            summary: "Valves and pumps".into(),
            audience: "partner".into(),
            model: "LX-200".into(),
            level: "advanced".into(),
            duration: "90".into(),
            validity: "".into(),
            seat_price: "".into(),
        }
    }

    #[test]
    fn course_fields_are_checked_and_tidied() {
        let f = validate_course(&form()).unwrap();
        assert_eq!(f.title, "LX-200 hydraulics");
        assert_eq!(f.audience, Audience::Partner);
        assert_eq!(f.validity_months, None);
        assert_eq!(f.model.as_deref(), Some("LX-200"));
        let bad = |change: fn(&mut CourseForm)| {
            let mut f = form();
            change(&mut f);
            validate_course(&f).unwrap_err()
        };
        assert!(bad(|f| f.title = "ab".into()).contains("3 characters"));
        assert!(bad(|f| f.audience = "everyone".into()).contains("who the course is for"));
        assert!(bad(|f| f.duration = "4".into()).contains("5 to 6000"));
        assert!(bad(|f| f.duration = "1.5".into()).contains("whole number"));
        assert!(bad(|f| f.validity = "121".into()).contains("1 to 120"));
        assert!(bad(|f| f.summary = "x".repeat(301)).contains("300"));
        let mut f = form();
        f.validity = "24".into();
        assert_eq!(validate_course(&f).unwrap().validity_months, Some(24));
    }

    #[test]
    fn seat_prices_are_euros_and_only_for_courses_customers_take() {
        let mut f = form();
        f.audience = "customer".into();
        for (typed, cents) in [("180", 18_000), (" €180.50 ", 18_050), ("0.01", 1)] {
            f.seat_price = typed.into();
            assert_eq!(
                validate_course(&f).unwrap().seat_price_cents,
                Some(cents),
                "{typed}"
            );
        }
        f.seat_price = "".into();
        assert_eq!(validate_course(&f).unwrap().seat_price_cents, None);
        for bad in ["0", "-5", "12,50", "1.999", "100000.01", "free"] {
            f.seat_price = bad.into();
            assert!(
                validate_course(&f).unwrap_err().contains("seat price"),
                "{bad}"
            );
        }
        f.seat_price = "180".into();
        f.audience = "both".into();
        assert!(validate_course(&f).is_ok());
        f.audience = "partner".into();
        assert!(validate_course(&f).unwrap_err().contains("customer staff"));
    }

    #[test]
    fn addresses_come_from_titles_and_stay_plain() {
        assert_eq!(
            parse_slug("", "LX-200 Hydraulics: Advanced!").unwrap(),
            "lx-200-hydraulics-advanced"
        );
        assert_eq!(
            parse_slug("", "Ölwechsel & Wartung").unwrap(),
            "lwechsel-wartung"
        );
        assert_eq!(parse_slug("door-safety", "x").unwrap(), "door-safety");
        assert!(parse_slug("Door Safety", "x")
            .unwrap_err()
            .contains("door-safety"));
        assert!(parse_slug("../etc", "x").is_err());
        assert!(parse_slug("", "!!").is_err());
        assert!(parse_slug(&"a".repeat(61), "x").is_err());
    }

    #[test]
    fn prerequisites_never_go_round() {
        // 3 requires 2, 2 requires 1.
        let edges = [(3, 2), (2, 1)];
        assert!(would_cycle(&edges, 1, 3), "1 requiring 3 closes 1→3→2→1");
        assert!(would_cycle(&edges, 1, 1));
        assert!(!would_cycle(&edges, 3, 1), "3 may also require 1 directly");
        assert!(!would_cycle(&edges, 4, 3));
    }

    #[test]
    fn lesson_bodies_are_bounded_and_materials_embed() {
        assert_eq!(parse_lesson_body("a\r\nb").unwrap(), "a\nb");
        assert!(parse_lesson_body(&"x".repeat(MAX_LESSON_CHARS + 1)).is_err());
        assert_eq!(
            material_markdown("Pump [front]", "/m/1", "image/png"),
            "![Pump front](/m/1)"
        );
        assert_eq!(
            material_markdown("Checklist", "/m/2", "application/pdf"),
            "[Checklist](/m/2)"
        );
    }
}
