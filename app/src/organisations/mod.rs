//! Organisations: the supplier, its partners and its customers.

pub mod rules;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::PartnerKind;
use crate::model::{OrgKind, Organisation, Role, Segment, SessionUser};
use crate::ui::{ErrorView, FormError, PageHeader};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::guard::Access;

#[cfg(feature = "ssr")]
pub const POLICIES: &[(&str, Access)] = {
    use crate::authz::Permission::{ManageOrganisations, SignedIn};
    use crate::server::guard::entry;
    &[
        entry::<ListOrganisations>(Access::Requires(SignedIn)),
        entry::<CreateOrganisation>(Access::Requires(ManageOrganisations)),
        entry::<SetOrganisationActive>(Access::Requires(ManageOrganisations)),
        entry::<LoadDashboard>(Access::Requires(SignedIn)),
    ]
};

#[cfg(feature = "ssr")]
pub(crate) async fn visible_organisations(
    pool: &crate::server::db::Pool,
    actor: &SessionUser,
) -> Result<Vec<Organisation>, AppError> {
    let (all, own, partner) = match rules::scope(actor) {
        rules::OrgScope::All => (1, 0, 0),
        rules::OrgScope::PartnerOf(id) => (0, id, id),
        rules::OrgScope::Own(id) => (0, id, -1),
    };
    Ok(sqlx::query_as(
        "SELECT o.id, o.name, o.kind, o.partner_kind, o.segment, o.assigned_partner_id,
                p.name AS assigned_partner_name, o.active,
                (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id) AS user_count
         FROM organisations o LEFT JOIN organisations p ON p.id = o.assigned_partner_id
         WHERE $1 = 1 OR o.id = $2 OR o.assigned_partner_id = $3
         ORDER BY CASE o.kind WHEN 'supplier' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, o.name",
    )
    .bind(all)
    .bind(own)
    .bind(partner)
    .fetch_all(pool)
    .await?)
}

/// The organisations the caller may see: all for supplier staff, own and
/// assigned customers for partner staff, own for customer staff.
#[server(prefix = "/api", endpoint = "organisations/list")]
pub async fn list_organisations() -> Result<Vec<Organisation>, AppError> {
    use crate::server::{guard, state};
    let session = guard::enter::<ListOrganisations>()?;
    visible_organisations(&state()?.pool, &session.user).await
}

/// Creates a partner or customer organisation. Returns its id.
#[server(prefix = "/api", endpoint = "organisations/create")]
pub async fn create_organisation(
    name: String,
    kind: String,
    partner_kind: String,
    segment: String,
    assigned_partner_id: String,
) -> Result<i64, AppError> {
    use crate::server::{guard, now, state};
    let session = guard::enter::<CreateOrganisation>()?;
    let st = state()?;
    let new = rules::validate_new(&name, &kind, &partner_kind, &segment, &assigned_partner_id)
        .map_err(AppError::Validation)?;
    if let Some(pid) = new.assigned_partner_id {
        let partner: Option<(OrgKind, bool)> =
            sqlx::query_as("SELECT kind, active FROM organisations WHERE id = $1")
                .bind(pid)
                .fetch_optional(&st.pool)
                .await?;
        if !matches!(partner, Some((OrgKind::Partner, true))) {
            return Err(AppError::validation(
                "Choose an active partner to serve this customer.",
            ));
        }
    }
    let id = sqlx::query_scalar(
        "INSERT INTO organisations (name, kind, partner_kind, segment, assigned_partner_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&new.name)
    .bind(new.kind.as_str())
    .bind(new.partner_kind.map(PartnerKind::as_str))
    .bind(new.segment.map(Segment::as_str))
    .bind(new.assigned_partner_id)
    .bind(now())
    .fetch_one(&st.pool)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Validation(_) => AppError::validation("An organisation with this name already exists."),
        other => other,
    })?;
    tracing::info!(by = session.user.id, org = id, "organisation created");
    Ok(id)
}

/// Activates or deactivates an organisation; deactivation ends its users' sessions.
#[server(prefix = "/api", endpoint = "organisations/set-active")]
pub async fn set_organisation_active(org_id: i64, active: bool) -> Result<(), AppError> {
    use crate::server::{guard, sessions, state};
    let session = guard::enter::<SetOrganisationActive>()?;
    let st = state()?;
    let kind: Option<OrgKind> = sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&st.pool)
        .await?;
    match kind {
        None => return Err(AppError::NotFound("The organisation".into())),
        Some(OrgKind::Supplier) => {
            return Err(AppError::validation(
                "The supplier organisation cannot be deactivated.",
            ))
        }
        Some(_) => {}
    }
    sqlx::query("UPDATE organisations SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(org_id)
        .execute(&st.pool)
        .await?;
    if !active {
        sessions::revoke_all_for_org(&st.pool, org_id).await?;
    }
    tracing::info!(
        by = session.user.id,
        org = org_id,
        active,
        "organisation activation changed"
    );
    Ok(())
}

