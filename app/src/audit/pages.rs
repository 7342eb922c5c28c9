//! The audit page (`/audit`): a plain GET form, so the search lives in the URL
//! and works without any script; results render on the server.

use super::api::*;
use crate::dates::format_utc;
use crate::error::AppError;
use crate::identity::Permission;
use crate::identity::SessionUser;
use crate::ui::{ErrorAlert, ErrorView, PageHeader, Pager};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn filter_from_query() -> AuditFilter {
    let q = use_query_map().read_untracked();
    let get = |k: &str| q.get(k).unwrap_or_default();
    AuditFilter {
        actor: get("actor"),
        org: get("org"),
        action: get("action"),
        from: get("from"),
        to: get("to"),
        page: get("page"),
    }
}

/// The filter as a query string, with another page number.
fn query_string(f: &AuditFilter, page: Option<i64>) -> String {
    let mut f = f.clone();
    if let Some(p) = page {
        f.page = p.to_string();
    }
    let pairs: Vec<(&str, &str)> = [
        ("actor", f.actor.as_str()),
        ("org", f.org.as_str()),
        ("action", f.action.as_str()),
        ("from", f.from.as_str()),
        ("to", f.to.as_str()),
        ("page", f.page.as_str()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    if !me.role.has(Permission::ViewAudit) {
        return view! { <ErrorView error=AppError::Forbidden/> }.into_any();
    }
    let filter = filter_from_query();
    let export = format!(
        "{}?{}",
        super::api::EXPORT_PATH,
        query_string(
            &AuditFilter {
                page: String::new(),
                ..filter.clone()
            },
            None
        )
    );
    let f = filter.clone();
    view! {
        <Title text="Audit trail"/>
        <PageHeader title="Audit trail" subtitle="Every sign-in and every change to users and organisations, as it happened. Entries cannot be changed or removed."/>
        <section class="card">
            <form method="get" action="/audit" class="form-grid filter-form" id="audit-filter">
                <div class="field">
                    <label for="f-actor">"Actor's e-mail"</label>
                    <input id="f-actor" name="actor" type="search" maxlength="254" value=filter.actor.clone() placeholder="part of an address"/>
                </div>
                <div class="field">
                    <label for="f-org">"Organisation"</label>
                    <select id="f-org" name="org">
                        <option value="">"All organisations"</option>
                        <Suspense fallback=|| ()>
                            {let selected = filter.org.clone(); move || {
                                let selected = selected.clone();
                                Suspend::new(async move {
                                    crate::organisations::list_organisations().await.unwrap_or_default().into_iter()
                                        .map(|o| {
                                            let id = o.id.to_string();
                                            let sel = id == selected;
                                            view! { <option value=id selected=sel>{o.name.clone()}</option> }
                                        })
                                        .collect_view()
                                })
                            }}
                        </Suspense>
                    </select>
                </div>
                <div class="field">
                    <label for="f-action">"Action"</label>
                    <select id="f-action" name="action">
                        <option value="">"All actions"</option>
                        {AuditAction::ALL.iter().map(|a| {
                            let sel = a.as_str() == filter.action;
                            view! { <option value=a.as_str() selected=sel>{a.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-from">"From"</label>
                    <input id="f-from" name="from" type="date" value=filter.from.clone()/>
                </div>
                <div class="field">
                    <label for="f-to">"To (inclusive)"</label>
                    <input id="f-to" name="to" type="date" value=filter.to.clone()/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">"Search"</button>
                    <a class="btn btn-ghost" href="/audit">"Clear"</a>
                    <a class="btn btn-ghost" id="audit-export" href=export download>"Export CSV"</a>
                    <span class="hint">"Times are UTC."</span>
                </div>
            </form>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Searching…"</p> }>
            {move || {
                let f = f.clone();
                Suspend::new(async move {
                    let q = f.clone();
                    match search_audit(q.actor, q.org, q.action, q.from, q.to, q.page).await {
                        Err(e @ AppError::Validation(_)) => view! { <ErrorAlert error=e/> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(page) => view! { <AuditResults page filter=f/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn AuditResults(page: AuditPage, filter: AuditFilter) -> impl IntoView {
    let AuditPage {
        entries,
        total,
        page,
        pages,
    } = page;
    let summary = format!(
        "{total} {} · page {page} of {pages}",
        if total == 1 { "entry" } else { "entries" }
    );
    // The table is wider than a screen: focusable, so that a keyboard can
    // scroll it (WCAG 2.1.1), and named for screen readers.
    view! {
        <div class="card table-card" tabindex="0" role="region" aria-label="Audit entries">
            <div class="table-head">
                <p class="muted" id="audit-summary">{summary}</p>
            </div>
            {if entries.is_empty() {
                view! { <p class="empty muted">"No entries match this search."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table" id="audit-table">
                        <thead><tr>
                            <th>"When"</th><th>"Action"</th><th>"Actor"</th>
                            <th class="hide-sm">"Organisation"</th><th class="hide-sm">"Object"</th>
                            <th class="hide-sm">"Details"</th><th class="hide-sm">"Address"</th>
                        </tr></thead>
                        <tbody>
                            {entries.into_iter().map(|e| view! {
                                <tr data-action=e.action.as_str()>
                                    <td class="nowrap">{format_utc(e.at)}</td>
                                    <td><span class=format!("badge {}", action_badge(e.action))>{e.action.label()}</span></td>
                                    <td>{e.actor_email.clone().unwrap_or_else(|| "anonymous".into())}</td>
                                    <td class="hide-sm">{e.org_name.clone().unwrap_or_default()}</td>
                                    <td class="hide-sm nowrap">{object_text(&e.object_kind, &e.object_id)}</td>
                                    <td class="hide-sm detail">{detail_text(&e.detail)}</td>
                                    <td class="hide-sm mono">{e.client_addr.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Pager page pages newest_first=true link=move |n| format!("/audit?{}", query_string(&filter, Some(n)))/>
        </div>
    }
}

fn object_text(kind: &str, id: &str) -> String {
    if id.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} #{id}")
    }
}

fn action_badge(a: AuditAction) -> &'static str {
    match a {
        AuditAction::SignInFailed
        | AuditAction::UserDeactivated
        | AuditAction::OrganisationDeactivated => "badge-warn",
        AuditAction::SignInSucceeded | AuditAction::SignedOut => "badge-off",
        _ => "badge-ok",
    }
}

/// `{"email":"a@b","reason":"wrong_password"}` as `email: a@b · reason: wrong_password`.
fn detail_text(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(" · "),
        _ => json.to_string(),
    }
}
