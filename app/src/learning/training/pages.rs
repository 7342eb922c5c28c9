//! `/training`: the training administration page of an organisation,
//! rendered on the server. The matrix of staff × required and assigned
//! courses, its filters, the proposals that close the development plan's
//! gaps, assignment, and the plan itself. Every change is a plain form post.

use super::super::api::CourseRef;
use super::super::pages::status_badge;
use super::super::rules::{course_href, due_day, TrainingStatus};
use super::api::*;
use crate::dates::format_day;
use crate::ui::{ErrorView, PageHeader, Pager, UrlFormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where the CSV export of the matrix is served.
pub const EXPORT_PATH: &str = "/training/export.csv";

#[component]
pub fn TrainingPage() -> impl IntoView {
    let query = use_query_map();
    let (org, role, status, q, page) = query.with_untracked(|m| {
        (
            m.get("org").unwrap_or_default(),
            m.get("role").unwrap_or_default(),
            m.get("status").unwrap_or_default(),
            m.get("q").unwrap_or_default(),
            m.get("page").unwrap_or_default(),
        )
    });
    view! {
        <Title text="Training"/>
        <UrlFormError path=AssignCourse::PATH/>
        <UrlFormError path=ApplyProposals::PATH/>
        <UrlFormError path=AddJobRole::PATH/>
        <UrlFormError path=SetPlanCourse::PATH/>
        <UrlFormError path=SetStaffRole::PATH/>
        <Suspense fallback=|| view! { <p class="muted">"Loading the training matrix…"</p> }>
            {move || {
                let (org, role, status, q, page) =
                    (org.clone(), role.clone(), status.clone(), q.clone(), page.clone());
                Suspend::new(async move {
                    match get_training_matrix(org, role.clone(), status.clone(), q.clone(), page).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(m) => view! { <TrainingView m role status q/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The hidden field that names the organisation in every form.
fn org_field(id: i64) -> impl IntoView {
    view! { <input type="hidden" name="org" value=id.to_string()/> }
}

fn course_options(courses: &[CourseRef]) -> impl IntoView {
    courses
        .iter()
        .map(|c| view! { <option value=c.slug.clone()>{c.title.clone()}</option> })
        .collect_view()
}

#[component]
fn TrainingView(m: TrainingMatrix, role: String, status: String, q: String) -> impl IntoView {
    let org_id = m.org.id;
    let subtitle = format!(
        "{}: who has the training their job needs, who is behind, and what to assign next.",
        m.org.name
    );
    let export = format!("{EXPORT_PATH}?org={org_id}");
    // The pages of the matrix keep its filters.
    let filters = [
        ("role", role.clone()),
        ("status", status.clone()),
        ("q", q.clone()),
    ];
    view! {
        <PageHeader title="Training" subtitle=subtitle/>
        {(!m.orgs.is_empty()).then(|| view! {
            <form method="get" action="/training" class="inline-fields org-switch" aria-label="Organisation">
                <div class="field">
                    <label for="training-org">"Organisation"</label>
                    <select id="training-org" name="org">
                        {m.orgs.iter().map(|o| view! { <option value=o.id.to_string() selected=o.id == org_id>{o.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn btn-ghost">"Show"</button>
            </form>
        })}
        <ul class="status-totals" id="training-totals" aria-label="Cells by status">
            {m.totals.iter().map(|(s, n)| view! {
                <li><a href=format!("/training?org={org_id}&status={}", s.as_str())>{status_badge(*s)}<span class="total">{*n}</span></a></li>
            }).collect_view()}
        </ul>
        <section class="card">
            <form method="get" action="/training" class="search-form" role="search" aria-label="Filter the matrix">
                {org_field(org_id)}
                <div class="field grow">
                    <label for="training-q">"Name or e-mail"</label>
                    <input id="training-q" name="q" type="search" value=q maxlength="60"/>
                </div>
                <div class="field">
                    <label for="training-role">"Job role"</label>
                    <select id="training-role" name="role">
                        <option value="">"Any job role"</option>
                        <option value="none" selected=role == "none">"No job role"</option>
                        {m.roles.iter().map(|r| view! { <option value=r.id.to_string() selected=role == r.id.to_string()>{r.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="training-status">"Status"</label>
                    <select id="training-status" name="status">
                        <option value="">"Any status"</option>
                        {TrainingStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=status == s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">"Filter"</button>
                    <a class="btn btn-ghost" href=export download>"Export CSV"</a>
                </div>
            </form>
        </section>
        <Matrix columns=m.columns.clone() rows=m.rows.clone() org_id staff_total=m.staff_total rows_total=m.rows_total/>
        <Pager page=m.page pages=m.pages link=move |p| {
            let mut href = format!("/training?org={org_id}&page={p}");
            for (k, v) in &filters {
                if !v.is_empty() {
                    href.push_str(&format!("&{k}={}", crate::url::encode_component(v)));
                }
            }
            href
        }/>
        <div class="grid-2">
            <Proposals proposals=m.proposals.clone() total=m.proposals_total waiting=m.proposals_waiting org_id/>
            <section class="card form-card" id="assign">
                <h2>"Assign a course"</h2>
                <form method="post" action=AssignCourse::PATH class="stack">
                    {org_field(org_id)}
                    <div class="field">
                        <label for="assign-user">"Person"</label>
                        <select id="assign-user" name="user_id" required>
                            <option value="">"Choose…"</option>
                            {m.staff.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="assign-course">"Course"</label>
                        <select id="assign-course" name="course" required>
                            <option value="">"Choose…"</option>
                            {course_options(&m.courses)}
                        </select>
                    </div>
                    <div class="field">
                        <label for="assign-due">"Due date (optional)"</label>
                        <input id="assign-due" name="due" type="date"/>
                    </div>
                    <div class="form-actions"><button type="submit" class="btn btn-primary">"Assign"</button></div>
                </form>
            </section>
        </div>
        <Plan roles=m.roles staff=m.rows courses=m.courses org_id/>
    }
}

#[component]
fn Matrix(
    columns: Vec<CourseRef>,
    rows: Vec<MatrixRow>,
    org_id: i64,
    staff_total: i64,
    rows_total: i64,
) -> impl IntoView {
    if columns.is_empty() {
        return view! {
            <section class="card callout" id="matrix-empty">
                <p>"No course is required or assigned yet. Name the courses each job role needs in the development plan below, or assign a course."</p>
            </section>
        }.into_any();
    }
    let shown = rows.len();
    view! {
        <section class="card table-card" id="matrix">
            <div class="table-head"><p class="muted">{
                if rows_total as usize == shown {
                    format!("{shown} of {staff_total} people · ● required by their job role")
                } else {
                    format!("{shown} of the {rows_total} people who match ({staff_total} in all) · ● required by their job role")
                }
            }</p></div>
            <form method="post" action=AssignCourse::PATH id="gap-form" class="hidden">{org_field(org_id)}</form>
            <table class="data-table matrix">
                <thead><tr>
                    <th scope="col" class="sticky-col">"Person"</th>
                    {columns.iter().map(|c| view! { <th scope="col"><a href=course_href(&c.slug)>{c.title.clone()}</a></th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        view! {
                            <tr data-user=r.user_id.to_string()>
                                <th scope="row" class="sticky-col">
                                    <span class="strong">{r.name.clone()}</span>
                                    <span class="small muted">{r.job_role.clone().unwrap_or_else(|| "No job role".into())}</span>
                                </th>
                                {r.cells.into_iter().zip(columns.iter()).map(|(cell, course)| match cell {
                                    // Most cells of a large matrix are empty: kept small.
                                    None => view! { <td class="na">"—"</td> }.into_any(),
                                    Some(c) => view! { <td data-course=course.slug.clone()><Cell c course=course.clone() user_id=r.user_id/></td> }.into_any(),
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(shown == 0).then(|| view! { <p class="muted empty">"Nobody matches these filters."</p> })}
        </section>
    }.into_any()
}

#[component]
fn Cell(c: MatrixCell, course: CourseRef, user_id: i64) -> impl IntoView {
    let note = match c.status {
        TrainingStatus::Completed | TrainingStatus::Expiring | TrainingStatus::Expired => c
            .expires_at
            .map(|e| format!("until {}", format_day(e)))
            .unwrap_or_else(|| "no expiry".into()),
        TrainingStatus::Overdue => c
            .due_at
            .map(|d| format!("was due {}", due_day(d)))
            .unwrap_or_default(),
        TrainingStatus::InProgress | TrainingStatus::NotStarted => {
            let due = c
                .due_at
                .map(|d| format!(" · due {}", due_day(d)))
                .unwrap_or_default();
            format!("{}/{} lessons{due}", c.lessons_done, c.lessons_total)
        }
        TrainingStatus::NotAssigned => String::new(),
    };
    view! {
        <div class="cell">
            <span>{status_badge(c.status)}{c.required.then(|| view! { <span class="req" title="Required by the job role">" ●"</span> })}</span>
            {(!note.is_empty()).then(|| view! { <span class="cell-note">{note}</span> })}
            // One form for the whole matrix (#gap-form): each button sends its cell.
            {c.status.is_gap().then(|| view! {
                <button type="submit" form="gap-form" name="pick" value=format!("{user_id}:{}", course.slug) class="btn btn-ghost btn-small">"Assign"</button>
            })}
        </div>
    }
}

#[component]
fn Proposals(proposals: Vec<Proposal>, total: i64, waiting: i64, org_id: i64) -> impl IntoView {
    let n = total;
    let ready = total - waiting;
    let more = total - proposals.len() as i64;
    view! {
        <section class="card form-card" id="proposals">
            <h2>"Gaps in the development plan"</h2>
            {if proposals.is_empty() {
                view! { <p class="muted">"None: everyone is enrolled in the courses their job role needs."</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{n} enrollment{} would close the gaps:", if n == 1 { "" } else { "s" })}</p>
                    <ul class="plain-list proposal-list">
                        {proposals.into_iter().map(|p| view! {
                                            <li>
                                <span class="strong">{p.name}</span>" · "{p.course.title}
                                {p.renewal.then(|| view! { " " <span class="badge badge-warn">"renewal"</span> })}
                                {p.waiting_for.map(|w| view! { " " <span class="badge badge-off">{format!("waits for {w}")}</span> })}
                            </li>
                        }).collect_view()}
                        {(more > 0).then(|| view! { <li class="muted">{format!("and {more} more")}</li> })}
                    </ul>
                    {(waiting > 0).then(|| view! {
                        <p class="small muted">{format!("{waiting} wait{} for a prerequisite the person has not completed: assign that first.", if waiting == 1 { "s" } else { "" })}</p>
                    })}
                    {(ready > 0).then(|| view! {
                        <form method="post" action=ApplyProposals::PATH class="inline-fields">
                            {org_field(org_id)}
                            <div class="field">
                                <label for="apply-due">"Due date (optional)"</label>
                                <input id="apply-due" name="due" type="date"/>
                            </div>
                            <button type="submit" class="btn btn-primary" id="apply-proposals">{format!("Assign all {ready}")}</button>
                        </form>
                    })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Plan(
    roles: Vec<JobRoleView>,
    /// The people of the matrix's page.
    staff: Vec<MatrixRow>,
    courses: Vec<CourseRef>,
    org_id: i64,
) -> impl IntoView {
    let role_options = roles
        .iter()
        .map(|r| (r.id, r.name.clone()))
        .collect::<Vec<_>>();
    let role_options2 = role_options.clone();
    view! {
        <section class="card" id="plan">
            <h2>"Development plan"</h2>
            <p class="muted">"Name the courses each job role needs; give each person their job role. The matrix then shows the gaps and proposes the enrollments that close them."</p>
            <div class="grid-2">
                <div>
                    {roles.into_iter().map(|r| view! {
                        <div class="plan-role">
                            <h3>{r.name.clone()}<span class="muted small">{format!(" · {} {}", r.staff, if r.staff == 1 { "person" } else { "people" })}</span></h3>
                            {if r.courses.is_empty() {
                                view! { <p class="muted small">"No course yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="plain-list">
                                        {r.courses.into_iter().map(|c| view! {
                                            <li class="plan-course">
                                                <a href=course_href(&c.slug)>{c.title.clone()}</a>
                                                <form method="post" action=SetPlanCourse::PATH class="inline-form">
                                                    {org_field(org_id)}
                                                    <input type="hidden" name="job_role_id" value=r.id.to_string()/>
                                                    <input type="hidden" name="course" value=c.slug.clone()/>
                                                    <input type="hidden" name="required" value="false"/>
                                                    <button type="submit" class="btn btn-ghost btn-small" aria-label=format!("Take {} off {}", c.title, r.name)>"Remove"</button>
                                                </form>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </div>
                    }).collect_view()}
                    <form method="post" action=SetPlanCourse::PATH class="stack plan-form">
                        {org_field(org_id)}
                        <input type="hidden" name="required" value="true"/>
                        <div class="field">
                            <label for="plan-role">"Job role"</label>
                            <select id="plan-role" name="job_role_id" required>
                                <option value="">"Choose…"</option>
                                {role_options.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="plan-course">"needs the course"</label>
                            <select id="plan-course" name="course" required>
                                <option value="">"Choose…"</option>
                                {course_options(&courses)}
                            </select>
                        </div>
                        <div class="form-actions"><button type="submit" class="btn btn-ghost">"Add to the plan"</button></div>
                    </form>
                    <form method="post" action=AddJobRole::PATH class="inline-fields">
                        {org_field(org_id)}
                        <div class="field">
                            <label for="new-role">"New job role"</label>
                            <input id="new-role" name="name" maxlength="60" required placeholder="LX-200 operator"/>
                        </div>
                        <button type="submit" class="btn btn-ghost">"Add job role"</button>
                    </form>
                </div>
                <div>
                    <h3>"Job roles of the people above"</h3>
                    <table class="data-table compact" id="staff-roles">
                        <tbody>
                            {staff.into_iter().map(|s| {
                                let id = format!("staff-role-{}", s.user_id);
                                view! {
                                    <tr>
                                        <td><label for=id.clone()>{s.name.clone()}</label></td>
                                        <td>
                                            <form method="post" action=SetStaffRole::PATH class="inline-form row-form">
                                                {org_field(org_id)}
                                                <input type="hidden" name="user_id" value=s.user_id.to_string()/>
                                                <select id=id name="job_role_id">
                                                    <option value="">"No job role"</option>
                                                    {role_options2.iter().map(|(rid, name)| view! { <option value=rid.to_string() selected=s.job_role_id == Some(*rid)>{name.clone()}</option> }).collect_view()}
                                                </select>
                                                <button type="submit" class="btn btn-ghost btn-small" aria-label=format!("Save the job role of {}", s.name)>"Save"</button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}
