//! The installed base and the parts catalogue over HTTP, on both databases:
//! scope by role and organisation (refused by id, not only hidden), search by
//! part number and by words, prices per organisation, supersession.

use crate::common;

use app::catalog::{GetPart, GetUnit, ListModels, ListUnits, SearchParts};
use axum::http::StatusCode;
use common::{app, expect_not_found, TestApp};

async fn search(t: &TestApp, cookie: &str, q: &str, model: &str, page: &str) -> serde_json::Value {
    let search = SearchParts {
        q: q.into(),
        model: model.into(),
        page: page.into(),
    };
    let r = t.call(&search, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
    r.json()
}

fn numbers(result: &serde_json::Value) -> Vec<String> {
    result["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["part"]["part_number"].as_str().unwrap().to_string())
        .collect()
}

async fn serials(t: &TestApp, cookie: &str) -> Vec<String> {
    let r = t.call(&ListUnits {}, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut s: Vec<String> = r.json()["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["serial"].as_str().unwrap().to_string())
        .collect();
    s.sort();
    s
}

fn get_unit(serial: &str) -> GetUnit {
    GetUnit {
        serial: serial.into(),
    }
}

#[tokio::test]
async fn units_are_scoped_by_organisation_and_refused_by_serial() {
    let t = app().await;
    let staff = t.login("support@nordlift.example").await;
    assert_eq!(serials(&t, &staff).await.len(), 7);

    let ops = t.login("ops@globalport.example").await;
    let own = serials(&t, &ops).await;
    assert_eq!(own.len(), 4);
    assert!(own.iter().all(|s| s != "HX5-2023-00151"));
    // Harbor Logistics' unit, asked for by serial by another customer or by a
    // partner not assigned to Harbor: not found, as if it did not exist.
    let iberia = t.login("agent@iberia.example").await;
    assert!(serials(&t, &iberia).await.is_empty());
    expect_not_found(
        &t,
        &get_unit("HX5-2023-00151"),
        &[
            ("GlobalPort's operator", ops.as_str()),
            ("Iberia's agent", iberia.as_str()),
        ],
        &[],
    )
    .await;
    expect_not_found(
        &t,
        &get_unit("NO-SUCH-SERIAL"),
        &[("GlobalPort's operator", ops.as_str())],
        &[],
    )
    .await;
    let mine = t.call(&get_unit("HX5-2021-00088"), Some(&ops)).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let detail = mine.json();
    let assemblies: Vec<&str> = detail["assemblies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(assemblies, ["PWR", "CYL", "PLT"]);

    // The partner sees the units of the customer assigned to it, not others'.
    let baltic = t.login("tech@balticlift.example").await;
    assert_eq!(
        serials(&t, &baltic).await,
        ["HX5-2023-00151", "LX2-2022-00903"]
    );
    expect_not_found(
        &t,
        &get_unit("LX2-2019-00417"),
        &[("Baltic's technician", baltic.as_str())],
        &[],
    )
    .await;
    let jon = t.login("jon@tanner.example").await;
    assert_eq!(serials(&t, &jon).await, ["LX2-2020-00655"]);

    // Anonymous callers get nothing.
    let anon = t.call(&ListUnits {}, None).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
}

/// The SQL scope of units and the pure rule agree for every demo user.
#[tokio::test]
async fn unit_queries_apply_the_pure_scope_rule() {
    use app::catalog::rules::{UnitRef, UnitScope};
    let t = app().await;
    let all: Vec<(String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT u.serial, u.customer_id, c.assigned_partner_id, u.servicing_partner_id
         FROM units u JOIN organisations c ON c.id = u.customer_id",
    )
    .fetch_all(&t.state.pool)
    .await
    .unwrap();
    for (email, cookie, me) in t.every_user_signed_in().await {
        let scope = UnitScope::of(&me);
        let mut expected: Vec<String> = all
            .iter()
            .filter(|(_, c, p, s)| {
                scope.includes(&UnitRef {
                    customer_id: *c,
                    customer_partner_id: *p,
                    servicing_partner_id: *s,
                })
            })
            .map(|(serial, ..)| serial.clone())
            .collect();
        expected.sort();
        assert_eq!(serials(&t, &cookie).await, expected, "{email}");
    }
}

#[tokio::test]
async fn search_finds_parts_by_number_however_typed_and_by_words() {
    let t = app().await;
    let ops = t.login("ops@globalport.example").await;
    // Over 2,000 demo parts: the count stops at 1,000 and says there are more.
    let all = search(&t, &ops, "", "", "").await;
    assert_eq!(
        (all["total"].as_i64(), all["more"].as_bool()),
        (Some(1000), Some(true))
    );
    assert_eq!(all["items"].as_array().unwrap().len(), 25);
    assert_eq!(all["pages"], 40);
    let last = search(&t, &ops, "", "", "40").await;
    assert_eq!(last["items"].as_array().unwrap().len(), 25);
    assert!(
        numbers(&last) > numbers(&all),
        "part-number order across pages"
    );

    // A dashed number typed without dashes, in lower case, or with spaces.
    for typed in ["NL1104022", "nl1104022", "nl 1104 022", "NL-1104-022"] {
        let r = search(&t, &ops, typed, "", "").await;
        assert_eq!(
            numbers(&r).first().map(String::as_str),
            Some("NL-1104-022"),
            "{typed}"
        );
    }
    // A prefix lists the family, current and superseded.
    let family = numbers(&search(&t, &ops, "nl-1104-02", "", "").await);
    assert_eq!(family, ["NL-1104-020", "NL-1104-021", "NL-1104-022"]);
    // A number also matches as words (part numbers are indexed as words too):
    // each part is listed once, in its best tier, across pages.
    let first = search(&t, &ops, "NL-6101", "", "").await;
    assert_eq!(first["more"], false);
    let mut listed = numbers(&first);
    for page in 2..=first["pages"].as_i64().unwrap() {
        listed.extend(numbers(
            &search(&t, &ops, "NL-6101", "", &page.to_string()).await,
        ));
    }
    assert_eq!(listed.len() as i64, first["total"].as_i64().unwrap());
    let mut unique = listed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique, listed, "once each, in key order");
    assert!(
        listed.iter().all(|n| n.starts_with("NL-6101")),
        "{listed:?}"
    );

    // Words of the description, as prefixes, all required.
    let pads = search(&t, &ops, "brake pad", "", "").await;
    let pads = numbers(&pads);
    assert!(pads.contains(&"NL-1104-022".to_string()), "{pads:?}");
    assert!(pads.len() <= 5, "{pads:?}");
    let rings = search(&t, &ops, "o-ring 46 fkm", "", "").await;
    assert!(rings["total"].as_i64().unwrap() >= 1);
    assert!(numbers(&rings).iter().all(|n| n.starts_with("NL-6101")));

    // A model filter keeps the parts that fit it.
    let models = t.call(&ListModels {}, Some(&ops)).await.json();
    let hx = models
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "HX-500")
        .unwrap()["id"]
        .to_string();
    let doors = search(&t, &ops, "door roller", &hx, "").await;
    assert_eq!(doors["total"], 0, "door rollers fit the LX-200 only");
    let hx_all = search(&t, &ops, "", &hx, "").await;
    assert!(hx_all["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["fits"].as_array().unwrap().contains(&"HX-500".into())));

    // Full-text syntax typed by a person is words, never an error.
    for hostile in [
        "\"brake* OR",
        "NEAR(pad",
        "pad:* & !x",
        "'; DROP TABLE parts; --",
        "*",
        "ø",
    ] {
        search(&t, &ops, hostile, "", "").await;
    }
    // Paging past the end is an empty page, not an error.
    let past = search(&t, &ops, "brake pad", "", "99").await;
    assert!(past["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn prices_are_those_of_the_callers_organisation() {
    let t = app().await;
    let price = |v: &serde_json::Value| {
        (
            v["part"]["list_price_cents"].as_i64().unwrap(),
            v["part"]["price_cents"].as_i64().unwrap(),
        )
    };
    let part = |cookie: String| {
        let t = &t;
        async move {
            let part = GetPart {
                part_number: "nl1104022".into(),
            };
            let r = t.call(&part, Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    let staff = part(t.login("pm@nordlift.example").await).await;
    let reseller = part(t.login("tech@balticlift.example").await).await;
    let global = part(t.login("ops@globalport.example").await).await;
    let end_user = part(t.login("jon@tanner.example").await).await;
    assert_eq!(price(&staff), (18_400, 18_400));
    assert_eq!(
        price(&reseller),
        (18_400, 13_800),
        "25 % reseller agreement"
    );
    assert_eq!(reseller["pricing"]["discount_pct"], 25);
    assert_eq!(
        price(&global),
        (18_400, 16_192),
        "12 % global account agreement"
    );
    assert_eq!(
        price(&end_user),
        (18_400, 18_400),
        "no agreement: list price"
    );
}

#[tokio::test]
async fn superseded_parts_offer_their_replacement_and_cycles_are_not_followed() {
    let t = app().await;
    let ops = t.login("ops@globalport.example").await;
    let get = |n: &'static str| {
        let (t, ops) = (&t, ops.clone());
        async move {
            let part = GetPart {
                part_number: n.into(),
            };
            t.call(&part, Some(&ops)).await
        }
    };
    let old = get("NL-1104-020").await.json();
    assert_eq!(old["part"]["superseded_by"], "NL-1104-021");
    let chain: Vec<&str> = old["replaced_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["part_number"].as_str().unwrap())
        .collect();
    assert_eq!(chain, ["NL-1104-021", "NL-1104-022"]);
    assert_eq!(old["chain_broken"], false);
    assert_eq!(
        old["fits"][0]["code"], "LX-200",
        "a replaced part keeps the fits of its line"
    );
    let current = get("NL-1104-022").await.json();
    assert!(current["replaced_by"].as_array().unwrap().is_empty());
    assert_eq!(current["replaces"], serde_json::json!(["NL-1104-021"]));
    assert_eq!(current["used_in"][0]["assembly_code"], "DRV");

    assert_eq!(get("NL-0000-000").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get("'; DROP TABLE parts; --").await.status,
        StatusCode::NOT_FOUND
    );

    // Data with a cycle (as a bad import could leave): reported, not followed forever.
    sqlx::query("UPDATE parts SET superseded_by = (SELECT id FROM parts WHERE part_number = 'NL-1104-020') WHERE part_number = 'NL-1104-022'")
        .execute(&t.state.pool)
        .await
        .unwrap();
    let looped = get("NL-1104-021").await;
    assert_eq!(looped.status, StatusCode::OK, "{}", looped.body);
    assert_eq!(looped.json()["chain_broken"], true);
}

#[tokio::test]
async fn catalog_pages_render_for_each_kind_of_user() {
    let t = app().await;
    for email in [
        "jon@tanner.example",
        "tech@balticlift.example",
        "admin@nordlift.example",
    ] {
        let cookie = t.login(email).await;
        let parts = t.get("/parts?q=nl1104022", Some(&cookie)).await;
        assert_eq!(parts.status, StatusCode::OK, "{email}");
        assert!(parts.body.contains("NL-1104-022"), "{email}");
        let part = t.get("/parts/NL-1104-020", Some(&cookie)).await;
        assert!(part.body.contains("This part has been replaced"), "{email}");
    }
    let jon = t.login("jon@tanner.example").await;
    let unit = t.get("/units/LX2-2020-00655", Some(&jon)).await;
    assert_eq!(unit.status, StatusCode::OK);
    assert!(unit.body.contains("Traction drive") && unit.body.contains("NL-1101-001"));
    let foreign = t.get("/units/HX5-2021-00088", Some(&jon)).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert!(
        !foreign.body.contains("Warehouse B"),
        "nothing of the unit shows"
    );
}

/// A demo database made before the catalog landed gets the catalog's demo data
/// at the next start; a production database never does.
#[tokio::test]
async fn an_older_demo_database_gets_the_catalog_at_start() {
    use app::wiring::demo::load_if_empty;
    let (pool, _) = common::fresh_pool().await;
    let dir = common::fresh_data_dir();
    assert!(load_if_empty(&pool, &dir).await.unwrap());
    // An older database: before the catalogue (and so before learning, whose
    // courses name equipment models).
    for sql in [
        "DELETE FROM lesson_progress",
        "DELETE FROM enrollments",
        "DELETE FROM course_feedback",
        "DELETE FROM staff_job_roles",
        "DELETE FROM job_role_courses",
        "DELETE FROM job_roles",
        "DELETE FROM course_prerequisites",
        "DELETE FROM course_materials",
        "DELETE FROM lessons",
        "DELETE FROM course_modules",
        "DELETE FROM course_seats",
        "DELETE FROM order_lines WHERE course_id IS NOT NULL",
        "DELETE FROM courses",
        "DELETE FROM document_versions",
        "DELETE FROM documents",
        "DELETE FROM order_events",
        "DELETE FROM order_lines",
        "DELETE FROM orders",
        "DELETE FROM bom_lines",
        "DELETE FROM part_fits",
        "DELETE FROM units",
        "DELETE FROM price_agreements",
        "DELETE FROM assembly_drawings",
        "DELETE FROM assemblies",
        "UPDATE parts SET superseded_by = NULL",
        "DELETE FROM parts",
        "DELETE FROM equipment_models",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    assert!(load_if_empty(&pool, &dir).await.unwrap(), "catalog loaded");
    let models: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM equipment_models")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(models, 2);
    let documents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(documents, 8, "and the documents");
    assert!(!load_if_empty(&pool, &dir).await.unwrap(), "once");
    // One made before the drawings gets them and their callouts alone.
    sqlx::query("DELETE FROM assembly_drawings")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE bom_lines SET callout_x = NULL, callout_y = NULL")
        .execute(&pool)
        .await
        .unwrap();
    assert!(load_if_empty(&pool, &dir).await.unwrap(), "drawings loaded");
    let (drawings, callouts): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM assembly_drawings), (SELECT COUNT(callout_x) FROM bom_lines)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (drawings, callouts),
        (6, 43),
        "6 drawings, a callout per BOM line"
    );
    assert!(!load_if_empty(&pool, &dir).await.unwrap(), "once");

    // Without the demo mark nothing is added.
    let (prod, _) = common::fresh_pool().await;
    sqlx::query(
        "INSERT INTO organisations (name, kind, created_at) VALUES ('Supplier', 'supplier', 0)",
    )
    .execute(&prod)
    .await
    .unwrap();
    assert!(!load_if_empty(&prod, &dir).await.unwrap());
    let models: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM equipment_models")
        .fetch_one(&prod)
        .await
        .unwrap();
    assert_eq!(models, 0);
}

#[tokio::test]
async fn a_unit_page_links_its_drawings_callouts_to_bom_lines_and_the_drawing_is_an_inert_image() {
    let t = app().await;
    let ops = t.login("ops@globalport.example").await;
    let page = t.get("/units/LX2-2019-00417", Some(&ops)).await;
    assert_eq!(page.status, StatusCode::OK);
    // Three assemblies, each with its drawing; callout 3 of the traction drive
    // leads to BOM line 3 (the brake pad set), which offers "Add to cart".
    for code in ["drv", "dor", "ctl"] {
        assert!(
            page.body.contains(&format!(r#"id="assembly-{code}""#)),
            "{code}"
        );
    }
    let href = page
        .body
        .split(r#"<image href=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a drawing")
        .replace("&amp;", "&");
    assert!(href.starts_with("/drawings/LX-200/DRV.svg?v="), "{href}");
    assert!(page
        .body
        .contains(r##"href="#drv-item-3" id="drv-callout-3""##));
    let row = page
        .body
        .split(r#"<tr id="drv-item-3">"#)
        .nth(1)
        .expect("line 3");
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("NL-1104-022") && row.contains("Add NL-1104-022 to cart"),
        "{row}"
    );
    // Hovering line 3 lights callout 3: the rule is in a style the CSP lets run.
    let csp = page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        csp.contains(&format!("style-src 'self' 'nonce-{nonce}'")),
        "{csp}"
    );
    let style = page
        .body
        .split(&format!(r#"<style nonce="{nonce}">"#))
        .nth(1)
        .expect("the highlight rules");
    assert!(style.contains(
        "#assembly-drv:has(#drv-item-3:is(:hover,:focus-within,:target)) #drv-callout-3"
    ));

    // The drawing itself: an SVG under a policy that lets nothing run.
    let svg = t.get(&href, Some(&ops)).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.headers["content-type"], "image/svg+xml; charset=utf-8");
    let policy = svg.headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.starts_with("default-src 'none'") && policy.contains("sandbox"),
        "{policy}"
    );
    assert!(svg.headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(svg.body.starts_with("<svg") && svg.body.contains("viewBox=\"0 0 800 520\""));
    // Signed out: to sign-in and back; unknown drawings: 404.
    let anonymous = t.get(&href, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/login?next=/drawings/LX-200/DRV.svg"));
    assert_eq!(
        t.get("/drawings/LX-200/XYZ.svg", Some(&ops)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/drawings/LX-200/DRV", Some(&ops)).await.status,
        StatusCode::NOT_FOUND
    );
}
