//! Two-step verification (server-only): time-based one-time codes (TOTP,
//! RFC 6238, by `totp-rs`: SHA-1, 6 digits, 30-second steps, one step of clock
//! drift either way), single-use recovery codes, and the short-lived sign-in
//! challenge that sits between a correct password and the second factor.
//!
//! - A code is accepted once: the last accepted time step is stored and only a
//!   later step passes (RFC 6238 section 5.2), checked and written in one UPDATE.
//! - Recovery codes carry 125 random bits and are stored as SHA-256 hashes; using
//!   one deletes it (one DELETE, so two requests cannot both use it).
//! - The challenge is a random token in an HttpOnly cookie, stored hashed, valid
//!   for [`CHALLENGE_SECS`] and for [`CHALLENGE_ATTEMPTS`] codes.
//! - A setup (the new secret waiting for its first code) belongs to the session
//!   that began it, expires after [`SETUP_SECS`], and is confirmed with a code
//!   and the account's password; another session never sees it.

use crate::error::AppError;
use crate::platform::db::{Db, Pool};
use crate::platform::Config;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::Executor;
use totp_rs::{Builder, Secret, Totp};

/// The name authenticator apps show above the account.
pub const ISSUER: &str = "Careport";
/// How long a sign-in waits for its second factor.
pub const CHALLENGE_SECS: i64 = 300;
/// Codes one sign-in challenge accepts before the password is asked again.
pub const CHALLENGE_ATTEMPTS: i64 = 5;
/// How long a two-step setup waits for its first code (see the constant's
/// definition for why).
pub const SETUP_SECS: i64 = super::two_step::SETUP_SECS;
/// Recovery codes issued at a time.
pub const RECOVERY_CODES: usize = super::two_step::RECOVERY_CODE_COUNT;

const BASE32: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
const RECOVERY_GROUPS: usize = 5;
const RECOVERY_GROUP_LEN: usize = 5;

/// How the second factor was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Totp,
    RecoveryCode,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Totp => "totp",
            Method::RecoveryCode => "recovery_code",
        }
    }
}

/// A new shared secret: 160 random bits (the RFC's recommendation), base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill(&mut bytes);
    Secret::from(bytes.to_vec()).to_base32()
}

fn totp(secret: &str, account: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret).map_err(AppError::internal)?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        // The label may not hold a colon (it separates issuer and account).
        .with_account_name(account.replace(':', "."))
        .build()
        .map_err(AppError::internal)
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, account: &str) -> Result<String, AppError> {
    totp(secret, account)?.to_url().map_err(AppError::internal)
}

