//! The catalogue import's rules, pure (no I/O): the four CSV files an ERP
//! exports (parts; BOM lines; model fits; supersessions) read into typed rows,
//! every row checked, and the files checked against each other and against
//! what the catalogue already holds. The result is all or nothing: either
//! every row is good, or the list of every faulty row with its file, line
//! number and reason.
//!
//! Formats (a header row names the columns, in any order; other columns are
//! ignored; UTF-8, comma-separated, quotes as RFC 4180):
//! - parts: `part_number, description, list_price` (EUR, `1234.50`),
//!   `stock_qty`, `lead_time_days`
//! - BOM lines: `model, assembly, assembly_name, item, part_number, quantity`
//! - fits: `part_number, model`
//! - supersessions: `part_number, replaced_by`

use super::rules::{part_number_key, price_cents, supersession_chain, ChainError};
use std::collections::{HashMap, HashSet};

/// Rows over this many in one file are refused (a generous bound on memory).
pub const MAX_ROWS: usize = 500_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Parts,
    Bom,
    Fits,
    Supersessions,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Parts => "parts",
            FileKind::Bom => "BOM lines",
            FileKind::Fits => "model fits",
            FileKind::Supersessions => "supersessions",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            FileKind::Parts => &[
                "part_number",
                "description",
                "list_price",
                "stock_qty",
                "lead_time_days",
            ],
            FileKind::Bom => &[
                "model",
                "assembly",
                "assembly_name",
                "item",
                "part_number",
                "quantity",
            ],
            FileKind::Fits => &["part_number", "model"],
            FileKind::Supersessions => &["part_number", "replaced_by"],
        }
    }
}

/// One faulty row (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: FileKind,
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRow {
    pub part_number: String,
    pub key: String,
    pub description: String,
    pub list_price_cents: i64,
    pub stock_qty: i64,
    pub lead_time_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BomRow {
    pub model: String,
    pub assembly: String,
    pub assembly_name: String,
    pub item: i64,
    pub part_key: String,
    pub quantity: i64,
}

/// Everything an import will write, once every row passed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub parts: Vec<PartRow>,
    pub bom: Vec<BomRow>,
    /// (part key, model code)
    pub fits: Vec<(String, String)>,
    /// (part key, replacement key)
    pub supersessions: Vec<(String, String)>,
}

/// What the catalogue already holds, for the checks across files.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Part-number keys of parts already in the catalogue.
    pub parts: HashSet<String>,
    /// Model codes.
    pub models: HashSet<String>,
    /// Current supersessions in the catalogue (part key → replacement key).
    pub supersessions: HashMap<String, String>,
}

/// The files as uploaded; an absent file is `None`.
#[derive(Debug, Clone, Default)]
pub struct Files<'a> {
    pub parts: Option<&'a [u8]>,
    pub bom: Option<&'a [u8]>,
    pub fits: Option<&'a [u8]>,
    pub supersessions: Option<&'a [u8]>,
}

