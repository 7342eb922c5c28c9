//! User management: the supplier admin manages any user; a partner_admin or
//! customer_admin manages the users of their own organisation.

#[cfg(feature = "ssr")]
use crate::authz::{may_manage_users_of, role_fits, user_admin_scope};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::OrgKind;
use crate::model::{Role, SessionUser, UserSummary};
use crate::ui::{ErrorAlert, ErrorView, FormError, PageHeader};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::guard::Access;

#[cfg(feature = "ssr")]
pub const POLICIES: &[(&str, Access)] = {
    use crate::authz::Permission::ManageUsers;
    use crate::server::guard::entry;
    &[
        entry::<ListUsers>(Access::Requires(ManageUsers)),
        entry::<CreateUser>(Access::Requires(ManageUsers)),
        entry::<SetUserActive>(Access::Requires(ManageUsers)),
        entry::<SetUserRole>(Access::Requires(ManageUsers)),
    ]
};

/// The target user's organisation and its kind, if the actor may manage them.
/// Users outside the actor's scope are reported as not found.
#[cfg(feature = "ssr")]
async fn managed_target(
    pool: &crate::server::db::Pool,
    actor: &SessionUser,
    user_id: i64,
) -> Result<(i64, OrgKind), AppError> {
    let row: Option<(i64, OrgKind)> = sqlx::query_as(
        "SELECT u.org_id, o.kind FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    match row {
        Some((org_id, kind)) if may_manage_users_of(actor, org_id) => Ok((org_id, kind)),
        _ => Err(AppError::NotFound("The user".into())),
    }
}

/// Users the caller may manage: every user for the supplier admin, otherwise the
/// caller's own organisation.
#[server(prefix = "/api", endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::server::{guard, state};
    let session = guard::enter::<ListUsers>()?;
    let st = state()?;
    let scope = user_admin_scope(&session.user).unwrap_or(0);
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, u.org_id, o.name AS org_name, o.kind AS org_kind,
                u.active, u.last_login_at
         FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE $1 = 0 OR u.org_id = $1
         ORDER BY o.name, u.display_name",
    )
    .bind(scope)
    .fetch_all(&st.pool)
    .await?)
}

/// Creates a user in an organisation the caller manages. Returns the new user's id.
#[server(prefix = "/api", endpoint = "users/create")]
pub async fn create_user(
    org_id: i64,
    email: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<i64, AppError> {
    use super::rules;
    use crate::server::{guard, now, passwords, state};
    let session = guard::enter::<CreateUser>()?;
    let st = state()?;
    if !may_manage_users_of(&session.user, org_id) {
        return Err(AppError::Forbidden);
    }
    let org: Option<(OrgKind, bool)> =
        sqlx::query_as("SELECT kind, active FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&st.pool)
            .await?;
    let (kind, active) = org.ok_or_else(|| AppError::NotFound("The organisation".into()))?;
    if !active {
        return Err(AppError::validation(
            "This organisation is deactivated; reactivate it first.",
        ));
    }
    let role = Role::parse(&role)
        .ok_or_else(|| AppError::validation("Choose a role for the new user."))?;
    if !role_fits(role, kind) {
        return Err(AppError::validation(format!(
            "A {} cannot belong to a {} organisation.",
            role.label().to_lowercase(),
            kind.label().to_lowercase()
        )));
    }
    rules::check_email(&email).map_err(AppError::Validation)?;
    let email = rules::normalize_email(&email);
    let display_name = display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(AppError::validation(
            "Enter the user's name (at most 100 characters).",
        ));
    }
    rules::check_new_password(&password, &email).map_err(AppError::Validation)?;
    let hash = passwords::hash(password).await?;
    let at = now();
    let id = sqlx::query_scalar(
        "INSERT INTO users (org_id, email, display_name, role, password_hash, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(org_id)
    .bind(&email)
    .bind(&display_name)
    .bind(role.as_str())
    .bind(hash)
    .bind(at)
    .fetch_one(&st.pool)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Validation(_) => AppError::validation("A user with this e-mail address already exists."),
        other => other,
    })?;
    tracing::info!(
        by = session.user.id,
        user = id,
        org = org_id,
        "user created"
    );
    Ok(id)
}

/// Activates or deactivates a user. Deactivation ends all their sessions.
#[server(prefix = "/api", endpoint = "users/set-active")]
pub async fn set_user_active(user_id: i64, active: bool) -> Result<(), AppError> {
    use crate::server::{guard, sessions, state};
    let session = guard::enter::<SetUserActive>()?;
    let st = state()?;
    managed_target(&st.pool, &session.user, user_id).await?;
    if user_id == session.user.id {
        return Err(AppError::validation(
            "You cannot deactivate your own account.",
        ));
    }
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(user_id)
        .execute(&st.pool)
        .await?;
    if !active {
        sessions::revoke_all_for_user(&st.pool, user_id, None).await?;
    }
    tracing::info!(
        by = session.user.id,
        user = user_id,
        active,
        "user activation changed"
    );
    Ok(())
}

/// Sets a user's role, within the roles of their organisation's kind.
#[server(prefix = "/api", endpoint = "users/set-role")]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    use crate::server::{guard, state};
    let session = guard::enter::<SetUserRole>()?;
    let st = state()?;
    let (_, kind) = managed_target(&st.pool, &session.user, user_id).await?;
    if user_id == session.user.id {
        return Err(AppError::validation("You cannot change your own role."));
    }
    let role = Role::parse(&role)
        .filter(|r| role_fits(*r, kind))
        .ok_or_else(|| AppError::validation("That role does not exist for this organisation."))?;
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(user_id)
        .execute(&st.pool)
        .await?;
    tracing::info!(
        by = session.user.id,
        user = user_id,
        role = role.as_str(),
        "role changed"
    );
    Ok(())
}

