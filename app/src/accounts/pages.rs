//! Account pages (rendered on the server) and their islands: sign-in, My
//! account, and the users (Team) page.

use super::api::*;
use super::rules::safe_next;
use super::signin::*;
use crate::error::AppError;
use crate::identity::Permission;
use crate::organisations::OrgKind;
use crate::ui::{
    on_success, reload_on_success, reset_on_success, ActiveToggle, ErrorView, FormError, Logo,
    PageHeader, ServerForm, UrlFormError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = safe_next(query.read_untracked().get("next").as_deref());
    let target = next.clone();
    view! {
        <Title text="Sign in"/>
        // A signed-in visitor goes straight on.
        <Suspense fallback=|| ()>
            {move || {
                let target = target.clone();
                Suspend::new(async move {
                    matches!(current_user().await, Ok(Some(_))).then(|| view! { <Redirect path=target/> })
                })
            }}
        </Suspense>
        <AuthLayout>
            <h1>"Sign in"</h1>
            <p class="muted">"Use the e-mail address your organisation registered for you."</p>
            <LoginForm next/>
            <p class="fineprint muted">"Forgot your password? Ask your organisation's Careport administrator to set a new one."</p>
        </AuthLayout>
    }
}

/// The frame of the sign-in steps: the card, and the product's promise beside it.
#[component]
pub(crate) fn AuthLayout(children: Children) -> impl IntoView {
    view! {
        <main class="auth-page">
            <section class="auth-panel">
                <div class="auth-card">
                    <Logo/>
                    {children()}
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

/// The sign-in form; after success the browser loads `next`, checked again here.
#[island]
fn LoginForm(next: String) -> impl IntoView {
    let login = ServerAction::<Login>::new();
    on_success(login, move |outcome| {
        let next = safe_next(Some(&next));
        let target = match outcome {
            LoginOutcome::SignedIn => next,
            LoginOutcome::SecondFactor => format!(
                "/login/two-step?next={}",
                crate::url::encode_component(&next)
            ),
        };
        let _ = location().set_href(&target);
    });
    // Stays "Signing in…" from submission until the next page has loaded.
    let busy = move || login.pending().get() || matches!(login.value().get(), Some(Ok(_)));
    view! {
        <ServerForm action=login attr:class="stack" attr:id="login-form">
            <div class="field">
                <label for="email">"E-mail"</label>
                <input id="email" name="email" type="email" autocomplete="username" maxlength="254" required autofocus/>
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
            </div>
            <FormError action=login/>
            <button type="submit" class="btn btn-primary btn-block" disabled=busy>
                {move || if busy() { "Signing in…" } else { "Sign in" }}
            </button>
        </ServerForm>
    }
}

/// The sign-out button of the account menu; the browser then loads the sign-in page.
#[island]
pub fn LogoutForm() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    on_success(logout, |_| {
        let _ = location().set_href("/login");
    });
    view! {
        <ServerForm action=logout attr:class="menu-form">
            <button type="submit" class="menu-item danger" id="sign-out" disabled=move || logout.pending().get()>
                {move || if logout.pending().get() { "Signing out…" } else { "Sign out" }}
            </button>
        </ServerForm>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    view! {
        <Title text="My account"/>
        <PageHeader title="My account" subtitle="Your profile and sign-in settings."/>
        {me.must_change_password.then(|| view! {
            <p class="alert alert-error" role="alert" id="must-change-password">
                "Your administrator set your password. Choose your own below to continue using Careport."
            </p>
        })}
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
            <section class="card" id="two-step-card">
                <h2>"Two-step verification"</h2>
                {if me.mfa_enabled {
                    view! {
                        <p><span class="badge badge-ok">"On"</span>" A code from your phone is asked at each sign-in."</p>
                        <a href="/account/two-step" class="btn btn-ghost">"Manage"</a>
                    }.into_any()
                } else {
                    view! {
                        <p class="muted">"Off. Add a code from your phone to each sign-in, so that a stolen password alone cannot open your account."</p>
                        <a href="/account/two-step" class="btn btn-primary">"Turn on"</a>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>"Change password"</h2>
                <p class="muted">"Use at least 8 characters; a long passphrase is best. Changing it signs you out everywhere else."</p>
                <ChangePasswordForm/>
            </section>
        </div>
        <section class="card table-card" id="sessions">
            <div class="card-title">
                <h2>"Where you are signed in"</h2>
                <p class="muted">"Sign out a device you no longer use, or one you don't recognise (then change your password)."</p>
            </div>
            <Suspense fallback=|| view! { <p class="muted empty">"Loading sessions…"</p> }>
                {move || Suspend::new(async move {
                    match my_sessions().await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(list) => view! { <SessionsTable list/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The user's sessions. Ending one is a plain form post (no script needed);
/// the server answers with a redirect back here and a notice.
#[component]
fn SessionsTable(list: Vec<SessionInfo>) -> impl IntoView {
    view! {
        <table class="data-table" id="sessions-table">
            <thead><tr>
                <th>"Device"</th><th class="hide-sm">"Address"</th><th>"Last active"</th>
                <th class="hide-sm">"Signed in"</th><th><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|s| view! {
                    <tr data-session=s.session_ref.clone()>
                        <td class="strong">{s.device.clone()}
                            {s.current.then(|| view! { " " <span class="badge badge-ok">"This device"</span> })}
                        </td>
                        <td class="hide-sm mono">{s.client_addr.clone()}</td>
                        <td>{crate::dates::format_utc(s.last_seen_at)}</td>
                        <td class="hide-sm">{crate::dates::format_utc(s.created_at)}</td>
                        <td class="actions">
                            {(!s.current).then(|| view! {
                                <form method="post" action={<EndSession as leptos::server_fn::ServerFn>::PATH} class="inline-form">
                                    <input type="hidden" name="session_ref" value=s.session_ref.clone()/>
                                    <button type="submit" class="btn btn-ghost btn-small">"End session"</button>
                                </form>
                            })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[island]
fn ChangePasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let form = reset_on_success(change);
    view! {
        <ServerForm action=change node_ref=form attr:class="stack" attr:id="password-form">
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
        </ServerForm>
    }
}

/// The user-management page: every user for the supplier admin, the team for an
/// organisation's admin.
#[component]
pub fn UsersPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    if !me.role.has(Permission::ManageUsers) {
        return view! { <ErrorView error=AppError::Forbidden/> }.into_any();
    }
    let is_admin = me.role == Role::Admin;
    let me_id = me.id;
    let title = if is_admin { "Users" } else { "Team" };
    let subtitle = if is_admin {
        "Every user of every organisation.".to_string()
    } else {
        format!("The people of {} who use Careport.", me.org_name)
    };
    let roles: Vec<Role> = if is_admin {
        Role::ALL.to_vec()
    } else {
        Role::for_org_kind(me.org_kind)
    };
    let own_org = me.org_id;
    view! {
        <Title text=title/>
        <PageHeader title=title subtitle=subtitle/>
        <UrlFormError path={<super::two_step::ResetTwoStep as leptos::server_fn::ServerFn>::PATH}/>
        <Suspense fallback=|| view! { <p class="muted">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match list_users().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => view! { <UsersTable list me_id is_admin/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card form-card">
            <h2>"Add a user"</h2>
            <p class="muted">"They sign in with this e-mail address and the initial password you set, and can change the password under My account."</p>
            <CreateUserForm>
                {if is_admin {
                    view! {
                        <div class="field">
                            <label for="new-org">"Organisation"</label>
                            <select id="new-org" name="org_id" required>
                                <Suspense fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        crate::organisations::list_organisations().await.unwrap_or_default().into_iter()
                                            .filter(|o| o.active)
                                            .map(|o| view! { <option value=o.id.to_string()>{o.name.clone()}</option> })
                                            .collect_view()
                                    })}
                                </Suspense>
                            </select>
                        </div>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="org_id" value=own_org.to_string()/> }.into_any()
                }}
                <div class="field">
                    <label for="new-name">"Name"</label>
                    <input id="new-name" name="display_name" required maxlength="100" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="new-email">"E-mail"</label>
                    <input id="new-email" name="email" type="email" required maxlength="254" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="new-role">"Role"</label>
                    <select id="new-role" name="role" required>
                        {roles.iter().map(|r| view! {
                            <option value=r.as_str()>{format!("{} ({})", r.label(), r.org_kind().label().to_lowercase())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="new-password">"Initial password"</label>
                    <input id="new-password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password"/>
                    <small class="hint">"At least 8 characters. Common passwords are refused."</small>
                </div>
            </CreateUserForm>
        </section>
    }
    .into_any()
}

#[component]
fn UsersTable(list: Vec<UserSummary>, me_id: i64, is_admin: bool) -> impl IntoView {
    view! {
        <div class="card table-card">
            <table class="data-table" id="users-table">
                <thead><tr>
                    <th>"Name"</th><th class="hide-sm">"E-mail"</th>
                    {is_admin.then(|| view! { <th>"Organisation"</th> })}
                    <th>"Role"</th><th>"Status"</th><th><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                {list.into_iter().map(|u| {
                    let is_me = u.id == me_id;
                    let active = u.active;
                    view! {
                        <tr class:inactive=!active data-email=u.email.clone()>
                            <td class="strong">{u.display_name.clone()}</td>
                            <td class="hide-sm">{u.email.clone()}</td>
                            {is_admin.then(|| view! { <td>{u.org_name.clone()}</td> })}
                            <td>
                                <UserRoleSelect user_id=u.id role=u.role org_kind=u.org_kind name=u.display_name.clone() locked=is_me/>
                            </td>
                            <td>
                                {if active { view! { <span class="badge badge-ok">"Active"</span> } } else { view! { <span class="badge badge-off">"Deactivated"</span> } }}
                                {u.mfa_enabled.then(|| view! { " " <span class="badge badge-info" title="Two-step verification is on">"2-step"</span> })}
                                {u.email_conflict.then(|| view! {
                                    " " <span class="badge badge-warn" title="Added by their organisation with an e-mail address that belongs to another organisation's account. This account cannot sign in: correct the address or deactivate it.">"E-mail in use elsewhere"</span>
                                })}
                            </td>
                            <td class="actions">
                                <div class="row-actions">
                                    <form method="post" action={<EndUserSessions as leptos::server_fn::ServerFn>::PATH} class="inline-form">
                                        <input type="hidden" name="user_id" value=u.id.to_string()/>
                                        <button type="submit" class="btn btn-ghost btn-small" title="End this person's sessions without deactivating them"
                                            aria-label=format!("Sign out {} everywhere", u.display_name)>"Sign out everywhere"</button>
                                    </form>
                                    // Resetting someone's second factor asks for the
                                    // administrator's own password (a plain form post).
                                    {(u.mfa_enabled && !is_me).then(|| {
                                        let password_id = format!("reset-password-{}", u.id);
                                        view! {
                                            <details class="reset-two-step">
                                                <summary class="btn btn-ghost btn-small" title="For a lost phone: turns two-step verification off and signs them out"
                                                    aria-label=format!("Reset two-step verification of {}", u.display_name)>"Reset 2-step"</summary>
                                                <form method="post" action={<super::two_step::ResetTwoStep as leptos::server_fn::ServerFn>::PATH} class="inline-form">
                                                    <input type="hidden" name="user_id" value=u.id.to_string()/>
                                                    <label for=password_id.clone()>"Your password"</label>
                                                    <input id=password_id name="password" type="password" autocomplete="current-password" required/>
                                                    <button type="submit" class="btn btn-danger btn-small"
                                                        aria-label=format!("Confirm the reset of {}'s two-step verification", u.display_name)>"Reset"</button>
                                                </form>
                                            </details>
                                        }
                                    })}
                                    {(!is_me).then(|| view! { <UserActiveToggle user_id=u.id active/> })}
                                </div>
                            </td>
                        </tr>
                    }
                }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The role of one user; changing it saves at once and reloads the page.
#[island]
fn UserRoleSelect(
    user_id: i64,
    role: Role,
    org_kind: OrgKind,
    name: String,
    locked: bool,
) -> impl IntoView {
    let set_role = ServerAction::<SetUserRole>::new();
    reload_on_success(set_role);
    let id = format!("role-{user_id}");
    view! {
        <label class="sr-only" for=id.clone()>{format!("Role of {name}")}</label>
        <select id=id disabled=move || locked || set_role.pending().get()
            on:change=move |ev| { set_role.dispatch(SetUserRole { user_id, role: event_target_value(&ev) }); }>
            {Role::for_org_kind(org_kind).into_iter().map(|r| view! {
                <option value=r.as_str() selected=r == role>{r.label()}</option>
            }).collect_view()}
        </select>
        <FormError action=set_role/>
    }
}

/// Deactivates or reactivates one user, then reloads the page.
#[island]
fn UserActiveToggle(user_id: i64, active: bool) -> impl IntoView {
    let action = ServerAction::<SetUserActive>::new();
    view! { <ActiveToggle action id_field="user_id" id=user_id active/> }
}

/// The add-user form: its fields are rendered on the server (they need the
/// organisation list), the island adds the pending and error states.
#[island]
fn CreateUserForm(children: Children) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    reload_on_success(create);
    view! {
        <ServerForm action=create attr:class="form-grid" attr:id="create-user-form">
            {children()}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Adding…" } else { "Add user" }}
                </button>
                <FormError action=create/>
            </div>
        </ServerForm>
    }
}