/// Reads and checks the files. `progress` is told the rows read so far.
pub fn check(
    files: &Files<'_>,
    known: &Known,
    mut progress: impl FnMut(usize),
) -> Result<Catalogue, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut out = Catalogue::default();
    let mut read = 0usize;
    let mut tick = |n: &mut usize| {
        *n += 1;
        if (*n).is_multiple_of(10_000) {
            progress(*n);
        }
    };

    // Parts, and the keys they bring.
    let mut first_line: HashMap<String, u64> = HashMap::new();
    if let Some(bytes) = files.parts {
        for_each_row(FileKind::Parts, bytes, &mut errors, |line, row| {
            tick(&mut read);
            let part = parse_part(row)?;
            if let Some(first) = first_line.insert(part.key.clone(), line) {
                return Err(format!("part {} is also on line {first}", part.part_number));
            }
            out.parts.push(part);
            Ok(())
        });
    }
    let part_known = |key: &str| first_line.contains_key(key) || known.parts.contains(key);

    if let Some(bytes) = files.bom {
        let mut items: HashMap<(String, String, i64), u64> = HashMap::new();
        for_each_row(FileKind::Bom, bytes, &mut errors, |line, row| {
            tick(&mut read);
            let model = text(row, "model", 40)?;
            if !known.models.contains(&model) {
                return Err(format!("model {model} is not in the catalogue"));
            }
            let assembly = text(row, "assembly", 20)?;
            let assembly_name = text(row, "assembly_name", 120)?;
            let item = whole(row, "item", 1, 9_999)?;
            let (number, key) = part_ref(row, "part_number")?;
            if !part_known(&key) {
                return Err(format!(
                    "part {number} is neither in the parts file nor in the catalogue"
                ));
            }
            let quantity = whole(row, "quantity", 1, 9_999)?;
            if let Some(first) = items.insert((model.clone(), assembly.clone(), item), line) {
                return Err(format!(
                    "item {item} of {model} {assembly} is also on line {first}"
                ));
            }
            out.bom.push(BomRow {
                model,
                assembly,
                assembly_name,
                item,
                part_key: key,
                quantity,
            });
            Ok(())
        });
    }

    if let Some(bytes) = files.fits {
        for_each_row(FileKind::Fits, bytes, &mut errors, |_, row| {
            tick(&mut read);
            let (number, key) = part_ref(row, "part_number")?;
            if !part_known(&key) {
                return Err(format!(
                    "part {number} is neither in the parts file nor in the catalogue"
                ));
            }
            let model = text(row, "model", 40)?;
            if !known.models.contains(&model) {
                return Err(format!("model {model} is not in the catalogue"));
            }
            out.fits.push((key, model));
            Ok(())
        });
    }

    if let Some(bytes) = files.supersessions {
        let mut lines: HashMap<String, u64> = HashMap::new();
        for_each_row(FileKind::Supersessions, bytes, &mut errors, |line, row| {
            tick(&mut read);
            let (number, key) = part_ref(row, "part_number")?;
            let (new_number, new_key) = part_ref(row, "replaced_by")?;
            for (n, k) in [(&number, &key), (&new_number, &new_key)] {
                if !part_known(k) {
                    return Err(format!(
                        "part {n} is neither in the parts file nor in the catalogue"
                    ));
                }
            }
            if key == new_key {
                return Err(format!("part {number} cannot replace itself"));
            }
            if let Some(first) = lines.insert(key.clone(), line) {
                return Err(format!("part {number} is also replaced on line {first}"));
            }
            out.supersessions.push((key, new_key));
            Ok(())
        });
        // Chains through the file and the catalogue together: a cycle is refused.
        if errors.iter().all(|e| e.file != FileKind::Supersessions) {
            check_chains(&out.supersessions, &lines, known, &mut errors);
        }
    }
    progress(read);
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| (e.file as u8, e.line));
        Err(errors)
    }
}

fn check_chains(
    pairs: &[(String, String)],
    lines: &HashMap<String, u64>,
    known: &Known,
    errors: &mut Vec<RowError>,
) {
    let mut next: HashMap<&str, &str> = known
        .supersessions
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    for (a, b) in pairs {
        next.insert(a, b);
    }
    // Number the keys to use the shared chain rule.
    let keys: Vec<&str> = next
        .keys()
        .chain(next.values())
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let id: HashMap<&str, i64> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i as i64))
        .collect();
    let by_id: HashMap<i64, i64> = next.iter().map(|(a, b)| (id[a], id[b])).collect();
    let mut reported = HashSet::new();
    for (a, _) in pairs {
        match supersession_chain(id[a.as_str()], |p| by_id.get(&p).copied()) {
            Ok(_) => {}
            Err(ChainError::Cycle(ids)) => {
                let names: Vec<&str> = ids.iter().map(|i| keys[*i as usize]).collect();
                let mut members: Vec<&str> = names.clone();
                members.sort();
                if reported.insert(members.join(",")) {
                    errors.push(RowError {
                        file: FileKind::Supersessions,
                        line: lines[a.as_str()],
                        reason: format!(
                            "the replacements go round in a circle: {}",
                            names.join(" → ")
                        ),
                    });
                }
            }
            Err(ChainError::TooLong) => errors.push(RowError {
                file: FileKind::Supersessions,
                line: lines[a.as_str()],
                reason: "the chain of replacements is too long".into(),
            }),
        }
    }
}

