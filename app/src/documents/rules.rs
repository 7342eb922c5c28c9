//! Document rules, pure: kinds, who may read a document, what an upload must
//! be and what a new version does to its level. The name and type a file is
//! served with are `crate::file_types`, shared with every upload.

use crate::file_types::{content_type, download_name, TYPES};
use serde::{Deserialize, Serialize};

/// The largest document accepted (a scanned manual can be large).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Manual,
    Drawing,
    ServiceBulletin,
    PartsList,
}

impl DocKind {
    pub const ALL: [DocKind; 4] = [
        DocKind::Manual,
        DocKind::Drawing,
        DocKind::ServiceBulletin,
        DocKind::PartsList,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Manual => "manual",
            DocKind::Drawing => "drawing",
            DocKind::ServiceBulletin => "service_bulletin",
            DocKind::PartsList => "parts_list",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocKind::Manual => "Manual",
            DocKind::Drawing => "Drawing",
            DocKind::ServiceBulletin => "Service bulletin",
            DocKind::PartsList => "Parts list",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Languages offered for documents: (ISO 639-1 code, name).
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("nl", "Dutch"),
    ("et", "Estonian"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("fi", "Finnish"),
    ("sv", "Swedish"),
];

pub fn language_name(code: &str) -> &str {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
        .unwrap_or(code)
}

/// Who is reading, as far as documents care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader<'a> {
    /// The supplier's staff read every document.
    pub staff: bool,
    pub partner: bool,
    /// The certification levels the reader holds (partner users).
    pub held_levels: &'a [String],
}

/// Whether a reader may read a document of a model: the supplier's staff
/// always; customers and partners only for models in their scope (owned, or
/// owned by a customer the partner serves); a service-level document only for
/// partner users holding the level it names.
pub fn may_read(reader: &Reader<'_>, model_in_scope: bool, required_level: Option<&str>) -> bool {
    if reader.staff {
        return true;
    }
    if !model_in_scope {
        return false;
    }
    match required_level {
        None => true,
        Some(level) => reader.partner && reader.held_levels.iter().any(|l| l == level),
    }
}

/// An upload's fields, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadForm {
    pub title: String,
    pub kind: String,
    pub language: String,
    pub version: String,
    /// A certification level typed in: only readers holding it may read.
    pub required_level: String,
    /// What happens when no level is typed: empty keeps an existing
    /// document's level, [`LEVEL_CHOICE_NONE`] opens it to every customer of
    /// the model.
    pub level_choice: String,
    pub filename: String,
}

/// The `level_choice` that removes a document's certification level.
pub const LEVEL_CHOICE_NONE: &str = "none";

/// What an upload asks of the certification level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelChoice {
    /// Left empty: an existing document keeps its level, a new one has none.
    Keep,
    /// This level, typed in.
    Require(String),
    /// Chosen explicitly: no level, open to every customer of the model.
    OpenToAll,
}

/// What an upload does to its document's certification level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelDecision {
    /// A new document, made with this level.
    New(Option<String>),
    /// An existing document keeps the level it has.
    Kept(Option<String>),
    /// An existing document's level changes, by an explicit choice; the audit
    /// trail records it from → to.
    Changed {
        from: Option<String>,
        to: Option<String>,
    },
}

impl LevelDecision {
    /// The document's level after the upload.
    pub fn level(&self) -> Option<&str> {
        match self {
            LevelDecision::New(level) | LevelDecision::Kept(level) => level.as_deref(),
            LevelDecision::Changed { to, .. } => to.as_deref(),
        }
    }
}

/// The level a document has after an upload. `current` is `None` for a new
/// document, else the level of the existing one (`Some(None)`: it has none).
/// A new version never lowers a document's protection by omission: left
/// empty, the level is kept; only a typed level or the explicit "None"
/// changes it.
pub fn decide_level(current: Option<Option<&str>>, choice: &LevelChoice) -> LevelDecision {
    let wanted = match choice {
        LevelChoice::Keep => None,
        LevelChoice::Require(level) => Some(Some(level.as_str())),
        LevelChoice::OpenToAll => Some(None),
    };
    match (current, wanted) {
        (None, wanted) => LevelDecision::New(wanted.flatten().map(str::to_string)),
        (Some(current), None) => LevelDecision::Kept(current.map(str::to_string)),
        (Some(current), Some(to)) if to == current => {
            LevelDecision::Kept(current.map(str::to_string))
        }
        (Some(from), Some(to)) => LevelDecision::Changed {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
        },
    }
}

