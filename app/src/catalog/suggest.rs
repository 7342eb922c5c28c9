//! Results as the user types, on `/parts`: the search box of the plain form,
//! made an island. Without wasm (or before it loads) the box is an ordinary
//! input and Search submits the form; with it, the first matches appear under
//! the box while typing, each a link to its part.

use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Matches listed under the box; the form's results page has the rest.
#[cfg(feature = "ssr")]
const SHOWN: usize = 8;
/// Typing pauses this long before a search is sent.
const PAUSE: Duration = Duration::from_millis(150);

/// The first matches of a search, ready to show: the wasm gets strings only
/// (no prices to format, no availability rules), which keeps the island small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestions {
    pub items: Vec<Suggestion>,
    /// "All 12 results", "All results (more than 1,000)"; empty when none match.
    pub all: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub part_number: String,
    pub description: String,
    /// Price and availability, or the replacement of a superseded part.
    pub meta: String,
}

/// The first [`SHOWN`] parts a search finds, as `search_parts` ranks them,
/// with the caller's prices.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "catalog/suggest")]
pub async fn suggest_parts(q: String, model: String) -> Result<Suggestions, AppError> {
    use super::rules::{availability, format_eur, thousands, PartQuery};
    use super::search;
    let st = crate::platform::state()?;
    let query = PartQuery::parse(&q, &model, "1");
    let (found, _) = search::search_for(&st.pool, &session.user, &query).await?;
    let all = match (found.total, found.more) {
        (0, _) => String::new(),
        (n, true) => format!("All results (more than {})", thousands(n.max(0) as u64)),
        (n, false) => format!("All {n} results"),
    };
    let items = found
        .hits
        .into_iter()
        .take(SHOWN)
        .map(|h| Suggestion {
            meta: match &h.part.superseded_by {
                Some(next) => format!("Superseded by {next}"),
                None => format!(
                    "{} · {}",
                    format_eur(h.part.price_cents),
                    availability(h.part.stock_qty, h.part.lead_time_days).label()
                ),
            },
            part_number: h.part.part_number,
            description: h.part.description,
        })
        .collect();
    Ok(Suggestions { items, all })
}

/// The model chosen in the input's form (`model`), read when a search starts.
fn chosen_model(ev: &leptos::ev::Event) -> String {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{FormData, HtmlInputElement};
    ev.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .and_then(|input| input.form())
        .and_then(|form| FormData::new_with_form(&form).ok())
        .and_then(|data| data.get("model").as_string())
        .unwrap_or_default()
}

#[island]
pub fn PartSuggest(q: String) -> impl IntoView {
    let found = RwSignal::new(None::<(String, String, Suggestions)>);
    // Only the answer to the latest keystroke is shown.
    let latest = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let model = chosen_model(&ev);
        let n = latest.get_value() + 1;
        latest.set_value(n);
        if text.trim().chars().count() < 2 {
            found.set(None);
            return;
        }
        set_timeout(
            move || {
                if latest.get_value() != n {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(result) = suggest_parts(text.clone(), model.clone()).await {
                        if latest.get_value() == n {
                            found.set(Some((text, model, result)));
                        }
                    }
                });
            },
            PAUSE,
        );
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            latest.update_value(|n| *n += 1);
            found.set(None);
        }
    };
    view! {
        <input id="part-q" name="q" type="search" value=q maxlength="100" autocomplete="off"
            placeholder="NL-1104-022, brake pad, O-ring 45…"
            aria-controls="part-suggest"
            on:input=on_input on:keydown=on_key/>
        <div id="part-suggest" class="suggest" aria-live="polite">
            {move || found.get().map(|(text, model, result)| suggestions(&text, &model, result))}
        </div>
    }
}

fn suggestions(text: &str, model: &str, result: Suggestions) -> AnyView {
    if result.items.is_empty() {
        return view! { <p class="suggest-none">"No parts match."</p> }.into_any();
    }
    let all = format!(
        "/parts?q={}&model={}",
        crate::url::encode_component(text),
        crate::url::encode_component(model)
    );
    view! {
        <ul class="suggest-list" aria-label="Matching parts">
            {result.items.into_iter().map(|s| {
                let href = format!("/parts/{}", crate::url::encode_component(&s.part_number));
                view! {
                    <li>
                        <a href=href class="suggest-item">
                            <span class="suggest-pn">{s.part_number}</span>
                            <span class="suggest-desc">{s.description}</span>
                            <span class="suggest-meta">{s.meta}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <a class="suggest-all" href=all>{result.all}</a>
    }
    .into_any()
}