/// Reads a file row by row, recording the header's and each row's problems.
fn for_each_row(
    kind: FileKind,
    bytes: &[u8],
    errors: &mut Vec<RowError>,
    mut f: impl FnMut(u64, &Row<'_>) -> Result<(), String>,
) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
        Err(_) => {
            errors.push(RowError {
                file: kind,
                line: 1,
                reason: "the file is not CSV text (UTF-8)".into(),
            });
            return;
        }
    };
    let missing: Vec<&str> = kind
        .columns()
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .copied()
        .collect();
    if !missing.is_empty() {
        errors.push(RowError {
            file: kind,
            line: 1,
            reason: format!("the header lacks the column(s) {}", missing.join(", ")),
        });
        return;
    }
    let index: HashMap<&str, usize> = kind
        .columns()
        .iter()
        .map(|c| (*c, header.iter().position(|h| h == c).unwrap_or(0)))
        .collect();
    let mut record = csv::StringRecord::new();
    let mut rows = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                rows += 1;
                if rows > MAX_ROWS {
                    errors.push(RowError {
                        file: kind,
                        line,
                        reason: format!("more than {MAX_ROWS} rows"),
                    });
                    return;
                }
                if record.iter().all(str::is_empty) {
                    continue;
                }
                if let Err(reason) = f(
                    line,
                    &Row {
                        record: &record,
                        index: &index,
                    },
                ) {
                    errors.push(RowError {
                        file: kind,
                        line,
                        reason,
                    });
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(RowError {
                    file: kind,
                    line,
                    reason: "this line is not valid CSV (UTF-8)".into(),
                });
                return;
            }
        }
    }
}

struct Row<'a> {
    record: &'a csv::StringRecord,
    index: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.index
            .get(column)
            .and_then(|i| self.record.get(*i))
            .unwrap_or("")
    }
}

fn text(row: &Row<'_>, column: &str, max: usize) -> Result<String, String> {
    let v = row.get(column);
    if v.is_empty() {
        return Err(format!("{column} is empty"));
    }
    if v.chars().count() > max {
        return Err(format!("{column} is longer than {max} characters"));
    }
    Ok(v.to_string())
}

fn whole(row: &Row<'_>, column: &str, min: i64, max: i64) -> Result<i64, String> {
    let v = row.get(column);
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{column} \"{v}\" is not a whole number from {min} to {max}"
        )),
    }
}

fn part_ref(row: &Row<'_>, column: &str) -> Result<(String, String), String> {
    let number = text(row, column, 40)?;
    let key = part_number_key(&number);
    if key.is_empty() {
        return Err(format!("{column} \"{number}\" has no letters or digits"));
    }
    Ok((number, key))
}