/// What the dashboard shows a user.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dashboard {
    pub organisation: Organisation,
    pub stats: Vec<(String, i64)>,
    /// The organisations this role looks after (partners, customers, or the servicing partner).
    pub related_title: String,
    pub related: Vec<Organisation>,
}

#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::server::{guard, state};
    let session = guard::enter::<LoadDashboard>()?;
    let st = state()?;
    let me = &session.user;
    let visible = visible_organisations(&st.pool, me).await?;
    let organisation = visible
        .iter()
        .find(|o| o.id == me.org_id)
        .cloned()
        .ok_or_else(|| AppError::internal("own organisation not visible"))?;
    let count =
        |pred: &dyn Fn(&Organisation) -> bool| visible.iter().filter(|o| pred(o)).count() as i64;
    let partners = count(&|o| o.kind == OrgKind::Partner);
    let customers = count(&|o| o.kind == OrgKind::Customer);
    let (stats, related_title, related): (Vec<(String, i64)>, &str, Vec<Organisation>) =
        match me.role.org_kind() {
            OrgKind::Supplier => {
                let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE active")
                    .fetch_one(&st.pool)
                    .await?;
                let wanted = if me.role == Role::SupportEngineer {
                    OrgKind::Customer
                } else {
                    OrgKind::Partner
                };
                (
                    vec![
                        ("Partners".into(), partners),
                        ("Customers".into(), customers),
                        ("Active users".into(), users),
                    ],
                    if wanted == OrgKind::Partner {
                        "Partners"
                    } else {
                        "Customers"
                    },
                    visible
                        .iter()
                        .filter(|o| o.kind == wanted)
                        .cloned()
                        .collect(),
                )
            }
            OrgKind::Partner => (
                vec![
                    ("Assigned customers".into(), customers),
                    ("Team members".into(), organisation.user_count),
                ],
                "Customers you serve",
                visible
                    .iter()
                    .filter(|o| o.kind == OrgKind::Customer)
                    .cloned()
                    .collect(),
            ),
            OrgKind::Customer => (
                vec![("Team members".into(), organisation.user_count)],
                "",
                vec![],
            ),
        };
    Ok(Dashboard {
        organisation,
        stats,
        related_title: related_title.to_string(),
        related,
    })
}

