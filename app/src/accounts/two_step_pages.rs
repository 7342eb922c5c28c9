//! Pages of two-step verification: the code step of signing in, and the page
//! where people turn it on and manage it.

use super::api::SessionUser;
use super::pages::AuthLayout;
use super::rules::safe_next;
use super::signin::LoginSecondFactor;
use super::two_step::*;
use crate::ui::{on_success, ErrorView, FormError, PageHeader, ServerForm};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login/two-step`: the code after a correct password.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let query = use_query_map();
    let next = safe_next(query.read_untracked().get("next").as_deref());
    view! {
        <Title text="Two-step verification"/>
        <AuthLayout>
            <h1>"Two-step verification"</h1>
            <p class="muted">"Open the authenticator app on your phone and enter the 6-digit code it shows for Careport."</p>
            <SecondFactorForm next/>
            <details class="fineprint muted">
                <summary>"No access to your phone?"</summary>
                <p>"Enter one of the recovery codes you saved when you turned two-step verification on; each works once. Without them, ask your organisation's Careport administrator to reset your two-step verification."</p>
            </details>
            <p class="fineprint"><a href="/login">"Start again with another account"</a></p>
        </AuthLayout>
    }
}

#[island]
fn SecondFactorForm(next: String) -> impl IntoView {
    let verify = ServerAction::<LoginSecondFactor>::new();
    on_success(verify, move |_| {
        let _ = location().set_href(&safe_next(Some(&next)));
    });
    let busy = move || verify.pending().get() || matches!(verify.value().get(), Some(Ok(_)));
    view! {
        <ServerForm action=verify attr:class="stack" attr:id="code-form">
            <div class="field">
                <label for="code">"Code"</label>
                <input id="code" name="code" class="code-input" autocomplete="one-time-code" inputmode="text"
                    maxlength="40" spellcheck="false" autocapitalize="off" required autofocus placeholder="123456"/>
            </div>
            <FormError action=verify/>
            <button type="submit" class="btn btn-primary btn-block" disabled=busy>
                {move || if busy() { "Checking…" } else { "Verify and sign in" }}
            </button>
        </ServerForm>
    }
}

/// `/account/two-step`: turn two-step verification on, or manage it.
#[component]
pub fn TwoStepPage() -> impl IntoView {
    let me = expect_context::<SessionUser>();
    view! {
        <Title text="Two-step verification"/>
        <PageHeader title="Two-step verification"
            subtitle="A code from your phone at each sign-in, so that a stolen password alone cannot open your account."/>
        {me.must_enroll_mfa.then(|| view! {
            <p class="alert alert-error" role="alert" id="must-enroll">
                "Careport requires two-step verification for the supplier's staff. Turn it on below to continue."
            </p>
        })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match two_step_status().await {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(status) if status.enabled_at.is_some() => view! { <TwoStepOn status/> }.into_any(),
                    Ok(_) => view! { <TwoStepSetupCard/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TwoStepSetupCard() -> impl IntoView {
    view! {
        <section class="card two-step-setup" id="two-step-setup">
            <h2>"Turn on two-step verification"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Preparing your code…"</p> }>
                {move || Suspend::new(async move {
                    match begin_two_step().await {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(setup) => view! {
                            <ol class="setup-steps">
                                <li>
                                    <h3>"Install an authenticator app"</h3>
                                    <p class="muted">"Any app for time-based codes works: Google Authenticator, Microsoft Authenticator, 1Password, Bitwarden, FreeOTP…"</p>
                                </li>
                                <li>
                                    <h3>"Scan this QR code with the app"</h3>
                                    <div class="qr" role="img" aria-label="QR code to add Careport to your authenticator app" inner_html=setup.qr_svg></div>
                                    <p class="muted">"Can't scan it? Choose “enter a setup key” in the app and type:"</p>
                                    <p><code class="secret" id="totp-secret">{setup.secret}</code></p>
                                </li>
                                <li>
                                    <h3>"Enter the code the app shows, and your password"</h3>
                                    <p class="muted">{format!("This QR code works in this session only, for {} minutes; after that, reload the page for a new one.", SETUP_SECS / 60)}</p>
                                    <ConfirmTwoStepForm/>
                                </li>
                            </ol>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[island]
fn ConfirmTwoStepForm() -> impl IntoView {
    let confirm = ServerAction::<ConfirmTwoStep>::new();
    let done = move || confirm.value().get().and_then(|r| r.ok());
    view! {
        <Show when=move || done().is_none() fallback=move || view! {
            <RecoveryCodes codes=done().unwrap_or_default() intro="Two-step verification is on."/>
        }>
            <ServerForm action=confirm attr:class="inline-fields" attr:id="confirm-two-step-form">
                <div class="field">
                    <label for="confirm-code">"6-digit code"</label>
                    <input id="confirm-code" name="code" class="code-input" autocomplete="one-time-code" inputmode="numeric"
                        maxlength="7" required placeholder="123456"/>
                </div>
                <div class="field">
                    <label for="confirm-password">"Your password"</label>
                    <input id="confirm-password" name="password" type="password" autocomplete="current-password" required/>
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || confirm.pending().get()>
                    {move || if confirm.pending().get() { "Checking…" } else { "Turn on" }}
                </button>
            </ServerForm>
            <FormError action=confirm/>
        </Show>
    }
}

/// Recovery codes, shown once after they are made.
#[component]
fn RecoveryCodes(codes: Vec<String>, intro: &'static str) -> impl IntoView {
    view! {
        <div class="recovery" id="recovery-codes">
            <p class="alert alert-ok" role="status">{intro}</p>
            <h3>"Save your recovery codes"</h3>
            <p class="muted">"Each code signs you in once without your phone. Keep them somewhere safe, like a password manager: they are shown only now."</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <a href="/account" class="btn btn-primary">"I have saved them"</a>
        </div>
    }
}

#[component]
fn TwoStepOn(status: TwoStepInfo) -> impl IntoView {
    let since = status
        .enabled_at
        .map(crate::dates::format_utc)
        .unwrap_or_default();
    let left = status.recovery_codes_left;
    view! {
        <div class="grid-2">
            <section class="card" id="two-step-on">
                <h2>"Two-step verification is on"</h2>
                <dl class="facts">
                    <dt>"Since"</dt><dd>{since}</dd>
                    <dt>"Recovery codes left"</dt>
                    <dd class:warn=left < 3>{format!("{left} of {RECOVERY_CODE_COUNT}")}</dd>
                </dl>
                <h3>"New recovery codes"</h3>
                <p class="muted">"Used some, or lost the list? New codes replace all the old ones."</p>
                <RenewCodesForm/>
            </section>
            <section class="card">
                <h2>"Turn it off"</h2>
                {if status.required {
                    view! {
                        <p class="muted" id="two-step-required">"Two-step verification is required for the supplier's staff. If you change phones, turn it on in the new app with a recovery code, or ask an administrator to reset it."</p>
                    }.into_any()
                } else {
                    view! {
                        <p class="muted">"Your password alone will sign you in again. Not recommended."</p>
                        <DisableTwoStepForm/>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[island]
fn RenewCodesForm() -> impl IntoView {
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let done = move || renew.value().get().and_then(|r| r.ok());
    view! {
        <Show when=move || done().is_none() fallback=move || view! {
            <RecoveryCodes codes=done().unwrap_or_default() intro="New recovery codes made; the old ones no longer work."/>
        }>
            <ServerForm action=renew attr:class="stack" attr:id="renew-codes-form">
                <div class="field">
                    <label for="renew-password">"Your password"</label>
                    <input id="renew-password" name="password" type="password" autocomplete="current-password" required/>
                </div>
                <FormError action=renew/>
                <button type="submit" class="btn btn-ghost" disabled=move || renew.pending().get()>
                    {move || if renew.pending().get() { "Making codes…" } else { "Make new recovery codes" }}
                </button>
            </ServerForm>
        </Show>
    }
}

#[island]
fn DisableTwoStepForm() -> impl IntoView {
    let disable = ServerAction::<DisableTwoStep>::new();
    on_success(disable, |_| {
        let _ = location().set_href("/account");
    });
    view! {
        <ServerForm action=disable attr:class="stack" attr:id="disable-two-step-form">
            <div class="field">
                <label for="disable-password">"Your password"</label>
                <input id="disable-password" name="password" type="password" autocomplete="current-password" required/>
            </div>
            <FormError action=disable/>
            <button type="submit" class="btn btn-danger" disabled=move || disable.pending().get()>
                {move || if disable.pending().get() { "Turning off…" } else { "Turn off two-step verification" }}
            </button>
        </ServerForm>
    }
}
