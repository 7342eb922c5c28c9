//! The catalogue import over HTTP and through the job runner, on both
//! databases: a good import writes everything, a faulty one writes nothing and
//! lists every faulty row, and only the supplier admin imports.

use crate::common;

use app::catalog::import_api::{GetImport, StartImport};
use app::catalog::SearchParts;
use app::platform::jobs::Runner;
use app::wiring::jobs as registry;
use axum::http::StatusCode;
use common::{expect_not_found, Reply, TestApp};

async fn start(t: &TestApp, cookie: &str, files: &[(&str, &str)], accept: &str) -> Reply {
    let files: Vec<(&str, &str, &[u8])> = files
        .iter()
        .map(|(kind, text)| (*kind, "export.csv", text.as_bytes()))
        .collect();
    t.post_multipart(
        TestApp::path::<StartImport>(),
        "/catalog/import",
        cookie,
        &[],
        &files,
        accept,
    )
    .await
}

/// Runs the job runner until the queue is empty, as a server's runner would.
async fn run_jobs(t: &TestApp) {
    let runner = Runner::new(t.state.pool.clone(), registry(&t.state), "test");
    while runner.tick().await.expect("runner") > 0 {}
}

async fn detail(t: &TestApp, cookie: &str, id: i64) -> serde_json::Value {
    let r = t.call(&GetImport { id }, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn scalar(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

const PARTS: &str = "part_number,description,list_price,stock_qty,lead_time_days\n\
    NL-1199-001,Car guide shoe insert 16 mm,12.50,40,3\n\
    NL-1104-022,\"Brake pad set, dual-circuit disc brake\",199.00,12,5\n";

#[tokio::test]
async fn a_good_import_writes_parts_bom_fits_and_supersessions() {
    let t = common::app().await;
    let admin = t.login("admin@nordlift.example").await;
    let parts_before = scalar(&t, "SELECT COUNT(*) FROM parts").await;
    let r = start(
        &t,
        &admin,
        &[
            ("parts", PARTS),
            ("bom", "model,assembly,assembly_name,item,part_number,quantity\nLX-200,DRV,Traction drive,9,NL 1199 001,4\n"),
            ("fits", "part_number,model\nNL-1199-001,HX-500\n"),
            ("supersessions", "part_number,replaced_by\nNL-1101-014,NL-1199-001\n"),
        ],
        "application/json",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id: i64 = r.body.parse().unwrap();
    assert_eq!(detail(&t, &admin, id).await["import"]["status"], "queued");
    run_jobs(&t).await;

    let d = detail(&t, &admin, id).await;
    assert_eq!(d["import"]["status"], "done", "{d}");
    assert!(d["import"]["summary"]
        .as_str()
        .unwrap()
        .starts_with("2 parts, 1 BOM lines, 1 fits and 1 supersessions written"));
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM parts").await,
        parts_before + 1,
        "one new, one updated"
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT list_price_cents FROM parts WHERE pn_key = 'NL1104022'"
        )
        .await,
        19_900
    );
    assert_eq!(
        scalar(&t, "SELECT b.quantity FROM bom_lines b JOIN assemblies a ON a.id = b.assembly_id WHERE a.code = 'DRV' AND b.item_no = 9").await,
        4
    );
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM part_fits f JOIN parts p ON p.id = f.part_id WHERE p.pn_key = 'NL1199001'").await,
        2,
        "LX-200 through the BOM, HX-500 from the fits file"
    );
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM parts o JOIN parts n ON n.id = o.superseded_by WHERE o.pn_key = 'NL1101014' AND n.pn_key = 'NL1199001'").await,
        1
    );
    // Found by the search at once (full text kept in step on both databases).
    let search = SearchParts {
        q: "guide shoe insert".into(),
        model: String::new(),
        page: String::new(),
    };
    let hits = t.call(&search, Some(&admin)).await;
    assert!(hits.body.contains("NL-1199-001"), "{}", hits.body);
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'catalog.import_started'"
        )
        .await,
        1
    );
    // Run again: the job is done, nothing happens twice.
    run_jobs(&t).await;
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM parts").await,
        parts_before + 1
    );
}

#[tokio::test]
async fn a_faulty_import_writes_nothing_and_lists_every_faulty_row() {
    let t = common::app().await;
    let admin = t.login("admin@nordlift.example").await;
    let parts_before = scalar(&t, "SELECT COUNT(*) FROM parts").await;
    let parts = "part_number,description,list_price,stock_qty,lead_time_days\n\
        NL-1199-001,Good part,12.50,40,3\n\
        NL-1199-002,Bad price,12.345,1,1\n\
        NL-1199-003,,1,1,1\n";
    let supersessions = "part_number,replaced_by\nNL-1104-022,NL-1104-021\n";
    let r = start(
        &t,
        &admin,
        &[("parts", parts), ("supersessions", supersessions)],
        "application/json",
    )
    .await;
    let id: i64 = r.body.parse().unwrap();
    run_jobs(&t).await;
    let d = detail(&t, &admin, id).await;
    assert_eq!(d["import"]["status"], "refused");
    assert_eq!(d["import"]["error_count"], 3);
    let errors: Vec<(String, u64)> = d["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("parts".into(), 3),
            ("parts".into(), 4),
            ("supersessions".into(), 2)
        ]
    );
    assert!(
        d["errors"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("circle"),
        "{d}"
    );
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM parts").await,
        parts_before,
        "nothing written"
    );

    // The page shows them; a browser posting the form lands on the import's page.
    let page = t.get(&format!("/catalog/import/{id}"), Some(&admin)).await;
    assert!(
        page.body.contains("Faulty rows") && page.body.contains("12.345"),
        "{}",
        page.status
    );
    let r = start(&t, &admin, &[("parts", PARTS)], "text/html").await;
    assert!(r.status.is_redirection());
    assert!(r.headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/catalog/import/"));
}

#[tokio::test]
async fn only_the_supplier_admin_imports_and_an_empty_form_is_refused() {
    let t = common::app().await;
    let admin = t.login("admin@nordlift.example").await;
    let r = start(&t, &admin, &[], "application/json").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("at least one CSV file"));
    for email in [
        "support@nordlift.example",
        "admin@balticlift.example",
        "admin@globalport.example",
    ] {
        let cookie = t.login(email).await;
        assert_eq!(
            start(&t, &cookie, &[("parts", PARTS)], "application/json")
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        let page = t.get("/catalog/import", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
    }
    assert_eq!(scalar(&t, "SELECT COUNT(*) FROM catalog_imports").await, 0);
    expect_not_found(
        &t,
        &GetImport { id: 999 },
        &[("the supplier admin", admin.as_str())],
        &[],
    )
    .await;
}
