//! Organisation pages (rendered on the server) and their islands.

use super::api::*;
use crate::error::AppError;
use crate::identity::Permission;
use crate::identity::SessionUser;
use crate::ui::{reload_on_success, ActiveToggle, ErrorView, FormError, PageHeader, ServerForm};
use leptos::prelude::*;
use leptos_meta::Title;

/// A table of organisations (the dashboard shows the ones a role looks after).
#[component]
pub fn OrgTable(orgs: Vec<Organisation>, actions: bool) -> impl IntoView {
    view! {
        <table class="data-table">
            <thead><tr>
                <th>"Name"</th><th>"Type"</th><th class="hide-sm">"Service partner"</th><th class="num hide-sm">"Users"</th><th>"Status"</th>
                {actions.then(|| view! { <th><span class="sr-only">"Actions"</span></th> })}
            </tr></thead>
            <tbody>
                {orgs.into_iter().map(|o| {
                    let active = o.active;
                    let can_toggle = actions && o.kind != OrgKind::Supplier;
                    view! {
                        <tr class:inactive=!active data-org=o.name.clone()>
                            <td class="strong">{o.name.clone()}</td>
                            <td><span class=format!("kind kind-{}", o.kind.as_str())>{o.description()}</span></td>
                            <td class="hide-sm">{o.assigned_partner_name.clone().unwrap_or_else(|| "—".into())}</td>
                            <td class="num hide-sm">{o.user_count}</td>
                            <td>{if active { view! { <span class="badge badge-ok">"Active"</span> } } else { view! { <span class="badge badge-off">"Deactivated"</span> } }}</td>
                            {actions.then(|| view! {
                                <td class="actions">
                                    {can_toggle.then(|| view! { <OrgActiveToggle org_id=o.id active/> })}
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Deactivates or reactivates one organisation, then reloads the page.
#[island]
fn OrgActiveToggle(org_id: i64, active: bool) -> impl IntoView {
    let action = ServerAction::<SetOrganisationActive>::new();
    view! { <ActiveToggle action id_field="org_id" id=org_id active/> }
}

/// The organisations page: a directory for everyone, management for the admin.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    if !me.role.has(Permission::ViewOrganisations) {
        return view! { <ErrorView error=AppError::Forbidden/> }.into_any();
    }
    let is_admin = me.role.has(Permission::ManageOrganisations);
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
    view! {
        <Title text=title/>
        <PageHeader title=title subtitle=subtitle/>
        <Suspense fallback=|| view! { <p class="muted">"Loading organisations…"</p> }>
            {move || Suspend::new(async move {
                match list_organisations().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => {
                        let partners: Vec<(i64, String)> = list
                            .iter()
                            .filter(|o| o.kind == OrgKind::Partner && o.active)
                            .map(|o| (o.id, o.name.clone()))
                            .collect();
                        view! {
                            <div class="card table-card"><OrgTable orgs=list actions=is_admin/></div>
                            {is_admin.then(|| view! {
                                <section class="card form-card">
                                    <h2>"Add an organisation"</h2>
                                    <CreateOrganisationForm partners/>
                                </section>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The new-organisation form: the fields follow the chosen type and segment.
#[island]
fn CreateOrganisationForm(partners: Vec<(i64, String)>) -> impl IntoView {
    let create = ServerAction::<CreateOrganisation>::new();
    reload_on_success(create);
    let kind = RwSignal::new("partner".to_string());
    let segment = RwSignal::new("large_global".to_string());
    view! {
        <ServerForm action=create attr:class="form-grid" attr:id="create-org-form">
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
                    {partners.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Adding…" } else { "Add organisation" }}
                </button>
                <FormError action=create/>
            </div>
        </ServerForm>
    }
}
