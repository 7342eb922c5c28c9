//! Documents over HTTP, on both databases: who reads which document (lists
//! and downloads by id, refused as not found), the files streamed with their
//! type and name, and the supplier admin's upload with its checks.

use crate::common;

use app::documents::{ListDocuments, UploadDocument};
use axum::http::StatusCode;
use common::{Reply, TestApp};

/// The documents `cookie` reads, of one model (by id) or of all (`None`).
async fn list(t: &TestApp, cookie: &str, model: Option<i64>) -> Vec<serde_json::Value> {
    let r = t.call(&ListDocuments { model }, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["documents"].as_array().unwrap().clone()
}

fn titles(docs: &[serde_json::Value]) -> Vec<String> {
    let mut t: Vec<String> = docs
        .iter()
        .map(|d| d["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

/// The id of the current version of a document, as the staff see it.
async fn current_version(t: &TestApp, title: &str) -> i64 {
    let staff = t.login("support@nordlift.example").await;
    let docs = list(t, &staff, None).await;
    let doc = docs
        .iter()
        .find(|d| d["title"] == title)
        .unwrap_or_else(|| panic!("{title}"));
    doc["versions"][0]["id"].as_i64().unwrap()
}

/// A document upload from the documents page (`fields`, then the file).
async fn upload(
    t: &TestApp,
    cookie: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
    accept: &str,
) -> Reply {
    t.post_multipart(
        TestApp::path::<UploadDocument>(),
        "/documents",
        cookie,
        fields,
        &[("file", file.0, file.1)],
        accept,
    )
    .await
}

fn manual_fields(version: &str) -> Vec<(&'static str, String)> {
    vec![
        ("model", "1".to_string()),
        ("kind", "manual".to_string()),
        ("title", "LX-200 Operation manual".to_string()),
        ("language", "en".to_string()),
        ("version", version.to_string()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn each_reader_sees_the_documents_of_its_models_and_is_refused_the_others_by_id() {
    let t = common::app().await;
    let staff = t.login("support@nordlift.example").await;
    let all = list(&t, &staff, None).await;
    assert_eq!(
        all.len(),
        8,
        "the staff read everything, service bulletins included"
    );

    // GlobalPort owns both models; Jon Tanner only an LX-200; Baltic Lift serves
    // Harbor Logistics (both models); Iberia Service has no customer with units.
    let everyday = |docs: &[serde_json::Value]| titles(docs);
    let globalport = t.login("ops@globalport.example").await;
    assert_eq!(list(&t, &globalport, None).await.len(), 6);
    let jon = t.login("jon@tanner.example").await;
    let jons = list(&t, &jon, None).await;
    assert_eq!(
        everyday(&jons),
        [
            "LX-200 Betriebsanleitung",
            "LX-200 Operation manual",
            "LX-200 Parts list",
            "LX-200 Shaft layout"
        ]
    );
    let baltic = t.login("tech@balticlift.example").await;
    assert_eq!(
        list(&t, &baltic, None).await.len(),
        6,
        "no service bulletin without the level"
    );
    let iberia = t.login("agent@iberia.example").await;
    assert!(list(&t, &iberia, None).await.is_empty());

    // Downloads: the file, its type and its name, for a reader.
    let manual = current_version(&t, "LX-200 Operation manual").await;
    let r = t
        .get(&format!("/documents/{manual}/file"), Some(&jon))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/pdf");
    assert_eq!(
        r.headers["content-disposition"],
        "inline; filename=\"LX-200-operation-manual-revC.pdf\"; filename*=UTF-8''LX-200-operation-manual-revC.pdf"
    );
    assert!(r.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert!(r.body.starts_with("%PDF-1.4") && r.body.contains("rev C"));
    assert_eq!(
        r.headers["content-length"].to_str().unwrap(),
        r.body.len().to_string()
    );

    // Not found, as if they did not exist: another model's document, a service
    // bulletin without the level, an unknown or malformed id.
    let hx = current_version(&t, "HX-500 Operation manual").await;
    let bulletin = current_version(&t, "SB-2026-04 Brake pad inspection").await;
    for (who, cookie, id) in [
        ("Jon, HX-500", &jon, hx.to_string()),
        ("Jon, bulletin", &jon, bulletin.to_string()),
        ("Baltic, bulletin", &baltic, bulletin.to_string()),
        ("Iberia, manual", &iberia, manual.to_string()),
        ("unknown", &jon, "999999".to_string()),
        ("malformed", &jon, "..%2F..%2Fcareport.db".to_string()),
    ] {
        let r = t.get(&format!("/documents/{id}/file"), Some(cookie)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}");
        assert!(!r.body.contains("%PDF"), "{who}");
    }
    assert_eq!(
        t.get(&format!("/documents/{bulletin}/file"), Some(&staff))
            .await
            .status,
        StatusCode::OK
    );
    let anonymous = t.get(&format!("/documents/{manual}/file"), None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers["location"],
        format!("/login?next=/documents/{manual}/file").as_str()
    );
    // The unit page lists its model's documents, and not the others.
    let page = t.get("/units/LX2-2020-00655", Some(&jon)).await;
    assert!(
        page.body.contains("id=\"unit-documents\"")
            && page.body.contains("LX-200 Betriebsanleitung")
    );
    assert!(!page.body.contains("HX-500 Operation manual") && !page.body.contains("SB-2026-04"));
}

#[tokio::test]
async fn the_supplier_admin_uploads_a_new_version_once_and_bad_uploads_change_nothing() {
    let t = common::app().await;
    let admin = t.login("admin@nordlift.example").await;
    let before = current_version(&t, "LX-200 Operation manual").await;
    let pdf = b"%PDF-1.4\n% rev D of the manual\n%%EOF\n";
    let fields = manual_fields("rev D");
    let r = upload(
        &t,
        &admin,
        &borrowed(&fields),
        ("LX-200 manual rev D.pdf", pdf),
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A double click: the same file as the same version again adds nothing.
    let again = upload(
        &t,
        &admin,
        &borrowed(&fields),
        ("LX-200 manual rev D.pdf", pdf),
        "application/json",
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);

    let jon = t.login("jon@tanner.example").await;
    let docs = list(&t, &jon, Some(1)).await;
    let manual = docs
        .iter()
        .find(|d| d["title"] == "LX-200 Operation manual")
        .unwrap();
    let versions: Vec<&str> = manual["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(
        versions,
        ["rev D", "rev C", "rev B"],
        "newest first, older kept"
    );
    let id = manual["versions"][0]["id"].as_i64().unwrap();
    assert_ne!(id, before);
    let file = t.get(&format!("/documents/{id}/file"), Some(&jon)).await;
    assert!(file.body.as_bytes() == pdf, "the uploaded bytes");
    assert!(file.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("filename=\"LX-200 manual rev D.pdf\""));
    // Stored once, under its hash.
    let sha = app::platform::files::sha256_hex(pdf);
    let path = app::platform::files::path_of(&t.state.config.data_dir, &sha).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), pdf);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'document.uploaded'")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);

    // Bad uploads: a clear message, nothing stored.
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM document_versions")
            .fetch_one(&t.state.pool)
            .await
            .unwrap()
    };
    let n = count().await;
    let other = upload(
        &t,
        &admin,
        &borrowed(&fields),
        ("manual.pdf", b"%PDF-1.4 other"),
        "application/json",
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        other.body.contains("already there with another file"),
        "{}",
        other.body
    );
    let exe = upload(
        &t,
        &admin,
        &borrowed(&manual_fields("rev E")),
        ("setup.exe", b"MZ"),
        "application/json",
    )
    .await;
    assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(exe.body.contains("not accepted"), "{}", exe.body);
    let empty = upload(
        &t,
        &admin,
        &borrowed(&manual_fields("rev E")),
        ("manual.pdf", b""),
        "application/json",
    )
    .await;
    assert!(empty.body.contains("Choose a file"), "{}", empty.body);
    let mut no_model = manual_fields("rev E");
    no_model[0].1 = "999".into();
    let r = upload(
        &t,
        &admin,
        &borrowed(&no_model),
        ("manual.pdf", b"%PDF"),
        "application/json",
    )
    .await;
    assert!(r.body.contains("equipment model"), "{}", r.body);
    // Just over the file limit: said plainly; far over: refused before reading.
    let big = vec![b'x'; app::documents::rules::MAX_FILE_BYTES + 1024];
    let r = upload(
        &t,
        &admin,
        &borrowed(&manual_fields("rev E")),
        ("big.pdf", &big),
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("larger than 32 MB"), "{}", r.body);
    let huge = vec![b'x'; server::UPLOAD_LIMIT_BYTES + 1];
    let r = upload(
        &t,
        &admin,
        &borrowed(&manual_fields("rev E")),
        ("huge.pdf", &huge),
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(count().await, n, "nothing added");

    // Without JavaScript: the browser is sent back to the page, with the error.
    let r = upload(
        &t,
        &admin,
        &borrowed(&manual_fields("rev E")),
        ("setup.exe", b"MZ"),
        "text/html",
    )
    .await;
    assert!(r.status.is_redirection(), "{}", r.status);
    let location = r.headers["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://localhost/documents?") && location.contains("__err="),
        "{location}"
    );

    // Only the supplier admin uploads.
    for email in [
        "support@nordlift.example",
        "admin@balticlift.example",
        "admin@globalport.example",
    ] {
        let cookie = t.login(email).await;
        let r = upload(
            &t,
            &cookie,
            &borrowed(&manual_fields("rev X")),
            ("m.pdf", b"%PDF"),
            "application/json",
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
    }
    assert_eq!(count().await, n);
}

const BULLETIN: &str = "SB-2026-04 Brake pad inspection";
const TECHNICIAN: &str = "LX-200 Service technician";

/// The demo service bulletin (LX-200, requires the service technician level),
/// as a new version: a level typed (or not), and the choice for an empty one.
fn bulletin_fields(version: &str, level: &str, choice: &str) -> Vec<(&'static str, String)> {
    vec![
        ("model", "1".to_string()),
        ("kind", "service_bulletin".to_string()),
        ("title", BULLETIN.to_string()),
        ("language", "en".to_string()),
        ("version", version.to_string()),
        ("required_level", level.to_string()),
        ("level_choice", choice.to_string()),
    ]
}

/// The detail and actor of the newest `document.uploaded` entry.
async fn last_upload_audit(t: &TestApp) -> (serde_json::Value, Option<i64>, String) {
    let (detail, actor, object): (String, Option<i64>, String) = sqlx::query_as(
        "SELECT detail, actor_id, object_id FROM audit_events
         WHERE action = 'document.uploaded' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&t.state.pool)
    .await
    .unwrap();
    (serde_json::from_str(&detail).unwrap(), actor, object)
}

#[tokio::test]
async fn a_new_version_keeps_the_certification_level_and_only_an_explicit_audited_choice_removes_it(
) {
    let t = common::app().await;
    let admin = t.login("admin@nordlift.example").await;
    let admin_id = t.user_id("admin@nordlift.example").await;
    let staff = t.login("support@nordlift.example").await;
    // Jon's company owns an LX-200; Baltic Lift serves LX-200 owners without
    // holding the level.
    let jon = t.login("jon@tanner.example").await;
    let baltic = t.login("tech@balticlift.example").await;
    let bulletin = |docs: Vec<serde_json::Value>| docs.into_iter().find(|d| d["title"] == BULLETIN);

    // A new issue uploaded with the level left empty: the level is kept.
    let issue2 = b"%PDF-1.4\n% SB-2026-04 issue 2\n%%EOF\n";
    let r = upload(
        &t,
        &admin,
        &borrowed(&bulletin_fields("2", "", "")),
        ("SB-2026-04 issue 2.pdf", issue2),
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let doc = bulletin(list(&t, &staff, Some(1)).await).expect("the staff read it");
    assert_eq!(doc["required_level"], TECHNICIAN, "the level is kept");
    assert_eq!(doc["versions"][0]["version"], "2");
    let v2 = doc["versions"][0]["id"].as_i64().unwrap();
    for (who, cookie) in [("Jon", &jon), ("Baltic", &baltic)] {
        assert!(
            bulletin(list(&t, cookie, None).await).is_none(),
            "{who}: not listed"
        );
        let r = t.get(&format!("/documents/{v2}/file"), Some(cookie)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}: refused");
        assert!(!r.body.contains("issue 2"), "{who}");
    }
    let (detail, _, _) = last_upload_audit(&t).await;
    assert_eq!(detail["required_level"], TECHNICIAN, "{detail}");
    assert!(detail.get("level_from").is_none(), "no change: {detail}");

    // A level and "None" at once: refused, nothing changes.
    let r = upload(
        &t,
        &admin,
        &borrowed(&bulletin_fields("3", "LX-200 Installer", "none")),
        ("SB-2026-04 issue 3.pdf", b"%PDF-1.4 issue 3"),
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("not both"), "{}", r.body);
    assert_eq!(
        bulletin(list(&t, &staff, Some(1)).await).unwrap()["versions"][0]["version"],
        "2"
    );

    // Removed by the explicit choice: every owner of the model reads it, and
    // the audit trail says who opened it, from which level.
    let issue3 = b"%PDF-1.4\n% SB-2026-04 issue 3\n%%EOF\n";
    let r = upload(
        &t,
        &admin,
        &borrowed(&bulletin_fields("3", "", "none")),
        ("SB-2026-04 issue 3.pdf", issue3),
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let doc = bulletin(list(&t, &jon, None).await).expect("Jon reads it now");
    assert!(doc["required_level"].is_null());
    let v3 = doc["versions"][0]["id"].as_i64().unwrap();
    let r = t.get(&format!("/documents/{v3}/file"), Some(&jon)).await;
    assert_eq!(r.status, StatusCode::OK);
    let (detail, actor, object) = last_upload_audit(&t).await;
    assert_eq!(detail["level_from"], TECHNICIAN, "{detail}");
    assert!(detail["level_to"].is_null(), "{detail}");
    assert!(detail["required_level"].is_null(), "{detail}");
    assert_eq!(detail["version"], "3");
    assert_eq!(actor, Some(admin_id));
    assert_eq!(object, doc["id"].as_i64().unwrap().to_string());

    // The same file sent again with the level typed: no new version, the level
    // is back, and that change is audited too.
    let versions = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM document_versions")
            .fetch_one(&t.state.pool)
            .await
            .unwrap()
    };
    let n = versions().await;
    let r = upload(
        &t,
        &admin,
        &borrowed(&bulletin_fields("3", TECHNICIAN, "")),
        ("SB-2026-04 issue 3.pdf", issue3),
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(versions().await, n, "no new version");
    assert!(
        bulletin(list(&t, &jon, None).await).is_none(),
        "protected again"
    );
    let (detail, _, _) = last_upload_audit(&t).await;
    assert!(detail["level_from"].is_null(), "{detail}");
    assert_eq!(detail["level_to"], TECHNICIAN, "{detail}");
    assert_eq!(detail["version_added"], false, "{detail}");
}
