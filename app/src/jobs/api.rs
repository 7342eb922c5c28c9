//! Job overview types and their server function.

use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One kind of job as the jobs page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct JobSummary {
    pub kind: String,
    pub last_started_at: Option<i64>,
    pub last_duration_ms: Option<i64>,
    pub last_outcome: Option<String>,
    pub last_summary: Option<String>,
    pub last_node: Option<String>,
    pub last_failure_at: Option<i64>,
    pub last_error: Option<String>,
    pub runs: i64,
    pub failures: i64,
    /// Items waiting (due now or later, or being worked on).
    pub waiting: i64,
    /// Items given up after every attempt failed.
    pub failed_items: i64,
    /// The period of a periodic job, in seconds.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub every_secs: Option<i64>,
}

/// What a kind of job does, in words.
pub fn describe(kind: &str) -> &'static str {
    match kind {
        "accounts.prune" => {
            "Removes expired sessions, ended sign-in throttling windows and finished job items older than a week."
        }
        _ => "",
    }
}

/// Every kind of job, with its last run and its queue: supplier admin only.
#[access(ViewJobs)]
#[server(prefix = "/api", endpoint = "jobs/overview")]
pub async fn job_overview() -> Result<Vec<JobSummary>, AppError> {
    let st = crate::platform::state()?;
    let mut rows: Vec<JobSummary> = sqlx::query_as(
        "SELECT k.kind, s.last_started_at, s.last_duration_ms, s.last_outcome, s.last_summary,
                s.last_node, s.last_failure_at, s.last_error,
                COALESCE(s.runs, 0) AS runs, COALESCE(s.failures, 0) AS failures,
                (SELECT COUNT(*) FROM job_queue q WHERE q.kind = k.kind AND q.state = 'due') AS waiting,
                (SELECT COUNT(*) FROM job_queue q WHERE q.kind = k.kind AND q.state = 'failed') AS failed_items
         FROM (SELECT kind FROM job_status UNION SELECT kind FROM job_queue) k
         LEFT JOIN job_status s ON s.kind = k.kind
         ORDER BY k.kind",
    )
    .fetch_all(&st.pool)
    .await?;
    let schedules = leptos::prelude::use_context::<crate::platform::jobs::Schedules>()
        .ok_or_else(|| AppError::internal("Schedules missing from context"))?;
    for s in schedules.0.iter() {
        match rows.iter_mut().find(|r| r.kind == s.kind) {
            Some(r) => r.every_secs = Some(s.every_secs),
            None => rows.push(JobSummary {
                kind: s.kind.to_string(),
                last_started_at: None,
                last_duration_ms: None,
                last_outcome: None,
                last_summary: None,
                last_node: None,
                last_failure_at: None,
                last_error: None,
                runs: 0,
                failures: 0,
                waiting: 0,
                failed_items: 0,
                every_secs: Some(s.every_secs),
            }),
        }
    }
    Ok(rows)
}
