//! Learning rules that must hold under clicks, tabs and other paths to the
//! same record, on both databases: a retake starts once (one seat, progress
//! kept); prerequisites hold on every path into an enrollment; a course
//! outside the caller's audience and a draft prerequisite are not shown;
//! materials are for enrolled learners; what learners read changes only when
//! the editor publishes, and every publication is audited.

use crate::common;
use crate::learning::progress_rows;

use app::learning::authoring::api::{
    AddLesson, CreateCourse, SaveLesson, SetPrerequisite, UploadMaterial,
};
use app::learning::{ApplyProposals, AssignCourse, CompleteLesson, Enroll, GetCourse, GetLesson};
use axum::http::StatusCode;
use common::{app, expect_not_found, TestApp};

const RESCUE: &str = "emergency-release-and-rescue";
const SAFETY: &str = "lift-safety-essentials";
const GP_ADMIN: &str = "admin@globalport.example";
const OPS: &str = "ops@globalport.example";
const EDITOR: &str = "admin@nordlift.example";
const DAY: i64 = 86_400;

async fn scalar(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn enroll(t: &TestApp, cookie: &str, slug: &str) -> common::Reply {
    t.call(&Enroll { slug: slug.into() }, Some(cookie)).await
}

async fn course(t: &TestApp, cookie: &str, slug: &str) -> common::Reply {
    t.call(&GetCourse { slug: slug.into() }, Some(cookie)).await
}

fn lesson(slug: &str, n: i64) -> GetLesson {
    GetLesson {
        slug: slug.into(),
        n,
    }
}

async fn assign(t: &TestApp, admin: &str, email: &str, slug: &str) -> common::Reply {
    let call = AssignCourse {
        org: String::new(),
        user_id: String::new(),
        course: String::new(),
        due: String::new(),
        pick: format!("{}:{slug}", t.user_id(email).await),
    };
    t.call(&call, Some(admin)).await
}

/// Seats of the rescue course used by GlobalPort.
async fn seats_used(t: &TestApp) -> i64 {
    scalar(
        t,
        "SELECT s.used FROM course_seats s JOIN courses c ON c.id = s.course_id
         JOIN organisations o ON o.id = s.org_id
         WHERE c.slug = 'emergency-release-and-rescue' AND o.name = 'GlobalPort Terminals'",
    )
    .await
}

#[tokio::test]
async fn a_retake_starts_once_whatever_the_clicks_and_keeps_its_progress() {
    let t = app().await;
    let grace = t.login(GP_ADMIN).await;
    let ops = t.login(OPS).await;
    // Ops completes the rescue course (a seat: 2 of 5 used), 350 days ago,
    // and the completion expires in 15 days: "take the course again".
    assert_eq!(assign(&t, &grace, OPS, RESCUE).await.status, StatusCode::OK);
    let at = now();
    sqlx::query(
        "UPDATE enrollments SET completed_at = $1, expires_at = $2
         WHERE user_id = (SELECT id FROM users WHERE email = $3)
           AND course_id = (SELECT id FROM courses WHERE slug = $4)",
    )
    .bind(at - 350 * DAY)
    .bind(at + 15 * DAY)
    .bind(OPS)
    .bind(RESCUE)
    .execute(&t.state.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO lesson_progress (enrollment_id, lesson_id, done_at)
         SELECT e.id, l.id, $1 FROM enrollments e JOIN lessons l ON l.course_id = e.course_id
         WHERE e.user_id = (SELECT id FROM users WHERE email = $2)
           AND e.course_id = (SELECT id FROM courses WHERE slug = $3)",
    )
    .bind(at - 350 * DAY)
    .bind(OPS)
    .bind(RESCUE)
    .execute(&t.state.pool)
    .await
    .unwrap();
    let used = seats_used(&t).await;
    let page = course(&t, &ops, RESCUE).await.json();
    assert_eq!(page["enrollment"]["status"], "expiring", "{page}");
    assert_eq!(page["enrollment"]["retaking"], false, "{page}");

    // Three tabs click at once: one retake, one seat.
    let (a, b, c) = tokio::join!(
        enroll(&t, &ops, RESCUE),
        enroll(&t, &ops, RESCUE),
        enroll(&t, &ops, RESCUE)
    );
    for r in [a, b, c] {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(seats_used(&t).await, used + 1, "one retake takes one seat");
    assert_eq!(
        progress_rows(&t, OPS, RESCUE).await,
        0,
        "the retake starts afresh"
    );
    // The retake goes on; another click, a reload, keeps it.
    let first = CompleteLesson {
        slug: RESCUE.into(),
        n: 1,
    };
    let r = t.call(&first, Some(&ops)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        enroll(&t, &ops, RESCUE).await.status,
        StatusCode::OK,
        "a second click is no error"
    );
    assert_eq!(
        progress_rows(&t, OPS, RESCUE).await,
        1,
        "the retake's progress is kept"
    );
    assert_eq!(seats_used(&t).await, used + 1);
    let page = course(&t, &ops, RESCUE).await.json();
    assert_eq!(page["enrollment"]["retaking"], true, "{page}");
    assert_eq!(page["enrollment"]["status"], "expiring", "still in force");
    assert_eq!(page["enroll_refusal"], serde_json::Value::Null, "{page}");
    let html = t
        .get("/courses/emergency-release-and-rescue", Some(&ops))
        .await;
    assert!(
        html.body.contains("Continue the retake"),
        "the page offers to go on"
    );
    assert!(!html.body.contains("Take the course again"));
}

#[tokio::test]
async fn prerequisites_hold_on_every_path_into_an_enrollment() {
    let t = app().await;
    let grace = t.login(GP_ADMIN).await;
    let daily = "lx-200-daily-checks";
    let count = |email: &'static str| {
        let t = &t;
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM enrollments e JOIN users u ON u.id = e.user_id
                 JOIN courses c ON c.id = e.course_id WHERE u.email = $1 AND c.slug = $2",
            )
            .bind(email)
            .bind("lx-200-daily-checks")
            .fetch_one(&t.state.pool)
            .await
            .unwrap()
        }
    };
    // Lena has not completed LX-200 Operation: self-enrolment, assignment and
    // an admin's assignment to herself are refused the same way.
    let lena = t.login("lena@globalport.example").await;
    let r = enroll(&t, &lena, daily).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = assign(&t, &grace, "lena@globalport.example", daily).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("LX-200 Operation"), "{}", r.body);
    let r = assign(&t, &grace, GP_ADMIN, daily).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count("lena@globalport.example").await, 0);
    assert_eq!(count(GP_ADMIN).await, 0);
    // Ops has: assigned.
    assert_eq!(assign(&t, &grace, OPS, daily).await.status, StatusCode::OK);
    assert_eq!(count(OPS).await, 1);
    // "Assign all": the site supervisor's plan proposes the daily checks to
    // Mo, who lacks LX-200 Operation: that proposal waits, the rest is made.
    let before = scalar(&t, "SELECT COUNT(*) FROM enrollments").await;
    let all = ApplyProposals {
        org: String::new(),
        due: String::new(),
    };
    let r = t.call(&all, Some(&grace)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(scalar(&t, "SELECT COUNT(*) FROM enrollments").await > before);
    assert_eq!(count("mo@globalport.example").await, 0);
    assert_eq!(
        r.cookie("careport_notice").as_deref(),
        Some("careport_notice=proposals-waiting")
    );
    // No enrollment anywhere lacks a prerequisite that was never completed.
    let skipped = scalar(
        &t,
        "SELECT COUNT(*) FROM enrollments e JOIN course_prerequisites r ON r.course_id = e.course_id
         WHERE NOT EXISTS (SELECT 1 FROM enrollments p WHERE p.course_id = r.requires_id
                           AND p.user_id = e.user_id AND p.completed_at IS NOT NULL)",
    )
    .await;
    assert_eq!(skipped, 0);
}

