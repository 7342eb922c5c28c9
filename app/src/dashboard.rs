//! The dashboard, the landing page of every role: it shows what each domain
//! has for the person, so like the shell it sits above the domains (today
//! organisations and accounts; certification, support and partners add their
//! figures here).

use crate::error::AppError;
use crate::identity::SessionUser;
use crate::organisations::pages::OrgTable;
use crate::organisations::Organisation;
use crate::ui::{ErrorView, PageHeader};
use app_macros::access;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the dashboard shows a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub organisation: Organisation,
    pub stats: Vec<(String, i64)>,
    /// The organisations this role looks after (partners, customers, or the servicing partner).
    pub related_title: String,
    pub related: Vec<Organisation>,
}

#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::identity::{OrgKind, Role};
    use crate::organisations::{queries, rules::OrgScope};
    let st = crate::platform::state()?;
    let me = &session.user;
    let visible = queries::visible(&st.pool, OrgScope::of(me)).await?;
    let organisation = visible
        .iter()
        .find(|o| o.id == me.org_id)
        .cloned()
        .ok_or_else(|| AppError::internal("own organisation not visible"))?;
    let count = |kind: OrgKind| visible.iter().filter(|o| o.kind == kind).count() as i64;
    let of_kind = |kind: OrgKind| -> Vec<Organisation> {
        visible.iter().filter(|o| o.kind == kind).cloned().collect()
    };
    let (stats, related_title, related): (Vec<(String, i64)>, &str, Vec<Organisation>) =
        match me.role.org_kind() {
            OrgKind::Supplier => {
                let users = crate::accounts::queries::count_active_users(&st.pool).await?;
                let stats = vec![
                    ("Partners".into(), count(OrgKind::Partner)),
                    ("Customers".into(), count(OrgKind::Customer)),
                    ("Active users".into(), users),
                ];
                if me.role == Role::SupportEngineer {
                    (stats, "Customers", of_kind(OrgKind::Customer))
                } else {
                    (stats, "Partners", of_kind(OrgKind::Partner))
                }
            }
            OrgKind::Partner => (
                vec![
                    ("Assigned customers".into(), count(OrgKind::Customer)),
                    ("Team members".into(), organisation.user_count),
                ],
                "Customers you serve",
                of_kind(OrgKind::Customer),
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
    let first_name = me
        .display_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    view! {
        <Title text="Dashboard"/>
        <PageHeader title=format!("Welcome, {first_name}") subtitle=format!("{} · {}", me.role.label(), me.org_name)/>
        <Suspense fallback=|| view! { <p class="muted">"Loading your dashboard…"</p> }>
            {move || Suspend::new(async move {
                match load_dashboard().await {
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