/// The QR code of a text as an SVG image, drawn on the server.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(AppError::internal)?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .dark_color(svg::Color("#0f172a"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The secret in groups of four, for typing into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A one-time code as people type it (spaces and dashes ignored), if it is six digits.
pub fn totp_code(text: &str) -> Option<String> {
    let code: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// The time step a six-digit code belongs to at `now`, within one step of drift.
pub fn matching_step(secret: &str, code: &str, now: i64) -> Result<Option<i64>, AppError> {
    let Some(code) = totp_code(code) else {
        return Ok(None);
    };
    let totp = totp(secret, "")?;
    Ok(totp.check(&code, now.max(0) as u64).map(|s| s as i64))
}

/// New recovery codes, as shown to their owner once: five groups of five
/// base32 characters (125 bits).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            (0..RECOVERY_GROUPS)
                .map(|_| {
                    (0..RECOVERY_GROUP_LEN)
                        .map(|_| BASE32[rng.gen_range(0..BASE32.len())] as char)
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// The stored hash of a recovery code as typed (case, spaces and dashes
/// ignored), or `None` when the text cannot be one.
pub fn recovery_hash(text: &str) -> Option<String> {
    let code: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let valid = code.len() == RECOVERY_GROUPS * RECOVERY_GROUP_LEN
        && code.bytes().all(|b| BASE32.contains(&b));
    valid.then(|| format!("{:x}", Sha256::digest(code.as_bytes())))
}

/// Whether a user has two-step verification on; when it was turned on; how
/// many unused recovery codes are left.
pub async fn status(pool: &Pool, user_id: i64) -> Result<(Option<i64>, i64), AppError> {
    let since: Option<i64> = sqlx::query_scalar(
        "SELECT confirmed_at FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await?;
    Ok((since, left))
}

/// The secret of the caller's session's setup waiting for its first code, made
/// now if there is none (so that a reload shows the same QR code). Another
/// session's setup is neither shown nor changed; expired setups of the user are
/// removed first, so an expired one is replaced by a new secret. `None` when
/// two-step verification is already on.
pub async fn setup_secret(
    pool: &Pool,
    user_id: i64,
    session_id: &str,
    at: i64,
) -> Result<Option<String>, AppError> {
    if is_on(pool, user_id).await? {
        return Ok(None);
    }
    sqlx::query("DELETE FROM two_step_setups WHERE user_id = $1 AND created_at <= $2")
        .bind(user_id)
        .bind(at - SETUP_SECS)
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO two_step_setups (session_id, user_id, secret, created_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO NOTHING",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(new_secret())
    .bind(at)
    .execute(pool)
    .await?;
    live_setup(pool, user_id, session_id, at).await
}

/// The secret of the session's setup if it is still live (younger than
/// [`SETUP_SECS`]); `None` for another session's, an expired or no setup.
pub async fn live_setup(
    pool: &Pool,
    user_id: i64,
    session_id: &str,
    at: i64,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT secret FROM two_step_setups
         WHERE session_id = $1 AND user_id = $2 AND created_at > $3",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(at - SETUP_SECS)
    .fetch_optional(pool)
    .await?)
}

/// What confirming a setup came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    /// Two-step verification is on with the setup's secret.
    On,
    /// The session's setup is gone (expired, or taken by a parallel confirm).
    NoSetup,
    /// Two-step verification was already on.
    AlreadyOn,
}

/// Turns the session's live setup on with `secret`, with the step of the code
/// that confirmed it, and removes every setup of the user (those of other
/// sessions too: there is nothing left to set up).
pub async fn confirm(
    tx: &mut sqlx::Transaction<'_, Db>,
    user_id: i64,
    session_id: &str,
    secret: &str,
    step: i64,
    at: i64,
) -> Result<Confirmed, AppError> {
    let taken = sqlx::query(
        "DELETE FROM two_step_setups
         WHERE session_id = $1 AND user_id = $2 AND secret = $3 AND created_at > $4",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(secret)
    .bind(at - SETUP_SECS)
    .execute(&mut **tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(Confirmed::NoSetup);
    }
    sqlx::query("DELETE FROM two_step_setups WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    // `user_totp` holds confirmed secrets only since 0206; a row left unconfirmed
    // by the old rule is replaced, a confirmed one is kept.
    let done = sqlx::query(
        "INSERT INTO user_totp (user_id, secret, confirmed_at, last_step, created_at)
         VALUES ($1, $2, $3, $4, $3)
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret,
             confirmed_at = excluded.confirmed_at, last_step = excluded.last_step,
             created_at = excluded.created_at
         WHERE user_totp.confirmed_at IS NULL",
    )
    .bind(user_id)
    .bind(secret)
    .bind(at)
    .bind(step)
    .execute(&mut **tx)
    .await?;
    Ok(if done.rows_affected() == 1 {
        Confirmed::On
    } else {
        Confirmed::AlreadyOn
    })
}

/// Removes setups past their time (the background job).
pub async fn prune_setups<'e, E: Executor<'e, Database = Db>>(
    db: E,
    now: i64,
) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM two_step_setups WHERE created_at <= $1")
            .bind(now - SETUP_SECS)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// Replaces a user's recovery codes with new ones; returns them as shown once.
pub async fn replace_recovery_codes(
    tx: &mut sqlx::Transaction<'_, Db>,
    user_id: i64,
) -> Result<Vec<String>, AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let codes = new_recovery_codes();
    for code in &codes {
        let hash = recovery_hash(code).ok_or_else(|| AppError::internal("bad recovery code"))?;
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(codes)
}

/// Turns two-step verification off: the secret and the recovery codes go.
pub async fn remove(tx: &mut sqlx::Transaction<'_, Db>, user_id: i64) -> Result<bool, AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Checks a second factor of a user with two-step verification on: a code of
/// the authenticator app (once per time step) or an unused recovery code
/// (used up by this).
pub async fn verify(
    pool: &Pool,
    user_id: i64,
    text: &str,
    now: i64,
) -> Result<Option<Method>, AppError> {
    if totp_code(text).is_some() {
        let secret: Option<String> = sqlx::query_scalar(
            "SELECT secret FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
        let Some(secret) = secret else {
            return Ok(None);
        };
        let Some(step) = matching_step(&secret, text, now)? else {
            return Ok(None);
        };
        let accepted = sqlx::query(
            "UPDATE user_totp SET last_step = $1 WHERE user_id = $2 AND last_step < $1",
        )
        .bind(step)
        .bind(user_id)
        .execute(pool)
        .await?;
        return Ok((accepted.rows_affected() == 1).then_some(Method::Totp));
    }
    let Some(hash) = recovery_hash(text) else {
        return Ok(None);
    };
    let used = sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2")
        .bind(user_id)
        .bind(hash)
        .execute(pool)
        .await?;
    Ok((used.rows_affected() == 1).then_some(Method::RecoveryCode))
}

/// Whether a user has two-step verification on (asked at every sign-in: one
/// query, without the recovery-code count that [`status`] adds).
pub async fn is_on(pool: &Pool, user_id: i64) -> Result<bool, AppError> {
    let on: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(on.is_some())
}

/// Starts the wait for a second factor after a correct password; returns the
/// token for the challenge cookie.
pub async fn create_challenge(pool: &Pool, user_id: i64, at: i64) -> Result<String, AppError> {
    let token = super::sessions::new_token();
    sqlx::query("INSERT INTO mfa_challenges (id, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(super::sessions::session_id(&token))
        .bind(user_id)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(token)
}

/// Takes one attempt of a live challenge and returns its user; `None` when the
/// challenge is unknown, expired or out of attempts.
pub async fn take_attempt(pool: &Pool, token: &str, at: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "UPDATE mfa_challenges SET attempts = attempts + 1
         WHERE id = $1 AND attempts < $2 AND created_at > $3 RETURNING user_id",
    )
    .bind(super::sessions::session_id(token))
    .bind(CHALLENGE_ATTEMPTS)
    .bind(at - CHALLENGE_SECS)
    .fetch_optional(pool)
    .await?)
}

/// Ends a challenge (after success).
pub async fn end_challenge(pool: &Pool, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM mfa_challenges WHERE id = $1")
        .bind(super::sessions::session_id(token))
        .execute(pool)
        .await?;
    Ok(())
}

/// Removes challenges past their time (the background job).
pub async fn prune_challenges<'e, E: Executor<'e, Database = Db>>(
    db: E,
    now: i64,
) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM mfa_challenges WHERE created_at <= $1")
            .bind(now - CHALLENGE_SECS)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// The challenge cookie's name; `__Host-` with secure cookies, as the session's.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies {
        "__Host-careport_signin"
    } else {
        "careport_signin"
    }
}

/// The `Set-Cookie` value carrying a challenge (or clearing it, for `None`).
pub fn cookie(config: &Config, token: Option<&str>) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let max_age = if token.is_some() { CHALLENGE_SECS } else { 0 };
    format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        cookie_name(config),
        token.unwrap_or_default()
    )
}

/// The challenge token from the request's cookies.
pub fn token_from_headers(headers: &http::HeaderMap, config: &Config) -> Option<String> {
    super::sessions::cookie_value(headers, cookie_name(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 6 digits.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn rfc_6238_vectors() {
        for (time, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            let step = matching_step(RFC_SECRET, code, time).unwrap();
            assert_eq!(step, Some(time / 30), "code at {time}");
        }
    }

    #[test]
    fn one_step_of_drift_is_accepted_and_no_more() {
        let t = 1111111109;
        assert_eq!(
            matching_step(RFC_SECRET, "081804", t + 30).unwrap(),
            Some(t / 30)
        );
        assert_eq!(
            matching_step(RFC_SECRET, "081804", t - 30).unwrap(),
            Some(t / 30)
        );
        assert_eq!(matching_step(RFC_SECRET, "081804", t + 90).unwrap(), None);
        assert_eq!(matching_step(RFC_SECRET, "081805", t).unwrap(), None);
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(totp_code(" 081 804 ").as_deref(), Some("081804"));
        assert_eq!(totp_code("081-804").as_deref(), Some("081804"));
        assert_eq!(totp_code("08180"), None);
        assert_eq!(totp_code("0818045"), None);
        assert_eq!(totp_code("08180a"), None);
    }

    #[test]
    fn secrets_are_random_160_bits() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(Secret::try_from_base32(&a).unwrap().as_ref().len(), 20);
        assert!(otpauth_url(&a, "ann@example.com")
            .unwrap()
            .starts_with("otpauth://totp/Careport:ann%40example.com?"));
    }

    #[test]
    fn recovery_codes_hash_the_same_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let first = &codes[0];
        assert_eq!(first.len(), 29);
        let typed = first.to_uppercase().replace('-', " ");
        assert_eq!(recovery_hash(first), recovery_hash(&typed));
        assert_ne!(recovery_hash(first), recovery_hash(&codes[1]));
        assert_eq!(recovery_hash("not-a-code"), None);
        assert_eq!(
            recovery_hash("11111-11111-11111-11111-11111"),
            None,
            "1 is not base32"
        );
    }

    #[test]
    fn qr_code_is_an_svg() {
        let svg = qr_svg("otpauth://totp/Careport:a?secret=ABC").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn challenge_cookie() {
        let mut c = Config::default();
        assert_eq!(
            cookie(&c, Some("t")),
            "careport_signin=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=300"
        );
        c.secure_cookies = true;
        assert!(cookie(&c, None).starts_with("__Host-careport_signin=; "));
        assert!(cookie(&c, None).ends_with("Max-Age=0; Secure"));
    }
}
