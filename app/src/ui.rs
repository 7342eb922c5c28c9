//! Shared building blocks of the app's look: page headers, form errors, error pages.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Redirect, A};

/// Sets the HTTP status of a server-rendered page.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(opts), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        opts.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn PageHeader(#[prop(into)] title: String, #[prop(into)] subtitle: String) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{title}</h1>
            <p class="muted">{subtitle}</p>
        </header>
    }
}

/// The error of a form's last submission, announced to screen readers.
#[component]
pub fn FormError<S>(action: ServerAction<S>) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|error| view! { <ErrorAlert error/> })
    }
}

/// The error of a plain form post (one that works without the wasm) to the
/// server function at `path`: the server answers such a post with a redirect
/// back to the page, carrying the error in the address (`__path`, `__err`).
#[component]
pub fn UrlFormError(path: &'static str) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let error = query.with_untracked(|q| {
        (q.get("__path").as_deref() == Some(path))
            .then(|| q.get("__err"))
            .flatten()
            .map(|e| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&e))
    });
    error.map(|error| view! { <ErrorAlert error/> })
}

/// The links between the pages of a long list: previous and next (named
/// "Newer" and "Older" for lists that show the newest first) and where one is.
/// Nothing when everything fits on one page.
#[component]
pub fn Pager(
    page: i64,
    pages: i64,
    /// The address of a page.
    link: impl Fn(i64) -> String + 'static,
    #[prop(optional)] newest_first: bool,
) -> impl IntoView {
    let (back, on) = if newest_first {
        ("← Newer", "Older →")
    } else {
        ("← Previous", "Next →")
    };
    let prev = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                {match prev {
                    Some(href) => view! { <a class="btn btn-ghost btn-small" rel="prev" href=href>{back}</a> }.into_any(),
                    None => view! { <span></span> }.into_any(),
                }}
                <span class="muted">{format!("Page {page} of {pages}")}</span>
                {match next {
                    Some(href) => view! { <a class="btn btn-ghost btn-small" rel="next" href=href>{on}</a> }.into_any(),
                    None => view! { <span></span> }.into_any(),
                }}
            </nav>
        }
    })
}

/// A random key for a form rendered on the server, so that the same form sent
/// twice (a double click, a reload) is recognised as one.
pub fn form_key() -> String {
    #[cfg(feature = "ssr")]
    return crate::platform::random_token();
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// An error message announced to screen readers.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }
}

/// A form that calls a server function, like Leptos' `ActionForm`: without
/// JavaScript it posts to the function's URL, and once its island is hydrated it
/// calls the function in the background, so the island can show pending and
/// error states. The fields are decoded with `serde_urlencoded` (flat forms, the
/// only kind Careport has), which keeps the wasm bundle far smaller than the
/// nested decoder `ActionForm` brings.
#[component]
pub fn ServerForm<S>(
    action: ServerAction<S>,
    #[prop(optional)] node_ref: Option<NodeRef<leptos::html::Form>>,
    children: Children,
) -> impl IntoView
where
    S: ServerFn<Error = AppError> + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form_input::<S>(&ev) {
            Some(input) => {
                action.dispatch(input);
            }
            None => action.value().set(Some(Err(AppError::BadRequest))),
        }
    };
    view! {
        <form action=S::url() method="post" on:submit=on_submit node_ref=node_ref.unwrap_or_default()>
            {children()}
        </form>
    }
}

/// The server function's input from a submitted form's fields.
fn form_input<S: serde::de::DeserializeOwned>(ev: &leptos::ev::SubmitEvent) -> Option<S> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{FormData, HtmlFormElement, UrlSearchParams};
    let form = ev.target()?.dyn_into::<HtmlFormElement>().ok()?;
    let data = FormData::new_with_form(&form).ok()?;
    let query = UrlSearchParams::new_with_str_sequence_sequence(&data)
        .ok()?
        .to_string()
        .as_string()?;
    serde_urlencoded::from_str(&query).ok()
}

/// The "Deactivate" / "Reactivate" button of one record (a user, an
/// organisation): posts `{id_field}={id}&active={!active}` and reloads the page.
#[component]
pub fn ActiveToggle<S>(
    action: ServerAction<S>,
    id_field: &'static str,
    id: i64,
    active: bool,
) -> impl IntoView
where
    S: ServerFn<Error = AppError> + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    reload_on_success(action);
    let label = if active { "Deactivate" } else { "Reactivate" };
    view! {
        <ServerForm action attr:class="inline-form">
            <input type="hidden" name=id_field value=id.to_string()/>
            <input type="hidden" name="active" value=(!active).to_string()/>
            <button type="submit" class="btn btn-small btn-ghost" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Saving…" } else { label }}
            </button>
            <FormError action/>
        </ServerForm>
    }
}

/// Runs `f` in the browser each time `action` succeeds.
pub fn on_success<S>(action: ServerAction<S>, f: impl Fn(&S::Output) + 'static)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(out)) = action.value().get() {
            f(&out);
        }
    });
}

/// Reloads the page once `action` succeeds, so that everything rendered on the
/// server (tables, counts, the flash notice) shows the change.
pub fn reload_on_success<S>(action: ServerAction<S>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    on_success(action, |_| {
        let _ = location().reload();
    });
}

/// A form reference that clears the form once its action succeeds.
pub fn reset_on_success<S>(action: ServerAction<S>) -> NodeRef<leptos::html::Form>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    on_success(action, move |_| {
        if let Some(f) = form.get_untracked() {
            f.reset();
        }
    });
    form
}

/// Shows an error as the page it deserves: sign-in for 401, 403, 404, or a 5xx message.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthenticated => view! { <Redirect path="/login"/> }.into_any(),
        AppError::PasswordChangeRequired => view! { <Redirect path="/account"/> }.into_any(),
        AppError::SecondFactorRequired => view! { <Redirect path="/account/two-step"/> }.into_any(),
        AppError::Forbidden => view! {
            <ErrorPanel code=403 title="You don't have access to this page"
                message="Your role does not include this part of Careport. If you need it, ask your administrator."/>
        }
        .into_any(),
        AppError::NotFound(what) => view! {
            <ErrorPanel code=404 title="Not found" message=format!("{what} was not found. It may have been removed.")/>
        }
        .into_any(),
        other => {
            let code = other.status();
            view! { <ErrorPanel code=code title="Something went wrong" message=other.to_string()/> }.into_any()
        }
    }
}

#[component]
pub fn ErrorPanel(
    code: u16,
    #[prop(into)] title: String,
    #[prop(into)] message: String,
) -> impl IntoView {
    set_status(code);
    view! {
        <leptos_meta::Title text=title.clone()/>
        <section class="error-panel" data-status=code>
            <p class="error-code">{code}</p>
            <h1>{title}</h1>
            <p class="muted">{message}</p>
            <A href="/" attr:class="btn btn-primary">"Back to the dashboard"</A>
        </section>
    }
}

/// The 404 page for unknown addresses.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="standalone">
            <div class="brand-row"><Logo/></div>
            <ErrorPanel code=404 title="This page does not exist" message="Check the address, or go back to your dashboard."/>
        </main>
    }
}

#[component]
pub fn Logo() -> impl IntoView {
    view! {
        <span class="logo" aria-label="Careport">
            <span class="logo-mark" aria-hidden="true">"C"</span>
            <span class="logo-text">"Careport"</span>
        </span>
    }
}
