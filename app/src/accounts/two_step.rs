//! Two-step verification, as its owner and administrators manage it: turning
//! it on (QR code, first code, recovery codes), new recovery codes, turning it
//! off, and an administrator's reset for someone who lost their phone.
//! The checks themselves are in `second_factor` (server-only).

use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Recovery codes issued at a time.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// How long a two-step setup (the new secret shown as a QR code to the session
/// that began it) waits for its first code. Until it is confirmed the secret is
/// a credential in waiting: kept short so that a page left open, a session
/// stolen later or a glance at the screen does not yield a secret its owner
/// goes on to confirm, yet long enough to install an app and scan the code.
pub const SETUP_SECS: i64 = 600;

/// The caller's two-step verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepInfo {
    /// When it was turned on; `None` while off.
    pub enabled_at: Option<i64>,
    pub recovery_codes_left: i64,
    /// The deployment requires it for this user (it cannot be turned off).
    pub required: bool,
}

/// What the enrolment page shows: the QR code and the secret to type instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// An SVG image drawn on the server from the `otpauth://` address.
    pub qr_svg: String,
    /// The secret in groups of four, for typing into the app by hand.
    pub secret: String,
}

/// The caller's two-step verification state.
#[access(SignedIn, before_second_factor)]
#[server(prefix = "/api", endpoint = "accounts/two-step")]
pub async fn two_step_status() -> Result<TwoStepInfo, AppError> {
    use super::{rules, second_factor};
    let st = crate::platform::state()?;
    let me = &session.user;
    let (enabled_at, recovery_codes_left) = second_factor::status(&st.pool, me.id).await?;
    Ok(TwoStepInfo {
        enabled_at,
        recovery_codes_left,
        required: rules::must_enroll_mfa(st.config.mfa_required_for_staff, me.org_kind, false),
    })
}

/// What a confirm says when this session has no live setup.
#[cfg(feature = "ssr")]
fn start_again() -> AppError {
    AppError::validation(format!(
        "Start again: this setup has expired (it lasts {} minutes) or was started in another session. Reload the page, remove the old Careport entry from your authenticator app and scan the new QR code.",
        SETUP_SECS / 60
    ))
}

/// Starts turning two-step verification on: a new secret for this session,
/// as a QR code and as text. The same one until it is confirmed or expires
/// (after [`SETUP_SECS`]); another session gets its own.
#[access(SignedIn, before_second_factor)]
#[server(prefix = "/api", endpoint = "accounts/two-step/begin")]
pub async fn begin_two_step() -> Result<TwoStepSetup, AppError> {
    use super::second_factor;
    use crate::platform::{now, state};
    let st = state()?;
    let me = &session.user;
    let secret = second_factor::setup_secret(&st.pool, me.id, &session.id, now())
        .await?
        .ok_or_else(|| AppError::validation("Two-step verification is already on."))?;
    let url = second_factor::otpauth_url(&secret, &me.email)?;
    Ok(TwoStepSetup {
        qr_svg: second_factor::qr_svg(&url)?,
        secret: second_factor::grouped(&secret),
    })
}

/// Turns two-step verification on with the first code from the app and the
/// account's password (changing a factor re-authenticates), for the setup this
/// session began; returns the recovery codes, shown this once.
#[access(SignedIn, before_second_factor)]
#[server(prefix = "/api", endpoint = "accounts/two-step/confirm")]
pub async fn confirm_two_step(code: String, password: String) -> Result<Vec<String>, AppError> {
    use super::second_factor::{self, Confirmed};
    use super::signin;
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, guard, now, state};
    let st = state()?;
    let me = &session.user;
    let at = now();
    if second_factor::totp_code(&code).is_none() {
        return Err(AppError::validation(
            "Enter the 6-digit code your authenticator app shows for Careport.",
        ));
    }
    if password.is_empty() {
        return Err(AppError::validation(
            "Enter your password to turn two-step verification on.",
        ));
    }
    signin::verify_own_password(&st.pool, me, password, &guard::caller().client_addr, at).await?;
    let Some(secret) = second_factor::live_setup(&st.pool, me.id, &session.id, at).await? else {
        if second_factor::is_on(&st.pool, me.id).await? {
            return Err(AppError::validation("Two-step verification is already on."));
        }
        return Err(start_again());
    };
    let step = second_factor::matching_step(&secret, &code, at)?.ok_or_else(|| {
        AppError::validation(
            "That code is not correct. Scan the QR code again, check that your phone's clock is right, and enter the code shown now.",
        )
    })?;
    let mut tx = db::begin_write(&st.pool).await?;
    match second_factor::confirm(&mut tx, me.id, &session.id, &secret, step, at).await? {
        Confirmed::On => {}
        Confirmed::NoSetup => return Err(start_again()),
        Confirmed::AlreadyOn => {
            return Err(AppError::validation("Two-step verification is already on."))
        }
    }
    let codes = second_factor::replace_recovery_codes(&mut tx, me.id).await?;
    let event = Event::by(me, AuditAction::TwoStepEnabled, "user", me.id);
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    tracing::info!(user = me.id, "two-step verification turned on");
    Ok(codes)
}