/// An upload that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUpload {
    pub title: String,
    pub kind: DocKind,
    pub language: String,
    pub version: String,
    pub level: LevelChoice,
    pub filename: String,
    pub content_type: &'static str,
}

/// Checks an upload; the message says what to fix, about one field at a time.
pub fn validate_upload(form: &UploadForm, size: usize) -> Result<ValidUpload, String> {
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err("Give the document a title of at most 200 characters.".into());
    }
    let kind = DocKind::parse(form.kind.trim()).ok_or("Choose the kind of document.")?;
    let language = form.language.trim().to_ascii_lowercase();
    if !LANGUAGES.iter().any(|(c, _)| *c == language) {
        return Err("Choose the document's language.".into());
    }
    let version = form.version.trim();
    if version.is_empty() || version.chars().count() > 40 {
        return Err(
            "Give the version (for example \"rev C\" or \"2026-03\"), at most 40 characters."
                .into(),
        );
    }
    let level = form.required_level.trim();
    if level.chars().count() > 80 {
        return Err("The certification level is at most 80 characters.".into());
    }
    let level = match (level.is_empty(), form.level_choice.trim()) {
        (true, "") => LevelChoice::Keep,
        (true, LEVEL_CHOICE_NONE) => LevelChoice::OpenToAll,
        (false, "") => LevelChoice::Require(level.to_string()),
        (false, LEVEL_CHOICE_NONE) => {
            return Err(
                "Type a certification level or choose \"None: open to every customer of the model\", not both."
                    .into(),
            )
        }
        _ => return Err("Choose what happens to the certification level.".into()),
    };
    if size == 0 {
        return Err("Choose a file to upload.".into());
    }
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "The file is larger than {} MB.",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let filename = download_name(&form.filename);
    let content_type = content_type(&filename).ok_or_else(|| {
        let list: Vec<&str> = TYPES.iter().map(|t| t.0).collect();
        format!(
            "This kind of file is not accepted. Upload one of: {}.",
            list.join(", ")
        )
    })?;
    Ok(ValidUpload {
        title: title.to_string(),
        kind,
        language,
        version: version.to_string(),
        level,
        filename,
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> UploadForm {
        UploadForm {
            title: "Operation manual".into(),
            kind: "manual".into(),
            language: "en".into(),
            version: "rev C".into(),
            required_level: String::new(),
            level_choice: String::new(),
            filename: "LX-200 operation.pdf".into(),
        }
    }

    #[test]
    fn who_reads_what() {
        let none: Vec<String> = vec![];
        let service = vec!["Service technician".to_string()];
        let staff = Reader {
            staff: true,
            partner: false,
            held_levels: &none,
        };
        let customer = Reader {
            staff: false,
            partner: false,
            held_levels: &none,
        };
        let partner = Reader {
            staff: false,
            partner: true,
            held_levels: &none,
        };
        let certified = Reader {
            staff: false,
            partner: true,
            held_levels: &service,
        };
        assert!(
            may_read(&staff, false, Some("Service technician")),
            "staff: everything"
        );
        assert!(may_read(&customer, true, None));
        assert!(
            !may_read(&customer, false, None),
            "a model the customer does not own"
        );
        assert!(
            !may_read(&customer, true, Some("Service technician")),
            "customers: no service documents"
        );
        assert!(may_read(&partner, true, None));
        assert!(
            !may_read(&partner, true, Some("Service technician")),
            "level not held"
        );
        assert!(may_read(&certified, true, Some("Service technician")));
        assert!(
            !may_read(&certified, true, Some("Master technician")),
            "another level"
        );
        assert!(
            !may_read(&certified, false, Some("Service technician")),
            "out of scope"
        );
    }

    #[test]
    fn uploads_are_checked_field_by_field() {
        let ok = validate_upload(&form(), 1000).unwrap();
        assert_eq!(ok.kind, DocKind::Manual);
        assert_eq!(ok.content_type, "application/pdf");
        assert_eq!(ok.level, LevelChoice::Keep, "left empty: keep");
        let bad = |f: UploadForm, size: usize| validate_upload(&f, size).unwrap_err();
        assert!(bad(
            UploadForm {
                title: " ".into(),
                ..form()
            },
            1
        )
        .contains("title"));
        assert!(bad(
            UploadForm {
                kind: "poster".into(),
                ..form()
            },
            1
        )
        .contains("kind"));
        assert!(bad(
            UploadForm {
                language: "xx".into(),
                ..form()
            },
            1
        )
        .contains("language"));
        assert!(bad(
            UploadForm {
                version: "".into(),
                ..form()
            },
            1
        )
        .contains("version"));
        assert!(bad(form(), 0).contains("Choose a file"));
        assert!(bad(form(), MAX_FILE_BYTES + 1).contains("32 MB"));
        assert!(bad(
            UploadForm {
                filename: "run.exe".into(),
                ..form()
            },
            1
        )
        .contains("not accepted"));
        assert!(bad(
            UploadForm {
                filename: "noextension".into(),
                ..form()
            },
            1
        )
        .contains("not accepted"));
        let lvl = validate_upload(
            &UploadForm {
                required_level: " Service technician ".into(),
                ..form()
            },
            1,
        );
        assert_eq!(
            lvl.unwrap().level,
            LevelChoice::Require("Service technician".into())
        );
        let none = validate_upload(
            &UploadForm {
                level_choice: " none ".into(),
                ..form()
            },
            1,
        );
        assert_eq!(none.unwrap().level, LevelChoice::OpenToAll);
        assert!(bad(
            UploadForm {
                required_level: "Service technician".into(),
                level_choice: LEVEL_CHOICE_NONE.into(),
                ..form()
            },
            1
        )
        .contains("not both"));
        assert!(bad(
            UploadForm {
                level_choice: "lower".into(),
                ..form()
            },
            1
        )
        .contains("certification level"));
    }

    #[test]
    fn a_new_version_never_lowers_the_level_by_omission() {
        let tech = "LX-200 Service technician";
        let require = |l: &str| LevelChoice::Require(l.to_string());
        let some = |l: &str| Some(l.to_string());
        // A new document: the level typed, or none.
        assert_eq!(
            decide_level(None, &require(tech)),
            LevelDecision::New(some(tech))
        );
        assert_eq!(
            decide_level(None, &LevelChoice::Keep),
            LevelDecision::New(None)
        );
        assert_eq!(
            decide_level(None, &LevelChoice::OpenToAll),
            LevelDecision::New(None)
        );
        // The same level typed again: nothing changes.
        assert_eq!(
            decide_level(Some(Some(tech)), &require(tech)),
            LevelDecision::Kept(some(tech))
        );
        assert_eq!(
            decide_level(Some(None), &LevelChoice::OpenToAll),
            LevelDecision::Kept(None)
        );
        // Left empty: the level is kept, whatever it is.
        let kept = decide_level(Some(Some(tech)), &LevelChoice::Keep);
        assert_eq!(kept, LevelDecision::Kept(some(tech)));
        assert_eq!(kept.level(), Some(tech), "the bulletin stays protected");
        assert_eq!(
            decide_level(Some(None), &LevelChoice::Keep),
            LevelDecision::Kept(None)
        );
        // Raised: a level on an open document, recorded from → to.
        let raised = decide_level(Some(None), &require(tech));
        assert_eq!(
            raised,
            LevelDecision::Changed {
                from: None,
                to: some(tech)
            }
        );
        assert_eq!(raised.level(), Some(tech));
        // Lowered or removed only by an explicit choice, recorded from → to.
        assert_eq!(
            decide_level(Some(Some(tech)), &require("LX-200 Installer")),
            LevelDecision::Changed {
                from: some(tech),
                to: some("LX-200 Installer")
            }
        );
        let removed = decide_level(Some(Some(tech)), &LevelChoice::OpenToAll);
        assert_eq!(
            removed,
            LevelDecision::Changed {
                from: some(tech),
                to: None
            }
        );
        assert_eq!(removed.level(), None);
    }
}
