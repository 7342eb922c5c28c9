//! This domain's part of the demo dataset: the courses of `demo_courses`,
//! more GlobalPort staff (they sign in with the demo password), development
//! plans for GlobalPort and Baltic Lift Service, and enrollments at every
//! stage, so that the training matrix shows every status.

use super::demo_courses::COURSES;
use super::rules::{expiry, EnrollmentSource};
use crate::accounts::queries::{insert_user, NewUser};
use crate::accounts::Role;
use crate::dates::DAY_SECS;
use crate::platform::{db::Tx, now};

/// More staff of GlobalPort Terminals: (e-mail, name).
pub const STAFF: &[(&str, &str)] = &[
    ("lena@globalport.example", "Lena Vos"),
    ("pieter@globalport.example", "Pieter de Wit"),
    ("sanne@globalport.example", "Sanne Bakker"),
    ("mo@globalport.example", "Mo Haddad"),
    ("eva@globalport.example", "Eva Jansen"),
    ("tom@globalport.example", "Tom Visser"),
];

/// (organisation, job role, the courses it needs)
const PLANS: &[(&str, &str, &[&str])] = &[
    (
        "GlobalPort Terminals",
        "LX-200 operator",
        &["lx-200-operation", "lift-safety-essentials"],
    ),
    (
        "GlobalPort Terminals",
        "HX-500 operator",
        &["hx-500-operation", "lift-safety-essentials"],
    ),
    (
        "GlobalPort Terminals",
        "Site supervisor",
        &[
            "lift-safety-essentials",
            "emergency-release-and-rescue",
            "lx-200-daily-checks",
        ],
    ),
    (
        "Baltic Lift Service",
        "Service technician",
        &[
            "lift-safety-essentials",
            "lx-200-service-technician",
            "hx-500-hydraulic-maintenance",
        ],
    ),
];

/// (person, job role)
const JOB_ROLES: &[(&str, &str)] = &[
    ("ops@globalport.example", "LX-200 operator"),
    ("lena@globalport.example", "LX-200 operator"),
    ("tom@globalport.example", "LX-200 operator"),
    ("pieter@globalport.example", "HX-500 operator"),
    ("sanne@globalport.example", "HX-500 operator"),
    ("mo@globalport.example", "Site supervisor"),
    ("tech@balticlift.example", "Service technician"),
];

/// (person, course, source, enrolled days ago, due in days, lessons done,
/// completed days ago)
type DemoEnrollment = (
    &'static str,
    &'static str,
    EnrollmentSource,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
);

/// Ratings of completed courses: (learner, course, rating, comment, days ago).
const FEEDBACK: &[(&str, &str, i64, &str, i64)] = &[
    (
        "ops@globalport.example",
        "lx-200-operation",
        5,
        "Clear and practical: the daily checklist now hangs next to the main switch.",
        400,
    ),
    (
        "ops@globalport.example",
        "lift-safety-essentials",
        4,
        "Good refresher. The lock-out lesson could show a photo of the isolator.",
        320,
    ),
    (
        "pieter@globalport.example",
        "lift-safety-essentials",
        4,
        "",
        400,
    ),
    (
        "sanne@globalport.example",
        "lift-safety-essentials",
        5,
        "Short enough to do between two shifts.",
        30,
    ),
    (
        "mo@globalport.example",
        "lift-safety-essentials",
        3,
        "Useful, though I knew most of it already.",
        200,
    ),
    (
        "eva@globalport.example",
        "ordering-parts-in-careport",
        5,
        "Found the roller by its drawing in two minutes.",
        58,
    ),
    (
        "tech@balticlift.example",
        "lift-safety-essentials",
        5,
        "Exactly what new technicians need on day one.",
        90,
    ),
];

