//! The HTML shell, the router and the signed-in frame (header, navigation,
//! account menu, flash notice). Pages render on the server; only islands run in
//! the browser, and navigation is plain links with full page loads.

use crate::accounts::{
    current_user, AccountPage, LoginPage, LogoutForm, SecondFactorPage, SessionUser, TwoStepPage,
    UsersPage,
};
use crate::audit::pages::AuditPage;
use crate::catalog::{PartPage, PartsPage, UnitPage, UnitsPage};
use crate::dashboard::DashboardPage;
use crate::jobs::pages::JobsPage;
use crate::nav::{navigation, NavEntry};
use crate::orders::{cart_count, CartPage, OrderPage, OrdersPage};
use crate::organisations::OrganisationsPage;
use crate::ui::{ErrorView, Logo, NotFoundPage};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/careport.css"/>
        <Title formatter=|t: String| if t.is_empty() { "Careport".to_string() } else { format!("{t} · Careport") }/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/login/two-step") view=SecondFactorPage ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=Frame ssr=SsrMode::Async>
                    <Route path=path!("") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("organisations") view=OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("users") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("account/two-step") view=TwoStepPage ssr=SsrMode::Async/>
                    <Route path=path!("audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("jobs") view=JobsPage ssr=SsrMode::Async/>
                    <Route path=path!("units") view=UnitsPage ssr=SsrMode::Async/>
                    <Route path=path!("units/:serial") view=UnitPage ssr=SsrMode::Async/>
                    <Route path=path!("parts") view=PartsPage ssr=SsrMode::Async/>
                    <Route path=path!("parts/:part") view=PartPage ssr=SsrMode::Async/>
                    <Route path=path!("cart") view=CartPage ssr=SsrMode::Async/>
                    <Route path=path!("orders") view=OrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("orders/:number") view=OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("courses") view=crate::learning::CoursesPage ssr=SsrMode::Async/>
                    <Route path=path!("courses/:slug") view=crate::learning::CoursePage ssr=SsrMode::Async/>
                    <Route path=path!("courses/:slug/lessons/:n") view=crate::learning::LessonPage ssr=SsrMode::Async/>
                    <Route path=path!("transcript") view=crate::learning::TranscriptPage ssr=SsrMode::Async/>
                    <Route path=path!("training") view=crate::learning::TrainingPage ssr=SsrMode::Async/>
                    <Route path=path!("notices") view=crate::notices::NoticesPage ssr=SsrMode::Async/>
                    <Route path=path!("course-editor") view=crate::learning::CourseEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("course-editor/:slug") view=crate::learning::CourseEditPage ssr=SsrMode::Async/>
                    <Route path=path!("course-editor/:slug/lessons/:n") view=crate::learning::LessonEditPage ssr=SsrMode::Async/>
                    <Route path=path!("documents") view=crate::documents::DocumentsPage ssr=SsrMode::Async/>
                    <Route path=path!("catalog/import") view=crate::catalog::import_pages::ImportsPage ssr=SsrMode::Async/>
                    <Route path=path!("catalog/import/:id") view=crate::catalog::import_pages::ImportPage ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The signed-in frame: redirects to sign-in when there is no session.
#[component]
fn Frame() -> impl IntoView {
    let location = use_location();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match current_user().await {
                    // A password set by an administrator is changed before anything else.
                    Ok(Some(user)) if user.must_change_password && location.pathname.get_untracked() != "/account" => {
                        view! { <Redirect path="/account"/> }.into_any()
                    }
                    // So is the two-step verification required of the supplier's staff.
                    Ok(Some(user)) if user.must_enroll_mfa && !user.must_change_password
                        && location.pathname.get_untracked() != "/account/two-step" => {
                        view! { <Redirect path="/account/two-step"/> }.into_any()
                    }
                    Ok(Some(user)) => view! { <SignedIn user/> }.into_any(),
                    Ok(None) => {
                        let here = location.pathname.get_untracked();
                        let target = if here == "/" { "/login".to_string() } else { format!("/login?next={}", crate::url::encode_component(&here)) };
                        view! { <Redirect path=target/> }.into_any()
                    }
                    Err(e) => view! { <main class="standalone"><ErrorView error=e/></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The notice left by the last successful form, shown once (see `platform::flash`).
fn flash_message() -> Option<&'static str> {
    #[cfg(feature = "ssr")]
    return crate::platform::flash::take().map(|n| n.message());
    #[cfg(not(feature = "ssr"))]
    None
}

#[component]
fn SignedIn(user: SessionUser) -> impl IntoView {
    provide_context(user.clone());
    let here = use_location().pathname.get_untracked();
    let initials: String = user
        .display_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    view! {
        <div class="app">
            <header class="topbar">
                <a href="/" class="brand-link"><Logo/></a>
                <MainNav role=user.role here=here.clone()/>
                <crate::notices::NoticeBell active=here == "/notices"/>
                {user.role.has(crate::identity::Permission::PlaceOrders).then(|| view! { <CartLink active=here == "/cart"/> })}
                <AccountMenu initials name=user.display_name.clone()>
                    <div class="menu">
                        <div class="menu-head">
                            <strong>{user.display_name.clone()}</strong>
                            <span class="muted">{user.email.clone()}</span>
                            <span class="role-pill" data-role=user.role.as_str()>{user.role.label()}</span>
                            <span class="muted">{user.org_name.clone()}</span>
                        </div>
                        <a href="/account" class="menu-item">"My account"</a>
                        <LogoutForm/>
                    </div>
                </AccountMenu>
            </header>
            <main class="content" id="main">
                {flash_message().map(|m| view! { <p class="alert alert-ok flash" role="status">{m}</p> })}
                <Outlet/>
            </main>
            <footer class="footer muted">"Careport · customer care for Nordlift equipment"</footer>
        </div>
    }
}

/// The main navigation (`crate::nav`): a group is a server-rendered `<details>`
/// disclosure, so the menus need no wasm. The groups share a `name`, so opening
/// one closes the other, and CSS lets a click outside an open group close it
/// (style/main.css, "Main navigation"); a page load closes them all.
#[component]
fn MainNav(role: crate::identity::Role, here: String) -> impl IntoView {
    view! {
        <nav class="mainnav" aria-label="Main">
            {navigation(role).into_iter().map(|entry| {
                let current = entry.aria_current(&here);
                match entry {
                    NavEntry::Link(item) => view! {
                        <a href=item.href class="navlink" aria-current=item.aria_current(&here)>{item.label}</a>
                    }.into_any(),
                    NavEntry::Group { label, items } => view! {
                        <details class="navgroup" name="mainnav">
                            <summary class="navlink" aria-current=current>{label}</summary>
                            <ul class="navmenu">
                                {items.into_iter().map(|item| view! {
                                    <li><a href=item.href class="navmenu-item" aria-current=item.aria_current(&here)>{item.label}</a></li>
                                }).collect_view()}
                            </ul>
                        </details>
                    }.into_any(),
                }
            }).collect_view()}
        </nav>
    }
}

/// The cart in the header, with the number of its lines.
#[component]
fn CartLink(active: bool) -> impl IntoView {
    view! {
        <a href="/cart" class="cart-link" aria-current=active.then_some("page")>
            <svg class="cart-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                <circle cx="9" cy="20" r="1.5"/><circle cx="18" cy="20" r="1.5"/>
                <path d="M2 3h3l2.6 12.2a2 2 0 0 0 2 1.6h8.1a2 2 0 0 0 2-1.5L21 8H6.2"/>
            </svg>
            <span class="cart-label">"Cart"</span>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let n = cart_count().await.unwrap_or(0);
                    (n > 0).then(|| view! {
                        <span class="cart-badge" id="cart-count" aria-label=format!("{n} lines")>{n}</span>
                    })
                })}
            </Suspense>
        </a>
    }
}

/// The account menu: a disclosure that also closes on Escape (returning focus to
/// its button) and on a click outside it. The summary is rendered here because
/// it must be the first child of `<details>`; the menu itself is server-rendered
/// children.
#[island]
fn AccountMenu(initials: String, name: String, children: Children) -> impl IntoView {
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(d) = menu.get_untracked() {
            d.set_open(false);
        }
    };
    let on_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            if let Some(d) = menu.get_untracked().filter(|d| d.open()) {
                d.set_open(false);
                if let Some(summary) = d.first_element_child() {
                    if let Ok(el) = summary.dyn_into::<leptos::web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            }
        }
    });
    let on_click = window_event_listener(leptos::ev::click, move |ev| {
        let inside = menu.get_untracked().is_some_and(|d| {
            ev.target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok())
                .is_some_and(|n| d.contains(Some(&n)))
        });
        if !inside {
            close();
        }
    });
    on_cleanup(move || {
        on_key.remove();
        on_click.remove();
    });
    view! {
        <details class="user-menu" node_ref=menu>
            <summary aria-label="Account menu">
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span class="user-name">{name}</span>
            </summary>
            {children()}
        </details>
    }
}
