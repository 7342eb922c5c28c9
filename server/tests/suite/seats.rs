//! Course seats over HTTP, on both databases: a course sold by the seat is
//! bought as an order line; the seats count once the supplier confirms the
//! order and go back if it is cancelled; each customer learner who starts the
//! course takes one, and without one nobody is enrolled; partner staff need
//! none; the last seat goes to one of several admins assigning at once.

use crate::common;
use crate::orders::move_to;

use app::learning::{AddSeatsToCart, AssignCourse, Enroll, GetCourse};
use app::orders::{GetCart, GetOrder, SubmitOrder};
use axum::http::StatusCode;
use common::{app, expect_not_found, TestApp};

const RESCUE: &str = "emergency-release-and-rescue";
const SAFETY: &str = "lift-safety-essentials";
const GP_ADMIN: &str = "admin@globalport.example";
const GLOBALPORT: &str = "GlobalPort Terminals";

/// (bought, used) seats of the rescue course of an organisation.
async fn seats(t: &TestApp, org: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT s.bought, s.used FROM course_seats s JOIN organisations o ON o.id = s.org_id
         JOIN courses c ON c.id = s.course_id WHERE o.name = $1 AND c.slug = $2",
    )
    .bind(org)
    .bind(RESCUE)
    .fetch_optional(&t.state.pool)
    .await
    .unwrap()
    .unwrap_or((0, 0))
}

/// Gives these people a completion in force of the rescue course's
/// prerequisite (Lift safety essentials), so that only seats decide.
async fn with_prerequisite(t: &TestApp, people: &[&str]) {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for email in people {
        sqlx::query(
            "INSERT INTO enrollments (course_id, user_id, source, enrolled_at, completed_at)
             SELECT c.id, u.id, 'self', $2, $2 FROM courses c, users u
             WHERE c.slug = $3 AND u.email = $1
             ON CONFLICT (user_id, course_id)
             DO UPDATE SET completed_at = excluded.completed_at, expires_at = NULL",
        )
        .bind(email)
        .bind(at)
        .bind(SAFETY)
        .execute(&t.state.pool)
        .await
        .unwrap();
    }
}

const GLOBALPORT_STAFF: [&str; 6] = [
    "ops@globalport.example",
    "tom@globalport.example",
    "lena@globalport.example",
    "pieter@globalport.example",
    "sanne@globalport.example",
    "eva@globalport.example",
];

async fn rescue_enrollments(t: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE c.slug = $1",
    )
    .bind(RESCUE)
    .fetch_one(&t.state.pool)
    .await
    .unwrap()
}

/// The matrix cell's assignment of the rescue course to this person, no due date.
async fn assignment(t: &TestApp, email: &str) -> AssignCourse {
    AssignCourse {
        org: String::new(),
        user_id: String::new(),
        course: String::new(),
        due: String::new(),
        pick: format!("{}:{RESCUE}", t.user_id(email).await),
    }
}

async fn assign(t: &TestApp, admin: &str, email: &str) -> common::Reply {
    t.call(&assignment(t, email).await, Some(admin)).await
}

async fn add_seats(t: &TestApp, cookie: &str, slug: &str, qty: &str, key: &str) -> common::Reply {
    let call = AddSeatsToCart {
        slug: slug.into(),
        quantity: qty.into(),
        add_key: key.into(),
    };
    t.call(&call, Some(cookie)).await
}