fn parse_part(row: &Row<'_>) -> Result<PartRow, String> {
    let (part_number, key) = part_ref(row, "part_number")?;
    let description = text(row, "description", 300)?;
    let price = row.get("list_price");
    let list_price_cents = price_cents(price)
        .ok_or_else(|| format!("list_price \"{price}\" is not an amount in euros like 1234.50"))?;
    Ok(PartRow {
        part_number,
        key,
        description,
        list_price_cents,
        stock_qty: whole(row, "stock_qty", 0, 1_000_000)?,
        lead_time_days: whole(row, "lead_time_days", 0, 365)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            parts: HashSet::from(["NL1104022".to_string()]),
            models: HashSet::from(["LX-200".to_string()]),
            supersessions: HashMap::from([("NL1104021".to_string(), "NL1104022".to_string())]),
        }
    }

    const PARTS: &str = "part_number,description,list_price,stock_qty,lead_time_days\n\
        NL-9000-001,Guide shoe insert,12.5,40,3\n\
        NL-9000-002,\"Rope, 8 mm\",1450,0,21\n";

    #[test]
    fn good_files_become_rows() {
        let files = Files {
            parts: Some(PARTS.as_bytes()),
            bom: Some(b"model,assembly,assembly_name,item,part_number,quantity\nLX-200,GDE,Guides,1,NL 9000 001,4\n"),
            fits: Some(b"part_number,model\nnl9000002,LX-200\n"),
            supersessions: Some(b"replaced_by,part_number\nNL-9000-002,NL-9000-001\n"),
        };
        let mut seen = Vec::new();
        let c = check(&files, &known(), |n| seen.push(n)).unwrap();
        assert_eq!(c.parts.len(), 2);
        assert_eq!(c.parts[0].list_price_cents, 1250);
        assert_eq!(c.parts[1].description, "Rope, 8 mm");
        assert_eq!(
            c.bom[0].part_key, "NL9000001",
            "numbers compared without dashes or spaces"
        );
        assert_eq!(c.fits, [("NL9000002".to_string(), "LX-200".to_string())]);
        assert_eq!(
            c.supersessions,
            [("NL9000001".to_string(), "NL9000002".to_string())],
            "columns in any order"
        );
        assert_eq!(seen.last(), Some(&5));
    }

    #[test]
    fn every_faulty_row_is_reported_with_its_line() {
        let parts = "part_number,description,list_price,stock_qty,lead_time_days\n\
            NL-1,Good,1.00,1,1\n\
            ,No number,1,1,1\n\
            NL-2,Bad price,12.345,1,1\n\
            NL-3,Bad stock,1,-4,1\n\
            nl1,Duplicate of line 2,1,1,1\n";
        let bom = "model,assembly,assembly_name,item,part_number,quantity\n\
            ZZ-9,A,A,1,NL-1,1\n\
            LX-200,A,A,1,NL-404,1\n\
            LX-200,A,A,0,NL-1,1\n";
        let files = Files {
            parts: Some(parts.as_bytes()),
            bom: Some(bom.as_bytes()),
            ..Default::default()
        };
        let errors = check(&files, &known(), |_| {}).unwrap_err();
        let got: Vec<(FileKind, u64)> = errors.iter().map(|e| (e.file, e.line)).collect();
        assert_eq!(
            got,
            [
                (FileKind::Parts, 3),
                (FileKind::Parts, 4),
                (FileKind::Parts, 5),
                (FileKind::Parts, 6),
                (FileKind::Bom, 2),
                (FileKind::Bom, 3),
                (FileKind::Bom, 4)
            ]
        );
        assert_eq!(errors[0].reason, "part_number is empty");
        assert!(errors[1].reason.contains("12.345"));
        assert!(errors[3].reason.contains("also on line 2"));
        assert!(errors[4].reason.contains("ZZ-9"));
        assert!(errors[5].reason.contains("NL-404"));
        assert!(errors[6].reason.contains("from 1 to 9999"));
    }

    #[test]
    fn a_circle_of_replacements_is_refused_also_through_the_catalogue() {
        // The catalogue has 021 → 022; the file adds 022 → 021.
        let files = Files {
            supersessions: Some(b"part_number,replaced_by\nNL-1104-022,NL-1104-021\n"),
            ..Default::default()
        };
        let mut k = known();
        k.parts.insert("NL1104021".into());
        let errors = check(&files, &k, |_| {}).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].reason.contains("circle"), "{}", errors[0].reason);
        let itself = Files {
            supersessions: Some(b"part_number,replaced_by\nNL1104022,NL-1104-022\n"),
            ..Default::default()
        };
        assert!(check(&itself, &k, |_| {}).unwrap_err()[0]
            .reason
            .contains("itself"));
    }

    #[test]
    fn headers_and_text_are_checked() {
        let files = Files {
            fits: Some(b"part,model\nNL-1,LX-200\n"),
            ..Default::default()
        };
        let e = check(&files, &known(), |_| {}).unwrap_err();
        assert_eq!(
            (e[0].line, e[0].reason.as_str()),
            (1, "the header lacks the column(s) part_number")
        );
        let bad = Files {
            fits: Some(b"part_number,model\n\xff\xfe,LX-200\n"),
            ..Default::default()
        };
        assert!(check(&bad, &known(), |_| {}).unwrap_err()[0]
            .reason
            .contains("not valid CSV"));
        let bom = Files { parts: Some(b"\xEF\xBB\xBFpart_number,description,list_price,stock_qty,lead_time_days\nA1,x,1,1,1\n"), ..Default::default() };
        assert!(
            check(&bom, &known(), |_| {}).is_ok(),
            "a byte-order mark is fine"
        );
    }
}