#[tokio::test]
async fn a_course_outside_the_audience_and_a_draft_prerequisite_are_not_shown() {
    let t = app().await;
    let tom = t.login("tom@globalport.example").await;
    let tech = t.login("tech@balticlift.example").await;
    // A partner-only course: not found for a customer, as any record out of
    // scope; its partner audience reads it.
    let page = t
        .get("/courses/lx-200-service-technician", Some(&tom))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let customer = [("a customer", tom.as_str())];
    let partner_only = GetCourse {
        slug: "lx-200-service-technician".into(),
    };
    expect_not_found(&t, &partner_only, &customer, &["Service technician"]).await;
    let its_lesson = lesson("lx-200-service-technician", 1);
    expect_not_found(&t, &its_lesson, &customer, &["Service technician"]).await;
    assert_eq!(
        course(&t, &tech, "lx-200-service-technician").await.status,
        StatusCode::OK
    );
    // A draft required by a published course: its title stays the editor's.
    let admin = t.login(EDITOR).await;
    let create = CreateCourse {
        title: "Secret retrofit kit".into(),
        slug: String::new(),
        audience: "customer".into(),
        level: "foundation".into(),
    };
    let r = t.call(&create, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let requires = SetPrerequisite {
        course: SAFETY.into(),
        requires: "secret-retrofit-kit".into(),
        remove: String::new(),
    };
    let r = t.call(&requires, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = course(&t, &tom, SAFETY).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("Secret retrofit"), "{}", r.body);
    assert!(!r.body.contains("secret-retrofit-kit"), "{}", r.body);
}

#[tokio::test]
async fn materials_of_a_course_are_for_its_enrolled_learners() {
    let t = app().await;
    let admin = t.login(EDITOR).await;
    let r = t
        .post_multipart(
            TestApp::path::<UploadMaterial>(),
            "/course-editor/emergency-release-and-rescue",
            &admin,
            &[("course", RESCUE), ("title", "Rescue checklist")],
            &[("file", "rescue.txt", b"1. Lock out the main switch.")],
            "application/json",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = scalar(&t, "SELECT MAX(id) FROM course_materials").await;
    let href = format!("/courses/{RESCUE}/materials/{id}");
    // Sanne and Tom, of the audience but not enrolled (no seat taken): not
    // found; Mo, enrolled with a seat: the file.
    for who in ["sanne@globalport.example", "tom@globalport.example"] {
        let cookie = t.login(who).await;
        assert_eq!(
            t.get(&href, Some(&cookie)).await.status,
            StatusCode::NOT_FOUND,
            "{who}"
        );
        let page = course(&t, &cookie, RESCUE).await.json();
        assert_eq!(page["materials"], serde_json::json!([]), "{who}: {page}");
    }
    let mo = t.login("mo@globalport.example").await;
    let r = t.get(&href, Some(&mo)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Lock out"));
}

#[tokio::test]
async fn learners_read_what_is_published_and_every_publication_is_audited() {
    let t = app().await;
    let admin = t.login(EDITOR).await;
    let tom = t.login("tom@globalport.example").await;
    let lessons = |who: String| {
        let t = &t;
        async move { course(t, &who, SAFETY).await.json()["card"]["lessons"].clone() }
    };
    assert_eq!(enroll(&t, &tom, SAFETY).await.status, StatusCode::OK);
    let before = lessons(tom.clone()).await;
    let module: i64 = scalar(
        &t,
        "SELECT MIN(m.id) FROM course_modules m JOIN courses c ON c.id = m.course_id
         WHERE c.slug = 'lift-safety-essentials'",
    )
    .await;
    let module = module.to_string();
    // A lesson added to the published course: learners see nothing of it.
    let add = AddLesson {
        course: SAFETY.into(),
        module: module.clone(),
        title: "Hidden placeholder".into(),
        minutes: "5".into(),
    };
    let r = t.call(&add, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        lessons(tom.clone()).await,
        before,
        "a completion needs no more lessons"
    );
    let page = course(&t, &tom, SAFETY).await;
    assert!(!page.body.contains("Hidden placeholder"), "{}", page.body);
    let staged = scalar(
        &t,
        "SELECT position FROM lessons WHERE title = 'Hidden placeholder'",
    )
    .await;
    expect_not_found(
        &t,
        &lesson(SAFETY, staged),
        &[("a learner", &tom)],
        &["Hidden placeholder"],
    )
    .await;

    // A live lesson's preview and discard change nothing learners read.
    let title_1 = || async {
        let r = t.call(&lesson(SAFETY, 1), Some(&tom)).await;
        (r.json()["title"].clone(), r.json()["minutes"].clone())
    };
    let live = title_1().await;
    for intent in ["preview", "discard"] {
        let draft = SaveLesson {
            course: SAFETY.into(),
            n: 1,
            title: "Renamed in a draft".into(),
            minutes: "99".into(),
            body: "Draft text".into(),
            intent: intent.into(),
            lesson: String::new(),
        };
        let r = t.call(&draft, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{intent}: {}", r.body);
        assert_eq!(title_1().await, live, "{intent} reached learners");
    }
    // Drafts are in the audit trail too.
    for key in ["lesson_draft_saved", "lesson_draft_discarded"] {
        let sql = format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'course.edited' AND detail LIKE '%{key}%'"
        );
        assert_eq!(scalar(&t, &sql).await, 1, "{key}");
    }

    // Published: the new lesson takes its place in the numbering, and both
    // publications are in the audit trail.
    let audited = || {
        scalar(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'course.edited'
             AND detail LIKE '%lesson_published%'",
        )
    };
    let audited_before = audited().await;
    let publish = SaveLesson {
        course: SAFETY.into(),
        n: staged,
        title: "Isolating the drive".into(),
        minutes: "6".into(),
        body: "Switch off and lock the isolator.".into(),
        intent: "publish".into(),
        lesson: String::new(),
    };
    let r = t.call(&publish, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = lessons(tom.clone()).await;
    assert_eq!(after.as_i64(), before.as_i64().map(|n| n + 1));
    let page = course(&t, &tom, SAFETY).await;
    assert!(page.body.contains("Isolating the drive"), "{}", page.body);
    let positions: Vec<i64> = sqlx::query_scalar(
        "SELECT l.position FROM lessons l JOIN courses c ON c.id = l.course_id
         WHERE c.slug = $1 ORDER BY l.position",
    )
    .bind(SAFETY)
    .fetch_all(&t.state.pool)
    .await
    .unwrap();
    let expected: Vec<i64> = (1..=positions.len() as i64).collect();
    assert_eq!(positions, expected, "learners number lessons 1..n");
    assert_eq!(audited().await, audited_before + 1);
}