const ENROLLMENTS: &[DemoEnrollment] = &[
    // Completed and current (a 24-month course done 400 days ago); and completed,
    (
        "ops@globalport.example",
        "lx-200-operation",
        EnrollmentSource::Assigned,
        420,
        None,
        4,
        Some(400),
    ),
    // expiring within 30 days (a 12-month course done 345 days ago: a reminder).
    (
        "ops@globalport.example",
        "lift-safety-essentials",
        EnrollmentSource::Assigned,
        350,
        None,
        3,
        Some(345),
    ),
    // In progress, due in 5 days (a reminder in her notices).
    (
        "lena@globalport.example",
        "lx-200-operation",
        EnrollmentSource::Assigned,
        12,
        Some(5),
        2,
        None,
    ),
    // Overdue; and a completion that has expired.
    (
        "pieter@globalport.example",
        "hx-500-operation",
        EnrollmentSource::Assigned,
        40,
        Some(-5),
        1,
        None,
    ),
    (
        "pieter@globalport.example",
        "lift-safety-essentials",
        EnrollmentSource::Assigned,
        420,
        None,
        3,
        Some(400),
    ),
    // Not started yet; and a fresh completion.
    (
        "sanne@globalport.example",
        "hx-500-operation",
        EnrollmentSource::Assigned,
        3,
        Some(30),
        0,
        None,
    ),
    (
        "sanne@globalport.example",
        "lift-safety-essentials",
        EnrollmentSource::SelfService,
        40,
        None,
        3,
        Some(30),
    ),
    (
        "mo@globalport.example",
        "lift-safety-essentials",
        EnrollmentSource::Assigned,
        210,
        None,
        3,
        Some(200),
    ),
    (
        "mo@globalport.example",
        "emergency-release-and-rescue",
        EnrollmentSource::Assigned,
        20,
        Some(40),
        1,
        None,
    ),
    (
        "eva@globalport.example",
        "ordering-parts-in-careport",
        EnrollmentSource::SelfService,
        60,
        None,
        2,
        Some(58),
    ),
    (
        "tech@balticlift.example",
        "lift-safety-essentials",
        EnrollmentSource::Assigned,
        100,
        None,
        3,
        Some(90),
    ),
    (
        "tech@balticlift.example",
        "lx-200-service-technician",
        EnrollmentSource::Assigned,
        60,
        Some(30),
        3,
        None,
    ),
    (
        "agent@iberia.example",
        "ordering-parts-in-careport",
        EnrollmentSource::SelfService,
        5,
        None,
        1,
        None,
    ),
];

async fn id_of(tx: &mut Tx, sql: &str, key: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(sql).bind(key).fetch_one(&mut **tx).await
}

/// Courses customers buy by the seat: (slug, list price of a seat in cents).
const SEAT_PRICES: &[(&str, i64)] = &[("emergency-release-and-rescue", 18_000)];

/// GlobalPort's order of seats: (seats, days ago), confirmed the next day.
const SEAT_ORDER: (&str, i64, i64) = ("emergency-release-and-rescue", 5, 25);

