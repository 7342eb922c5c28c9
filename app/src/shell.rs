//! The HTML shell, the router and the signed-in frame (header, navigation, user menu).

use crate::accounts::users::UsersPage;
use crate::accounts::{current_user, ChangePassword, Login, Logout};
use crate::authz::navigation;
use crate::error::AppError;
use crate::model::SessionUser;
use crate::organisations::{DashboardPage, OrganisationsPage};
use crate::ui::{ErrorView, FormError, Logo, NotFoundPage, PageHeader};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_query_map};
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
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Sign-in state shared by the whole app: the actions that change it and the
/// current user, refetched whenever one of them completes.
#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub me: Resource<Result<Option<SessionUser>, AppError>>,
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let me = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| current_user(),
    );
    provide_context(Auth { login, logout, me });
    // Marks the page as hydrated, for people's tools and the browser tests alike.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/careport.css"/>
        <Title formatter=|t: String| if t.is_empty() { "Careport".to_string() } else { format!("{t} · Careport") }/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=Frame ssr=SsrMode::Async>
                    <Route path=path!("") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("organisations") view=OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("users") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Only same-site paths are followed after sign-in.
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.starts_with("/login") =>
        {
            n
        }
        _ => "/".into(),
    }
}

fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The signed-in frame: redirects to sign-in when there is no session.
#[component]
fn Frame() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let location = use_location();
    view! {
        <Transition fallback=|| view! { <div class="boot" aria-busy="true">"Loading Careport…"</div> }>
            {move || Suspend::new(async move {
                match auth.me.await {
                    Ok(Some(user)) => view! { <SignedIn user/> }.into_any(),
                    Ok(None) => {
                        let here = location.pathname.get_untracked();
                        let target = if here == "/" { "/login".to_string() } else { format!("/login?next={}", encode_component(&here)) };
                        view! { <Redirect path=target/> }.into_any()
                    }
                    Err(e) => view! { <main class="standalone"><ErrorView error=e/></main> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SignedIn(user: SessionUser) -> impl IntoView {
    provide_context(user.clone());
    let auth = expect_context::<Auth>();
    let location = use_location();
    let initials: String = user
        .display_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    let nav = navigation(user.role);
    // The account menu closes when the page changes.
    let menu = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        location.pathname.track();
        if let Some(details) = menu.get_untracked() {
            details.set_open(false);
        }
    });
    view! {
        <div class="app">
            <header class="topbar">
                <A href="/" attr:class="brand-link"><Logo/></A>
                <nav class="mainnav" aria-label="Main">
                    {nav.into_iter().map(|item| {
                        let href = item.href;
                        view! {
                            <a href=href class="navlink"
                                aria-current=move || (location.pathname.get() == href).then_some("page")>
                                {item.label}
                            </a>
                        }
                    }).collect_view()}
                </nav>
                <details class="user-menu" node_ref=menu>
                    <summary aria-label="Account menu">
                        <span class="avatar" aria-hidden="true">{initials}</span>
                        <span class="user-name">{user.display_name.clone()}</span>
                    </summary>
                    <div class="menu">
                        <div class="menu-head">
                            <strong>{user.display_name.clone()}</strong>
                            <span class="muted">{user.email.clone()}</span>
                            <span class="role-pill" data-role=user.role.as_str()>{user.role.label()}</span>
                            <span class="muted">{user.org_name.clone()}</span>
                        </div>
                        <a href="/account" class="menu-item">"My account"</a>
                        <ActionForm action=auth.logout attr:class="menu-form">
                            <button type="submit" class="menu-item danger" id="sign-out">"Sign out"</button>
                        </ActionForm>
                    </div>
                </details>
            </header>
            <main class="content" id="main">
                <Outlet/>
            </main>
            <footer class="footer muted">"Careport · customer care for Nordlift equipment"</footer>
        </div>
    }
}

#[component]
fn LoginPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let login = auth.login;
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next"));
    view! {
        <Title text="Sign in"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(auth.me.await, Ok(Some(_))).then(|| view! { <Redirect path=next()/> })
            })}
        </Transition>
        <main class="auth-page">
            <section class="auth-panel">
                <div class="auth-card">
                    <Logo/>
                    <h1>"Sign in"</h1>
                    <p class="muted">"Use the e-mail address your organisation registered for you."</p>
                    <ActionForm action=login attr:class="stack" attr:id="login-form">
                        <div class="field">
                            <label for="email">"E-mail"</label>
                            <input id="email" name="email" type="email" autocomplete="username" required autofocus/>
                        </div>
                        <div class="field">
                            <label for="password">"Password"</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required/>
                        </div>
                        <FormError action=login/>
                        <button type="submit" class="btn btn-primary btn-block" disabled=move || login.pending().get()>
                            {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                        </button>
                    </ActionForm>
                    <p class="fineprint muted">"Forgot your password? Ask your organisation's Careport administrator to set a new one."</p>
                </div>
            </section>
            <aside class="auth-aside" aria-hidden="true">
                <div class="aside-inner">
                    <p class="eyebrow">"Nordlift customer care"</p>
                    <h2>"Parts, training, certification and support for your equipment, in one place."</h2>
                    <ul class="aside-list">
                        <li>"Order spare parts for the units you own"</li>
                        <li>"Train your team and keep support entitlement"</li>
                        <li>"Certify partner technicians, level by level"</li>
                    </ul>
                </div>
            </aside>
        </main>
    }
}

#[component]
fn AccountPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    let change = ServerAction::<ChangePassword>::new();
    let form = crate::ui::reset_on_success(change);
    view! {
        <Title text="My account"/>
        <PageHeader title="My account" subtitle="Your profile and sign-in settings."/>
        <div class="grid-2">
            <section class="card">
                <h2>"Profile"</h2>
                <dl class="facts">
                    <dt>"Name"</dt><dd>{me.display_name.clone()}</dd>
                    <dt>"E-mail"</dt><dd>{me.email.clone()}</dd>
                    <dt>"Role"</dt><dd>{me.role.label()}</dd>
                    <dt>"Organisation"</dt><dd>{me.org_name.clone()}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>"Change password"</h2>
                <p class="muted">"Use at least 8 characters; a long passphrase is best. Changing it signs you out everywhere else."</p>
                <ActionForm action=change node_ref=form attr:class="stack" attr:id="password-form">
                    <div class="field">
                        <label for="current_password">"Current password"</label>
                        <input id="current_password" name="current_password" type="password" autocomplete="current-password" required/>
                    </div>
                    <div class="field">
                        <label for="new_password">"New password"</label>
                        <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required/>
                    </div>
                    <div class="field">
                        <label for="confirm_password">"Repeat new password"</label>
                        <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required/>
                    </div>
                    <FormError action=change/>
                    {move || change.value().get().and_then(|r| r.ok()).map(|n| view! {
                        <p class="alert alert-ok" role="status">
                            {format!("Password changed. {n} other session{} signed out.", if n == 1 { " was" } else { "s were" })}
                        </p>
                    })}
                    <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>
                        {move || if change.pending().get() { "Saving…" } else { "Change password" }}
                    </button>
                </ActionForm>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_only_followed_on_site() {
        assert_eq!(safe_next(Some("/users".into())), "/users");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\evil".into())), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(encode_component("/a b?c"), "/a%20b%3Fc");
    }
}
