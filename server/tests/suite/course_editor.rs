//! The course editor over HTTP, on both databases: only the supplier's
//! content editors write courses; a draft course is invisible to learners; a
//! lesson's draft is previewed (made safe) while learners keep the published
//! text; lessons keep their numbers in order across modules; prerequisites
//! never go round; materials are stored once and served only to those the
//! course is open to.

use crate::common;

use app::learning::authoring::api::{
    AddLesson, AddModule, CreateCourse, GetCourseEdit, GetLessonEdit, ListCourseEditor,
    PublishCourse, SaveCourse, SaveLesson, SetPrerequisite, UploadMaterial,
};
use app::learning::{Enroll, GetCourse, GetLesson};
use axum::http::StatusCode;
use common::{app, expect_not_found, TestApp};
use leptos::server_fn::ServerFn;
use serde::Serialize;

const ADMIN: &str = "admin@nordlift.example";
const TOM: &str = "tom@globalport.example";
const PARTNER_TECH: &str = "tech@balticlift.example";
const SLUG: &str = "door-operator-tuning";

async fn scalar(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

/// An editor's call, as `cookie`.
async fn post<F: ServerFn + Serialize>(t: &TestApp, cookie: &str, call: &F) -> common::Reply {
    t.call(call, Some(cookie)).await
}

fn publish(course: &str) -> PublishCourse {
    PublishCourse {
        course: course.into(),
        publish: "1".into(),
    }
}

fn add_module(course: &str, title: &str) -> AddModule {
    AddModule {
        course: course.into(),
        title: title.into(),
    }
}

fn add_lesson(course: &str, module: &str, title: &str, minutes: &str) -> AddLesson {
    AddLesson {
        course: course.into(),
        module: module.into(),
        title: title.into(),
        minutes: minutes.into(),
    }
}

/// A lesson's form: its number, title, minutes, text and what to do with it.
fn save_lesson(n: i64, title: &str, minutes: &str, body: &str, intent: &str) -> SaveLesson {
    SaveLesson {
        course: SLUG.into(),
        n,
        title: title.into(),
        minutes: minutes.into(),
        body: body.into(),
        intent: intent.into(),
        lesson: String::new(),
    }
}

fn prerequisite(course: &str, requires: &str) -> SetPrerequisite {
    SetPrerequisite {
        course: course.into(),
        requires: requires.into(),
        remove: String::new(),
    }
}

/// A learner's view of a course.
fn course(slug: &str) -> GetCourse {
    GetCourse { slug: slug.into() }
}

async fn lesson_titles(t: &TestApp, slug: &str) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT l.position, l.title FROM lessons l JOIN courses c ON c.id = l.course_id
         WHERE c.slug = $1 ORDER BY l.position",
    )
    .bind(slug)
    .fetch_all(&t.state.pool)
    .await
    .unwrap()
}

async fn module_id(t: &TestApp, slug: &str, title: &str) -> String {
    let id: i64 = sqlx::query_scalar(
        "SELECT m.id FROM course_modules m JOIN courses c ON c.id = m.course_id
         WHERE c.slug = $1 AND m.title = $2",
    )
    .bind(slug)
    .bind(title)
    .fetch_one(&t.state.pool)
    .await
    .unwrap();
    id.to_string()
}

