//! The supplier admin's catalogue import pages: `/catalog/import` (the upload
//! form and the latest imports) and `/catalog/import/{id}` (progress while it
//! runs, refreshed by the page itself; then the counts, or every faulty row).

use super::import_api::*;
use crate::dates::format_utc;
use crate::ui::{ErrorView, PageHeader, UrlFormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn status_badge(status: &str) -> impl IntoView {
    let (class, label) = match status {
        "done" => ("badge badge-ok", "Imported"),
        "refused" => ("badge badge-warn", "Refused: nothing imported"),
        _ => ("badge badge-info", "Running"),
    };
    view! { <span class=class>{label}</span> }
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    view! {
        <Title text="Catalogue import"/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/parts">"Parts"</a>" / "<span>"Import"</span></nav>
        <PageHeader title="Catalogue import" subtitle="Parts, bills of materials, model fits and supersessions from your ERP's CSV export."/>
        <UrlFormError path=StartImport::PATH/>
        <section class="card form-card" id="import-form">
            <h2>"Import CSV files"</h2>
            <p class="muted">"Every row is checked first. If any row is faulty, nothing is imported and each faulty row is listed with its line number. Existing parts (by part number, ignoring spaces and dashes) are updated; BOM lines are set by model, assembly and item."</p>
            <form method="post" action=StartImport::PATH enctype="multipart/form-data" class="form-grid">
                {IMPORT_FILES.iter().map(|(kind, label)| view! {
                    <div class="field">
                        <label for=format!("import-{kind}")>{*label}</label>
                        <input id=format!("import-{kind}") name=*kind type="file" accept=".csv,text/csv"/>
                    </div>
                }).collect_view()}
                <details class="span-2 csv-help">
                    <summary>"Columns of each file"</summary>
                    <ul>
                        <li><strong>"Parts: "</strong><code>"part_number, description, list_price, stock_qty, lead_time_days"</code>" (price in euros, like 1234.50)"</li>
                        <li><strong>"BOM lines: "</strong><code>"model, assembly, assembly_name, item, part_number, quantity"</code></li>
                        <li><strong>"Model fits: "</strong><code>"part_number, model"</code></li>
                        <li><strong>"Supersessions: "</strong><code>"part_number, replaced_by"</code></li>
                    </ul>
                </details>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Check and import"</button></div>
            </form>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list_imports().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <section class="card table-card" id="imports">
                            <div class="card-title"><h2>"Latest imports"</h2></div>
                            <table class="data-table">
                                <thead><tr><th>"Started"</th><th>"Files"</th><th>"Outcome"</th><th class="hide-sm">"By"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|i| view! {
                                        <tr>
                                            <td class="nowrap"><a href=format!("/catalog/import/{}", i.id)>{format_utc(i.created_at)}</a></td>
                                            <td>{i.file_labels()}</td>
                                            <td>{status_badge(&i.status)}<span class="cell-note">{i.summary.clone()}</span></td>
                                            <td class="hide-sm">{i.uploaded_by.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()));
    view! {
        <Title text="Catalogue import"/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/catalog/import">"Catalogue import"</a>" / "<span>"Import"</span></nav>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let result = match id {
                    Some(id) => get_import(id).await,
                    None => Err(crate::error::AppError::NotFound("The import".into())),
                };
                match result {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(detail) => view! { <ImportView detail/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportView(detail: ImportDetail) -> impl IntoView {
    let i = detail.import;
    let running = i.status == "queued";
    let (phase, pct) = match &detail.progress {
        Some(p) if p.total > 0 => (
            format!("{}: {} of {} rows", p.phase, p.done, p.total),
            (p.done * 100 / p.total).min(100),
        ),
        Some(p) if p.done > 0 => (format!("{}: {} rows", p.phase, p.done), 5),
        Some(p) => (p.phase.clone(), 2),
        None => ("Waiting for the job runner…".to_string(), 0),
    };
    view! {
        <PageHeader title=format!("Import of {}", format_utc(i.created_at)) subtitle=format!("{} · by {}", i.file_labels(), i.uploaded_by)/>
        // While it runs, the page reloads itself every second by a two-line
        // script (a <meta> refresh is a WCAG 2.2.1 failure that axe reports).
        {running.then(|| view! {
            <script nonce=leptos::nonce::use_nonce()>"setTimeout(function () { location.reload(); }, 1000);"</script>
        })}
        <section class="card" id="import-status">
            <p>{status_badge(&i.status)}</p>
            {running.then(|| view! {
                <progress class="import-progress" max="100" value=pct.to_string() aria-label="Import progress"></progress>
                <p class="muted" id="import-phase" aria-live="polite">{phase}</p>
                <p class="small muted">"This page updates itself every second until the import ends."</p>
            })}
            {(!running).then(|| view! { <p id="import-summary">{i.summary.clone()}</p> })}
        </section>
        {(!detail.errors.is_empty()).then(|| view! {
            <section class="card table-card" id="import-errors">
                <div class="card-title">
                    <h2>"Faulty rows"</h2>
                    <p class="muted">{format!("{} faulty rows. Correct them in the files and import again.{}", i.error_count,
                        if i.error_count as usize > detail.errors.len() { format!(" The first {} are listed.", detail.errors.len()) } else { String::new() })}</p>
                </div>
                <table class="data-table">
                    <thead><tr><th>"File"</th><th class="num">"Line"</th><th>"Reason"</th></tr></thead>
                    <tbody>
                        {detail.errors.into_iter().map(|e| view! {
                            <tr><td class="nowrap">{e.file}</td><td class="num">{e.line}</td><td>{e.reason}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
    }
    .into_any()
}
