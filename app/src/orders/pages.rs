//! Order pages, rendered on the server: the cart, the order history and an
//! order. Cart lines, status changes and reordering are plain form posts
//! (they work without the wasm; an error comes back in the address and shows
//! next to the form); checkout is an island, so that what was typed is never
//! lost to an error.

use super::api::*;
use super::rules::order_number;
use crate::catalog::pages::PricingNote;
use crate::catalog::rules::format_eur;
use crate::ui::{
    form_key, on_success, ErrorView, FormError, PageHeader, Pager, ServerForm, UrlFormError,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn order_href(id: i64) -> String {
    format!("/orders/{}", order_number(id))
}

fn status_badge(status: OrderStatus) -> impl IntoView {
    let class = match status {
        OrderStatus::Delivered => "badge badge-ok",
        OrderStatus::Cancelled => "badge badge-off",
        OrderStatus::Submitted => "badge badge-warn",
        _ => "badge badge-info",
    };
    view! { <span class=class>{status.label()}</span> }
}

/// "Add to cart" for one part: a plain form, so it works before the wasm loads.
/// `unit` ties it to a unit the part must fit.
#[component]
pub fn AddToCartForm(
    part_number: String,
    #[prop(optional)] unit: Option<String>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let label = format!("Add {part_number} to cart");
    view! {
        <form method="post" action=AddToCart::PATH class="add-to-cart" class:compact=compact>
            <input type="hidden" name="part_number" value=part_number/>
            <input type="hidden" name="unit" value=unit.unwrap_or_default()/>
            <input type="hidden" name="add_key" value=form_key()/>
            <label class="sr-only" for=format!("qty-{label}")>"Quantity"</label>
            <input type="number" name="quantity" id=format!("qty-{label}") value="1" min="1" max="9999" step="1" required class="qty"/>
            <button type="submit" class="btn btn-primary btn-small" aria-label=label>"Add to cart"</button>
        </form>
    }
}

/// The first cell of a line: the part's number, or "Course seats" for seats
/// of a course; each links to its page.
#[component]
fn LineItemLink(line: OrderLine) -> impl IntoView {
    match line.course_slug {
        Some(slug) => view! {
            <a href=crate::learning::rules::course_href(&slug)>"Course seats"</a>
        }
        .into_any(),
        None => {
            let href = format!("/parts/{}", crate::url::encode_component(&line.part_number));
            view! { <a href=href>{line.part_number}</a> }.into_any()
        }
    }
}

/// `/cart`: the cart with today's prices, and checkout.
#[component]
pub fn CartPage() -> impl IntoView {
    view! {
        <Title text="Cart"/>
        <PageHeader title="Cart" subtitle="Your cart is kept for you: it is here on any device until you submit it."/>
        <UrlFormError path=UpdateCartLine::PATH/>
        <UrlFormError path=RemoveCartLine::PATH/>
        <Suspense fallback=|| view! { <p class="muted">"Loading your cart…"</p> }>
            {move || Suspend::new(async move {
                match get_cart().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(cart) if cart.lines.is_empty() => view! {
                        <section class="card" id="cart-empty">
                            <p>"Your cart is empty."</p>
                            <p class="muted">"Find parts in the "<a href="/parts">"catalogue"</a>" or on the page of "<a href="/units">"your equipment"</a>"."</p>
                        </section>
                    }.into_any(),
                    Ok(cart) => view! { <CartView cart/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CartView(cart: Cart) -> impl IntoView {
    view! {
        <section class="card table-card" id="cart">
            <div class="table-head"><p class="muted"><PricingNote pricing=cart.pricing/>" They are fixed when you submit."</p></div>
            <table class="data-table">
                <thead><tr>
                    <th>"Item"</th><th class="hide-sm">"Description"</th><th>"Quantity"</th>
                    <th class="num">"Price"</th><th class="num">"Line total"</th><th><span class="sr-only">"Remove"</span></th>
                </tr></thead>
                <tbody>
                    {cart.lines.into_iter().map(|l| {
                        // A part's line is named by its number, a seat line by its course.
                        let (name, field, value) = match &l.course_slug {
                            Some(slug) => (format!("seats of {}", l.description), "course", slug.clone()),
                            None => (l.part_number.clone(), "part_number", l.part_number.clone()),
                        };
                        let id = format!("cart-qty-{field}-{value}");
                        let data_part = l.course_slug.is_none().then(|| value.clone());
                        view! {
                            <tr data-part=data_part data-course=l.course_slug.clone()>
                                <td class="nowrap strong"><LineItemLink line=l.clone()/>
                                    <div class="line-desc-sm small muted">{l.description.clone()}</div>
                                    {l.superseded_by.clone().map(|n| view! { <div><span class="badge badge-warn">{format!("Replaced by {n}")}</span></div> })}
                                </td>
                                <td class="hide-sm">{l.description.clone()}</td>
                                <td>
                                    <form method="post" action=UpdateCartLine::PATH class="qty-form">
                                        <input type="hidden" name=field value=value.clone()/>
                                        <label class="sr-only" for=id.clone()>{format!("Quantity of {name}")}</label>
                                        <input type="number" id=id name="quantity" value=l.quantity.to_string() min="1" max="9999" step="1" required class="qty"/>
                                        <button type="submit" class="btn btn-ghost btn-small">"Update"</button>
                                    </form>
                                </td>
                                <td class="num nowrap">{format_eur(l.unit_price_cents.unwrap_or_default())}</td>
                                <td class="num nowrap">{format_eur(l.unit_price_cents.unwrap_or_default() * l.quantity)}</td>
                                <td class="actions">
                                    <form method="post" action=RemoveCartLine::PATH class="inline-form">
                                        <input type="hidden" name=field value=value/>
                                        <button type="submit" class="btn btn-ghost btn-small" aria-label=format!("Remove {name}")>"Remove"</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <td colspan="4" class="num strong">"Total"</td>
                    <td class="num strong nowrap" id="cart-total">{format_eur(cart.total_cents)}</td>
                    <td></td>
                </tr></tfoot>
            </table>
        </section>
        <section class="card form-card" id="checkout">
            <h2>"Checkout"</h2>
            <CheckoutForm>
                <input type="hidden" name="submission_key" value=cart.submission_key/>
                {(!cart.customers.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="order-customer">"For customer"</label>
                        <select id="order-customer" name="customer_id" required>
                            <option value="">"Choose…"</option>
                            {cart.customers.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="order-po">"Your purchase-order reference"</label>
                    <input id="order-po" name="po_reference" maxlength="40" autocomplete="off"/>
                </div>
                <div class="field span-2">
                    <label for="order-address">"Delivery address"</label>
                    <textarea id="order-address" name="delivery_address" rows="3" maxlength="400" required></textarea>
                </div>
                <div class="field span-2">
                    <label for="order-notes">"Notes"</label>
                    <textarea id="order-notes" name="notes" rows="2" maxlength="2000"></textarea>
                </div>
            </CheckoutForm>
        </section>
    }
}

/// Checkout: its fields are rendered on the server (they stay as typed when
/// the server refuses them); the island adds the pending and error states and
/// goes to the order once it is submitted. The submission key makes a double
/// click or a retry one order.
#[island]
fn CheckoutForm(children: Children) -> impl IntoView {
    let submit = ServerAction::<SubmitOrder>::new();
    on_success(submit, |id| {
        let _ = location().set_href(&format!("/orders/{}?placed=1", order_number(*id)));
    });
    let busy = move || submit.pending().get() || matches!(submit.value().get(), Some(Ok(_)));
    view! {
        <ServerForm action=submit attr:class="form-grid" attr:id="checkout-form">
            {children()}
            <div class="form-actions span-2">
                <FormError action=submit/>
                <button type="submit" class="btn btn-primary" disabled=busy>
                    {move || if busy() { "Submitting…" } else { "Submit order" }}
                </button>
            </div>
        </ServerForm>
    }
}

/// `/orders`: the order history the caller may see, with filters.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let (status, q, page) = query.with_untracked(|m| {
        (
            m.get("status").unwrap_or_default(),
            m.get("q").unwrap_or_default(),
            m.get("page").unwrap_or_default(),
        )
    });
    let (form_status, form_q) = (status.clone(), q.clone());
    view! {
        <Title text="Orders"/>
        <PageHeader title="Orders" subtitle="Orders placed by you, for you or through you, newest first."/>
        <section class="card">
            <form method="get" action="/orders" class="search-form" role="search">
                <div class="field grow">
                    <label for="order-q">"Order number, PO reference or customer"</label>
                    <input id="order-q" name="q" type="search" value=form_q maxlength="60"/>
                </div>
                <div class="field">
                    <label for="order-status">"Status"</label>
                    <select id="order-status" name="status">
                        <option value="">"Any status"</option>
                        {OrderStatus::ALL.iter().filter(|s| **s != OrderStatus::Draft).map(|s| view! {
                            <option value=s.as_str() selected=form_status == s.as_str()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">"Filter"</button>
                    <a class="btn btn-ghost" href=super::EXPORT_PATH download>"Export CSV"</a>
                </div>
            </form>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Loading orders…"</p> }>
            {move || {
                let (status, q, page) = (status.clone(), q.clone(), page.clone());
                Suspend::new(async move {
                    match list_orders(status.clone(), q.clone(), page).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(list) => view! { <OrdersTable list status q/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn OrdersTable(list: OrderList, status: String, q: String) -> impl IntoView {
    let link = move |page: i64| {
        format!(
            "/orders?status={}&q={}&page={page}",
            crate::url::encode_component(&status),
            crate::url::encode_component(&q)
        )
    };
    if list.orders.is_empty() {
        return view! { <section class="card"><p class="muted empty" id="no-orders">"No orders match."</p></section> }.into_any();
    }
    view! {
        <section class="card table-card">
            <table class="data-table" id="orders-table">
                <thead><tr>
                    <th>"Order"</th><th>"Status"</th><th>"Customer"</th><th class="hide-sm">"Placed by"</th>
                    <th class="hide-sm">"PO reference"</th><th class="hide-sm">"Submitted"</th><th class="num">"Total"</th>
                </tr></thead>
                <tbody>
                    {list.orders.into_iter().map(|o| view! {
                        <tr>
                            <td class="strong nowrap"><a href=order_href(o.id)>{order_number(o.id)}</a></td>
                            <td>{status_badge(o.status)}</td>
                            <td>{o.customer.clone()}</td>
                            <td class="hide-sm">{format!("{} ({})", o.placed_by, o.ordering_org)}</td>
                            <td class="hide-sm">{o.po_reference.clone()}</td>
                            <td class="hide-sm nowrap">{crate::dates::format_utc(o.submitted_at)}</td>
                            <td class="num nowrap">{match o.total_cents {
                                Some(total) => format_eur(total),
                                None => format!("Priced by {}", o.ordering_org),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <Pager page=list.page pages=list.pages link newest_first=true/>
        </section>
    }
    .into_any()
}

/// `/orders/{ORD-000042}`: an order, its lines, its history, and what the
/// caller may do with it.
#[component]
pub fn OrderPage() -> impl IntoView {
    let number = use_params_map()
        .read_untracked()
        .get("number")
        .unwrap_or_default();
    let placed = use_query_map().read_untracked().get("placed").is_some();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the order…"</p> }>
            {move || {
                let number = number.clone();
                Suspend::new(async move {
                    match get_order(number).await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(detail) => view! { <OrderView detail placed/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn OrderView(detail: OrderDetail, placed: bool) -> impl IntoView {
    let o = detail.order;
    let number = order_number(o.id);
    // The caller sees the order's prices (not a customer looking at what its
    // partner ordered for it: `rules::OrderScope::sees_prices`).
    let priced = detail.priced_by.is_none();
    view! {
        <Title text=number.clone()/>
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/orders">"Orders"</a>" / "<span>{number.clone()}</span></nav>
        <PageHeader title=number.clone() subtitle=format!("{} · for {}", o.status.label(), o.customer)/>
        {placed.then(|| view! { <p class="alert alert-ok" role="status" id="order-placed">{format!("Thank you: order {number} is submitted. Nordlift confirms it shortly.")}</p> })}
        <UrlFormError path=SetOrderStatus::PATH/>
        <UrlFormError path=Reorder::PATH/>
        <div class="grid-2">
            <section class="card" id="order-facts">
                <h2>"Order"</h2>
                <dl class="facts">
                    <dt>"Status"</dt><dd>{status_badge(o.status)}</dd>
                    <dt>"Customer"</dt><dd>{o.customer.clone()}</dd>
                    <dt>"Placed by"</dt><dd>{format!("{} ({})", o.placed_by, o.ordering_org)}</dd>
                    <dt>"Submitted"</dt><dd>{crate::dates::format_utc(o.submitted_at)}</dd>
                    <dt>"PO reference"</dt><dd>{if o.po_reference.is_empty() { "—".to_string() } else { o.po_reference.clone() }}</dd>
                    <dt>"Delivery address"</dt><dd class="pre">{detail.delivery_address.clone()}</dd>
                    {(!detail.notes.is_empty()).then(|| view! { <dt>"Notes"</dt><dd class="pre">{detail.notes.clone()}</dd> })}
                </dl>
            </section>
            <section class="card" id="order-actions">
                <h2>"History"</h2>
                <ol class="timeline">
                    {detail.events.iter().map(|e| view! {
                        <li><span class="strong">{e.status.label()}</span>" · "{crate::dates::format_utc(e.at)}" · "{e.by_name.clone()}
                            {(!e.note.is_empty()).then(|| view! { <div class="muted">{e.note.clone()}</div> })}
                        </li>
                    }).collect_view()}
                </ol>
                {(!detail.moves.is_empty()).then(|| view! {
                    <form method="post" action=SetOrderStatus::PATH class="stack status-form">
                        <input type="hidden" name="order_id" value=o.id.to_string()/>
                        <div class="field">
                            <label for="status-note">"Note (optional)"</label>
                            <input id="status-note" name="note" maxlength="500" placeholder="Tracking number, reason…"/>
                        </div>
                        <div class="row-buttons">
                            {detail.moves.iter().map(|s| view! {
                                <button type="submit" name="status" value=s.as_str()
                                    class=if *s == OrderStatus::Cancelled { "btn btn-danger" } else { "btn btn-primary" }>
                                    {format!("Mark {}", s.label().to_lowercase())}
                                </button>
                            }).collect_view()}
                        </div>
                    </form>
                })}
                {detail.can_reorder.then(|| view! {
                    <form method="post" action=Reorder::PATH class="inline-form reorder-form">
                        <input type="hidden" name="order_id" value=o.id.to_string()/>
                        <button type="submit" class="btn btn-ghost">"Order these again"</button>
                    </form>
                })}
            </section>
        </div>
        <section class="card table-card" id="order-lines">
            <table class="data-table">
                <thead><tr>
                    <th>"Item"</th><th>"Description"</th><th class="num">"Qty"</th>
                    {priced.then(|| view! { <th class="num">"Price"</th><th class="num">"Line total"</th> })}
                </tr></thead>
                <tbody>
                    {detail.lines.iter().map(|l| view! {
                        <tr>
                            <td class="nowrap"><LineItemLink line=l.clone()/></td>
                            <td>{l.description.clone()}</td>
                            <td class="num">{l.quantity}</td>
                            {l.unit_price_cents.map(|price| view! {
                                <td class="num nowrap">{format_eur(price)}</td>
                                <td class="num nowrap">{format_eur(price * l.quantity)}</td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>{match detail.priced_by.clone() {
                    None => view! {
                        <tr>
                            <td colspan="4" class="num strong">
                                {match detail.discount_pct {
                                    Some(pct) if pct > 0 => format!("Total ({pct} % discount applied)"),
                                    _ => "Total".to_string(),
                                }}
                            </td>
                            <td class="num strong nowrap" id="order-total">{format_eur(o.total_cents.unwrap_or_default())}</td>
                        </tr>
                    }.into_any(),
                    Some(partner) => view! {
                        <tr>
                            <td colspan="3" class="muted" id="order-priced-by">
                                {format!("Priced by {partner}: ask them for your prices.")}
                            </td>
                        </tr>
                    }.into_any(),
                }}</tfoot>
            </table>
        </section>
    }
}
