//! This domain's part of the demo dataset: manuals, parts lists, a drawing and
//! service bulletins for the demo models, as small real PDF files (one page of
//! text each), some with an older version and one in a second language.

use crate::error::AppError;
use crate::platform::{db::Tx, files, now};
use std::path::Path;

/// (model, kind, title, language, required level, [(version, file name, [lines])]),
/// versions oldest first.
type DemoDoc = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str, &'static [&'static str])],
);

const DOCS: &[DemoDoc] = &[
    (
        "LX-200",
        "manual",
        "LX-200 Operation manual",
        "en",
        None,
        &[
            (
                "rev B",
                "LX-200-operation-manual-revB.pdf",
                &[
                    "1 Safety: only trained persons may operate or maintain the lift.",
                    "2 Daily checks: car door light curtain, alarm button, landing indicators.",
                    "3 Rescue: release the brake by hand only as described in section 7.",
                ],
            ),
            (
                "rev C",
                "LX-200-operation-manual-revC.pdf",
                &[
                    "1 Safety: only trained persons may operate or maintain the lift.",
                    "2 Daily checks: car door light curtain, alarm button, landing indicators.",
                    "3 Rescue: use the battery-powered rescue drive (new in rev C).",
                    "4 Fault codes: E21 door lock, E34 encoder, E41 brake monitoring.",
                ],
            ),
        ],
    ),
    (
        "LX-200",
        "manual",
        "LX-200 Betriebsanleitung",
        "de",
        None,
        &[(
            "rev C",
            "LX-200-Betriebsanleitung-revC.pdf",
            &[
                "1 Sicherheit: nur unterwiesene Personen duerfen den Aufzug bedienen.",
                "2 Taegliche Pruefung: Lichtvorhang, Notruf, Etagenanzeigen.",
            ],
        )],
    ),
    (
        "LX-200",
        "parts_list",
        "LX-200 Parts list",
        "en",
        None,
        &[(
            "2026-03",
            "LX-200-parts-list-2026-03.pdf",
            &[
                "DRV Traction drive: items 1-8. DOR Car door operator: items 1-7.",
                "CTL Controller cabinet: items 1-7. Superseded parts show their replacement.",
            ],
        )],
    ),
    (
        "LX-200",
        "drawing",
        "LX-200 Shaft layout",
        "en",
        None,
        &[(
            "rev A",
            "LX-200-shaft-layout-revA.pdf",
            &[
                "Shaft 1600 x 1750 mm, pit 1100 mm, headroom 3450 mm.",
                "Machine on the car guide rail, no machine room.",
            ],
        )],
    ),
    (
        "LX-200",
        "service_bulletin",
        "SB-2026-04 Brake pad inspection",
        "en",
        Some("LX-200 Service technician"),
        &[(
            "1",
            "SB-2026-04-brake-pads.pdf",
            &[
                "Applies to units with brake pad set NL-1104-021 (superseded).",
                "Measure the pad thickness; below 4 mm replace with NL-1104-022.",
            ],
        )],
    ),
    (
        "HX-500",
        "manual",
        "HX-500 Operation manual",
        "en",
        None,
        &[(
            "rev A",
            "HX-500-operation-manual-revA.pdf",
            &[
                "1 Load only within the rated 5,000 kg, spread over the platform.",
                "2 Close both gates before moving; the interlock prevents travel otherwise.",
            ],
        )],
    ),
    (
        "HX-500",
        "parts_list",
        "HX-500 Parts list",
        "en",
        None,
        &[(
            "2025-11",
            "HX-500-parts-list-2025-11.pdf",
            &[
                "PWR Hydraulic power unit: items 1-8. CYL Cylinder and ram: items 1-6.",
                "PLT Platform and gates: items 1-7.",
            ],
        )],
    ),
    (
        "HX-500",
        "service_bulletin",
        "SB-2025-11 Rupture valve test",
        "en",
        Some("HX-500 Service technician"),
        &[(
            "1",
            "SB-2025-11-rupture-valve.pdf",
            &["Test the rupture valve NL-2205-004 every 12 months at rated load."],
        )],
    ),
];

/// A one-page PDF with a title and lines of text (Helvetica, WinAnsi: plain
/// ASCII here), enough for a viewer to open.
pub fn pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let esc = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '(' | ')' | '\\' => format!("\\{c}"),
                c if c.is_ascii() && !c.is_ascii_control() => c.to_string(),
                _ => "?".into(),
            })
            .collect()
    };
    let mut text = format!(
        "BT /F1 18 Tf 56 780 Td ({}) Tj ET\nBT /F2 9 Tf 56 762 Td (Nordlift Oy - Careport document) Tj ET\nBT /F2 11 Tf 56 730 Td 16 TL",
        esc(title)
    );
    for l in lines {
        text.push_str(&format!(" ({}) '", esc(l)));
    }
    text.push_str(" ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// One demo file written to the content store: (hash, size).
pub type DemoFile = (String, i64);

/// Writes the demo files (before the transaction that records them), in the
/// order of [`DOCS`] and their versions.
pub async fn files(data_dir: &Path) -> Result<Vec<DemoFile>, AppError> {
    let mut out = Vec::new();
    for (_, _, title, _, _, versions) in DOCS {
        for (version, _, lines) in *versions {
            let bytes = pdf(&format!("{title} ({version})"), lines);
            let sha = files::put(data_dir, &bytes)
                .await
                .map_err(AppError::internal)?;
            out.push((sha, bytes.len() as i64));
        }
    }
    Ok(out)
}

pub async fn load(tx: &mut Tx, stored: &[DemoFile]) -> Result<(), sqlx::Error> {
    let mut stored = stored.iter();
    let day = 24 * 3600;
    let at = now();
    for (model, kind, title, language, level, versions) in DOCS {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO documents (model_id, kind, title, language, required_level, created_at)
             SELECT id, $1, $2, $3, $4, $5 FROM equipment_models WHERE code = $6 RETURNING id",
        )
        .bind(kind)
        .bind(title)
        .bind(language)
        .bind(level)
        .bind(at - 400 * day)
        .bind(model)
        .fetch_one(&mut **tx)
        .await?;
        let count = versions.len() as i64;
        for (i, (version, filename, _)) in versions.iter().enumerate() {
            let Some((sha, size)) = stored.next() else {
                return Err(sqlx::Error::Protocol("demo files missing".into()));
            };
            sqlx::query(
                "INSERT INTO document_versions
                     (document_id, version, sha256, filename, content_type, size_bytes, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, 'application/pdf', $5, NULL, $6)",
            )
            .bind(id)
            .bind(version)
            .bind(sha)
            .bind(filename)
            .bind(size)
            .bind(at - (count - i as i64) * 90 * day)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_pdf_is_a_well_formed_pdf() {
        let bytes = pdf("Manual (rev C)", &["Line one", "Säkerhet"]);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        assert!(
            text.contains("(Manual \\(rev C\\)) Tj"),
            "parentheses escaped"
        );
        assert!(text.contains("(S?kerhet) '"), "only ASCII in the content");
        // The cross-reference table points at each object.
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[xref..].starts_with("xref\n0 7\n"));
        for (i, line) in text[xref..].lines().skip(3).take(6).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(
                text[off..].starts_with(&format!("{} 0 obj", i + 1)),
                "object {}",
                i + 1
            );
        }
    }
}