/// The dashboard: the landing page of every role.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    let data = Resource::new(|| (), |_| load_dashboard());
    let first_name = me
        .display_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    view! {
        <PageHeader title=format!("Welcome, {first_name}") subtitle=format!("{} · {}", me.role.label(), me.org_name)/>
        <Suspense fallback=|| view! { <p class="muted">"Loading your dashboard…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(d) => view! {
                        <div class="stats">
                            <div class="stat stat-org">
                                <span class="stat-label">"Organisation"</span>
                                <span class="stat-value small">{d.organisation.name.clone()}</span>
                                <span class="stat-note">{d.organisation.description()}</span>
                            </div>
                            {d.stats.iter().map(|(label, n)| view! {
                                <div class="stat">
                                    <span class="stat-label">{label.clone()}</span>
                                    <span class="stat-value">{*n}</span>
                                </div>
                            }).collect_view()}
                        </div>
                        {d.organisation.assigned_partner_name.clone().map(|p| view! {
                            <div class="card callout">
                                <h2>"Your service partner"</h2>
                                <p><strong>{p}</strong>" serves your equipment, orders and first-line support on behalf of the supplier."</p>
                            </div>
                        })}
                        {(!d.related.is_empty()).then(|| view! {
                            <section class="card table-card">
                                <h2 class="card-title">{d.related_title.clone()}</h2>
                                <OrgTable orgs=d.related.clone() actions=false/>
                            </section>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrgTable(orgs: Vec<Organisation>, actions: bool) -> impl IntoView {
    let toggle = use_context::<ServerAction<SetOrganisationActive>>();
    view! {
        <table class="data-table">
            <thead><tr>
                <th>"Name"</th><th>"Type"</th><th class="hide-sm">"Service partner"</th><th class="num hide-sm">"Users"</th><th>"Status"</th>
                {actions.then(|| view! { <th><span class="sr-only">"Actions"</span></th> })}
            </tr></thead>
            <tbody>
                {orgs.into_iter().map(|o| {
                    let id = o.id;
                    let active = o.active;
                    let can_toggle = actions && o.kind != OrgKind::Supplier;
                    view! {
                        <tr class:inactive=!active>
                            <td class="strong">{o.name.clone()}</td>
                            <td><span class=format!("kind kind-{}", o.kind.as_str())>{o.description()}</span></td>
                            <td class="hide-sm">{o.assigned_partner_name.clone().unwrap_or_else(|| "—".into())}</td>
                            <td class="num hide-sm">{o.user_count}</td>
                            <td>{if active { view! { <span class="badge badge-ok">"Active"</span> } } else { view! { <span class="badge badge-off">"Deactivated"</span> } }}</td>
                            {actions.then(|| view! {
                                <td class="actions">
                                    {(can_toggle).then(|| toggle.map(|t| view! {
                                        <button type="button" class="btn btn-small btn-ghost" disabled=move || t.pending().get()
                                            on:click=move |_| { t.dispatch(SetOrganisationActive { org_id: id, active: !active }); }>
                                            {if active { "Deactivate" } else { "Reactivate" }}
                                        </button>
                                    }))}
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The organisations page: a directory for everyone, management for the admin.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    if !me.role.has(crate::authz::Permission::ViewOrganisations) {
        return view! { <ErrorView error=AppError::Forbidden/> }.into_any();
    }
    let is_admin = me.role == Role::Admin;
    let create = ServerAction::<CreateOrganisation>::new();
    let toggle = ServerAction::<SetOrganisationActive>::new();
    provide_context(toggle);
    let form = crate::ui::reset_on_success(create);
    let orgs = Resource::new(
        move || (create.version().get(), toggle.version().get()),
        |_| list_organisations(),
    );
    let (title, subtitle) = match me.role.org_kind() {
        OrgKind::Supplier => (
            "Organisations",
            "The supplier, its partners and its customers.",
        ),
        _ => (
            "My customers",
            "Your organisation and the customers assigned to it.",
        ),
    };
    let kind = RwSignal::new("partner".to_string());
    let segment = RwSignal::new("large_global".to_string());
    view! {
        <PageHeader title=title subtitle=subtitle/>
        <Transition fallback=|| view! { <p class="muted">"Loading organisations…"</p> }>
            {move || Suspend::new(async move {
                match orgs.await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => view! {
                        <FormError action=toggle/>
                        <div class="card table-card"><OrgTable orgs=list actions=is_admin/></div>
                    }.into_any(),
                }
            })}
        </Transition>
        {is_admin.then(|| view! {
            <section class="card form-card">
                <h2>"Add an organisation"</h2>
                <ActionForm action=create node_ref=form attr:class="form-grid" attr:id="create-org-form">
                    <div class="field">
                        <label for="org-name">"Name"</label>
                        <input id="org-name" name="name" required maxlength="120"/>
                    </div>
                    <div class="field">
                        <label for="org-kind">"Type"</label>
                        <select id="org-kind" name="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="partner">"Partner"</option>
                            <option value="customer">"Customer"</option>
                        </select>
                    </div>
                    <div class="field" class:hidden=move || kind.get() != "partner">
                        <label for="org-partner-kind">"Partner kind"</label>
                        <select id="org-partner-kind" name="partner_kind">
                            <option value="reseller">"Reseller"</option>
                            <option value="agent">"Agent"</option>
                        </select>
                    </div>
                    <div class="field" class:hidden=move || kind.get() != "customer">
                        <label for="org-segment">"Segment"</label>
                        <select id="org-segment" name="segment" on:change=move |ev| segment.set(event_target_value(&ev))>
                            {Segment::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field" class:hidden=move || kind.get() != "customer" || segment.get() != "small_local">
                        <label for="org-partner">"Service partner"</label>
                        <select id="org-partner" name="assigned_partner_id">
                            <option value="">"—"</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    orgs.await.unwrap_or_default().into_iter().filter(|o| o.kind == OrgKind::Partner && o.active).map(|o| view! {
                                        <option value=o.id.to_string()>{o.name.clone()}</option>
                                    }).collect_view()
                                })}
                            </Suspense>
                        </select>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                            {move || if create.pending().get() { "Adding…" } else { "Add organisation" }}
                        </button>
                        <FormError action=create/>
                    </div>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}
