//! Plain routes that answer with a file (the CSV exports, stored files): who
//! may download, decided like for a server function, and the file's response.

use super::guard::{account_gate, check, Access, Caller};
use crate::error::AppError;
use crate::identity::SessionUser;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

/// The signed-in user allowed to download from `path`: the access check and
/// the account gate of the server functions.
pub fn permitted_user(
    caller: Option<Extension<Caller>>,
    access: Access,
    path: &str,
) -> Result<SessionUser, AppError> {
    let user = caller.and_then(|Extension(c)| c.session.map(|s| s.user));
    check(access, user.as_ref()).and_then(|()| account_gate(user.as_ref(), path))?;
    user.ok_or(AppError::Unauthenticated)
}

/// The answer to a refused download: an anonymous visitor goes to sign-in and
/// comes back to `page`; someone who must first change their password or turn
/// on two-step verification goes there; anything else is its status and message.
pub fn refusal(error: AppError, page: &str) -> Response {
    match error {
        AppError::Unauthenticated => Redirect::to(&format!(
            "/login?next={}",
            crate::url::encode_component(page)
        ))
        .into_response(),
        AppError::PasswordChangeRequired => Redirect::to("/account").into_response(),
        AppError::SecondFactorRequired => Redirect::to("/account/two-step").into_response(),
        e => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN),
            e.to_string(),
        )
            .into_response(),
    }
}

/// A CSV file to download as `filename`; a failure to make it is logged and
/// answered with the generic message.
pub fn csv(filename: &str, body: Result<Vec<u8>, String>) -> Response {
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            let e = AppError::internal(e);
            (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
        }
    }
}

/// The characters that make a spreadsheet read a cell as a formula (or, for
/// a tab and a carriage return, that some read past to one).
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// The characters a spreadsheet in some locale splits a line into cells on
/// (a comma, a semicolon in German, Dutch or French ones, a tab) or a row on.
const CELL_SEPARATORS: [char; 5] = [',', ';', '\t', '\n', '\r'];

/// A cell of an export made safe for every spreadsheet (CSV injection): a
/// formula character (`= + - @`, tab, carriage return) at the start of the
/// cell, or at the start of any piece a spreadsheet could split the cell
/// into (after a `,`, `;`, tab or line break, and any spaces or quotes), gets an
/// apostrophe before it, so that piece reads as text. `PO7;=1+1` becomes
/// `PO7;'=1+1`; an e-mail address or `LX-200` stays as it is.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let mut piece_start = true;
    let mut out: Option<String> = None;
    for (i, c) in cell.char_indices() {
        if piece_start && FORMULA_TRIGGERS.contains(&c) {
            out.get_or_insert_with(|| {
                let mut s = String::with_capacity(cell.len() + 8);
                s.push_str(&cell[..i]);
                s
            })
            .push('\'');
        }
        if let Some(s) = out.as_mut() {
            s.push(c);
        }
        if CELL_SEPARATORS.contains(&c) {
            piece_start = true;
        } else if !c.is_whitespace() && c != '"' {
            // Spaces and a quote before a formula do not stop a spreadsheet
            // that splits the cell from reading it (`;"=1+1"`).
            piece_start = false;
        }
    }
    match out {
        Some(s) => s.into(),
        None => cell.into(),
    }
}

/// A CSV export being written, the one way every export (orders, training,
/// audit) writes its file: the header as given, then rows in which every
/// field is quoted (so no spreadsheet splits a cell on a `;` or a tab in it)
/// and every cell is [`spreadsheet_safe`].
pub struct CsvExport(csv::Writer<Vec<u8>>);

impl CsvExport {
    /// A file that starts with its header row (the export's own column names).
    pub fn new(header: &[&str]) -> Result<Self, String> {
        let mut head = csv::Writer::from_writer(Vec::new());
        head.write_record(header).map_err(|e| e.to_string())?;
        let buf = head.into_inner().map_err(|e| e.to_string())?;
        Ok(CsvExport(
            csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(buf),
        ))
    }

    /// Appends a row; each cell goes through [`spreadsheet_safe`].
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.0
            .write_record(
                cells
                    .into_iter()
                    .map(|c| spreadsheet_safe(c.as_ref()).into_owned()),
            )
            .map_err(|e| e.to_string())
    }

    /// The file's bytes.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.0.into_inner().map_err(|e| e.to_string())
    }
}

/// A stored file may be opened in the browser (a PDF, a picture), but never
/// run anything there.
const STORED_FILE_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; sandbox";

