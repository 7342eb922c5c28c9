//! The jobs page, rendered on the server.

use super::api::*;
use crate::dates::format_utc;
use crate::error::AppError;
use crate::identity::Permission;
use crate::identity::SessionUser;
use crate::ui::{ErrorView, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

fn every_text(secs: i64) -> String {
    match secs {
        s if s % 3600 == 0 => format!("every {} h", s / 3600),
        s if s % 60 == 0 => format!("every {} min", s / 60),
        s => format!("every {s} s"),
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    if !me.role.has(Permission::ViewJobs) {
        return view! { <ErrorView error=AppError::Forbidden/> }.into_any();
    }
    view! {
        <Title text="Jobs"/>
        <PageHeader title="Background jobs" subtitle="Work that runs on its own on every Careport node: each item is done by exactly one node. Times are UTC."/>
        <Suspense fallback=|| view! { <p class="muted">"Loading jobs…"</p> }>
            {move || Suspend::new(async move {
                match job_overview().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(jobs) => view! { <JobCards jobs/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn JobCards(jobs: Vec<JobSummary>) -> impl IntoView {
    view! {
        <div class="job-list" id="job-list">
            {jobs.into_iter().map(|j| {
                let status = match j.last_outcome.as_deref() {
                    Some("ok") => view! { <span class="badge badge-ok">"Succeeded"</span> }.into_any(),
                    Some(_) => view! { <span class="badge badge-warn">"Failed"</span> }.into_any(),
                    None => view! { <span class="badge badge-off">"Not run yet"</span> }.into_any(),
                };
                view! {
                    <section class="card job" data-kind=j.kind.clone()>
                        <header class="job-head">
                            <div>
                                <h2 class="mono">{j.kind.clone()}</h2>
                                <p class="muted">{describe(&j.kind)}</p>
                            </div>
                            {status}
                        </header>
                        <dl class="facts">
                            <dt>"Schedule"</dt>
                            <dd>{j.every_secs.map(every_text).unwrap_or_else(|| "when work is queued".into())}</dd>
                            <dt>"Last run"</dt>
                            <dd>{match j.last_started_at {
                                Some(at) => format!("{} on {}, {} ms", format_utc(at), j.last_node.clone().unwrap_or_default(), j.last_duration_ms.unwrap_or_default()),
                                None => "never".into(),
                            }}</dd>
                            {j.last_summary.clone().filter(|s| !s.is_empty()).map(|s| view! { <dt>"Result"</dt><dd>{s}</dd> })}
                            <dt>"Runs"</dt>
                            <dd>{format!("{} in all, {} failed", j.runs, j.failures)}</dd>
                            <dt>"Queue"</dt>
                            <dd>{format!("{} waiting, {} given up", j.waiting, j.failed_items)}</dd>
                            {j.last_error.clone().map(|e| view! {
                                <dt>"Last failure"</dt>
                                <dd class="error-text">{format!("{}: {e}", j.last_failure_at.map(format_utc).unwrap_or_default())}</dd>
                            })}
                        </dl>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}