/// Replaces the caller's recovery codes (the old ones stop working); needs the
/// password. Returns the new codes, shown this once.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "accounts/two-step/recovery-codes")]
pub async fn renew_recovery_codes(password: String) -> Result<Vec<String>, AppError> {
    use super::{second_factor, signin};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, guard, now, state};
    let st = state()?;
    let me = &session.user;
    let at = now();
    signin::verify_own_password(&st.pool, me, password, &guard::caller().client_addr, at).await?;
    if !second_factor::is_on(&st.pool, me.id).await? {
        return Err(AppError::validation("Two-step verification is off."));
    }
    let mut tx = db::begin_write(&st.pool).await?;
    let codes = second_factor::replace_recovery_codes(&mut tx, me.id).await?;
    let event = Event::by(me, AuditAction::RecoveryCodesRenewed, "user", me.id);
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns the caller's two-step verification off; needs the password. Refused
/// where the deployment requires it.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "accounts/two-step/disable")]
pub async fn disable_two_step(password: String) -> Result<(), AppError> {
    use super::{rules, second_factor, signin};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, guard, now, state};
    let st = state()?;
    let me = &session.user;
    if rules::must_enroll_mfa(st.config.mfa_required_for_staff, me.org_kind, false) {
        return Err(AppError::validation(
            "Two-step verification is required for the supplier's staff and cannot be turned off. If you lost your phone, use a recovery code, or ask an administrator to reset it.",
        ));
    }
    let at = now();
    signin::verify_own_password(&st.pool, me, password, &guard::caller().client_addr, at).await?;
    let mut tx = db::begin_write(&st.pool).await?;
    if !second_factor::remove(&mut tx, me.id).await? {
        return Err(AppError::validation(
            "Two-step verification is already off.",
        ));
    }
    let event = Event::by(me, AuditAction::TwoStepDisabled, "user", me.id);
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    tracing::info!(user = me.id, "two-step verification turned off");
    flash::set(flash::Notice::TwoStepOff)?;
    Ok(())
}

/// Resets the two-step verification of a user the caller manages (a lost
/// phone): it is turned off and their sessions end; they sign in with the
/// password and turn it on again. Needs the caller's own password: it removes
/// another person's factor, so a stolen administrator's session alone cannot.
#[access(ManageUsers)]
#[server(prefix = "/api", endpoint = "users/reset-two-step")]
pub async fn reset_two_step(user_id: i64, password: String) -> Result<(), AppError> {
    use super::{api::managed_target, second_factor, sessions, signin};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, guard, now, state};
    let st = state()?;
    managed_target(&st.pool, &session.user, user_id).await?;
    if user_id == session.user.id {
        return Err(AppError::validation(
            "You cannot reset your own two-step verification: turn it off under My account, or ask another administrator.",
        ));
    }
    if password.is_empty() {
        return Err(AppError::validation(
            "Enter your own password to reset this person's two-step verification.",
        ));
    }
    let at = now();
    signin::verify_own_password(
        &st.pool,
        &session.user,
        password,
        &guard::caller().client_addr,
        at,
    )
    .await?;
    let mut tx = db::begin_write(&st.pool).await?;
    if !second_factor::remove(&mut tx, user_id).await? {
        return Err(AppError::validation(
            "This user does not have two-step verification on.",
        ));
    }
    let ended = sessions::revoke_all_for_user(&mut *tx, user_id, None).await?;
    let event = Event::by(&session.user, AuditAction::TwoStepReset, "user", user_id)
        .detail(serde_json::json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, at, &event).await?;
    tx.commit().await?;
    tracing::info!(
        by = session.user.id,
        user = user_id,
        "two-step verification reset"
    );
    flash::set(flash::Notice::TwoStepReset)?;
    Ok(())
}