/// What the database says of a stored file.
pub struct StoredFile<'a> {
    /// Its content hash: the only thing its path on disk is made from.
    pub sha256: &'a str,
    pub content_type: &'a str,
    /// The name it is downloaded under (already cleaned at upload).
    pub filename: &'a str,
    pub size_bytes: i64,
    pub cache_control: &'a str,
}

/// Streams a file of the content store with its type, download name, length
/// and a sandboxing CSP; a missing file is logged and answered with the
/// generic message (`page`: where a refusal would send the browser back).
pub async fn stored_file(data_dir: &std::path::Path, f: StoredFile<'_>, page: &str) -> Response {
    use crate::file_types::{content_disposition, shown_inline};
    let Some(path) = super::files::path_of(data_dir, f.sha256) else {
        return refusal(AppError::internal("stored hash is not a hash"), page);
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(e) => {
            return refusal(
                AppError::internal(format!("stored file {}: {e}", path.display())),
                page,
            )
        }
    };
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(f.filename, shown_inline(f.filename)),
            ),
            (header::CONTENT_LENGTH, f.size_bytes.to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                STORED_FILE_POLICY.to_string(),
            ),
            (header::CACHE_CONTROL, f.cache_control.to_string()),
        ],
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether any piece a spreadsheet could make of `cell` (splitting it on
    /// any separator of any locale) starts, after spaces, with a formula
    /// character.
    fn reads_as_formula(cell: &str) -> bool {
        cell.split(CELL_SEPARATORS)
            .any(|piece| piece.trim_start_matches(' ').starts_with(FORMULA_TRIGGERS))
    }

    #[test]
    fn formulas_become_text() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("+31 20 555"), "'+31 20 555");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("\t=1"), "'\t'=1");
        assert_eq!(spreadsheet_safe("\r=1"), "'\r'=1");
        assert_eq!(spreadsheet_safe("  =1"), "  '=1");
    }

    #[test]
    fn a_formula_after_a_separator_becomes_text_too() {
        assert_eq!(spreadsheet_safe("PO7;=1+1"), "PO7;'=1+1");
        assert_eq!(spreadsheet_safe("PO7; =1+1"), "PO7; '=1+1");
        assert_eq!(spreadsheet_safe("PO7,@SUM(A1)"), "PO7,'@SUM(A1)");
        assert_eq!(spreadsheet_safe("a\t-1"), "a\t'-1");
        assert_eq!(spreadsheet_safe("Dock 4\n+31"), "Dock 4\n'+31");
        assert_eq!(spreadsheet_safe("x;;=1"), "x;;'=1");
        assert_eq!(spreadsheet_safe("x;\t=1"), "x;'\t'=1");
        // A quote before the formula: still a formula once split.
        assert_eq!(spreadsheet_safe("PO7;\"=1+1\""), "PO7;\"'=1+1\"");
        assert_eq!(spreadsheet_safe("PO7; \"@x"), "PO7; \"'@x");
        for nasty in [
            "PO7;=1+1",
            "=HYPERLINK(\"http://x\";\"y\")",
            "a,b;c\t@d\n -e\r+f",
            " ; \t ,=x",
            "ok;\r\n=cmd",
        ] {
            let safe = spreadsheet_safe(nasty);
            assert!(!reads_as_formula(&safe), "{nasty:?} -> {safe:?}");
            assert_eq!(
                safe.replace('\'', ""),
                nasty.replace('\'', ""),
                "only quotes added"
            );
        }
    }

    #[test]
    fn ordinary_text_stays_as_it_is() {
        for plain in [
            "anna@example.test",
            "LX-200 lift",
            "Lock-out, tag-out",
            "GP-2026-0412",
            "2026-03-01T10:00:00Z",
            "1234.56",
            "{\"from\":\"submitted\",\"to\":\"cancelled\"}",
            "",
        ] {
            assert!(
                matches!(spreadsheet_safe(plain), std::borrow::Cow::Borrowed(_)),
                "{plain}"
            );
        }
    }

    #[test]
    fn an_export_quotes_every_field_of_its_rows() {
        let mut f = CsvExport::new(&["order", "po_reference"]).unwrap();
        f.row(["ORD-000001", "PO7;=1+1"]).unwrap();
        f.row([String::from("ORD-000002"), String::new()]).unwrap();
        let text = String::from_utf8(f.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "order,po_reference\n\"ORD-000001\",\"PO7;'=1+1\"\n\"ORD-000002\",\"\"\n"
        );
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(&rows[0][1], "PO7;'=1+1");
    }
}
