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
#[access(SignedIn)]
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

/// Starts turning two-step verification on: the secret waiting for its first
/// code (the same one until it is confirmed), as a QR code and as text.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "accounts/two-step/begin")]
pub async fn begin_two_step() -> Result<TwoStepSetup, AppError> {
    use super::second_factor;
    use crate::platform::{now, state};
    let st = state()?;
    let me = &session.user;
    let secret = second_factor::pending_secret(&st.pool, me.id, now())
        .await?
        .ok_or_else(|| AppError::validation("Two-step verification is already on."))?;
    let url = second_factor::otpauth_url(&secret, &me.email)?;
    Ok(TwoStepSetup {
        qr_svg: second_factor::qr_svg(&url)?,
        secret: second_factor::grouped(&secret),
    })
}

/// Turns two-step verification on with the first code from the app; returns
/// the recovery codes, shown this once.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "accounts/two-step/confirm")]
pub async fn confirm_two_step(code: String) -> Result<Vec<String>, AppError> {
    use super::second_factor;
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, now, state};
    let st = state()?;
    let me = &session.user;
    let at = now();
    if second_factor::totp_code(&code).is_none() {
        return Err(AppError::validation(
            "Enter the 6-digit code your authenticator app shows for Careport.",
        ));
    }
    let secret = second_factor::pending_secret(&st.pool, me.id, at)
        .await?
        .ok_or_else(|| AppError::validation("Two-step verification is already on."))?;
    let step = second_factor::matching_step(&secret, &code, at)?.ok_or_else(|| {
        AppError::validation(
            "That code is not correct. Scan the QR code again, check that your phone's clock is right, and enter the code shown now.",
        )
    })?;
    let mut tx = db::begin_write(&st.pool).await?;
    if !second_factor::confirm(&mut *tx, me.id, step, at).await? {
        return Err(AppError::validation("Two-step verification is already on."));
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
/// password and turn it on again.
#[access(ManageUsers)]
#[server(prefix = "/api", endpoint = "users/reset-two-step")]
pub async fn reset_two_step(user_id: i64) -> Result<(), AppError> {
    use super::{api::managed_target, second_factor, sessions};
    use crate::audit::{self, AuditAction, Event};
    use crate::platform::{db, flash, now, state};
    let st = state()?;
    managed_target(&st.pool, &session.user, user_id).await?;
    if user_id == session.user.id {
        return Err(AppError::validation(
            "You cannot reset your own two-step verification: turn it off under My account, or ask another administrator.",
        ));
    }
    let mut tx = db::begin_write(&st.pool).await?;
    if !second_factor::remove(&mut tx, user_id).await? {
        return Err(AppError::validation(
            "This user does not have two-step verification on.",
        ));
    }
    let ended = sessions::revoke_all_for_user(&mut *tx, user_id, None).await?;
    let event = Event::by(&session.user, AuditAction::TwoStepReset, "user", user_id)
        .detail(serde_json::json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    tracing::info!(
        by = session.user.id,
        user = user_id,
        "two-step verification reset"
    );
    flash::set(flash::Notice::TwoStepReset)?;
    Ok(())
}
