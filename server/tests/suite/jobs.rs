//! The job runner on a real database (SQLite, and PostgreSQL in the postgres
//! suite): two runners over one database do each item exactly once; an item
//! whose runner died is picked up after its lease; periodic jobs run once per
//! period whatever the number of nodes; failures are retried and recorded; the
//! housekeeping job prunes expired sessions.

use crate::common;

use app::error::AppError;
use app::jobs::JobOverview;
use app::platform::db::{self, Pool, Tx};
use app::platform::jobs::{enqueue, handler, Handler, Jobs, Runner};
use app::wiring::jobs as registry;
use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const EFFECT: &str = "test.effect";

async fn effects_table(pool: &Pool) {
    sqlx::query("CREATE TABLE job_effects (item_id BIGINT NOT NULL, node TEXT NOT NULL)")
        .execute(pool)
        .await
        .unwrap();
}

/// Records that `node` did item `id`, in the item's transaction.
async fn write_effect(tx: &mut Tx, id: i64, node: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO job_effects (item_id, node) VALUES ($1, $2)")
        .bind(id)
        .bind(node)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes one effect row per item, in the item's transaction.
fn effect(node: &'static str) -> Handler {
    handler(move |tx, item| {
        Box::pin(async move {
            write_effect(tx, item.id, node).await?;
            Ok(String::new())
        })
    })
}

/// A fresh database with the effects table and one due item; its id.
async fn one_item() -> (Pool, i64) {
    let (pool, _) = fresh_pool().await;
    effects_table(&pool).await;
    let id = enqueue(&pool, EFFECT, &serde_json::json!({}), 0, None)
        .await
        .unwrap()
        .unwrap();
    (pool, id)
}

async fn count(pool: &Pool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn drain(runner: Runner) -> usize {
    let mut done = 0;
    let mut idle = 0;
    while idle < 3 {
        match runner.tick().await {
            Ok(0) => {
                idle += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok(n) => {
                idle = 0;
                done += n;
            }
            Err(e) => panic!("runner failed: {e}"),
        }
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runners_do_a_thousand_items_exactly_once() {
    let (pool, url) = fresh_pool().await;
    effects_table(&pool).await;
    let mut tx = pool.begin().await.unwrap();
    for n in 0..1000 {
        enqueue(&mut *tx, EFFECT, &serde_json::json!({ "n": n }), 0, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    // Two nodes: each its own pool on the same database.
    let other = db::connect(&url, 8).await.unwrap();
    let a = Runner::new(pool.clone(), Jobs::new().on(EFFECT, effect("a")), "a");
    let b = Runner::new(other, Jobs::new().on(EFFECT, effect("b")), "b");
    let (da, db_) = tokio::join!(tokio::spawn(drain(a)), tokio::spawn(drain(b)));
    let (da, db_) = (da.unwrap(), db_.unwrap());

    assert_eq!(count(&pool, "SELECT COUNT(*) FROM job_effects").await, 1000);
    assert_eq!(
        count(&pool, "SELECT COUNT(DISTINCT item_id) FROM job_effects").await,
        1000,
        "no item was done twice"
    );
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM job_queue WHERE state = 'done'").await,
        1000
    );
    assert_eq!(da + db_, 1000, "each claimed item was processed once");
    assert!(da > 0 && db_ > 0, "both runners worked: a {da}, b {db_}");
    assert_eq!(
        count(
            &pool,
            "SELECT runs FROM job_status WHERE kind = 'test.effect'"
        )
        .await,
        1000
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runner_that_dies_mid_item_leaves_it_to_another_after_its_lease() {
    let (pool, id) = one_item().await;

    // Runner A writes its effect, then hangs until it is killed.
    let started = Arc::new(tokio::sync::Notify::new());
    let hang = {
        let started = started.clone();
        handler(move |tx, item| {
            let started = started.clone();
            Box::pin(async move {
                write_effect(tx, item.id, "a").await?;
                started.notify_one();
                std::future::pending::<()>().await;
                Ok(String::new())
            })
        })
    };
    let mut a = Runner::new(pool.clone(), Jobs::new().on(EFFECT, hang), "a");
    a.lease_secs = 2;
    let task = tokio::spawn(async move { a.tick().await });
    started.notified().await;
    task.abort(); // the node dies: its open transaction goes with it
    let _ = task.await;

    let b = Runner::new(pool.clone(), Jobs::new().on(EFFECT, effect("b")), "b");
    assert_eq!(b.tick().await.unwrap(), 0, "the lease still holds");
    let lease: Option<String> =
        sqlx::query_scalar("SELECT lease_token FROM job_queue WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(lease.unwrap().starts_with("a#"));

    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(b.tick().await.unwrap(), 1, "picked up after the lease");
    let effects: Vec<(i64, String)> = sqlx::query_as("SELECT item_id, node FROM job_effects")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(effects, vec![(id, "b".to_string())], "A's work rolled back");
    let (state, attempts): (String, i64) =
        sqlx::query_as("SELECT state, attempts FROM job_queue WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("done", 2));
}

/// On PostgreSQL two runners work at once: one that outlives its lease finds
/// the item taken over and rolls its own work back.
#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runner_that_outlives_its_lease_rolls_back() {
    let (pool, id) = one_item().await;
    let slow = handler(move |tx, item| {
        Box::pin(async move {
            write_effect(tx, item.id, "a").await?;
            tokio::time::sleep(Duration::from_millis(3500)).await;
            Ok(String::new())
        })
    });
    use app::platform::jobs::Outcome;
    let mut a = Runner::new(pool.clone(), Jobs::new().on(EFFECT, slow), "a");
    a.lease_secs = 1;
    let claimed = a.claim(app::platform::now()).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let (item, token) = claimed.into_iter().next().unwrap();
    let a_work = tokio::spawn(async move { a.process(&item, &token).await });

    tokio::time::sleep(Duration::from_millis(2200)).await;
    let b = Runner::new(pool.clone(), Jobs::new().on(EFFECT, effect("b")), "b");
    assert_eq!(b.tick().await.unwrap(), 1);
    assert_eq!(a_work.await.unwrap().unwrap(), Outcome::LeaseLost);
    let effects: Vec<(i64, String)> = sqlx::query_as("SELECT item_id, node FROM job_effects")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(effects, vec![(id, "b".to_string())]);
}

#[tokio::test]
async fn a_periodic_job_runs_once_per_period_on_any_number_of_nodes() {
    let (pool, url) = fresh_pool().await;
    let runs = Arc::new(AtomicUsize::new(0));
    let counting = |runs: Arc<AtomicUsize>| {
        handler(move |_tx, _item| {
            let runs = runs.clone();
            Box::pin(async move {
                runs.fetch_add(1, Ordering::SeqCst);
                Ok("counted".to_string())
            })
        })
    };
    let other = db::connect(&url, 4).await.unwrap();
    let a = Runner::new(
        pool.clone(),
        Jobs::new().every("test.tick", 3600, counting(runs.clone())),
        "a",
    );
    let b = Runner::new(
        other,
        Jobs::new().every("test.tick", 3600, counting(runs.clone())),
        "b",
    );
    for _ in 0..3 {
        a.tick().await.unwrap();
        b.tick().await.unwrap();
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let (summary, runs_recorded): (String, i64) =
        sqlx::query_as("SELECT last_summary, runs FROM job_status WHERE kind = 'test.tick'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((summary.as_str(), runs_recorded), ("counted", 1));
}

#[tokio::test]
async fn failures_are_retried_later_then_kept_as_failed() {
    let (pool, _) = fresh_pool().await;
    let errors = Arc::new(Mutex::new(0));
    let failing = {
        let errors = errors.clone();
        handler(move |_tx, _item| {
            let errors = errors.clone();
            Box::pin(async move {
                *errors.lock().unwrap() += 1;
                Err(AppError::validation("the printer is on fire"))
            })
        })
    };
    let id = enqueue(&pool, "test.fail", &serde_json::json!({}), 0, None)
        .await
        .unwrap()
        .unwrap();
    let r = Runner::new(pool.clone(), Jobs::new().on("test.fail", failing), "r");
    assert_eq!(r.tick().await.unwrap(), 1);
    assert_eq!(
        r.tick().await.unwrap(),
        0,
        "not again before its retry time"
    );
    let (state, run_at, error): (String, i64, Option<String>) =
        sqlx::query_as("SELECT state, run_at, last_error FROM job_queue WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(state, "due");
    assert!(run_at > app::platform::now());
    assert_eq!(error.as_deref(), Some("the printer is on fire"));
    for _ in 1..app::platform::jobs::MAX_ATTEMPTS {
        sqlx::query("UPDATE job_queue SET run_at = 0 WHERE id = $1")
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(r.tick().await.unwrap(), 1);
    }
    let state: String = sqlx::query_scalar("SELECT state FROM job_queue WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(state, "failed");
    assert_eq!(
        *errors.lock().unwrap(),
        app::platform::jobs::MAX_ATTEMPTS as usize
    );
    let (failures, outcome): (i64, String) =
        sqlx::query_as("SELECT failures, last_outcome FROM job_status WHERE kind = 'test.fail'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((failures, outcome.as_str()), (5, "failed"));
}

/// A worker that dies while running an item (out of memory, `kill -9`) records
/// nothing: its lease just runs out. The claim counts the attempt, so once an
/// item has used them all it is never handed out again; when the lease of its
/// last attempt has run out it is kept as failed, with a last error the jobs
/// page shows. An item with attempts left is still picked up.
#[tokio::test]
async fn an_item_whose_worker_died_on_every_attempt_is_failed_not_run_again() {
    use app::platform::jobs::MAX_ATTEMPTS;
    let t = app().await;
    let pool = &t.state.pool;
    effects_table(pool).await;
    let dead = enqueue(pool, EFFECT, &serde_json::json!({ "n": 1 }), 0, None)
        .await
        .unwrap()
        .unwrap();
    let retried = enqueue(pool, EFFECT, &serde_json::json!({ "n": 2 }), 0, None)
        .await
        .unwrap()
        .unwrap();
    // Both were claimed by a node that was killed: their leases ran out.
    let expired = app::platform::now() - 60;
    for (id, attempts) in [(dead, MAX_ATTEMPTS), (retried, MAX_ATTEMPTS - 1)] {
        sqlx::query(
            "UPDATE job_queue SET attempts = $1, lease_token = 'killed#1', lease_until = $2
             WHERE id = $3",
        )
        .bind(attempts)
        .bind(expired)
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    }

    let r = Runner::new(pool.clone(), Jobs::new().on(EFFECT, effect("r")), "node-3");
    assert_eq!(
        r.tick().await.unwrap(),
        1,
        "only the item with an attempt left is run"
    );
    let effects: Vec<(i64, String)> = sqlx::query_as("SELECT item_id, node FROM job_effects")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(effects, vec![(retried, "r".to_string())]);
    let item = |id: i64| {
        sqlx::query_as::<_, (String, i64, Option<String>)>(
            "SELECT state, attempts, last_error FROM job_queue WHERE id = $1",
        )
        .bind(id)
        .fetch_one(pool)
    };
    let message = format!(
        "The worker stopped (crashed or was killed) {MAX_ATTEMPTS} times while running this item."
    );
    assert_eq!(
        item(dead).await.unwrap(),
        ("failed".to_string(), MAX_ATTEMPTS, Some(message.clone()))
    );
    assert_eq!(
        item(retried).await.unwrap(),
        ("done".to_string(), MAX_ATTEMPTS, None)
    );
    // Never claimed again, by this node or another.
    assert_eq!(r.tick().await.unwrap(), 0);
    let other = Runner::new(pool.clone(), Jobs::new().on(EFFECT, effect("o")), "node-4");
    assert_eq!(other.tick().await.unwrap(), 0);
    assert_eq!(count(pool, "SELECT COUNT(*) FROM job_effects").await, 1);

    // On the jobs page, like an item whose handler failed every time.
    let admin = t.login("admin@nordlift.example").await;
    let page = t.get("/jobs", Some(&admin)).await;
    assert!(
        page.body.contains("data-kind=\"test.effect\""),
        "{}",
        page.body
    );
    assert!(page.body.contains(&message), "{}", page.body);
    assert!(page.body.contains("0 waiting, 1 given up"), "{}", page.body);
    assert!(page.body.contains("2 in all, 1 failed"), "{}", page.body);
}

#[tokio::test]
async fn the_housekeeping_job_prunes_expired_sessions_and_counters() {
    let t = app().await;
    let fresh = t.login("admin@nordlift.example").await;
    t.login_raw("jon@tanner.example", "wrong").await;
    let long_ago = app::platform::now() - 2 * 86_400;
    sqlx::query("INSERT INTO sessions (id, user_id, created_at, last_seen_at, client_addr, user_agent) VALUES ('old', $1, $2, $2, '', '')")
        .bind(t.user_id("jon@tanner.example").await)
        .bind(long_ago)
        .execute(&t.state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE signin_counters SET window_start = $1")
        .bind(long_ago)
        .execute(&t.state.pool)
        .await
        .unwrap();

    let runner = Runner::new(t.state.pool.clone(), app::wiring::jobs(&t.state), "test");
    // One round does every periodic job once: housekeeping among them.
    assert_eq!(
        runner.tick().await.unwrap(),
        registry(&t.state).schedules().len()
    );
    assert_eq!(
        count(&t.state.pool, "SELECT COUNT(*) FROM sessions").await,
        1
    );
    assert_eq!(
        count(&t.state.pool, "SELECT COUNT(*) FROM signin_counters").await,
        0
    );
    assert_eq!(
        t.me(&fresh).await["email"],
        "admin@nordlift.example",
        "live sessions stay"
    );
    let summary: String =
        sqlx::query_scalar("SELECT last_summary FROM job_status WHERE kind = 'accounts.prune'")
            .fetch_one(&t.state.pool)
            .await
            .unwrap();
    assert!(
        summary.starts_with("1 expired sessions, 3 sign-in counters"),
        "{summary}"
    );
    // Another round does not run it again in the same period (other jobs may
    // have queued work: the reminders ask for a delivery).
    runner.tick().await.unwrap();
    assert_eq!(
        count(
            &t.state.pool,
            "SELECT COUNT(*) FROM job_queue WHERE kind = 'accounts.prune'"
        )
        .await,
        1,
        "once per period"
    );
}

#[tokio::test]
async fn the_admin_sees_each_jobs_last_run_and_nobody_else_does() {
    let t = app().await;
    let admin = t.login("admin@nordlift.example").await;
    let page = t.get("/jobs", Some(&admin)).await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.body.contains("data-kind=\"accounts.prune\""));
    assert!(page.body.contains("Not run yet") && page.body.contains("every 10 min"));

    let runner = Runner::new(t.state.pool.clone(), app::wiring::jobs(&t.state), "node-7");
    runner.tick().await.unwrap();
    let page = t.get("/jobs", Some(&admin)).await;
    assert!(page.body.contains("Succeeded"), "{}", page.body);
    assert!(page.body.contains("on node-7"));
    assert!(page.body.contains("1 in all, 0 failed"));
    let r = t.call(&JobOverview {}, Some(&admin)).await;
    assert_eq!(r.json()[0]["runs"], 1, "{}", r.body);

    for email in ["pm@nordlift.example", "admin@balticlift.example"] {
        let cookie = t.login(email).await;
        let r = t.call(&JobOverview {}, Some(&cookie)).await;
        assert_eq!(r.status, axum::http::StatusCode::FORBIDDEN, "{email}");
        let page = t.get("/jobs", Some(&cookie)).await;
        assert!(!page.body.contains("accounts.prune"), "{email}");
    }
}
