#![recursion_limit = "256"]
//! The browser entry point: hydrates the islands of the server-rendered page.
//! Everything else on the page stays as the server rendered it.

// Links the app crate, whose islands are exported from it with `wasm_bindgen`:
// nothing here calls into it, and an unlinked crate's exports are dropped
// (leptos issue 2083). `scripts/check-islands.sh` checks the built JS for each.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The islands are hydrated right after this returns, in one run of
    // microtasks; a zero timeout fires once they are all done. Marks the page
    // as interactive, for people's tools and the browser tests alike.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
