//! Document pages, rendered on the server: `/documents` (what the caller may
//! read, by model, and the supplier admin's upload), and the documents card of
//! a unit page. Uploads are plain multipart forms, so they work without wasm.

use super::api::*;
use super::rules::{language_name, DocKind, LANGUAGES, LEVEL_CHOICE_NONE};
use crate::catalog::ModelRef;
use crate::dates::format_day;
use crate::file_types::format_size;
use crate::ui::{ErrorView, PageHeader, UrlFormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn kind_label(kind: &str) -> &'static str {
    DocKind::parse(kind)
        .map(DocKind::label)
        .unwrap_or("Document")
}

/// `/documents`: the documents the caller may read, optionally of one model.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let model =
        use_query_map().with_untracked(|q| q.get("model").and_then(|m| m.parse::<i64>().ok()));
    view! {
        <Title text="Documents"/>
        <PageHeader title="Documents" subtitle="Manuals, drawings, parts lists and service bulletins for your equipment."/>
        <UrlFormError path=UploadDocument::PATH/>
        <Suspense fallback=|| view! { <p class="muted">"Loading documents…"</p> }>
            {move || Suspend::new(async move {
                match list_documents(model).await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => view! { <DocumentsView list model/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocumentsView(list: DocumentList, model: Option<i64>) -> impl IntoView {
    let models = list.models.clone();
    let groups: Vec<(ModelRef, Vec<Document>)> = list
        .models
        .iter()
        .filter(|m| model.is_none_or(|id| id == m.id))
        .map(|m| {
            let docs: Vec<Document> = list
                .documents
                .iter()
                .filter(|d| d.model_id == m.id)
                .cloned()
                .collect();
            (m.clone(), docs)
        })
        .filter(|(_, docs)| !docs.is_empty())
        .collect();
    let empty = groups.is_empty();
    view! {
        <form method="get" action="/documents" class="filter-inline card" role="search">
            <div class="field">
                <label for="doc-model">"Equipment model"</label>
                <select id="doc-model" name="model">
                    <option value="">"All models"</option>
                    {models.iter().map(|m| view! {
                        <option value=m.id.to_string() selected=model == Some(m.id)>{format!("{} · {}", m.code, m.name)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="btn btn-ghost">"Show"</button>
        </form>
        {empty.then(|| view! {
            <section class="card empty-state">
                <h2>"No documents here yet"</h2>
                <p class="muted">"Documents appear for the equipment models your organisation owns or services."</p>
            </section>
        })}
        {groups.into_iter().map(|(m, docs)| view! {
            <section class="card table-card doc-group" id=format!("documents-{}", m.code.to_lowercase())>
                <div class="card-title"><h2>{format!("{} · {}", m.code, m.name)}</h2></div>
                <DocumentTable docs can_manage=list.can_manage/>
            </section>
        }).collect_view()}
        {list.can_manage.then(|| view! { <UploadForm models=list.models.clone() levels=known_levels(&list.documents)/> })}
    }
    .into_any()
}

/// The documents of one model as a table: current version to download, older
/// versions listed under it.
#[component]
pub fn DocumentTable(docs: Vec<Document>, #[prop(optional)] can_manage: bool) -> impl IntoView {
    view! {
        <table class="data-table doc-table">
            <thead><tr>
                <th>"Document"</th><th class="hide-sm">"Language"</th><th>"Version"</th>
                <th class="hide-sm">"Updated"</th><th><span class="sr-only">"Download"</span></th>
            </tr></thead>
            <tbody>
                {docs.into_iter().map(|d| {
                    let current = d.versions.first().cloned();
                    let older: Vec<DocumentVersion> = d.versions.iter().skip(1).cloned().collect();
                    view! {
                        <tr>
                            <td>
                                <span class="strong">{d.title.clone()}</span>
                                <span class="cell-note">
                                    <span class="badge badge-info">{kind_label(&d.kind)}</span>
                                    {d.required_level.clone().map(|l| view! { " " <span class="badge badge-warn" title="Service-level document">{format!("Requires {l}")}</span> })}
                                </span>
                                {(!older.is_empty()).then(|| view! {
                                    <details class="older-versions">
                                        <summary>{format!("Older versions ({})", older.len())}</summary>
                                        <ul>
                                            {older.into_iter().map(|v| view! {
                                                <li>
                                                    <a href=version_href(v.id)>{format!("{} · {}", v.version, v.filename)}</a>
                                                    <span class="muted">{format!(" · {} · {}", format_day(v.uploaded_at), format_size(v.size_bytes))}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </details>
                                })}
                            </td>
                            <td class="hide-sm">{language_name(&d.language).to_string()}</td>
                            <td class="nowrap">{current.as_ref().map(|v| v.version.clone())}</td>
                            <td class="hide-sm nowrap">{current.as_ref().map(|v| format_day(v.uploaded_at))}</td>
                            <td class="actions">
                                {current.map(|v| view! {
                                    <a class="btn btn-ghost btn-small" href=version_href(v.id)
                                        aria-label=format!("Download {} ({})", d.title, v.version)>
                                        {format!("Download · {}", format_size(v.size_bytes))}
                                    </a>
                                })}
                                {can_manage.then(|| view! {
                                    <NewVersionForm model_id=d.model_id kind=d.kind.clone() title=d.title.clone()
                                        language=d.language.clone() level=d.required_level.clone()/>
                                })}
                            </td>
                        </tr>
                    }
                    .into_any()
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The certification levels the listed documents require, for the upload
/// forms' suggestions (`datalist#document-levels`).
fn known_levels(docs: &[Document]) -> Vec<String> {
    let levels: std::collections::BTreeSet<String> = docs
        .iter()
        .filter_map(|d| d.required_level.clone())
        .collect();
    levels.into_iter().collect()
}

/// "New version" of a document: the same model, kind, title and language. The
/// level is kept unless the admin chooses "None" or types another one.
#[component]
fn NewVersionForm(
    model_id: i64,
    kind: String,
    title: String,
    language: String,
    level: Option<String>,
) -> impl IntoView {
    let label = format!("Upload a new version of {title}");
    let level_fields = match level {
        Some(level) => view! {
            <label>"Certification level"
                <select name="level_choice">
                    <option value="">{format!("Keep: requires {level}")}</option>
                    <option value=LEVEL_CHOICE_NONE>"None: open to every customer of the model"</option>
                </select>
            </label>
            <label>"Or require another level"
                <input type="text" name="required_level" maxlength="80" list="document-levels" placeholder="Empty: as chosen above"/>
            </label>
        }
        .into_any(),
        None => view! {
            <label>"Require a certification level (optional)"
                <input type="text" name="required_level" maxlength="80" list="document-levels" placeholder="Empty: open to every customer of the model"/>
            </label>
        }
        .into_any(),
    };
    view! {
        <details class="new-version">
            <summary class="btn btn-ghost btn-small" aria-label=label.clone()>"New version"</summary>
            <form method="post" action=UploadDocument::PATH enctype="multipart/form-data" class="stack new-version-form">
                <input type="hidden" name="model" value=model_id.to_string()/>
                <input type="hidden" name="kind" value=kind/>
                <input type="hidden" name="title" value=title.clone()/>
                <input type="hidden" name="language" value=language/>
                <label>"Version"<input type="text" name="version" required maxlength="40" placeholder="rev D"/></label>
                <label>"File"<input type="file" name="file" required/></label>
                {level_fields}
                <button type="submit" class="btn btn-primary btn-small">"Upload version"</button>
            </form>
        </details>
    }
}

/// The supplier admin's upload of a new document (or of a new version of the
/// listed document it matches). `levels`: the levels documents require now.
#[component]
fn UploadForm(models: Vec<ModelRef>, levels: Vec<String>) -> impl IntoView {
    view! {
        <section class="card form-card" id="upload-document">
            <h2>"Upload a document"</h2>
            <p class="muted">"A file with the same model, kind, title and language as a listed document becomes its new version; older versions stay listed, and the document keeps its certification level unless you change it. PDF, pictures, DXF, ZIP, Office files; up to 32 MB."</p>
            <datalist id="document-levels">
                {levels.into_iter().map(|l| view! { <option value=l/> }).collect_view()}
            </datalist>
            <form method="post" action=UploadDocument::PATH enctype="multipart/form-data" class="form-grid">
                <div class="field">
                    <label for="up-model">"Equipment model"</label>
                    <select id="up-model" name="model" required>
                        {models.into_iter().map(|m| view! { <option value=m.id.to_string()>{format!("{} · {}", m.code, m.name)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="up-kind">"Kind"</label>
                    <select id="up-kind" name="kind" required>
                        {DocKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field span-2">
                    <label for="up-title">"Title"</label>
                    <input id="up-title" name="title" type="text" required maxlength="200" placeholder="LX-200 Maintenance manual"/>
                </div>
                <div class="field">
                    <label for="up-language">"Language"</label>
                    <select id="up-language" name="language" required>
                        {LANGUAGES.iter().map(|(c, n)| view! { <option value=*c>{*n}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="up-version">"Version"</label>
                    <input id="up-version" name="version" type="text" required maxlength="40" placeholder="rev A"/>
                </div>
                <div class="field span-2">
                    <label for="up-level">"Certification level required (service documents only)"</label>
                    <input id="up-level" name="required_level" type="text" maxlength="80" list="document-levels" placeholder="LX-200 Service technician"/>
                </div>
                <div class="field span-2">
                    <label for="up-level-choice">"When no level is typed"</label>
                    <select id="up-level-choice" name="level_choice" aria-describedby="up-level-hint">
                        <option value="">"Keep the current level (a new document has none)"</option>
                        <option value=LEVEL_CHOICE_NONE>"None: open to every customer of the model"</option>
                    </select>
                    <small class="hint" id="up-level-hint">"A new version keeps its document's level unless you type another one or choose None."</small>
                </div>
                <div class="field span-2">
                    <label for="up-file">"File"</label>
                    <input id="up-file" name="file" type="file" required/>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Upload"</button></div>
            </form>
        </section>
    }
}

/// A unit page's documents card: the documents of its model the caller may read.
#[component]
pub fn UnitDocuments(model_id: i64) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list_documents(Some(model_id)).await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) if list.documents.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <section class="card table-card" id="unit-documents">
                            <div class="card-title"><h2>"Documents"</h2></div>
                            <DocumentTable docs=list.documents/>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
