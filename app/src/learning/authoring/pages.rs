//! The course editor's pages, for the supplier's content editors: every
//! course with its enrollments and ratings (`/course-editor`), one course's
//! fields, outline, prerequisites, materials and feedback
//! (`/course-editor/{slug}`), and one lesson's Markdown beside its rendered
//! preview (`/course-editor/{slug}/lessons/{n}`). All plain form posts.

use super::super::rules::{course_href, editor_href, lesson_editor_href, lesson_href};
use super::api::*;
use crate::dates::format_day;
use crate::file_types::format_size;
use crate::ui::{ErrorView, PageHeader, UrlFormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn rating_text(sum: i64, count: i64) -> String {
    if count == 0 {
        "—".into()
    } else {
        format!("★ {:.1} ({count})", sum as f64 / count as f64)
    }
}

/// `/course-editor`: every course, its state and how learners took it.
#[component]
pub fn CourseEditorPage() -> impl IntoView {
    view! {
        <Title text="Course editor"/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/courses">"Courses"</a>" / "<span>"Course editor"</span></nav>
        <PageHeader title="Course editor" subtitle="Write and publish courses; see how learners take and rate them."/>
        <UrlFormError path=CreateCourse::PATH/>
        <Suspense fallback=|| view! { <p class="muted">"Loading courses…"</p> }>
            {move || Suspend::new(async move {
                match list_course_editor().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(rows) => view! { <EditorList rows/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditorList(rows: Vec<EditorRow>) -> impl IntoView {
    view! {
        <section class="card table-card">
            <table class="data-table" id="editor-courses">
                <thead><tr>
                    <th>"Course"</th><th>"State"</th><th class="hide-sm">"Lessons"</th>
                    <th class="hide-sm">"Enrolled"</th><th class="hide-sm">"Completed"</th><th>"Rating"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-course=r.slug.clone()>
                            <td class="strong"><a href=editor_href(&r.slug)>{r.title.clone()}</a>
                                <div class="small muted">{format!("{} · {}{}", r.audience.label(), r.level.label(), r.model_code.as_deref().map(|m| format!(" · {m}")).unwrap_or_default())}</div>
                            </td>
                            <td>{if r.published { view! { <span class="badge badge-ok">"Published"</span> }.into_any() } else { view! { <span class="badge badge-off">"Draft"</span> }.into_any() }}</td>
                            <td class="hide-sm num">{r.lessons}</td>
                            <td class="hide-sm num">{r.enrolled}</td>
                            <td class="hide-sm num">{r.completed}</td>
                            <td class="nowrap rating-cell">{rating_text(r.rating_sum, r.rating_count)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card" id="new-course">
            <h2>"New course"</h2>
            <p class="muted">"A new course starts as a draft: learners see it once you publish it."</p>
            <form method="post" action=CreateCourse::PATH class="form-grid">
                <div class="field">
                    <label for="new-title">"Title"</label>
                    <input id="new-title" name="title" required minlength="3" maxlength="120"/>
                </div>
                <div class="field">
                    <label for="new-slug">"Address (optional)"</label>
                    <input id="new-slug" name="slug" maxlength="60" placeholder="made from the title"/>
                </div>
                <div class="field">
                    <label for="new-audience">"For"</label>
                    <select id="new-audience" name="audience">
                        {Audience::ALL.iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="new-level">"Level"</label>
                    <select id="new-level" name="level">
                        {Level::ALL.iter().map(|l| view! { <option value=l.as_str()>{l.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Create the course"</button></div>
            </form>
        </section>
    }
}

/// `/course-editor/{slug}`: a course's fields, outline, prerequisites,
/// materials and learners' feedback.
#[component]
pub fn CourseEditPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    view! {
        <UrlFormError path=SaveCourse::PATH/>
        <UrlFormError path=PublishCourse::PATH/>
        <UrlFormError path=SetPrerequisite::PATH/>
        <UrlFormError path=AddModule::PATH/>
        <UrlFormError path=AddLesson::PATH/>
        <UrlFormError path=UploadMaterial::PATH/>
        <Suspense fallback=|| view! { <p class="muted">"Loading the course…"</p> }>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match get_course_edit(slug).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(c) => view! { <CourseEditView c/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn CourseEditView(c: CourseEdit) -> impl IntoView {
    let slug = c.row.slug.clone();
    let title = c.row.title.clone();
    let published = c.row.published;
    let head = view! {
        <Title text=format!("Edit · {title}")/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/course-editor">"Course editor"</a>" / "<span>{title.clone()}</span></nav>
        <header class="page-header editor-head">
            <h1>{title.clone()}</h1>
            <div class="page-actions">
                {if published { view! { <span class="badge badge-ok" id="course-state">"Published"</span> }.into_any() } else { view! { <span class="badge badge-off" id="course-state">"Draft"</span> }.into_any() }}
                {published.then(|| view! { <a class="btn btn-ghost" href=course_href(&slug)>"View as learners do"</a> })}
                <form method="post" action=PublishCourse::PATH class="inline-form">
                    <input type="hidden" name="course" value=slug.clone()/>
                    {(!published).then(|| view! { <input type="hidden" name="publish" value="1"/> })}
                    <button type="submit" class=if published { "btn btn-ghost" } else { "btn btn-primary" } id="publish">
                        {if published { "Take back to draft" } else { "Publish" }}
                    </button>
                </form>
            </div>
        </header>
    }
    .into_any();
    let fields = view! { <CourseFieldsForm c=c.clone()/> }.into_any();
    let outline = view! { <OutlineEditor slug=slug.clone() modules=c.modules.clone()/> }.into_any();
    let side = view! {
        <aside class="stack">
            <PrerequisitesEditor slug=slug.clone() prerequisites=c.prerequisites.clone() candidates=c.candidates.clone()/>
            <MaterialsEditor slug=slug.clone() materials=c.materials.clone()/>
            <FeedbackList c=c.clone()/>
        </aside>
    }
    .into_any();
    view! {
        {head}
        <div class="course-layout">
            <div class="stack">{fields}{outline}</div>
            {side}
        </div>
    }
}

#[component]
fn CourseFieldsForm(c: CourseEdit) -> impl IntoView {
    let model = c.row.model_code.clone().unwrap_or_default();
    view! {
        <section class="card" id="course-fields">
            <h2>"Course"</h2>
            <form method="post" action=SaveCourse::PATH class="stack">
                <input type="hidden" name="course" value=c.row.slug.clone()/>
                <div class="field">
                    <label for="course-title">"Title"</label>
                    <input id="course-title" name="title" value=c.row.title.clone() required minlength="3" maxlength="120"/>
                </div>
                <div class="field">
                    <label for="course-summary">"Summary (on the course's card)"</label>
                    <textarea id="course-summary" name="summary" rows="2" maxlength="300">{c.row.summary.clone()}</textarea>
                </div>
                <div class="form-grid">
                    <div class="field">
                        <label for="course-audience">"For"</label>
                        <select id="course-audience" name="audience">
                            {Audience::ALL.iter().map(|a| view! { <option value=a.as_str() selected=*a == c.row.audience>{a.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="course-level">"Level"</label>
                        <select id="course-level" name="level">
                            {Level::ALL.iter().map(|l| view! { <option value=l.as_str() selected=*l == c.row.level>{l.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="course-model">"Equipment model"</label>
                        <select id="course-model" name="model">
                            <option value="">"All equipment"</option>
                            {c.models.iter().map(|m| view! { <option value=m.code.clone() selected=m.code == model>{format!("{} · {}", m.code, m.name)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="course-duration">"Duration (minutes)"</label>
                        <input id="course-duration" name="duration" type="number" min="5" max="6000" value=c.row.duration_minutes.to_string() required/>
                    </div>
                    <div class="field">
                        <label for="course-validity">"Valid for (months)"</label>
                        <input id="course-validity" name="validity" type="number" min="1" max="120" value=c.row.validity_months.map(|m| m.to_string()).unwrap_or_default() placeholder="never expires"/>
                    </div>
                    <div class="field">
                        <label for="course-seat-price">"Seat price (€)"</label>
                        <input id="course-seat-price" name="seat_price" inputmode="decimal" maxlength="12" value=c.row.seat_price_cents.map(|p| format!("{}.{:02}", p / 100, p % 100)).unwrap_or_default() placeholder="no seats: included" aria-describedby="seat-price-hint"/>
                        <small class="hint" id="seat-price-hint">"Customers buy the course by the seat, one for each learner. Empty: included."</small>
                    </div>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Save the course"</button></div>
            </form>
        </section>
    }
}

#[component]
fn OutlineEditor(slug: String, modules: Vec<EditorModule>) -> impl IntoView {
    let options = modules.clone();
    view! {
        <section class="card" id="outline-editor">
            <h2>"Modules and lessons"</h2>
            {modules.is_empty().then(|| view! { <p class="muted">"Add a module first, then its lessons."</p> })}
            {modules.into_iter().enumerate().map(|(i, m)| {
                let slug = slug.clone();
                view! {
                    <h3 class="module-title">{format!("Module {} · {}", i + 1, m.title)}</h3>
                    <ol class="lesson-list">
                        {m.lessons.into_iter().map(|l| view! {
                            <li value=l.live.then_some(l.n)>
                                <a href=lesson_editor_href(&slug, l.n)>{l.title}</a>
                                <span class="muted small">{format!("{} min", l.minutes)}</span>
                                {(!l.live).then(|| view! { <span class="badge badge-off">"New: not published yet"</span> })}
                                {(l.live && l.has_draft).then(|| view! { <span class="badge badge-warn">"Unpublished draft"</span> })}
                            </li>
                        }).collect_view()}
                    </ol>
                }
            }).collect_view()}
            <div class="grid-2 editor-adds">
                {(!options.is_empty()).then(|| view! {
                    <form method="post" action=AddLesson::PATH class="stack" id="add-lesson">
                        <h3>"Add a lesson"</h3>
                        <input type="hidden" name="course" value=slug.clone()/>
                        <div class="field">
                            <label for="lesson-module">"Module"</label>
                            <select id="lesson-module" name="module">
                                {options.iter().rev().map(|m| view! { <option value=m.id.to_string()>{m.title.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="lesson-title">"Title"</label>
                            <input id="lesson-title" name="title" required minlength="3" maxlength="120"/>
                        </div>
                        <div class="field">
                            <label for="lesson-minutes">"Minutes"</label>
                            <input id="lesson-minutes" name="minutes" type="number" min="1" max="240" value="10" required/>
                        </div>
                        <div class="form-actions"><button type="submit" class="btn btn-ghost">"Add and write it"</button></div>
                    </form>
                })}
                <form method="post" action=AddModule::PATH class="stack" id="add-module">
                    <h3>"Add a module"</h3>
                    <input type="hidden" name="course" value=slug.clone()/>
                    <div class="field">
                        <label for="module-title">"Title"</label>
                        <input id="module-title" name="title" required minlength="3" maxlength="120"/>
                    </div>
                    <div class="form-actions"><button type="submit" class="btn btn-ghost">"Add the module"</button></div>
                </form>
            </div>
        </section>
    }
}

#[component]
fn PrerequisitesEditor(
    slug: String,
    prerequisites: Vec<super::super::api::CourseRef>,
    candidates: Vec<super::super::api::CourseRef>,
) -> impl IntoView {
    view! {
        <section class="card" id="prerequisites">
            <h2>"Prerequisites"</h2>
            {prerequisites.is_empty().then(|| view! { <p class="muted">"None: anyone in the audience may enrol."</p> })}
            <ul class="plain-list">
                {prerequisites.into_iter().map(|p| view! {
                    <li class="row-form">
                        <span class="grow">{p.title}</span>
                        <form method="post" action=SetPrerequisite::PATH class="inline-form">
                            <input type="hidden" name="course" value=slug.clone()/>
                            <input type="hidden" name="requires" value=p.slug/>
                            <input type="hidden" name="remove" value="1"/>
                            <button type="submit" class="btn btn-ghost btn-small">"Remove"</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            {(!candidates.is_empty()).then(|| view! {
                <form method="post" action=SetPrerequisite::PATH class="row-form">
                    <input type="hidden" name="course" value=slug.clone()/>
                    <label class="sr-only" for="requires">"Course to require"</label>
                    <select id="requires" name="requires" class="grow">
                        {candidates.into_iter().map(|c| view! { <option value=c.slug>{c.title}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="btn btn-ghost btn-small">"Require"</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn MaterialsEditor(slug: String, materials: Vec<MaterialView>) -> impl IntoView {
    view! {
        <section class="card" id="materials">
            <h2>"Materials"</h2>
            <p class="small muted">"Files learners download, and pictures for the lessons: paste a file's Markdown into a lesson."</p>
            <ul class="plain-list material-list">
                {materials.into_iter().map(|m| view! {
                    <li>
                        <a href=m.href.clone()>{m.title.clone()}</a>
                        <span class="small muted">{format!(" · {} · {}", m.filename, format_size(m.size_bytes))}</span>
                        <code class="snippet">{m.markdown.clone()}</code>
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=UploadMaterial::PATH enctype="multipart/form-data" class="stack">
                <input type="hidden" name="course" value=slug/>
                <div class="field">
                    <label for="material-title">"Title (optional)"</label>
                    <input id="material-title" name="title" maxlength="120"/>
                </div>
                <div class="field">
                    <label for="material-file">"File"</label>
                    <input id="material-file" name="file" type="file" required/>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-ghost">"Upload"</button></div>
            </form>
        </section>
    }
}

#[component]
fn FeedbackList(c: CourseEdit) -> impl IntoView {
    view! {
        <section class="card" id="course-feedback">
            <h2>"Learners' ratings"</h2>
            <p class="strong">{rating_text(c.row.rating_sum, c.row.rating_count)}</p>
            <p class="small muted">{format!("{} enrolled · {} completed", c.row.enrolled, c.row.completed)}</p>
            {c.feedback.is_empty().then(|| view! { <p class="muted">"No ratings yet."</p> })}
            <ul class="plain-list feedback-list">
                {c.feedback.into_iter().map(|f| view! {
                    <li>
                        <p><span class="stars">{"★".repeat(f.rating.clamp(0, 5) as usize)}</span>" "<span class="small muted">{format!("{} · {} · {}", f.learner, f.organisation, format_day(f.at))}</span></p>
                        {(!f.comment.is_empty()).then(|| view! { <p>{f.comment}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// `/course-editor/{slug}/lessons/{n}`: the lesson's Markdown and, beside
/// it, the draft rendered as learners will see it.
#[component]
pub fn LessonEditPage() -> impl IntoView {
    let params = use_params_map();
    let (slug, n) = params.with_untracked(|p| {
        (
            p.get("slug").unwrap_or_default(),
            p.get("n").unwrap_or_default(),
        )
    });
    view! {
        <UrlFormError path=SaveLesson::PATH/>
        <Suspense fallback=|| view! { <p class="muted">"Loading the lesson…"</p> }>
            {move || {
                let (slug, n) = (slug.clone(), n.clone());
                Suspend::new(async move {
                    let Ok(n) = n.parse::<i64>() else {
                        return view! { <ErrorView error=crate::error::AppError::NotFound("The lesson".into())/> }.into_any();
                    };
                    match get_lesson_edit(slug, n).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(l) => view! { <LessonEditView l/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn LessonEditView(l: LessonEdit) -> impl IntoView {
    let slug = l.course.slug.clone();
    let prev = (l.live && l.n > 1).then(|| lesson_editor_href(&slug, l.n - 1));
    let next = (l.live && l.n < l.total).then(|| lesson_editor_href(&slug, l.n + 1));
    let heading = if l.live {
        format!("Lesson {} of {}", l.n, l.total)
    } else {
        "New lesson".to_string()
    };
    let form = view! {
        <section class="card" id="lesson-editor">
            <form method="post" action=SaveLesson::PATH class="stack">
                <input type="hidden" name="course" value=slug.clone()/>
                <input type="hidden" name="n" value=l.n.to_string()/>
                <input type="hidden" name="lesson" value=l.id.to_string()/>
                <div class="form-grid">
                    <div class="field">
                        <label for="lesson-title">"Title"</label>
                        <input id="lesson-title" name="title" value=l.title.clone() required minlength="3" maxlength="120"/>
                    </div>
                    <div class="field">
                        <label for="lesson-minutes">"Minutes"</label>
                        <input id="lesson-minutes" name="minutes" type="number" min="1" max="240" value=l.minutes.to_string() required/>
                    </div>
                </div>
                <div class="field">
                    <label for="lesson-body">"Text (Markdown)"</label>
                    <textarea id="lesson-body" name="body" rows="22" class="markdown-input" maxlength="100000">{l.markdown.clone()}</textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" name="intent" value="preview" class="btn btn-ghost" id="preview-draft">"Save draft and preview"</button>
                    <button type="submit" name="intent" value="publish" class="btn btn-primary" id="publish-lesson">"Publish to learners"</button>
                    {(l.live && l.has_draft).then(|| view! { <button type="submit" name="intent" value="discard" class="btn btn-ghost" formnovalidate>"Discard the draft"</button> })}
                </div>
            </form>
        </section>
    }
    .into_any();
    let preview = view! {
        <section class="card lesson" id="preview" aria-label="Preview" tabindex="0">
            <p class="eyebrow">
                {match (l.live, l.has_draft) {
                    (false, _) => view! { <span class="badge badge-off">"New lesson: learners see it once you publish it"</span> }.into_any(),
                    (true, true) => view! { <span class="badge badge-warn">"Draft: learners still read the published text"</span> }.into_any(),
                    (true, false) => view! { <span class="badge badge-ok">"Published text"</span> }.into_any(),
                }}
            </p>
            <h1>{l.title.clone()}</h1>
            <div class="lesson-body" inner_html=l.preview_html.clone()></div>
        </section>
    }
    .into_any();
    view! {
        <Title text=format!("Edit · {}", l.title)/>
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/course-editor">"Course editor"</a>" / "<a href=editor_href(&slug)>{l.course.title.clone()}</a>" / "<span>{heading.clone()}</span>
        </nav>
        <header class="page-header">
            <h1>{heading}</h1>
            <p class="muted">{format!("{} · {}", l.module_title, l.course.title)}</p>
        </header>
        <p class="page-actions">
            {prev.map(|h| view! { <a class="btn btn-ghost" href=h>"← Previous lesson"</a> })}
            {next.map(|h| view! { <a class="btn btn-ghost" href=h>"Next lesson →"</a> })}
            {(l.published && l.live).then(|| view! { <a class="btn btn-ghost" href=lesson_href(&slug, l.n)>"Open as learners do"</a> })}
        </p>
        <div class="editor-layout">
            {form}
            {preview}
        </div>
        {(!l.materials.is_empty()).then(|| view! {
            <section class="card" id="lesson-materials">
                <h2 class="small">"The course's materials"</h2>
                <ul class="plain-list material-list">
                    {l.materials.into_iter().map(|m| view! { <li>{m.title}" "<code class="snippet">{m.markdown}</code></li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}
