//! Sign-in under parallel load: attempts are counted before passwords are
//! verified, so a burst verifies no more than the limits allow; hashing runs in
//! a bounded number of slots on reused memory, so the burst neither exhausts
//! memory nor piles up; callers beyond the queue get a 503 with Retry-After.
//! Its own test binary: it reads process-wide figures (verifications, peak RSS).

mod common;

use app::accounts::passwords::VERIFICATIONS;
use axum::http::{header, StatusCode};
use common::*;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The tests here read process-wide figures: they run one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The process's peak resident memory so far, in KiB (`VmHWM`).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

async fn burst(
    t: &Arc<TestApp>,
    n: usize,
    email: impl Fn(usize) -> String,
    addr: impl Fn(usize) -> String,
) -> Vec<Reply> {
    let calls: Vec<_> = (0..n)
        .map(|i| {
            let t = t.clone();
            let (email, addr) = (email(i), addr(i));
            tokio::spawn(async move { t.login_from(&email, "wrong-password", &addr).await })
        })
        .collect();
    let mut replies = Vec::new();
    for c in calls {
        replies.push(c.await.unwrap());
    }
    replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_verify_at_most_the_limit_and_memory_stays_bounded() {
    let _serial = SERIAL.lock().await;
    let t = Arc::new(app().await);
    let peak_before = peak_rss_kib();

    // 50 parallel wrong passwords for one account from one address.
    let before = VERIFICATIONS.load(Ordering::SeqCst);
    let replies = burst(
        &t,
        50,
        |_| "tech@balticlift.example".into(),
        |_| "198.51.100.9".into(),
    )
    .await;
    let verified = VERIFICATIONS.load(Ordering::SeqCst) - before;
    assert!(verified <= 5, "{verified} passwords verified");
    assert_eq!(
        replies
            .iter()
            .filter(|r| r.status == StatusCode::UNAUTHORIZED)
            .count() as u64,
        verified
    );
    assert!(replies.iter().all(|r| matches!(
        r.status,
        StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
    )));

    // The same from 50 addresses: the account's own limit slows them all.
    let before = VERIFICATIONS.load(Ordering::SeqCst);
    burst(
        &t,
        50,
        |_| "ops@globalport.example".into(),
        |i| format!("198.51.100.{}", 100 + i),
    )
    .await;
    let verified = VERIFICATIONS.load(Ordering::SeqCst) - before;
    // Five free attempts, and one more only if the burst spans a 2-second step.
    assert!(verified <= 6, "{verified} passwords verified");

    let grown_mib = (peak_rss_kib() - peak_before) / 1024;
    assert!(grown_mib < 100, "peak memory grew by {grown_mib} MiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hashing_beyond_the_queue_is_refused_with_retry_after_not_piled_up() {
    let _serial = SERIAL.lock().await;
    let t = Arc::new(app().await);
    let peak_before = peak_rss_kib();
    // 60 parallel sign-ins to different accounts from different addresses: no
    // throttle applies, so only the hashing queue bounds them.
    let replies = burst(
        &t,
        60,
        |i| format!("user{i}@example.test"),
        |i| format!("203.0.113.{}", i + 1),
    )
    .await;
    let busy: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!busy.is_empty(), "some callers are told to come back");
    for r in &busy {
        assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "2");
        assert!(r.body.contains("Busy"), "{}", r.body);
    }
    assert!(replies.iter().all(|r| matches!(
        r.status,
        StatusCode::UNAUTHORIZED | StatusCode::SERVICE_UNAVAILABLE
    )));
    let grown_mib = (peak_rss_kib() - peak_before) / 1024;
    assert!(grown_mib < 100, "peak memory grew by {grown_mib} MiB");
}
