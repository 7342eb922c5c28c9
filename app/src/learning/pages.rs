//! The learner's pages, rendered on the server: the course catalogue, a
//! course, a lesson and the transcript. Enrolling, marking a lesson done and
//! rating are plain form posts: they work before (and without) the wasm, and
//! an error comes back in the address and shows next to the form.

use super::api::*;
use super::rules::{course_href, due_day, duration_text, lesson_href, validity_text};
use crate::catalog::rules::format_eur;
use crate::dates::format_day;
use crate::error::AppError;
use crate::ui::{ErrorView, PageHeader, UrlFormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The badge of a status.
pub fn status_badge(status: TrainingStatus) -> impl IntoView {
    let class = match status {
        TrainingStatus::Completed => "badge badge-ok",
        TrainingStatus::Expiring => "badge badge-warn",
        TrainingStatus::Expired | TrainingStatus::Overdue => "badge badge-danger",
        TrainingStatus::InProgress => "badge badge-info",
        TrainingStatus::NotStarted | TrainingStatus::NotAssigned => "badge badge-off",
    };
    view! { <span class=class>{status.label()}</span> }
}

fn stars(sum: i64, count: i64) -> Option<String> {
    (count > 0).then(|| {
        let avg = sum as f64 / count as f64;
        format!(
            "★ {avg:.1} ({count} rating{})",
            if count == 1 { "" } else { "s" }
        )
    })
}

/// `/courses`: the catalogue, filtered by audience (supplier staff), model and level.
#[component]
pub fn CoursesPage() -> impl IntoView {
    let query = use_query_map();
    let (audience, model, level) = query.with_untracked(|m| {
        (
            m.get("audience").unwrap_or_default(),
            m.get("model").unwrap_or_default(),
            m.get("level").unwrap_or_default(),
        )
    });
    view! {
        <Title text="Courses"/>
        <PageHeader title="Courses" subtitle="E-learning on the equipment you work with: take a course at your own pace, on any device."/>
        <Suspense fallback=|| view! { <p class="muted">"Loading courses…"</p> }>
            {move || {
                let (audience, model, level) = (audience.clone(), model.clone(), level.clone());
                Suspend::new(async move {
                    match list_courses(audience.clone(), model.clone(), level.clone()).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(list) => view! { <CourseCatalogue list audience model level/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn CourseCatalogue(
    list: CourseList,
    audience: String,
    model: String,
    level: String,
) -> impl IntoView {
    let count = list.courses.len();
    view! {
        <div class="page-actions">
            // The supplier's staff take no courses: they write them.
            {if list.audience_filter {
                list.can_edit.then(|| view! { <a class="btn btn-primary" href="/course-editor" id="course-editor">"Course editor"</a> }).into_any()
            } else {
                view! { <a class="btn btn-ghost" href="/transcript">"My transcript"</a> }.into_any()
            }}
        </div>
        <section class="card">
            <form method="get" action="/courses" class="search-form" role="search" aria-label="Filter courses">
                {list.audience_filter.then(|| view! {
                    <div class="field">
                        <label for="course-audience">"Audience"</label>
                        <select id="course-audience" name="audience">
                            <option value="">"Everyone"</option>
                            {Audience::ALL.iter().map(|a| view! {
                                <option value=a.as_str() selected=audience == a.as_str()>{a.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="course-model">"Equipment model"</label>
                    <select id="course-model" name="model">
                        <option value="">"Any model"</option>
                        {list.models.into_iter().map(|m| {
                            let selected = model == m.code;
                            view! { <option value=m.code.clone() selected=selected>{format!("{} · {}", m.code, m.name)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="course-level">"Level"</label>
                    <select id="course-level" name="level">
                        <option value="">"Any level"</option>
                        {Level::ALL.iter().map(|l| view! {
                            <option value=l.as_str() selected=level == l.as_str()>{l.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Filter"</button></div>
            </form>
        </section>
        <p class="muted result-count">{format!("{count} course{}", if count == 1 { "" } else { "s" })}</p>
        {if list.courses.is_empty() {
            view! { <section class="card"><p class="muted empty" id="no-courses">"No course matches these filters."</p></section> }.into_any()
        } else {
            view! {
                <ul class="course-grid" id="courses">
                    {list.courses.into_iter().map(|c| view! { <li><CourseCardView card=c/></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn CourseCardView(card: CourseCard) -> impl IntoView {
    let href = course_href(&card.slug);
    view! {
        <article class="course-card">
            <p class="course-meta">
                <span class="badge badge-info">{card.level.label()}</span>
                {card.model_code.clone().map(|m| view! { <span class="badge badge-off">{m}</span> })}
                {card.status.map(status_badge)}
            </p>
            <h2><a href=href>{card.title.clone()}</a></h2>
            <p class="muted">{card.summary.clone()}</p>
            <p class="course-foot small muted">
                <span>{format!("{} lessons · {}", card.lessons, duration_text(card.duration_minutes))}</span>
                <span>{card.audience.label()}</span>
                {stars(card.rating_sum, card.rating_count).map(|s| view! { <span class="stars">{s}</span> })}
                {card.seat_price_cents.map(|p| view! { <span class="seat-price">{format!("{} a seat", format_eur(p))}</span> })}
            </p>
        </article>
    }
}

/// `/courses/{slug}`: outline, duration, prerequisites, validity, and the
/// caller's enrollment.
#[component]
pub fn CoursePage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the course…"</p> }>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match get_course(slug).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(detail) => view! { <CourseView detail/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn CourseView(detail: CourseDetail) -> impl IntoView {
    let card = detail.card;
    let slug = card.slug.clone();
    let first = detail
        .modules
        .first()
        .and_then(|m| m.lessons.first())
        .map(|l| l.n)
        .unwrap_or(1);
    let action = match (&detail.enrollment, &detail.enroll_refusal, detail.preview) {
        (_, Some(why), true) => view! {
            <p class="muted">{why.clone()}</p>
            <a class="btn btn-primary" href=lesson_href(&slug, first)>"Preview the lessons"</a>
        }
        .into_any(),
        (Some(e), None, _) if e.in_progress() => {
            let label = match (e.resume_at, e.lessons_done) {
                (None, _) => "Review the course",
                (Some(_), _) if e.retaking => "Continue the retake",
                (Some(_), 0) => "Start the course",
                _ => "Continue where you left off",
            };
            view! {
                <a class="btn btn-primary" id="resume" href=lesson_href(&slug, e.resume_at.unwrap_or(first))>{label}</a>
            }.into_any()
        }
        (_, Some(why), false) => {
            view! { <p class="alert alert-error" id="enroll-refusal">{why.clone()}</p> }.into_any()
        }
        (e, None, _) => {
            let renew = e.is_some();
            view! {
                <form method="post" action=Enroll::PATH class="inline-form">
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <button type="submit" class="btn btn-primary">{if renew { "Take the course again" } else { "Enrol" }}</button>
                </form>
            }.into_any()
        }
    };
    let outline = view! {
            <section class="card" id="outline">
                <h2>"Outline"</h2>
                {detail.modules.into_iter().enumerate().map(|(i, m)| view! {
                    <h3 class="module-title">{format!("Module {} · {}", i + 1, m.title)}</h3>
                    <ol class="lesson-list">
                        {m.lessons.into_iter().map(|l| {
                            let href = lesson_href(&card.slug, l.n);
                            view! {
                                <li value=l.n class:done=l.done>
                                    <a href=href>{l.title}</a>
                                    <span class="muted small">{format!("{} min", l.minutes)}</span>
                                    {l.done.then(|| view! { <span class="badge badge-ok">"Done"</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }).collect_view()}
            </section>
    }
    .into_any();
    let aside = view! {
            <aside class="stack">
                <section class="card" id="enrollment">
                    {detail.enrollment.clone().map(|e| view! { <EnrollmentFacts e/> })}
                    {action}
                </section>
                <section class="card">
                    <dl class="facts">
                        <dt>"Audience"</dt><dd>{card.audience.label()}</dd>
                        <dt>"Level"</dt><dd>{card.level.label()}</dd>
                        <dt>"Model"</dt><dd>{card.model_code.clone().unwrap_or_else(|| "All equipment".into())}</dd>
                        <dt>"Duration"</dt><dd>{format!("{} · {} lessons", duration_text(card.duration_minutes), card.lessons)}</dd>
                        <dt>"Validity"</dt><dd>{validity_text(card.validity_months)}</dd>
                        <dt>"Prerequisites"</dt>
                        <dd>
                            {if detail.prerequisites.is_empty() {
                                view! { "None" }.into_any()
                            } else {
                                view! {
                                    <ul class="plain-list">
                                        {detail.prerequisites.into_iter().map(|p| view! {
                                            <li><a href=course_href(&p.course.slug)>{p.course.title}</a>" "
                                                {if p.met { view! { <span class="badge badge-ok">"Completed"</span> }.into_any() } else { view! { <span class="badge badge-off">"Not yet"</span> }.into_any() }}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </dd>
                        {stars(card.rating_sum, card.rating_count).map(|s| view! { <dt>"Rating"</dt><dd>{s}</dd> })}
                    </dl>
                </section>
                {detail.seats.clone().map(|offer| view! { <SeatsCard slug=card.slug.clone() offer/> })}
                {(!detail.materials.is_empty()).then(|| view! {
                    <section class="card" id="course-materials">
                        <h2>"Materials"</h2>
                        <ul class="plain-list material-list">
                            {detail.materials.iter().map(|m| view! {
                                <li><a href=m.href.clone() download>{m.title.clone()}</a><span class="small muted">{format!(" · {}", crate::file_types::format_size(m.size_bytes))}</span></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                {detail.enrollment.filter(|e| e.completed_at.is_some()).map(|_| view! { <FeedbackForm slug=card.slug.clone() mine=detail.my_rating.clone()/> })}
            </aside>
    }
    .into_any();
    view! {
        <Title text=card.title.clone()/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/courses">"Courses"</a>" / "<span>{card.title.clone()}</span></nav>
        <PageHeader title=card.title.clone() subtitle=card.summary.clone()/>
        <UrlFormError path=Enroll::PATH/>
        <UrlFormError path=RateCourse::PATH/>
        <UrlFormError path=AddSeatsToCart::PATH/>
        <div class="course-layout">
            {outline}
            {aside}
        </div>
    }
}

/// A course sold by the seat: its price, the caller's organisation's seats,
/// and (for those who order) a form that puts seats in the cart.
#[component]
fn SeatsCard(slug: String, offer: SeatOffer) -> impl IntoView {
    let price = if offer.price_cents == offer.list_price_cents {
        format!("{} a seat", format_eur(offer.price_cents))
    } else {
        format!(
            "{} a seat (list price {})",
            format_eur(offer.price_cents),
            format_eur(offer.list_price_cents)
        )
    };
    let left = offer.left.map(|left| match (left, offer.bought) {
        (_, 0) => "Your organisation has no seats of this course yet.".to_string(),
        (0, b) => format!("Your organisation has used all {b} of its seats."),
        (1, b) => format!("Your organisation has 1 seat left of {b}."),
        (l, b) => format!("Your organisation has {l} seats left of {b}."),
    });
    let how = match (offer.left.is_some(), offer.can_buy) {
        (true, _) => "Each of your staff who starts the course takes a seat. Seats you order can be used once we confirm the order.",
        (false, true) => "Customers buy this course by the seat: each of their staff who starts it takes one. You can buy seats for a customer of yours and choose it at checkout.",
        // The supplier's staff: they see the offer, and do not order.
        (false, false) => "Customers buy this course by the seat: each of their staff who starts it takes one.",
    };
    view! {
        <section class="card" id="course-seats">
            <h2>"Seats"</h2>
            <p class="strong">{price}</p>
            {left.map(|l| view! { <p id="seats-left">{l}</p> })}
            <p class="small muted">{how}</p>
            {offer.can_buy.then(|| view! {
                <form method="post" action=AddSeatsToCart::PATH class="add-to-cart">
                    <input type="hidden" name="slug" value=slug/>
                    <input type="hidden" name="add_key" value=crate::ui::form_key()/>
                    <label class="sr-only" for="seat-qty">"Seats"</label>
                    <input type="number" name="quantity" id="seat-qty" value="1" min="1" max="9999" step="1" required class="qty"/>
                    <button type="submit" class="btn btn-primary btn-small">"Add seats to cart"</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn EnrollmentFacts(e: EnrollmentView) -> impl IntoView {
    let pct = if e.lessons_total > 0 {
        e.lessons_done * 100 / e.lessons_total
    } else {
        0
    };
    view! {
        <h2>"Your progress"</h2>
        <p>{status_badge(e.status)}" "<span class="muted">{e.source.label()}</span></p>
        <progress max="100" value=pct.to_string() aria-label="Lessons done">{format!("{pct} %")}</progress>
        <p class="small muted">{format!("{} of {} lessons done", e.lessons_done, e.lessons_total)}</p>
        <dl class="facts small">
            <dt>"Enrolled"</dt><dd>{format_day(e.enrolled_at)}</dd>
            {e.due_at.map(|d| view! { <dt>"Due"</dt><dd>{due_day(d)}</dd> })}
            {e.completed_at.map(|d| view! { <dt>"Completed"</dt><dd>{format_day(d)}</dd> })}
            {e.completed_at.map(|_| view! { <dt>"Expires"</dt><dd>{e.expires_at.map(format_day).unwrap_or_else(|| "Never".into())}</dd> })}
        </dl>
    }
}

#[component]
fn FeedbackForm(slug: String, mine: Option<(i64, String)>) -> impl IntoView {
    let (rating, comment) = mine.unwrap_or((0, String::new()));
    view! {
        <section class="card" id="feedback">
            <h2>"Rate this course"</h2>
            <form method="post" action=RateCourse::PATH class="stack">
                <input type="hidden" name="slug" value=slug/>
                <fieldset class="rating">
                    <legend>"Your rating"</legend>
                    {(1..=5).rev().map(|n| view! {
                        <label><input type="radio" name="rating" value=n.to_string() checked=rating == n required/>{format!("{n} ★")}</label>
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="feedback-comment">"Comment (optional)"</label>
                    <textarea id="feedback-comment" name="comment" rows="3" maxlength="2000">{comment}</textarea>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-ghost">"Save my rating"</button></div>
            </form>
        </section>
    }
}

/// `/courses/{slug}/lessons/{n}`: one lesson, its place in the course, and
/// "Mark as done" for the enrolled learner.
#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let (slug, n) = params.with_untracked(|p| {
        (
            p.get("slug").unwrap_or_default(),
            p.get("n").unwrap_or_default(),
        )
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the lesson…"</p> }>
            {move || {
                let (slug, n) = (slug.clone(), n.clone());
                Suspend::new(async move {
                    let Ok(n) = n.parse::<i64>() else {
                        return view! { <ErrorView error=AppError::NotFound("The lesson".into())/> }.into_any();
                    };
                    match get_lesson(slug.clone(), n).await {
                        Err(AppError::Validation(why)) => view! {
                            <Title text="Enrol first"/>
                            <section class="card callout" id="enrol-first">
                                <p>{why}</p>
                                <p><a class="btn btn-primary" href=course_href(&slug)>"Go to the course"</a></p>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(lesson) => view! { <LessonView lesson/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn LessonView(lesson: LessonView) -> impl IntoView {
    let slug = lesson.course.slug.clone();
    let prev = (lesson.n > 1).then(|| lesson_href(&slug, lesson.n - 1));
    let next = (lesson.n < lesson.total).then(|| lesson_href(&slug, lesson.n + 1));
    view! {
        <Title text=format!("{} · {}", lesson.title, lesson.course.title)/>
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href="/courses">"Courses"</a>" / "<a href=course_href(&slug)>{lesson.course.title.clone()}</a>" / "<span>{format!("Lesson {}", lesson.n)}</span>
        </nav>
        <UrlFormError path=CompleteLesson::PATH/>
        <div class="lesson-layout">
            <article class="card lesson" id="lesson">
                <p class="eyebrow">{format!("{} · Lesson {} of {} · {} min", lesson.module_title, lesson.n, lesson.total, lesson.minutes)}</p>
                <h1>{lesson.title.clone()}</h1>
                <div class="lesson-body" inner_html=lesson.html></div>
                <footer class="lesson-foot">
                    {prev.map(|href| view! { <a class="btn btn-ghost" rel="prev" href=href>"← Previous"</a> })}
                    <span class="grow"></span>
                    {match (lesson.enrolled, lesson.done) {
                        (false, _) => view! { <span class="muted small">"Preview: progress is not recorded."</span> }.into_any(),
                        (true, true) => view! {
                            <span class="badge badge-ok" id="lesson-done">"Done"</span>
                            {next.clone().map(|href| view! { <a class="btn btn-primary" rel="next" href=href>"Next lesson →"</a> })}
                        }.into_any(),
                        (true, false) => view! {
                            <form method="post" action=CompleteLesson::PATH class="inline-form">
                                <input type="hidden" name="slug" value=slug.clone()/>
                                <input type="hidden" name="n" value=lesson.n.to_string()/>
                                <button type="submit" class="btn btn-primary" id="mark-done">
                                    {if lesson.n < lesson.total { "Mark as done and continue" } else { "Mark as done and finish" }}
                                </button>
                            </form>
                        }.into_any(),
                    }}
                </footer>
            </article>
            <nav class="card lesson-nav" aria-label="Lessons of this course">
                <h2 class="small">"Lessons"</h2>
                <ol class="lesson-list compact">
                    {lesson.outline.into_iter().map(|l| {
                        let current = l.n == lesson.n;
                        view! {
                            <li value=l.n class:done=l.done>
                                <a href=lesson_href(&slug, l.n) aria-current=current.then_some("page")>{l.title}</a>
                                {l.done.then(|| view! { <span class="sr-only">" (done)"</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </nav>
        </div>
    }
}

/// `/transcript`: the caller's courses, grouped as current, expiring within
/// 60 days, expired and under way; printable as a completion record.
#[component]
pub fn TranscriptPage() -> impl IntoView {
    view! {
        <Title text="My transcript"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading your transcript…"</p> }>
            {move || Suspend::new(async move {
                match get_transcript().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(t) => view! { <TranscriptView t/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TranscriptView(t: Transcript) -> impl IntoView {
    let none = t.rows.is_empty();
    let group = |title: &'static str, id: &'static str, rows: Vec<TranscriptRow>| {
        (!rows.is_empty()).then(|| view! {
            <section class="card table-card transcript-group" id=id>
                <h2 class="card-title">{title}</h2>
                {
                    view! {
                        <table class="data-table">
                            <thead><tr><th>"Course"</th><th>"Status"</th><th class="hide-sm">"Progress"</th><th>"Completed"</th><th>"Expires"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td class="strong"><a href=course_href(&r.course.slug)>{r.course.title.clone()}</a>
                                            {r.model_code.clone().map(|m| view! { <span class="muted small">{format!(" · {m}")}</span> })}
                                        </td>
                                        <td>{status_badge(r.status)}{r.due_at.filter(|_| r.completed_at.is_none()).map(|d| view! { <div class="small muted">{format!("Due {}", due_day(d))}</div> })}</td>
                                        <td class="hide-sm nowrap">{format!("{} / {}", r.lessons_done, r.lessons_total)}</td>
                                        <td class="nowrap">{r.completed_at.map(format_day).unwrap_or_else(|| "—".into())}</td>
                                        <td class="nowrap">{match (r.completed_at, r.expires_at) { (None, _) => "—".to_string(), (Some(_), None) => "Never".into(), (Some(_), Some(e)) => format_day(e) }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                }
            </section>
        })
    };
    let (mut current, mut expiring, mut expired, mut learning) = (vec![], vec![], vec![], vec![]);
    for r in t.rows {
        match r.status {
            TrainingStatus::Completed => current.push(r),
            TrainingStatus::Expiring => expiring.push(r),
            TrainingStatus::Expired => expired.push(r),
            _ => learning.push(r),
        }
    }
    view! {
        <header class="page-header">
            <h1>"Training transcript"</h1>
            <p class="muted">{format!("{} · {} · as of {}", t.name, t.organisation, format_day(t.now))}</p>
        </header>
        <p class="page-actions no-print"><a class="btn btn-ghost" href="/courses">"Find a course"</a><span class="muted small">" Printed, this page is your completion record."</span></p>
        {none.then(|| view! {
            <section class="card" id="no-courses">
                <p>"You have no courses yet."</p>
                <p class="muted">"Courses your administrator assigns to you, and those you enrol in, are listed here."</p>
            </section>
        })}
        {group("In progress and assigned", "learning", learning)}
        {group("Current", "current", current)}
        {group("Expiring within 60 days", "expiring", expiring)}
        {group("Expired", "expired", expired)}
    }
}
