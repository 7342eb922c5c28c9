//! E-learning over HTTP, on both databases: enrolling, lesson progress that
//! is idempotent and never lost, completion with expiry, refusals that change
//! nothing, safe lesson HTML, and training administration scoped to the
//! caller's organisation (another organisation's people, roles and matrix are
//! not found).

use crate::common;

use app::learning::{
    ApplyProposals, AssignCourse, CompleteLesson, Enroll, GetCourse, GetLesson, GetTrainingMatrix,
    GetTranscript, RateCourse, SetPlanCourse, SetStaffRole,
};
use axum::http::StatusCode;
use common::{app, expect_not_found, TestApp};

const TOM: &str = "tom@globalport.example";
const GP_ADMIN: &str = "admin@globalport.example";
const SAFETY: &str = "lift-safety-essentials";

async fn count(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&t.state.pool)
        .await
        .unwrap()
}

pub(crate) async fn progress_rows(t: &TestApp, email: &str, slug: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM lesson_progress p JOIN enrollments e ON e.id = p.enrollment_id
         JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
         WHERE u.email = $1 AND c.slug = $2",
    )
    .bind(email)
    .bind(slug)
    .fetch_one(&t.state.pool)
    .await
    .unwrap()
}

async fn enroll(t: &TestApp, cookie: &str, slug: &str) -> common::Reply {
    t.call(&Enroll { slug: slug.into() }, Some(cookie)).await
}

async fn done(t: &TestApp, cookie: &str, slug: &str, n: i64) -> common::Reply {
    let call = CompleteLesson {
        slug: slug.into(),
        n,
    };
    t.call(&call, Some(cookie)).await
}

fn lesson(slug: &str, n: i64) -> GetLesson {
    GetLesson {
        slug: slug.into(),
        n,
    }
}

fn course(slug: &str) -> GetCourse {
    GetCourse { slug: slug.into() }
}

/// The matrix of an organisation (empty: the caller's), first page, unfiltered.
fn matrix_of(org: &str) -> GetTrainingMatrix {
    GetTrainingMatrix {
        org: org.into(),
        role: String::new(),
        status: String::new(),
        q: String::new(),
        page: String::new(),
    }
}

async fn matrix(t: &TestApp, cookie: &str, org: &str) -> common::Reply {
    t.call(&matrix_of(org), Some(cookie)).await
}

/// An assignment of the caller's organisation (no `org`), by user id and
/// course or by a matrix cell's `pick`.
fn assignment(user_id: &str, course: &str, due: &str, pick: &str) -> AssignCourse {
    AssignCourse {
        org: String::new(),
        user_id: user_id.into(),
        course: course.into(),
        due: due.into(),
        pick: pick.into(),
    }
}

fn apply_all() -> ApplyProposals {
    ApplyProposals {
        org: String::new(),
        due: String::new(),
    }
}

