//! The shape of the code, checked: the foundation names no domain, and a
//! domain's non-page code names only the domains before it in the order of
//! CONTRIBUTING.md. Pages and islands (files with a `#[component]` or an
//! `#[island]`) sit on top, like the shell: they may compose a later domain's
//! form (the part page's "Add to cart"). `wiring`, `shell`, `dashboard` and
//! `nav` list every domain by design.

/// The domains in their order; a domain may use those of a lower rank (the
/// three of rank 0 use none of each other either).
const DOMAINS: &[(&str, u8)] = &[
    ("audit", 0),
    ("notices", 0),
    ("jobs", 0),
    ("organisations", 1),
    ("accounts", 2),
    ("catalog", 3),
    ("documents", 4),
    ("orders", 5),
    ("learning", 6),
    ("certification", 7),
    ("support", 8),
    ("partners", 9),
];

/// What is above every domain.
const TOP: &[&str] = &["shell", "dashboard", "nav", "wiring"];

/// The foundation: files and folders under `src/` that name no domain.
const FOUNDATION: &[&str] = &[
    "platform",
    "error.rs",
    "ui.rs",
    "dates.rs",
    "vocab.rs",
    "identity.rs",
    "url.rs",
    "file_types.rs",
];

fn src() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `path` (or `path` itself).
fn files(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = vec![];
    for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
        out.extend(files(&entry.path()));
    }
    out.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    out
}

/// The top-level modules a file's code names (`crate::x`, comments left out).
fn named(code: &str) -> Vec<String> {
    let mut out = vec![];
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

fn rank(name: &str) -> Option<u8> {
    DOMAINS.iter().find(|(d, _)| *d == name).map(|(_, r)| *r)
}

fn is_page(code: &str) -> bool {
    code.contains("#[component]") || code.contains("#[island]")
}

#[test]
fn the_foundation_names_no_domain() {
    let mut wrong = vec![];
    for part in FOUNDATION {
        for file in files(&src().join(part)) {
            let code = std::fs::read_to_string(&file).unwrap();
            for name in named(&code) {
                if rank(&name).is_some() || TOP.contains(&name.as_str()) {
                    wrong.push(format!("{} names {name}", file.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "foundation files import domains:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn domains_import_only_the_domains_before_them() {
    let mut wrong = vec![];
    for (domain, own) in DOMAINS {
        for file in files(&src().join(domain)) {
            let code = std::fs::read_to_string(&file).unwrap();
            if is_page(&code) {
                continue;
            }
            for name in named(&code) {
                let later = rank(&name).is_some_and(|r| r >= *own && name != *domain);
                if later || TOP.contains(&name.as_str()) {
                    wrong.push(format!("{} names {name}", file.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the order of domains:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_an_import() {
    // The checks above would pass on an empty tree: make sure they read code.
    assert_eq!(
        named("use crate::orders::hooks; // crate::learning"),
        ["orders"]
    );
    assert!(files(&src().join("platform")).len() > 5);
    assert!(files(&src().join("learning")).len() > 5);
}
