//! Catalog pages, rendered on the server: the installed base, a unit with the
//! parts that fit it, the parts catalogue (a plain GET form, so search works
//! before and without the wasm) and a part.

use super::api::*;
use super::assembly::AssemblySection;
use super::rules::{self, availability, format_eur, Warranty};
use crate::accounts::SessionUser;
use crate::identity::Permission;
use crate::orders::{AddToCart, AddToCartForm};
use crate::ui::{ErrorView, PageHeader, Pager, UrlFormError};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn warranty_badge(until: i64, today: i64) -> impl IntoView {
    match rules::warranty(until, today) {
        Warranty::Active { days_left } => view! {
            <span class="badge badge-ok" title=format!("{days_left} days left")>
                {format!("Warranty until {}", crate::dates::format_day(until))}
            </span>
        }
        .into_any(),
        Warranty::Expired => view! {
            <span class="badge badge-off">{format!("Warranty ended {}", crate::dates::format_day(until))}</span>
        }
        .into_any(),
    }
}

/// Whether the signed-in user orders (has a cart).
fn orders() -> bool {
    use_context::<SessionUser>().is_some_and(|u| u.role.has(Permission::PlaceOrders))
}

pub(super) fn part_href(part_number: &str) -> String {
    format!("/parts/{}", crate::url::encode_component(part_number))
}