#[tokio::test]
async fn a_learner_enrols_completes_lesson_by_lesson_and_the_course_expires_in_a_year() {
    let t = app().await;
    let tom = t.login(TOM).await;
    // Not enrolled: no lesson to read and no progress to record.
    let r = t.call(&lesson(SAFETY, 1), Some(&tom)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = done(&t, &tom, SAFETY, 1).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Enrol in this course first"), "{}", r.body);
    assert_eq!(progress_rows(&t, TOM, SAFETY).await, 0);

    let r = enroll(&t, &tom, SAFETY).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Enrolling twice is one enrollment.
    assert_eq!(enroll(&t, &tom, SAFETY).await.status, StatusCode::OK);
    let r = t.call(&course(SAFETY), Some(&tom)).await;
    let c = r.json();
    assert_eq!(c["enrollment"]["status"], "not_started", "{c}");
    assert_eq!(c["enrollment"]["lessons_total"], 3);

    // A lesson marked twice (a double click, a retry) counts once.
    for _ in 0..2 {
        let r = done(&t, &tom, SAFETY, 1).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["next"], 2);
        assert_eq!(r.json()["completed_course"], false);
    }
    assert_eq!(progress_rows(&t, TOM, SAFETY).await, 1);
    // Resumed where left off, on any device: a second sign-in sees the same.
    let other_device = t.login(TOM).await;
    let c = t.call(&course(SAFETY), Some(&other_device)).await.json();
    assert_eq!(c["enrollment"]["resume_at"], 2, "{c}");
    assert_eq!(c["enrollment"]["status"], "in_progress");

    // Lesson 3 before 2: the next is the one left behind; then 2 completes.
    assert_eq!(done(&t, &tom, SAFETY, 3).await.json()["next"], 2);
    let last = done(&t, &tom, SAFETY, 2).await.json();
    assert_eq!(last["completed_course"], true, "{last}");
    assert_eq!(last["next"], serde_json::Value::Null);
    // Marking again after completion changes nothing.
    assert_eq!(
        done(&t, &tom, SAFETY, 2).await.json()["completed_course"],
        false
    );
    let (completed, expires): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT e.completed_at, e.expires_at FROM enrollments e JOIN users u ON u.id = e.user_id
         JOIN courses c ON c.id = e.course_id WHERE u.email = $1 AND c.slug = $2",
    )
    .bind(TOM)
    .bind(SAFETY)
    .fetch_one(&t.state.pool)
    .await
    .unwrap();
    let (completed, expires) = (completed.unwrap(), expires.unwrap());
    let days = (expires - completed) / 86_400;
    assert!(
        (365..=366).contains(&days),
        "a 12-month course expires in a year, not {days} days"
    );
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'course.completed'"
        )
        .await,
        1
    );
    let transcript = t.call(&GetTranscript {}, Some(&tom)).await.json();
    let row = transcript["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["course"]["slug"] == SAFETY)
        .cloned()
        .unwrap();
    assert_eq!(row["status"], "completed", "{row}");
    // And the pages render for the learner.
    for page in [
        "/courses",
        "/courses/lift-safety-essentials",
        "/courses/lift-safety-essentials/lessons/2",
        "/transcript",
    ] {
        let r = t.get(page, Some(&tom)).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
    }
}

#[tokio::test]
async fn refusals_are_clear_and_change_nothing() {
    let t = app().await;
    let tom = t.login(TOM).await;
    let before = count(&t, "SELECT COUNT(*) FROM enrollments").await;
    // A partner course is not found by a customer's staff.
    let r = enroll(&t, &tom, "hx-500-hydraulic-maintenance").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // A prerequisite not completed.
    let r = enroll(&t, &tom, "lx-200-daily-checks").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("LX-200 Operation"), "{}", r.body);
    // The supplier's staff read courses but do not take them.
    let admin = t.login("admin@nordlift.example").await;
    assert_eq!(
        enroll(&t, &admin, SAFETY).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let preview = t.call(&lesson(SAFETY, 1), Some(&admin)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.json()["enrolled"], false);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM enrollments").await, before);
    // Unknown courses and lessons are not found.
    assert_eq!(
        enroll(&t, &tom, "no-such-course").await.status,
        StatusCode::NOT_FOUND
    );
    enroll(&t, &tom, SAFETY).await;
    assert_eq!(
        done(&t, &tom, SAFETY, 4).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        done(&t, &tom, SAFETY, 0).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/courses/no-such-course", Some(&tom)).await.status,
        StatusCode::NOT_FOUND
    );
    // Rating before completing is refused.
    let ratings = "SELECT COUNT(*) FROM course_feedback";
    let before = count(&t, ratings).await;
    let rating = RateCourse {
        slug: SAFETY.into(),
        rating: "5".into(),
        comment: String::new(),
    };
    let r = t.call(&rating, Some(&tom)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count(&t, ratings).await, before);
}