#[tokio::test]
async fn an_editor_writes_previews_and_publishes_a_course_that_learners_then_take() {
    let t = app().await;
    let admin = t.login(ADMIN).await;
    let tom = t.login(TOM).await;
    let grace = t.login("admin@globalport.example").await;
    let create = CreateCourse {
        title: "Door operator tuning".into(),
        slug: String::new(),
        audience: "customer".into(),
        level: "intermediate".into(),
    };
    // Only the supplier's content editors write courses.
    for who in [&tom, &grace] {
        let r = post(&t, who, &create).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(
            post(&t, who, &ListCourseEditor {}).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM courses WHERE slug = 'door-operator-tuning'"
        )
        .await,
        0
    );
    let r = post(&t, &admin, &create).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same address twice is refused with a message.
    let r = post(&t, &admin, &create).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("exists already"), "{}", r.body);

    // A draft course is not found by learners, and cannot be published empty.
    expect_not_found(
        &t,
        &course(SLUG),
        &[("a learner", &tom)],
        &["Door operator tuning"],
    )
    .await;
    let r = post(&t, &admin, &publish(SLUG)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Add a lesson"), "{}", r.body);

    // Modules and lessons: a lesson added to an earlier module takes the
    // next number there, and the later lessons move one on.
    for m in ["Adjusting the operator", "Checks after tuning"] {
        assert_eq!(
            post(&t, &admin, &add_module(SLUG, m)).await.status,
            StatusCode::OK
        );
    }
    let first = module_id(&t, SLUG, "Adjusting the operator").await;
    let second = module_id(&t, SLUG, "Checks after tuning").await;
    for (module, title) in [
        (&first, "Door speed profile"),
        (&second, "Reversal test"),
        (&first, "Closing force"),
    ] {
        let r = post(&t, &admin, &add_lesson(SLUG, module, title, "10")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        lesson_titles(&t, SLUG).await,
        [
            (1, "Door speed profile".to_string()),
            (2, "Closing force".into()),
            (3, "Reversal test".into())
        ]
    );
    // Another course's module is not this course's.
    let other: i64 = scalar(&t, "SELECT MIN(m.id) FROM course_modules m JOIN courses c ON c.id = m.course_id WHERE c.slug = 'lift-safety-essentials'").await;
    let stray = add_lesson(SLUG, &other.to_string(), "Stray", "5");
    let r = post(&t, &admin, &stray).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(lesson_titles(&t, SLUG).await.len(), 3);

    // A draft is previewed, made safe; learners keep the published text.
    let hostile = "## Speed\n\nSet **creep speed** first.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))";
    let save = |intent: &'static str| {
        let call = save_lesson(1, "Door speed profile", "12", hostile, intent);
        let admin = admin.clone();
        let t = &t;
        async move { post(t, &admin, &call).await }
    };
    assert_eq!(save("preview").await.status, StatusCode::OK);
    let published: String = sqlx::query_scalar("SELECT body_md FROM lessons l JOIN courses c ON c.id = l.course_id WHERE c.slug = $1 AND l.position = 1")
        .bind(SLUG).fetch_one(&t.state.pool).await.unwrap();
    assert!(
        !published.contains("creep speed"),
        "the draft is not published yet"
    );
    let r = post(
        &t,
        &admin,
        &GetLessonEdit {
            slug: SLUG.into(),
            n: 1,
        },
    )
    .await;
    let lesson = r.json();
    assert_eq!(lesson["has_draft"], true);
    let html = lesson["preview_html"].as_str().unwrap();
    assert!(html.contains("<strong>creep speed</strong>"), "{html}");
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    assert_eq!(save("publish").await.status, StatusCode::OK);
    let (body, draft): (String, Option<String>) = sqlx::query_as("SELECT body_md, draft_md FROM lessons l JOIN courses c ON c.id = l.course_id WHERE c.slug = $1 AND l.position = 1")
        .bind(SLUG).fetch_one(&t.state.pool).await.unwrap();
    assert!(body.contains("creep speed"));
    assert_eq!(draft, None);
    // The longest lesson saves, even in characters that encode long (about
    // 900 KB sent); one character more is refused with a message, not a 413.
    for (chars, status) in [
        (100_000, StatusCode::OK),
        (100_001, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let body = "€".repeat(chars);
        let call = save_lesson(2, "Closing force", "10", &body, "preview");
        let r = post(&t, &admin, &call).await;
        assert_eq!(
            r.status,
            status,
            "{chars}: {}",
            &r.body[..r.body.len().min(200)]
        );
    }
    // Bad input: a title too short, minutes out of range, an unknown intent.
    let good = save_lesson(1, "Door speed profile", "12", "text", "preview");
    for (field, value) in [("title", "ab"), ("minutes", "0"), ("intent", "erase")] {
        let mut call = good.clone();
        match field {
            "title" => call.title = value.into(),
            "minutes" => call.minutes = value.into(),
            _ => call.intent = value.into(),
        }
        let r = post(&t, &admin, &call).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.body
        );
    }

    // Published, learners of its audience find, enrol and take it.
    assert_eq!(
        post(&t, &admin, &publish(SLUG)).await.status,
        StatusCode::OK
    );
    let r = t.call(&course(SLUG), Some(&tom)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["card"]["lessons"], 3);
    let r = t.call(&Enroll { slug: SLUG.into() }, Some(&tom)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let lesson_1 = GetLesson {
        slug: SLUG.into(),
        n: 1,
    };
    let r = t.call(&lesson_1, Some(&tom)).await;
    assert!(r.json()["html"]
        .as_str()
        .unwrap()
        .contains("<strong>creep speed</strong>"));

    // Fields are checked; the model must exist.
    let fields_priced = |model: &str, validity: &str, price: &str| SaveCourse {
        seat_price: price.into(),
        course: SLUG.into(),
        title: "Door operator tuning".into(),
        summary: "Speed, force and reversal.".into(),
        audience: "customer".into(),
        model: model.into(),
        level: "intermediate".into(),
        duration: "45".into(),
        validity: validity.into(),
    };
    let fields = |model: &str, validity: &str| fields_priced(model, validity, "");
    assert_eq!(
        post(&t, &admin, &fields("NOPE-1", "")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(&t, &admin, &fields("LX-200", "200")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(&t, &admin, &fields("LX-200", "24")).await.status,
        StatusCode::OK
    );
    let (validity, duration): (Option<i64>, i64) =
        sqlx::query_as("SELECT validity_months, duration_minutes FROM courses WHERE slug = $1")
            .bind(SLUG)
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
    assert_eq!((validity, duration), (Some(24), 45));
    // A seat price: in euros, for a course customers take.
    let seat_price = || async {
        sqlx::query_scalar::<_, Option<i64>>("SELECT seat_price_cents FROM courses WHERE slug = $1")
            .bind(SLUG)
            .fetch_one(&t.state.pool)
            .await
            .unwrap()
    };
    assert_eq!(seat_price().await, None);
    let r = post(&t, &admin, &fields_priced("LX-200", "24", "12,50")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("seat price"), "{}", r.body);
    let r = post(&t, &admin, &fields_priced("LX-200", "24", "249.50")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(seat_price().await, Some(24_950));
    let page = post(&t, &admin, &GetCourseEdit { slug: SLUG.into() }).await;
    assert_eq!(
        page.json()["row"]["seat_price_cents"],
        24_950,
        "{}",
        page.body
    );

    // Prerequisites never go round.
    let r = post(&t, &admin, &prerequisite(SLUG, "lift-safety-essentials")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = post(&t, &admin, &prerequisite("lift-safety-essentials", SLUG)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("cannot require each other"), "{}", r.body);
    // An unknown course is not found.
    let r = post(&t, &admin, &prerequisite(SLUG, "no-such-course")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Two modules may share a title: the learner's outline keeps them apart.
    let r = post(&t, &admin, &add_module(SLUG, "Checks after tuning")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let third = scalar(&t, "SELECT MAX(m.id) FROM course_modules m JOIN courses c ON c.id = m.course_id WHERE c.slug = 'door-operator-tuning'").await;
    let final_ride = add_lesson(SLUG, &third.to_string(), "Final ride", "5");
    let r = post(&t, &admin, &final_ride).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The course is published: the lesson waits for its first publication.
    let n = scalar(
        &t,
        "SELECT position FROM lessons WHERE title = 'Final ride'",
    )
    .await;
    let first_publication = save_lesson(
        n,
        "Final ride",
        "5",
        "Ride the lift once from bottom to top.",
        "publish",
    );
    let r = post(&t, &admin, &first_publication).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let outline = t.call(&course(SLUG), Some(&tom)).await.json();
    let modules = outline["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 3, "{outline}");
    assert_eq!(modules[2]["lessons"][0]["title"], "Final ride");

    // Every change is in the audit trail.
    assert!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'course.edited'"
        )
        .await
            >= 8
    );
}

#[tokio::test]
async fn materials_are_stored_once_and_served_only_to_those_the_course_is_open_to() {
    let t = app().await;
    let admin = t.login(ADMIN).await;
    const PARTNER_COURSE: &str = "hx-500-hydraulic-maintenance";
    let png: &'static [u8] = b"\x89PNG\r\n\x1a\n fake picture of a valve block";
    let upload = |file: (&'static str, &'static [u8])| {
        let admin = admin.clone();
        let t = &t;
        async move {
            t.post_multipart(
                TestApp::path::<UploadMaterial>(),
                "/course-editor/hx-500-hydraulic-maintenance",
                &admin,
                &[("course", PARTNER_COURSE), ("title", "Valve block")],
                &[("file", file.0, file.1)],
                "application/json",
            )
            .await
        }
    };
    for _ in 0..2 {
        let r = upload(("valve-block.png", png)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM course_materials").await,
        1,
        "the same file is attached once"
    );
    let r = upload(("setup.exe", b"MZ")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("not accepted"), "{}", r.body);
    assert_eq!(scalar(&t, "SELECT COUNT(*) FROM course_materials").await, 1);
    // A learner may not upload.
    let tech = t.login(PARTNER_TECH).await;
    let r = t
        .post_multipart(
            TestApp::path::<UploadMaterial>(),
            "/courses",
            &tech,
            &[("course", PARTNER_COURSE)],
            &[("file", "x.png", png)],
            "application/json",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let id = scalar(&t, "SELECT id FROM course_materials").await;
    let href = format!("/courses/{PARTNER_COURSE}/materials/{id}");
    // Partner staff of its audience download it once enrolled, as they read
    // its lessons (the enrollment is the door past seats and prerequisites).
    assert_eq!(
        t.get(&href, Some(&tech)).await.status,
        StatusCode::NOT_FOUND
    );
    let enroll = Enroll {
        slug: PARTNER_COURSE.into(),
    };
    let r = t.call(&enroll, Some(&tech)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Its editor and the enrolled learner download it, by its hash.
    for who in [&admin, &tech] {
        let r = t.get(&href, Some(who)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers["content-type"], "image/png");
        assert!(r.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox"));
        assert_eq!(r.headers["content-length"], png.len().to_string().as_str());
        assert!(r.body.ends_with(" fake picture of a valve block"));
    }
    let detail = t.call(&course(PARTNER_COURSE), Some(&tech)).await.json();
    assert_eq!(detail["materials"][0]["href"], href.as_str(), "{detail}");
    // Customer staff (not the course's audience: the course itself is not
    // found), another course's address, an id that is not a number: not found.
    let tom = t.login(TOM).await;
    assert_eq!(t.get(&href, Some(&tom)).await.status, StatusCode::NOT_FOUND);
    expect_not_found(
        &t,
        &course(PARTNER_COURSE),
        &[("customer staff", &tom)],
        &["Valve block", "materials/"],
    )
    .await;
    assert_eq!(
        t.get(
            &format!("/courses/lift-safety-essentials/materials/{id}"),
            Some(&tech)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get(
            &format!("/courses/{PARTNER_COURSE}/materials/..%2F1"),
            Some(&tech)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Signed out: to sign-in.
    assert_eq!(t.get(&href, None).await.status, StatusCode::SEE_OTHER);
    // A material larger than a form's body limit is an upload like any other.
    let manual: &'static [u8] = Box::leak(vec![b'%'; 300 * 1024].into_boxed_slice());
    let r = upload(("hydraulics-manual.pdf", manual)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(scalar(&t, "SELECT COUNT(*) FROM course_materials").await, 2);
}
