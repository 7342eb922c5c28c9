//! One assembly on a unit's page: its exploded-view drawing beside its bill of
//! materials, rendered on the server and linked without any wasm.
//!
//! - A callout is a link to its BOM line (`#drv-item-3`): following it scrolls
//!   to the line, which `:target` highlights, with its "Add to cart".
//! - Hovering or focusing a line highlights its callout, and hovering or
//!   focusing a callout highlights its line: a few `:has()` rules for exactly
//!   this assembly's items, in a `<style>` carrying the page's CSP nonce.
//! - Zoom is three radio buttons and CSS; the drawing pans by scrolling its
//!   frame (a finger on a phone).

use super::api::*;
use super::pages::part_href;
use super::rules::{availability, format_eur};
use crate::orders::AddToCartForm;
use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// The part of an id made from an assembly code: lower case letters, digits
/// and dashes only, whatever an import brought.
pub fn id_slug(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The CSS that links each BOM line of an assembly with its callout, both ways.
pub fn linked_highlights(slug: &str, items: &[i64]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let section = format!("#assembly-{slug}");
    let lit_callouts: Vec<String> = items
        .iter()
        .map(|n| format!("{section}:has(#{slug}-item-{n}:is(:hover,:focus-within,:target)) #{slug}-callout-{n}"))
        .collect();
    let lit_rows: Vec<String> = items
        .iter()
        .map(|n| format!("{section}:has(#{slug}-callout-{n}:is(:hover,:focus)) #{slug}-item-{n}"))
        .collect();
    format!(
        "{}{{--callout-fill:var(--brand);--callout-ink:#fff}}\n{}{{background:var(--row-lit)}}",
        lit_callouts.join(",\n"),
        lit_rows.join(",\n")
    )
}

#[component]
pub fn AssemblySection(
    model_code: String,
    assembly: AssemblyParts,
    serial: String,
    can_order: bool,
) -> impl IntoView {
    let slug = id_slug(&assembly.code);
    let items: Vec<i64> = assembly
        .lines
        .iter()
        .filter(|l| l.callout.is_some())
        .map(|l| l.item_no)
        .collect();
    let css = assembly
        .drawing
        .as_ref()
        .map(|_| linked_highlights(&slug, &items))
        .unwrap_or_default();
    let has_drawing = assembly.drawing.is_some();
    let title = format!("{} · {}", assembly.code, assembly.name);
    let drawing = assembly.drawing.clone().map(|d| {
        view! {
            <DrawingView model_code=model_code.clone() code=assembly.code.clone() name=assembly.name.clone()
                slug=slug.clone() drawing=d lines=assembly.lines.clone()/>
        }
    });
    let rows = assembly
        .lines
        .into_iter()
        .map(|l| {
            let part = l.part;
            view! {
                <tr id=format!("{slug}-item-{}", l.item_no)>
                    <td class="num item-no">{l.item_no}</td>
                    <td>
                        <a href=part_href(&part.part_number) class="nowrap strong">{part.part_number.clone()}</a>
                        <span class="cell-note">{part.description.clone()}</span>
                        <span class="cell-note availability">{availability(part.stock_qty, part.lead_time_days).label()}</span>
                    </td>
                    <td class="num bom-qty">{l.quantity}</td>
                    <td class="num nowrap bom-price">{format_eur(part.price_cents)}</td>
                    {can_order.then(|| view! {
                        <td class="actions">
                            {match part.superseded_by.clone() {
                                None => view! { <AddToCartForm part_number=part.part_number.clone() unit=serial.clone() compact=true/> }.into_any(),
                                Some(n) => view! { <a href=part_href(&n) class="btn btn-ghost btn-small">{format!("Replaced by {n}")}</a> }.into_any(),
                            }}
                        </td>
                    })}
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <section class="card assembly" id=format!("assembly-{slug}")>
            <div class="card-title">
                <h2>{title}</h2>
                {has_drawing.then(|| view! { <p class="muted">"Select a number on the drawing to find its part."</p> })}
            </div>
            <div class="assembly-body" class:with-drawing=has_drawing>
                {drawing}
                <div class="table-scroll">
                    <table class="data-table bom">
                        <thead><tr>
                            <th class="num">"Item"</th><th>"Part"</th>
                            <th class="num">"Qty"</th><th class="num">"Your price"</th>
                            {can_order.then(|| view! { <th><span class="sr-only">"Order"</span></th> })}
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
            {(!css.is_empty()).then(|| view! { <style nonce=use_nonce()>{css}</style> })}
        </section>
    }
    .into_any()
}

/// The drawing in a scrolling frame, its callouts drawn over it as links.
#[component]
fn DrawingView(
    model_code: String,
    code: String,
    name: String,
    slug: String,
    drawing: DrawingRef,
    lines: Vec<BomLine>,
) -> impl IntoView {
    let href = drawing_href(&model_code, &code, &drawing.version);
    let (w, h) = (drawing.width, drawing.height);
    let zoom_name = format!("{slug}-zoom");
    let zooms = [("1", "Fit"), ("2", "2×"), ("3", "3×")]
        .into_iter()
        .map(|(v, label)| {
            view! {
                <label class="zoom-option">
                    <input type="radio" name=zoom_name.clone() value=v class=format!("zoom-{v}") checked=v == "1"/>
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    let callouts = lines
        .into_iter()
        .filter_map(|l| {
            let (x, y) = l.callout?;
            let n = l.item_no;
            Some(view! {
                <a href=format!("#{slug}-item-{n}") id=format!("{slug}-callout-{n}") class="drawing-callout"
                    aria-label=format!("Item {n}: {}", l.part.description)>
                    <circle cx=x cy=y r="17"/>
                    <text x=x y=y text-anchor="middle" dominant-baseline="central">{n}</text>
                </a>
            }
            .into_any())
        })
        .collect_view();
    view! {
        <figure class="drawing">
            <div class="drawing-viewport" tabindex="0" aria-label=format!("Exploded view of the {name}: scroll to pan")>
                <svg class="drawing-canvas" viewBox=format!("0 0 {w} {h}") role="group"
                    aria-label=format!("Exploded view of the {model_code} {name}")>
                    <image href=href.clone() x="0" y="0" width=w height=h/>
                    {callouts}
                </svg>
            </div>
            <figcaption>
                <fieldset class="zoom">
                    <legend>"Zoom"</legend>
                    {zooms}
                </fieldset>
                <a href=href class="muted small" target="_blank" rel="noopener">"Open the drawing alone"</a>
            </figcaption>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe_whatever_the_code() {
        assert_eq!(id_slug("DRV"), "drv");
        assert_eq!(id_slug("A 1/<x>"), "a-1--x-");
    }

    #[test]
    fn each_line_lights_its_own_callout_and_back() {
        let css = linked_highlights("drv", &[1, 3]);
        assert!(css.contains(
            "#assembly-drv:has(#drv-item-3:is(:hover,:focus-within,:target)) #drv-callout-3"
        ));
        assert!(css.contains("#assembly-drv:has(#drv-callout-1:is(:hover,:focus)) #drv-item-1"));
        assert!(!css.contains("item-2"));
        assert!(
            !css.contains('<') && !css.contains('&'),
            "nothing to escape"
        );
        assert_eq!(linked_highlights("drv", &[]), "");
    }
}