/// The user-management page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    if !me.role.has(crate::authz::Permission::ManageUsers) {
        return view! { <ErrorView error=AppError::Forbidden/> }.into_any();
    }
    let create = ServerAction::<CreateUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                set_active.version().get(),
                set_role.version().get(),
            )
        },
        |_| list_users(),
    );
    let orgs = Resource::new(|| (), |_| crate::organisations::list_organisations());
    let form = crate::ui::reset_on_success(create);
    let is_admin = me.role == Role::Admin;
    let me_id = me.id;
    let title = if is_admin { "Users" } else { "Team" };
    let subtitle = if is_admin {
        "Every user of every organisation.".to_string()
    } else {
        format!("The people of {} who use Careport.", me.org_name)
    };

    let row_error = move || {
        [set_active.value().get(), set_role.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
    };

    view! {
        <PageHeader title=title subtitle=subtitle/>
        <Transition fallback=|| view! { <p class="muted">"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => {
                        view! {
                            {move || row_error().map(|error| view! { <ErrorAlert error/> })}
                            <div class="card table-card">
                                <table class="data-table" id="users-table">
                                    <thead><tr>
                                        <th>"Name"</th><th class="hide-sm">"E-mail"</th>
                                        {is_admin.then(|| view! { <th>"Organisation"</th> })}
                                        <th>"Role"</th><th>"Status"</th><th><span class="sr-only">"Actions"</span></th>
                                    </tr></thead>
                                    <tbody>
                                    {list.into_iter().map(|u| {
                                        let uid = u.id;
                                        let is_me = uid == me_id;
                                        let current = u.role;
                                        let active = u.active;
                                        view! {
                                            <tr class:inactive=!active data-email=u.email.clone()>
                                                <td class="strong">{u.display_name.clone()}</td>
                                                <td class="hide-sm">{u.email.clone()}</td>
                                                {is_admin.then(|| view! { <td>{u.org_name.clone()}</td> })}
                                                <td>
                                                    <label class="sr-only" for=format!("role-{uid}")>{format!("Role of {}", u.display_name)}</label>
                                                    <select id=format!("role-{uid}") disabled=is_me
                                                        on:change=move |ev| { set_role.dispatch(SetUserRole { user_id: uid, role: event_target_value(&ev) }); }>
                                                        {Role::for_org_kind(u.org_kind).into_iter().map(|r| view! {
                                                            <option value=r.as_str() selected=r == current>{r.label()}</option>
                                                        }).collect_view()}
                                                    </select>
                                                </td>
                                                <td>{if active { view! { <span class="badge badge-ok">"Active"</span> } } else { view! { <span class="badge badge-off">"Deactivated"</span> } }}</td>
                                                <td class="actions">
                                                    {(!is_me).then(|| view! {
                                                        <button type="button" class="btn btn-small btn-ghost"
                                                            disabled=move || set_active.pending().get()
                                                            on:click=move |_| { set_active.dispatch(SetUserActive { user_id: uid, active: !active }); }>
                                                            {if active { "Deactivate" } else { "Reactivate" }}
                                                        </button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <section class="card form-card">
            <h2>"Add a user"</h2>
            <p class="muted">"They sign in with this e-mail address and the initial password you set, and can change the password under My account."</p>
            <ActionForm action=create node_ref=form attr:class="form-grid" attr:id="create-user-form">
                {if is_admin {
                    view! {
                        <div class="field">
                            <label for="new-org">"Organisation"</label>
                            <select id="new-org" name="org_id" required>
                                <Suspense fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        orgs.await.unwrap_or_default().into_iter().map(|o| view! {
                                            <option value=o.id.to_string()>{o.name.clone()}</option>
                                        }).collect_view()
                                    })}
                                </Suspense>
                            </select>
                        </div>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="org_id" value=me.org_id.to_string()/> }.into_any()
                }}
                <div class="field">
                    <label for="new-name">"Name"</label>
                    <input id="new-name" name="display_name" required maxlength="100" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="new-email">"E-mail"</label>
                    <input id="new-email" name="email" type="email" required autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="new-role">"Role"</label>
                    <select id="new-role" name="role" required>
                        {role_options(&me)}
                    </select>
                </div>
                <div class="field">
                    <label for="new-password">"Initial password"</label>
                    <input id="new-password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password"/>
                    <small class="hint">"At least 8 characters. Common passwords are refused."</small>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                        {move || if create.pending().get() { "Adding…" } else { "Add user" }}
                    </button>
                    <FormError action=create/>
                    {move || matches!(create.value().get(), Some(Ok(_))).then(|| view! { <p class="alert alert-ok" role="status">"User added."</p> })}
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

fn role_options(me: &SessionUser) -> impl IntoView {
    let roles: Vec<Role> = if me.role == Role::Admin {
        Role::ALL.to_vec()
    } else {
        Role::for_org_kind(me.org_kind)
    };
    roles
        .into_iter()
        .map(|r| view! { <option value=r.as_str()>{format!("{} ({})", r.label(), r.org_kind().label().to_lowercase())}</option> })
        .collect_view()
}