#[tokio::test]
async fn twenty_concurrent_marks_of_a_lesson_record_it_once_and_complete_once() {
    let t = app().await;
    let tom = t.login(TOM).await;
    enroll(&t, &tom, SAFETY).await;
    done(&t, &tom, SAFETY, 1).await;
    let calls = (0..20).map(|i| {
        let (t, tom) = (&t, tom.clone());
        async move { done(t, &tom, SAFETY, 2 + i % 2).await }
    });
    let replies = futures_util::future::join_all(calls).await;
    for r in &replies {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let completions = replies
        .iter()
        .filter(|r| r.json()["completed_course"] == true)
        .count();
    assert_eq!(completions, 1, "exactly one call completes the course");
    assert_eq!(progress_rows(&t, TOM, SAFETY).await, 3);
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'course.completed'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn lesson_markdown_reaches_the_page_without_scripts() {
    let t = app().await;
    sqlx::query(
        "UPDATE lessons SET body_md = $1 WHERE position = 1
         AND course_id = (SELECT id FROM courses WHERE slug = $2)",
    )
    .bind("## Safe\n\n<script>alert('x')</script><img src=\"a.png\" onerror=\"alert(1)\">\n\n[go](javascript:alert(2))")
    .bind(SAFETY)
    .execute(&t.state.pool)
    .await
    .unwrap();
    let tom = t.login(TOM).await;
    enroll(&t, &tom, SAFETY).await;
    let page = t
        .get("/courses/lift-safety-essentials/lessons/1", Some(&tom))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h2>Safe</h2>"), "{}", page.body);
    assert!(page.body.contains(">go</a>"), "the link's text stays");
    for bad in ["alert('x')", "onerror", "href=\"javascript"] {
        let at = page
            .body
            .find(bad)
            .map(|i| &page.body[i.saturating_sub(200)..(i + 60).min(page.body.len())]);
        assert!(at.is_none(), "{bad} reached the page: {at:?}");
    }
}

#[tokio::test]
async fn the_matrix_shows_every_status_and_its_proposals_close_the_gaps() {
    let t = app().await;
    let admin = t.login(GP_ADMIN).await;
    let r = matrix(&t, &admin, "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = r.json();
    let statuses: Vec<&str> = m["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap())
        .collect();
    for want in [
        "not_assigned",
        "not_started",
        "in_progress",
        "completed",
        "expiring",
        "expired",
        "overdue",
    ] {
        assert!(statuses.contains(&want), "{want} missing from {statuses:?}");
    }
    let proposals = m["proposals"].as_array().unwrap().len() as i64;
    assert!(proposals > 0);
    let before = count(&t, "SELECT COUNT(*) FROM enrollments").await;
    let r = t.call(&apply_all(), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // One proposal waits: the site supervisor's LX-200 daily checks, whose
    // prerequisite (LX-200 Operation) Mo has not completed.
    let waiting = m["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["course"]["slug"] == "lx-200-daily-checks")
        .count() as i64;
    assert_eq!(waiting, 1, "{m}");
    assert_eq!(r.json(), proposals - waiting);
    let renewals = m["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["renewal"] == true)
        .count() as i64;
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM enrollments").await,
        before + proposals - waiting - renewals
    );
    let after = matrix(&t, &admin, "").await.json();
    assert_eq!(
        after["proposals"].as_array().unwrap().len() as i64,
        waiting,
        "{after}"
    );
    // Applying again: nothing that may be assigned, and said so.
    let r = t.call(&apply_all(), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The matrix page and its CSV render.
    assert_eq!(
        t.get("/training", Some(&admin)).await.status,
        StatusCode::OK
    );
    let csv = t.get("/training/export.csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("person,email,job_role,course"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("Pieter de Wit"), "{}", csv.body);
}

#[tokio::test]
async fn training_administration_stays_inside_the_organisation() {
    let t = app().await;
    let harbor = t.login("admin@harbor.example").await;
    let gp_admin = t.login(GP_ADMIN).await;
    let tom_id = t.user_id(TOM).await.to_string();
    let gp = t.org_id("GlobalPort Terminals").await.to_string();
    let before = count(&t, "SELECT COUNT(*) FROM enrollments").await;
    // Another organisation's person, matrix, plan and export: not found.
    let other_org = [("another organisation's admin", harbor.as_str())];
    let pick = format!("{tom_id}:{SAFETY}");
    expect_not_found(&t, &assignment(&tom_id, SAFETY, "", ""), &other_org, &[]).await;
    expect_not_found(&t, &assignment("", "", "", &pick), &other_org, &[]).await;
    expect_not_found(&t, &matrix_of(&gp), &other_org, &["GlobalPort", "Tom"]).await;
    assert_eq!(
        t.get(&format!("/training/export.csv?org={gp}"), Some(&harbor))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let gp_role: i64 =
        sqlx::query_scalar("SELECT id FROM job_roles WHERE name = 'LX-200 operator'")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
    let plan = SetPlanCourse {
        org: String::new(),
        job_role_id: gp_role.to_string(),
        course: SAFETY.into(),
        required: "false".into(),
    };
    expect_not_found(&t, &plan, &other_org, &["LX-200 operator"]).await;
    let harbor_user = t.user_id("admin@harbor.example").await.to_string();
    let staff_role = SetStaffRole {
        org: String::new(),
        user_id: harbor_user,
        job_role_id: gp_role.to_string(),
    };
    expect_not_found(&t, &staff_role, &other_org, &["LX-200 operator"]).await;
    // A learner is not an administrator.
    let tom = t.login(TOM).await;
    assert_eq!(matrix(&t, &tom, "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.get("/training", Some(&tom)).await.status,
        StatusCode::FORBIDDEN
    );
    // A partner course cannot be assigned to a customer's staff; a past due date is refused.
    let partner_course = assignment(&tom_id, "lx-200-service-technician", "", "");
    let r = t.call(&partner_course, Some(&gp_admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let past = assignment(&tom_id, SAFETY, "2020-01-01", "");
    let r = t.call(&past, Some(&gp_admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM enrollments").await, before);
    // Its own person (a matrix cell's pick): assigned, with the due date, in the audit trail.
    let r = t
        .call(&assignment("", "", "2099-12-31", &pick), Some(&gp_admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM enrollments").await,
        before + 1
    );
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'course.assigned'"
        )
        .await,
        1
    );
    // The supplier admin administers any customer's training.
    let nordlift = t.login("admin@nordlift.example").await;
    let m = matrix(&t, &nordlift, &gp).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert_eq!(m.json()["org"]["name"], "GlobalPort Terminals");
    let supplier = t.org_id("Nordlift").await.to_string();
    assert_eq!(
        matrix(&t, &nordlift, &supplier).await.status,
        StatusCode::NOT_FOUND
    );
}

/// A large organisation's matrix comes a page of 100 people at a time (the
/// status totals and "Assign all" still count everyone), and the list of
/// proposals names the first 50.
#[tokio::test]
async fn a_large_matrix_is_paged_and_its_totals_count_everyone() {
    let t = app().await;
    let admin = t.login(GP_ADMIN).await;
    let org: i64 = sqlx::query_scalar("SELECT org_id FROM users WHERE email = $1")
        .bind(GP_ADMIN)
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    let role: i64 = sqlx::query_scalar(
        "SELECT id FROM job_roles WHERE org_id = $1 AND name = 'LX-200 operator'",
    )
    .bind(org)
    .fetch_one(&t.state.pool)
    .await
    .unwrap();
    for i in 0..150 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (org_id, email, display_name, role, password_hash, created_at, password_changed_at)
             VALUES ($1, $2, $3, 'customer_user', 'x', 0, 0) RETURNING id",
        )
        .bind(org)
        .bind(format!("op{i:03}@globalport.example"))
        .bind(format!("Operator {i:03}"))
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO staff_job_roles (user_id, job_role_id) VALUES ($1, $2)")
            .bind(id)
            .bind(role)
            .execute(&t.state.pool)
            .await
            .unwrap();
    }
    let page = |n: &'static str| {
        let (t, admin) = (&t, admin.clone());
        async move {
            let call = GetTrainingMatrix {
                page: n.into(),
                ..matrix_of("")
            };
            let r = t.call(&call, Some(&admin)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    let first = page("1").await;
    let staff = first["staff_total"].as_i64().unwrap();
    assert!(staff > 150, "{staff}");
    assert_eq!(first["rows_total"], staff);
    assert_eq!(first["rows"].as_array().unwrap().len(), 100);
    assert_eq!(first["pages"], 2);
    let second = page("2").await;
    assert_eq!(
        second["rows"].as_array().unwrap().len() as i64,
        staff - 100,
        "the rest"
    );
    let ids = |m: &serde_json::Value| -> Vec<i64> {
        m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["user_id"].as_i64().unwrap())
            .collect()
    };
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)));
    // A page past the end shows the last; nonsense shows the first.
    assert_eq!(ids(&page("9").await), ids(&second));
    assert_eq!(ids(&page("x").await), ids(&first));
    // Totals and proposals count all 150 new operators' two courses each.
    let not_assigned: i64 = first["totals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t[0] == "not_assigned")
        .map(|t| t[1].as_i64().unwrap())
        .sum();
    assert!(not_assigned >= 300, "{not_assigned}");
    assert!(first["proposals_total"].as_i64().unwrap() >= 300);
    assert_eq!(first["proposals"].as_array().unwrap().len(), 50);
    assert_eq!(first, page("1").await, "the same page twice is the same");
}