/// Inserts the courses with their modules and lessons.
pub async fn load_courses(tx: &mut Tx) -> Result<(), sqlx::Error> {
    let at = now();
    for c in COURSES {
        let model_id: Option<i64> = match c.model {
            Some(code) => {
                Some(id_of(tx, "SELECT id FROM equipment_models WHERE code = $1", code).await?)
            }
            None => None,
        };
        let minutes: i64 = c.modules.iter().flat_map(|m| m.1.iter()).map(|l| l.1).sum();
        let course_id: i64 = sqlx::query_scalar(
            "INSERT INTO courses (slug, title, summary, audience, model_id, level, duration_minutes,
                                  validity_months, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(c.slug)
        .bind(c.title)
        .bind(c.summary)
        .bind(c.audience)
        .bind(model_id)
        .bind(c.level)
        .bind(minutes)
        .bind(c.validity_months)
        .bind(at)
        .fetch_one(&mut **tx)
        .await?;
        let mut n = 0;
        for (position, (module, lessons)) in c.modules.iter().enumerate() {
            let module_id: i64 = sqlx::query_scalar(
                "INSERT INTO course_modules (course_id, position, title) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(course_id)
            .bind(position as i64 + 1)
            .bind(module)
            .fetch_one(&mut **tx)
            .await?;
            for (title, minutes, body) in lessons.iter() {
                n += 1;
                sqlx::query(
                    "INSERT INTO lessons (course_id, module_id, position, title, body_md, minutes)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(course_id)
                .bind(module_id)
                .bind(n)
                .bind(title)
                .bind(body)
                .bind(minutes)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    for c in COURSES {
        for requires in c.prerequisites {
            sqlx::query(
                "INSERT INTO course_prerequisites (course_id, requires_id)
                 SELECT c.id, r.id FROM courses c, courses r WHERE c.slug = $1 AND r.slug = $2",
            )
            .bind(c.slug)
            .bind(requires)
            .execute(&mut **tx)
            .await?;
        }
    }
    for (slug, price) in SEAT_PRICES {
        sqlx::query("UPDATE courses SET seat_price_cents = $1 WHERE slug = $2")
            .bind(price)
            .bind(slug)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// GlobalPort's confirmed order of course seats, and the seats its demo
/// enrollments in that course have taken.
async fn load_seats(tx: &mut Tx, globalport: i64) -> Result<(), sqlx::Error> {
    use crate::orders::api::OrderStatus;
    let (slug, seats, days_ago) = SEAT_ORDER;
    let at = now() - days_ago * DAY_SECS;
    let grace = id_of(
        tx,
        "SELECT id FROM users WHERE email = $1",
        "admin@globalport.example",
    )
    .await?;
    let staff = id_of(
        tx,
        "SELECT id FROM users WHERE email = $1",
        "support@nordlift.example",
    )
    .await?;
    let (course, list): (i64, i64) =
        sqlx::query_as("SELECT id, seat_price_cents FROM courses WHERE slug = $1")
            .bind(slug)
            .fetch_one(&mut **tx)
            .await?;
    let pct: i64 =
        sqlx::query_scalar("SELECT discount_pct FROM price_agreements WHERE org_id = $1")
            .bind(globalport)
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or(0);
    let price = crate::catalog::rules::net_price(list, pct);
    let order: i64 = sqlx::query_scalar(
        "INSERT INTO orders (status, ordering_org_id, customer_id, created_by, po_reference,
             delivery_address, submission_key, discount_pct, total_cents, created_at, submitted_at, updated_at)
         VALUES ('confirmed', $1, $1, $2, 'GP-TRAIN-07', 'Training department, main gate',
                 'demo-seats', $3, $4, $5, $5, $5) RETURNING id",
    )
    .bind(globalport)
    .bind(grace)
    .bind(pct)
    .bind(price * seats)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO order_lines (order_id, course_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)")
        .bind(order)
        .bind(course)
        .bind(seats)
        .bind(price)
        .execute(&mut **tx)
        .await?;
    let q = crate::orders::queries::add_event;
    q(tx, order, at, grace, OrderStatus::Submitted, "").await?;
    q(tx, order, at + DAY_SECS, staff, OrderStatus::Confirmed, "").await?;
    // Confirmed: the seats are GlobalPort's, as a confirmation grants them;
    // its demo enrollments in the course have taken theirs.
    super::seats::grant(tx, order, 1).await?;
    sqlx::query(
        "UPDATE course_seats SET used = (SELECT COUNT(*) FROM enrollments e
             JOIN users u ON u.id = e.user_id WHERE e.course_id = $2 AND u.org_id = $1)
         WHERE org_id = $1 AND course_id = $2",
    )
    .bind(globalport)
    .bind(course)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The courses, the staff, the plans and the enrollments.
pub async fn load(tx: &mut Tx, password_hash: &str) -> Result<(), sqlx::Error> {
    let at = now();
    load_courses(tx).await?;
    let globalport = id_of(
        tx,
        "SELECT id FROM organisations WHERE name = $1",
        "GlobalPort Terminals",
    )
    .await?;
    for (email, name) in STAFF {
        // An older demo database may have them already (its courses are what is missing).
        let there: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut **tx)
            .await?;
        if there.is_some() {
            continue;
        }
        let new = NewUser {
            org_id: globalport,
            email,
            display_name: name,
            role: Role::CustomerUser,
            password_hash,
            must_change_password: false,
            email_conflict: false,
        };
        insert_user(&mut **tx, &new, at).await?;
    }
    for (org, role, courses) in PLANS {
        let org_id = id_of(tx, "SELECT id FROM organisations WHERE name = $1", org).await?;
        let role_id: i64 =
            sqlx::query_scalar("INSERT INTO job_roles (org_id, name) VALUES ($1, $2) RETURNING id")
                .bind(org_id)
                .bind(role)
                .fetch_one(&mut **tx)
                .await?;
        for slug in courses.iter() {
            let course_id = id_of(tx, "SELECT id FROM courses WHERE slug = $1", slug).await?;
            sqlx::query("INSERT INTO job_role_courses (job_role_id, course_id) VALUES ($1, $2)")
                .bind(role_id)
                .bind(course_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    for (email, role) in JOB_ROLES {
        sqlx::query(
            "INSERT INTO staff_job_roles (user_id, job_role_id)
             SELECT u.id, r.id FROM users u JOIN job_roles r ON r.org_id = u.org_id
             WHERE u.email = $1 AND r.name = $2",
        )
        .bind(email)
        .bind(role)
        .execute(&mut **tx)
        .await?;
    }
    let admin_of = |email: &str| {
        if email.ends_with("@balticlift.example") {
            "admin@balticlift.example"
        } else {
            "admin@globalport.example"
        }
    };
    for (email, slug, source, enrolled, due, done, completed) in ENROLLMENTS {
        let user_id = id_of(tx, "SELECT id FROM users WHERE email = $1", email).await?;
        let (course_id, validity): (i64, Option<i64>) =
            sqlx::query_as("SELECT id, validity_months FROM courses WHERE slug = $1")
                .bind(slug)
                .fetch_one(&mut **tx)
                .await?;
        let assigned_by = match source {
            EnrollmentSource::Assigned => {
                Some(id_of(tx, "SELECT id FROM users WHERE email = $1", admin_of(email)).await?)
            }
            _ => None,
        };
        let completed_at = completed.map(|d| at - d * DAY_SECS);
        let enrollment_id: i64 = sqlx::query_scalar(
            "INSERT INTO enrollments (course_id, user_id, source, assigned_by, due_at, enrolled_at,
                                      completed_at, expires_at, last_activity_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(course_id)
        .bind(user_id)
        .bind(source)
        .bind(assigned_by)
        .bind(due.map(|d| at + d * DAY_SECS))
        .bind(at - enrolled * DAY_SECS)
        .bind(completed_at)
        .bind(completed_at.and_then(|c| expiry(c, validity)))
        .bind(completed_at.unwrap_or(at - DAY_SECS))
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO lesson_progress (enrollment_id, lesson_id, done_at)
             SELECT $1, id, $2 FROM lessons WHERE course_id = $3 AND position <= $4",
        )
        .bind(enrollment_id)
        .bind(completed_at.unwrap_or(at - DAY_SECS))
        .bind(course_id)
        .bind(done)
        .execute(&mut **tx)
        .await?;
    }
    for (email, slug, rating, comment, days) in FEEDBACK {
        sqlx::query(
            "INSERT INTO course_feedback (course_id, user_id, rating, comment, at)
             SELECT c.id, u.id, $3, $4, $5 FROM courses c, users u WHERE c.slug = $1 AND u.email = $2",
        )
        .bind(slug)
        .bind(email)
        .bind(rating)
        .bind(comment)
        .bind(at - days * DAY_SECS)
        .execute(&mut **tx)
        .await?;
    }
    load_seats(tx, globalport).await
}
