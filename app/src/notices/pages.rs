//! The notices page and the header's bell. Marking read is a plain form post.

use super::api::*;
use crate::dates::format_utc;
use crate::ui::{ErrorView, PageHeader, UrlFormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// The bell in the header, with the number of unread notices.
#[component]
pub fn NoticeBell(active: bool) -> impl IntoView {
    view! {
        <a href="/notices" class="bell-link" aria-current=active.then_some("page")>
            <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>
            </svg>
            <span class="sr-only">"Notices"</span>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let n = unread_notices().await.unwrap_or(0);
                    (n > 0).then(|| view! {
                        <span class="cart-badge" id="notice-count" aria-label=format!("{n} unread")>{n}</span>
                    })
                })}
            </Suspense>
        </a>
    }
}

/// `/notices`: the caller's notices, newest first.
#[component]
pub fn NoticesPage() -> impl IntoView {
    view! {
        <Title text="Notices"/>
        <PageHeader title="Notices" subtitle="Courses assigned to you, due dates coming up and training about to expire."/>
        <UrlFormError path=MarkNoticesRead::PATH/>
        <Suspense fallback=|| view! { <p class="muted">"Loading your notices…"</p> }>
            {move || Suspend::new(async move {
                match list_notices().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => view! { <NoticeListView list/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeListView(list: NoticeList) -> impl IntoView {
    if list.notices.is_empty() {
        return view! {
            <section class="card" id="no-notices">
                <p>"No notices yet."</p>
                <p class="muted">"When a course is assigned to you, is due within a week or your training is about to expire, you find it here."</p>
            </section>
        }
        .into_any();
    }
    let unread = list.unread;
    view! {
        <div class="notice-bar">
            <span class="muted">{format!("{unread} unread")}</span>
            {(unread > 0).then(|| view! {
                <form method="post" action=MarkNoticesRead::PATH class="inline-form">
                    <button type="submit" class="btn btn-ghost" id="read-all">"Mark all as read"</button>
                </form>
            })}
        </div>
        <ul class="notice-list card" id="notices">
            {list.notices.into_iter().map(|n| {
                let unread = n.read_at.is_none();
                view! {
                    <li class="notice" class:unread=unread data-kind=n.kind.clone()>
                        <div class="notice-text">
                            <p class="strong">
                                {if n.link.starts_with('/') {
                                    view! { <a href=n.link.clone()>{n.subject.clone()}</a> }.into_any()
                                } else {
                                    view! { <span>{n.subject.clone()}</span> }.into_any()
                                }}
                            </p>
                            {(!n.body.is_empty()).then(|| view! { <p class="muted">{n.body.clone()}</p> })}
                            <p class="small muted">{format_utc(n.created_at)}</p>
                        </div>
                        {unread.then(|| view! {
                            <form method="post" action=MarkNoticesRead::PATH class="inline-form">
                                <input type="hidden" name="id" value=n.id.to_string()/>
                                <button type="submit" class="btn btn-ghost btn-small">"Mark read"</button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