/// `/units`: the installed base the caller may see.
#[component]
pub fn UnitsPage() -> impl IntoView {
    view! {
        <Title text="Installed base"/>
        <PageHeader title="Installed base" subtitle="The units you own or service: open one for its parts, documents and warranty."/>
        <Suspense fallback=|| view! { <p class="muted">"Loading units…"</p> }>
            {move || Suspend::new(async move {
                match list_units().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) if list.units.is_empty() => view! {
                        <section class="card"><p class="muted empty">"No units are registered for your organisation yet."</p></section>
                    }.into_any(),
                    Ok(list) => view! { <UnitsTable units=list.units today=list.today/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UnitsTable(units: Vec<UnitSummary>, today: i64) -> impl IntoView {
    view! {
        <div class="card table-card">
            <table class="data-table" id="units-table">
                <thead><tr>
                    <th>"Serial number"</th><th>"Model"</th><th>"Customer"</th>
                    <th class="hide-sm">"Site"</th><th class="hide-sm">"Installed"</th><th>"Warranty"</th>
                </tr></thead>
                <tbody>
                    {units.into_iter().map(|u| view! {
                        <tr>
                            <td class="strong"><a href=format!("/units/{}", crate::url::encode_component(&u.serial))>{u.serial.clone()}</a></td>
                            <td>{u.model_code.clone()}</td>
                            <td>{u.customer_name.clone()}</td>
                            <td class="hide-sm">{u.site.clone()}</td>
                            <td class="hide-sm nowrap">{crate::dates::format_day(u.installed_at)}</td>
                            <td>{warranty_badge(u.warranty_until, today)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/units/{serial}`: a unit, its warranty and the parts of its model by assembly.
#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let serial = params.read_untracked().get("serial").unwrap_or_default();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the unit…"</p> }>
            {move || {
                let serial = serial.clone();
                Suspend::new(async move {
                    match get_unit(serial).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(detail) => view! { <UnitView detail/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn UnitView(detail: UnitDetail) -> impl IntoView {
    let u = detail.unit;
    let title = format!("{} · {}", u.serial, u.model_code);
    let all_parts = format!("/parts?model={}", u.model_id);
    let can_order = orders();
    let serial = u.serial.clone();
    view! {
        <Title text=title.clone()/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/units">"Installed base"</a>" / "<span>{u.serial.clone()}</span></nav>
        <PageHeader title=title subtitle=u.model_name.clone()/>
        <UrlFormError path=AddToCart::PATH/>
        <div class="grid-2">
            <section class="card" id="unit-facts">
                <h2>"Unit"</h2>
                <dl class="facts">
                    <dt>"Serial number"</dt><dd class="mono">{u.serial.clone()}</dd>
                    <dt>"Model"</dt><dd>{u.model_name.clone()}</dd>
                    <dt>"Customer"</dt><dd>{u.customer_name.clone()}</dd>
                    <dt>"Serviced by"</dt><dd>{u.partner_name.clone().unwrap_or_else(|| "Nordlift".into())}</dd>
                    <dt>"Site"</dt><dd>{u.site.clone()}</dd>
                    <dt>"Installed"</dt><dd>{crate::dates::format_day(u.installed_at)}</dd>
                    <dt>"Warranty"</dt><dd>{warranty_badge(u.warranty_until, detail.today)}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>"Parts for this unit"</h2>
                <p class="muted">"Below are the assemblies of the "{u.model_code.clone()}" with their numbered positions. "
                    <PricingNote pricing=detail.pricing.clone()/></p>
                <a class="btn btn-ghost" href=all_parts>{format!("Search all parts that fit the {}", u.model_code)}</a>
            </section>
        </div>
        <crate::documents::pages::UnitDocuments model_id=u.model_id/>
        {detail.assemblies.into_iter().map(|assembly| view! {
            <AssemblySection model_code=u.model_code.clone() assembly serial=serial.clone() can_order/>
        }).collect_view()}
    }
}

/// How the caller's prices are made, in a sentence.
#[component]
pub fn PricingNote(pricing: Pricing) -> impl IntoView {
    if pricing.discount_pct > 0 {
        format!(
            "Prices include your {} ({} % off list).",
            pricing.label.to_lowercase(),
            pricing.discount_pct
        )
    } else {
        "Prices are list prices.".to_string()
    }
}

/// `/parts`: search by part number or description, optionally for one model.
#[component]
pub fn PartsPage() -> impl IntoView {
    let query = use_query_map();
    let (q, model, page) = query.with_untracked(|m| {
        (
            m.get("q").unwrap_or_default(),
            m.get("model").unwrap_or_default(),
            m.get("page").unwrap_or_default(),
        )
    });
    let form_q = q.clone();
    let form_model = model.clone();
    view! {
        <Title text="Parts"/>
        <PageHeader title="Parts catalogue" subtitle="Find a part by its number (spaces and dashes don't matter) or by words of its description."/>
        {use_context::<SessionUser>().is_some_and(|u| u.role.has(Permission::ManageCatalog)).then(|| view! {
            <p class="page-actions"><a class="btn btn-ghost" href="/catalog/import">"Import the catalogue from CSV"</a></p>
        })}
        <section class="card">
            <form method="get" action="/parts" class="search-form" role="search">
                <div class="field grow">
                    <label for="part-q">"Part number or description"</label>
                    <super::suggest::PartSuggest q=form_q/>
                </div>
                <div class="field">
                    <label for="part-model">"Model"</label>
                    <select id="part-model" name="model">
                        <option value="">"All models"</option>
                        <Suspense fallback=|| ()>
                            {move || {
                                let selected = form_model.clone();
                                Suspend::new(async move {
                                    list_models().await.unwrap_or_default().into_iter().map(|m| {
                                        let is = m.id.to_string() == selected;
                                        view! { <option value=m.id.to_string() selected=is>{format!("{} · {}", m.code, m.name)}</option> }
                                    }).collect_view()
                                })
                            }}
                        </Suspense>
                    </select>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Search"</button></div>
            </form>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Searching…"</p> }>
            {move || {
                let (q, model, page) = (q.clone(), model.clone(), page.clone());
                Suspend::new(async move {
                    match search_parts(q.clone(), model.clone(), page).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(result) => view! { <PartResults result q model/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn PartResults(result: PartSearch, q: String, model: String) -> impl IntoView {
    let link = move |page: i64| {
        format!(
            "/parts?q={}&model={}&page={page}",
            crate::url::encode_component(&q),
            crate::url::encode_component(&model)
        )
    };
    let summary = match (result.total, result.more) {
        (_, true) => format!(
            "More than {} parts · page {} of {} · add words or choose a model to narrow the search",
            super::rules::thousands(result.total.max(0) as u64),
            result.page,
            result.pages
        ),
        (0, _) => "No parts match. Check the number, or try fewer words.".to_string(),
        (1, _) => "1 part".to_string(),
        (n, _) => format!("{n} parts · page {} of {}", result.page, result.pages),
    };
    view! {
        <section class="card table-card" id="part-results">
            <div class="table-head">
                <p class="muted"><span id="result-count">{summary}</span>" · "<PricingNote pricing=result.pricing/></p>
            </div>
            {(!result.items.is_empty()).then(|| view! {
                <table class="data-table">
                    <thead><tr>
                        <th>"Part number"</th><th>"Description"</th><th class="hide-sm">"Fits"</th>
                        <th class="num">"Your price"</th><th class="hide-sm">"Availability"</th>
                    </tr></thead>
                    <tbody>
                        {result.items.into_iter().map(|h| view! {
                            <tr>
                                <td class="nowrap strong"><a href=part_href(&h.part.part_number)>{h.part.part_number.clone()}</a></td>
                                <td>{h.part.description.clone()}
                                    {h.part.superseded_by.clone().map(|n| view! {
                                        " " <span class="badge badge-warn">"Replaced by "<a href=part_href(&n)>{n.clone()}</a></span>
                                    })}
                                </td>
                                <td class="hide-sm">{h.fits.join(", ")}</td>
                                <td class="num nowrap">{format_eur(h.part.price_cents)}</td>
                                <td class="hide-sm nowrap">{availability(h.part.stock_qty, h.part.lead_time_days).label()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <Pager page=result.page pages=result.pages link/>
        </section>
    }
}

/// `/parts/{part number}`: a part, its price and availability, what replaces
/// it, and where it fits.
#[component]
pub fn PartPage() -> impl IntoView {
    let params = use_params_map();
    let number = params.read_untracked().get("part").unwrap_or_default();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the part…"</p> }>
            {move || {
                let number = number.clone();
                Suspend::new(async move {
                    match get_part(number).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(detail) => view! { <PartView detail/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn PartView(detail: PartDetail) -> impl IntoView {
    let p = detail.part;
    let current = detail.replaced_by.last().cloned();
    let can_order = orders();
    view! {
        <Title text=p.part_number.clone()/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/parts">"Parts"</a>" / "<span>{p.part_number.clone()}</span></nav>
        <PageHeader title=p.part_number.clone() subtitle=p.description.clone()/>
        <UrlFormError path=AddToCart::PATH/>
        {current.map(|c| view! {
            <section class="card callout" id="superseded">
                <h2>"This part has been replaced"</h2>
                <p>"Order "<a href=part_href(&c.part_number) class="strong">{c.part_number.clone()}</a>" instead: "{c.description.clone()}
                    " · "{format_eur(c.price_cents)}" · "{availability(c.stock_qty, c.lead_time_days).label()}</p>
                {can_order.then(|| view! { <AddToCartForm part_number=c.part_number.clone()/> })}
                {(detail.replaced_by.len() > 1).then(|| view! {
                    <p class="muted">"Replacements in order: "{p.part_number.clone()}
                        {detail.replaced_by.iter().map(|r| format!(" → {}", r.part_number)).collect::<String>()}</p>
                })}
            </section>
        })}
        {detail.chain_broken.then(|| view! {
            <p class="alert alert-error" role="alert">"This part is superseded, but its chain of replacements is inconsistent in the catalogue. Ask Nordlift which part to order."</p>
        })}
        <div class="grid-2">
            <section class="card" id="part-facts">
                <h2>"Price and availability"</h2>
                <dl class="facts">
                    <dt>"List price"</dt><dd>{format_eur(p.list_price_cents)}</dd>
                    {(detail.pricing.discount_pct > 0).then(|| view! {
                        <dt>"Your discount"</dt><dd>{format!("{} % ({})", detail.pricing.discount_pct, detail.pricing.label)}</dd>
                    })}
                    <dt>"Your price"</dt><dd class="strong" id="your-price">{format_eur(p.price_cents)}</dd>
                    <dt>"Availability"</dt><dd>{availability(p.stock_qty, p.lead_time_days).label()}</dd>
                    {(!detail.replaces.is_empty()).then(|| view! {
                        <dt>"Replaces"</dt><dd>{detail.replaces.join(", ")}</dd>
                    })}
                </dl>
                {(can_order && p.superseded_by.is_none()).then(|| view! { <AddToCartForm part_number=p.part_number.clone()/> })}
            </section>
            <section class="card" id="part-fits">
                <h2>"Fits"</h2>
                {if detail.fits.is_empty() {
                    view! { <p class="muted">"No equipment model is recorded for this part."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list">
                            {detail.fits.iter().map(|m| view! {
                                <li><a href=format!("/parts?model={}", m.id)>{format!("{} · {}", m.code, m.name)}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {(!detail.used_in.is_empty()).then(|| view! {
                    <h3>"Positions"</h3>
                    <ul class="plain-list">
                        {detail.used_in.iter().map(|u| view! {
                            <li>{format!("{} {} · {}, item {} (×{})", u.model_code, u.assembly_code, u.assembly_name, u.item_no, u.quantity)}</li>
                        }).collect_view()}
                    </ul>
                })}
            </section>
        </div>
    }
}
