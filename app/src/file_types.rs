//! File types and names, shared by every upload and download (documents,
//! course materials, the catalogue import): which kinds of file are accepted
//! and how each is served, the name a file is downloaded under, its
//! `Content-Disposition`, and a size for people. Pure functions, compiled for
//! the server and the browser; foundation code, naming no domain.

/// File types accepted, by extension: (extension, content type, shown inline).
pub const TYPES: &[(&str, &str, bool)] = &[
    ("pdf", "application/pdf", true),
    ("png", "image/png", true),
    ("jpg", "image/jpeg", true),
    ("jpeg", "image/jpeg", true),
    ("svg", "image/svg+xml", false),
    ("txt", "text/plain; charset=utf-8", false),
    ("csv", "text/csv; charset=utf-8", false),
    ("zip", "application/zip", false),
    ("dxf", "image/vnd.dxf", false),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        false,
    ),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        false,
    ),
];

pub fn extension(filename: &str) -> Option<String> {
    let (_, ext) = filename.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// The content type a file is served with, from its (checked) extension.
pub fn content_type(filename: &str) -> Option<&'static str> {
    let ext = extension(filename)?;
    TYPES.iter().find(|t| t.0 == ext).map(|t| t.1)
}

/// Whether a browser may show the file itself (PDF, pictures) rather than save it.
pub fn shown_inline(filename: &str) -> bool {
    extension(filename)
        .and_then(|ext| TYPES.iter().find(|t| t.0 == ext))
        .is_some_and(|t| t.2)
}

/// The name a file is downloaded under: the last part of what was uploaded,
/// without path or control characters, at most 120 characters.
pub fn download_name(uploaded: &str) -> String {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    let clean: String = clean
        .chars()
        .rev()
        .take(120)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if clean.is_empty() {
        "document".into()
    } else {
        clean
    }
}

/// The `Content-Disposition` header of a download: an ASCII fallback and the
/// UTF-8 name (RFC 6266).
pub fn content_disposition(filename: &str, inline: bool) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '\\')
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A size for people: "840 KB", "2.4 MB".
pub fn format_size(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_never_carry_a_path() {
        assert_eq!(download_name("../../etc/passwd"), "passwd");
        assert_eq!(
            download_name("C:\\Users\\me\\Manual v2.pdf"),
            "Manual v2.pdf"
        );
        assert_eq!(download_name("..hidden.pdf"), "hidden.pdf");
        assert_eq!(download_name("a\"b\r\n.pdf"), "ab.pdf");
        assert_eq!(download_name(""), "document");
        assert_eq!(
            download_name(&format!("{}.pdf", "x".repeat(300)))
                .chars()
                .count(),
            120
        );
    }

    #[test]
    fn disposition_has_an_ascii_and_a_utf8_name() {
        assert_eq!(
            content_disposition("Käyttöohje.pdf", true),
            "inline; filename=\"K_ytt_ohje.pdf\"; filename*=UTF-8''K%C3%A4ytt%C3%B6ohje.pdf"
        );
        assert!(content_disposition("a.zip", false).starts_with("attachment;"));
        assert!(shown_inline("x.PDF") && !shown_inline("x.svg") && !shown_inline("x"));
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(format_size(1), "1 KB");
        assert_eq!(format_size(840 * 1024), "840 KB");
        assert_eq!(format_size(2_516_582), "2.4 MB");
    }
}