async fn course(t: &TestApp, cookie: &str) -> serde_json::Value {
    let call = GetCourse {
        slug: RESCUE.into(),
    };
    let r = t.call(&call, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn enroll(t: &TestApp, cookie: &str) -> common::Reply {
    let call = Enroll {
        slug: RESCUE.into(),
    };
    t.call(&call, Some(cookie)).await
}

async fn set_status(t: &TestApp, cookie: &str, order: &str, status: &str) {
    let r = t.call(&move_to(order, status), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn seats_bought_and_confirmed_admit_that_many_learners_and_no_more() {
    let t = app().await;
    let grace = t.login(GP_ADMIN).await;
    with_prerequisite(&t, &GLOBALPORT_STAFF).await;
    // The demo: five seats bought, one taken by Mo's enrollment.
    assert_eq!(seats(&t, GLOBALPORT).await, (5, 1));
    let page = course(&t, &grace).await;
    assert_eq!(page["seats"]["left"], 4, "{page}");
    assert_eq!(page["seats"]["can_buy"], true);

    for email in [
        "ops@globalport.example",
        "tom@globalport.example",
        "lena@globalport.example",
        "pieter@globalport.example",
    ] {
        let r = assign(&t, &grace, email).await;
        assert_eq!(r.status, StatusCode::OK, "{email}: {}", r.body);
    }
    assert_eq!(seats(&t, GLOBALPORT).await, (5, 5));
    // Assigning someone enrolled already takes no seat.
    let again = assign(&t, &grace, "tom@globalport.example").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    // The sixth learner: refused, and nothing is written.
    let enrolled = rescue_enrollments(&t).await;
    let r = assign(&t, &grace, "eva@globalport.example").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("has no seat left"), "{}", r.body);
    assert_eq!(rescue_enrollments(&t).await, enrolled);
    assert_eq!(seats(&t, GLOBALPORT).await, (5, 5));
    // A learner (with the prerequisite) is told whom to ask, on the page and
    // when enrolling.
    let sanne = t.login("sanne@globalport.example").await;
    let page = course(&t, &sanne).await;
    assert!(
        page["enroll_refusal"]
            .as_str()
            .unwrap()
            .contains("ask your training admin"),
        "{page}"
    );
    assert_eq!(page["seats"]["can_buy"], true, "customer users order too");
    let r = enroll(&t, &sanne).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(rescue_enrollments(&t).await, enrolled);

    // Two seats in the cart; the same form sent twice adds once.
    for _ in 0..2 {
        let r = add_seats(&t, &grace, RESCUE, "2", "seat-form-1").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let cart = t.call(&GetCart {}, Some(&grace)).await.json();
    let lines = cart["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{cart}");
    assert_eq!(lines[0]["course_slug"], RESCUE);
    assert_eq!(lines[0]["quantity"], 2);
    assert_eq!(
        lines[0]["unit_price_cents"], page["seats"]["price_cents"],
        "the cart's price is the page's"
    );
    let key = cart["submission_key"].as_str().unwrap().to_string();
    let checkout = SubmitOrder {
        customer_id: String::new(),
        po_reference: "GP-TRAIN-08".into(),
        delivery_address: "Training department".into(),
        notes: String::new(),
        submission_key: key,
    };
    let r = t.call(&checkout, Some(&grace)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let order = r.body;
    let detail = t
        .call(
            &GetOrder {
                number: order.clone(),
            },
            Some(&grace),
        )
        .await
        .json();
    assert_eq!(detail["lines"][0]["course_slug"], RESCUE, "{detail}");
    // Submitted is not yet confirmed: still no seat.
    let r = assign(&t, &grace, "eva@globalport.example").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    let staff = t.login("support@nordlift.example").await;
    set_status(&t, &staff, &order, "confirmed").await;
    assert_eq!(seats(&t, GLOBALPORT).await, (7, 5));
    let r = assign(&t, &grace, "eva@globalport.example").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(course(&t, &grace).await["seats"]["left"], 1);

    // Cancelling the confirmed order takes its seats back: none are left
    // (those in use stay in use).
    set_status(&t, &staff, &order, "cancelled").await;
    assert_eq!(seats(&t, GLOBALPORT).await, (5, 6));
    assert_eq!(course(&t, &grace).await["seats"]["left"], 0);
    let r = enroll(&t, &sanne).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn seats_are_refused_where_they_do_not_apply_and_partners_need_none() {
    let t = app().await;
    let grace = t.login(GP_ADMIN).await;
    let lines_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_lines")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    // A course not sold by the seat, one that does not exist, a bad quantity.
    let r = add_seats(&t, &grace, SAFETY, "3", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("not sold by the seat"), "{}", r.body);
    let r = add_seats(&t, &grace, "no-such-course", "3", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = add_seats(&t, &grace, RESCUE, "0", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The supplier's staff do not order.
    let admin = t.login("admin@nordlift.example").await;
    assert_eq!(
        add_seats(&t, &admin, RESCUE, "1", "").await.status,
        StatusCode::FORBIDDEN
    );
    let lines_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_lines")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(lines_after, lines_before, "nothing was added");

    // Another customer's seats are its own: Harbor bought none.
    let hanna = t.login("admin@harbor.example").await;
    with_prerequisite(&t, &["admin@harbor.example"]).await;
    let r = assign(&t, &hanna, "admin@harbor.example").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("has no seat left"), "{}", r.body);
    assert_eq!(seats(&t, GLOBALPORT).await, (5, 1));
    // A GlobalPort person is not Harbor's to assign, seats or not.
    let enrolled = rescue_enrollments(&t).await;
    expect_not_found(
        &t,
        &assignment(&t, "eva@globalport.example").await,
        &[("Harbor's admin", &hanna)],
        &["eva@globalport.example"],
    )
    .await;
    assert_eq!(rescue_enrollments(&t).await, enrolled, "nothing written");

    // Partner staff are trained without seats.
    let tech = t.login("tech@balticlift.example").await;
    let page = course(&t, &tech).await;
    assert!(page["seats"]["left"].is_null(), "{page}");
    let r = enroll(&t, &tech).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let partner_seats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM course_seats")
        .fetch_one(&t.state.pool)
        .await
        .unwrap();
    assert_eq!(partner_seats, 1, "only GlobalPort's row");
}

#[tokio::test]
async fn the_last_seat_goes_to_one_of_several_assignments_at_once() {
    let t = app().await;
    let grace = t.login(GP_ADMIN).await;
    sqlx::query("UPDATE course_seats SET bought = used + 1")
        .execute(&t.state.pool)
        .await
        .unwrap();
    let people = GLOBALPORT_STAFF;
    with_prerequisite(&t, &people).await;
    let replies =
        futures_util::future::join_all(people.iter().map(|p| assign(&t, &grace, p))).await;
    let ok = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let refused = replies
        .iter()
        .filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let bodies: Vec<&str> = replies.iter().map(|r| r.body.as_str()).collect();
    assert_eq!((ok, refused), (1, people.len() - 1), "{bodies:?}");
    assert!(
        bodies
            .iter()
            .filter(|b| b.contains("has no seat left"))
            .count()
            == people.len() - 1,
        "refused for the seat, not the prerequisite: {bodies:?}"
    );
    assert_eq!(seats(&t, GLOBALPORT).await, (2, 2));
    assert_eq!(rescue_enrollments(&t).await, 2, "Mo's and one more");
}
