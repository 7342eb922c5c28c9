//! Notices over HTTP, on both databases: an assignment writes one message to
//! the outbox in its own transaction; the job runner delivers it once to the
//! learner's notices; reminders of due dates and expiring completions are
//! written once however often their job runs; a user reads and marks only
//! their own notices.

use crate::common;

use app::learning::AssignCourse;
use app::notices::{ListNotices, MarkNoticesRead, UnreadNotices};
use app::platform::jobs::Runner;
use app::wiring::jobs as registry;
use axum::http::StatusCode;
use common::{app, expect_not_found, TestApp};

const GP_ADMIN: &str = "admin@globalport.example";
const TOM: &str = "tom@globalport.example";
const LENA: &str = "lena@globalport.example";

async fn scalar(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

async fn run_jobs(t: &TestApp) {
    let runner = Runner::new(t.state.pool.clone(), registry(&t.state), "test");
    while runner.tick().await.expect("runner") > 0 {}
}

async fn notices(t: &TestApp, cookie: &str) -> serde_json::Value {
    let r = t.call(&ListNotices {}, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn an_assignment_reaches_the_learner_once_and_only_they_mark_it_read() {
    let t = app().await;
    let tom_id = t.user_id(TOM).await;
    let admin = t.login(GP_ADMIN).await;
    let tom = t.login(TOM).await;
    let before = notices(&t, &tom).await["notices"].as_array().unwrap().len();
    let assignment = AssignCourse {
        org: String::new(),
        user_id: String::new(),
        course: String::new(),
        due: "2099-06-30".into(),
        pick: format!("{tom_id}:hx-500-operation"),
    };
    // A double click assigns once and writes one message.
    for _ in 0..2 {
        let r = t.call(&assignment, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let outbox = format!(
        "SELECT COUNT(*) FROM outbox WHERE user_id = {tom_id} AND kind = 'learning.assigned'"
    );
    assert_eq!(scalar(&t, &outbox).await, 1);
    run_jobs(&t).await;
    run_jobs(&t).await;
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL").await,
        0
    );
    let list = notices(&t, &tom).await;
    let items = list["notices"].as_array().unwrap();
    assert_eq!(items.len(), before + 1, "{list}");
    let newest = &items[0];
    assert_eq!(
        newest["subject"], "Course assigned: HX-500 Safe operation",
        "{newest}"
    );
    assert_eq!(
        newest["body"],
        "Grace Porter assigned this course to you. It is due on 2099-06-30."
    );
    assert_eq!(newest["link"], "/courses/hx-500-operation");
    let unread = list["unread"].as_i64().unwrap();
    assert!(unread >= 1);
    let r = t.call(&UnreadNotices {}, Some(&tom)).await;
    assert_eq!(r.json(), serde_json::json!(unread));

    // Someone else's notice: not found, and still unread.
    let read = MarkNoticesRead {
        id: newest["id"].as_i64().unwrap().to_string(),
    };
    let lena = t.login(LENA).await;
    expect_not_found(
        &t,
        &read,
        &[("another learner", &lena)],
        &["HX-500", "Grace Porter"],
    )
    .await;
    assert_eq!(notices(&t, &tom).await["unread"].as_i64().unwrap(), unread);
    // Its owner marks it read (twice changes nothing), then all.
    for _ in 0..2 {
        let r = t.call(&read, Some(&tom)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(
        notices(&t, &tom).await["unread"].as_i64().unwrap(),
        unread - 1
    );
    assert_eq!(
        t.call(&MarkNoticesRead { id: String::new() }, Some(&tom))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(notices(&t, &tom).await["unread"], 0);
    // Signed out: no notices.
    assert_eq!(
        t.call(&ListNotices {}, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn reminders_of_due_dates_and_expiring_completions_are_written_once() {
    let t = app().await;
    let now = app::platform::now();
    let day = 86_400;
    let tom_id = t.user_id(TOM).await;
    // Own fixtures: Tom's two enrollments, one due in 3 days and not done,
    // one completed and expiring in 10 days; and one due in 20 days (no reminder).
    let course = |slug: &str| format!("(SELECT id FROM courses WHERE slug = '{slug}')");
    for (slug, due, completed, expires) in [
        ("hx-500-operation", Some(now + 3 * day), None, None),
        (
            "lx-200-daily-checks",
            None,
            Some(now - 300 * day),
            Some(now + 10 * day),
        ),
        (
            "ordering-parts-in-careport",
            Some(now + 20 * day),
            None,
            None,
        ),
    ] {
        sqlx::query(&format!(
            "INSERT INTO enrollments (course_id, user_id, source, due_at, enrolled_at, completed_at, expires_at)
             VALUES ({}, $1, 'self', $2, $3, $4, $5)
             ON CONFLICT (user_id, course_id) DO UPDATE SET due_at = excluded.due_at,
                 completed_at = excluded.completed_at, expires_at = excluded.expires_at",
            course(slug)
        ))
        .bind(tom_id)
        .bind(due)
        .bind(now - 400 * day)
        .bind(completed)
        .bind(expires)
        .execute(&t.state.pool)
        .await
        .unwrap();
    }
    let mine = |kind: &str| {
        format!("SELECT COUNT(*) FROM outbox WHERE user_id = {tom_id} AND kind = '{kind}'")
    };
    for _ in 0..3 {
        let mut tx = app::platform::db::begin_write(&t.state.pool).await.unwrap();
        app::learning::reminders::remind(&mut tx, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(scalar(&t, &mine("learning.due")).await, 1);
    assert_eq!(scalar(&t, &mine("learning.expiring")).await, 1);
    run_jobs(&t).await;
    let tom = t.login(TOM).await;
    let list = notices(&t, &tom).await;
    let subjects: Vec<&str> = list["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["subject"].as_str().unwrap())
        .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Due on") && s.ends_with("HX-500 Safe operation")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.starts_with("Expires on")
            && s.ends_with("LX-200 Daily checks and first-line care")),
        "{subjects:?}"
    );
    assert!(
        !subjects.iter().any(|s| s.contains("Ordering spare parts")),
        "{subjects:?}"
    );
    // A new due date is a new reminder.
    sqlx::query(&format!(
        "UPDATE enrollments SET due_at = $1 WHERE user_id = $2 AND course_id = {}",
        course("hx-500-operation")
    ))
    .bind(now + 5 * day)
    .bind(tom_id)
    .execute(&t.state.pool)
    .await
    .unwrap();
    let mut tx = app::platform::db::begin_write(&t.state.pool).await.unwrap();
    app::learning::reminders::remind(&mut tx, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(scalar(&t, &mine("learning.due")).await, 2);
}
