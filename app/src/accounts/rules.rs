//! Pure account rules: who manages which users, which role fits which
//! organisation, password and e-mail rules (NIST SP 800-63B / OWASP: a minimum
//! length, a generous maximum, no composition rules, the most common passwords
//! refused), the sign-in throttle window and the session timeouts.

use super::api::{Role, SessionUser};
use crate::organisations::OrgKind;

/// The users an administrator may manage. This one rule serves both sides: the
/// queries translate it into SQL (`queries::push_scope`) and
/// [`may_manage_users_of`] states it for single records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserScope {
    /// The supplier admin manages every organisation's users.
    All,
    /// A partner or customer admin manages its own organisation's users.
    Org(i64),
}

impl UserScope {
    /// The scope of an actor, or `None` when the role manages no users.
    pub fn of(actor: &SessionUser) -> Option<Self> {
        match actor.role {
            Role::Admin => Some(UserScope::All),
            Role::PartnerAdmin | Role::CustomerAdmin => Some(UserScope::Org(actor.org_id)),
            _ => None,
        }
    }

    pub fn includes(self, org_id: i64) -> bool {
        match self {
            UserScope::All => true,
            UserScope::Org(own) => own == org_id,
        }
    }
}

/// May `actor` create, deactivate or change the role of users in `org_id`?
pub fn may_manage_users_of(actor: &SessionUser, org_id: i64) -> bool {
    UserScope::of(actor).is_some_and(|s| s.includes(org_id))
}

/// A role may only be given to a user of an organisation of the role's kind.
pub fn role_fits(role: Role, org_kind: OrgKind) -> bool {
    role.org_kind() == org_kind
}

/// Sign-in attempts are counted in windows of this length.
pub const WINDOW_SECS: i64 = 15 * 60;

/// How one sign-in counter limits attempts inside its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Refuse once `max` attempts were made (until the window ends).
    Block { max: i64 },
    /// Allow `free` attempts, then require a wait since the last attempt that
    /// doubles with each further attempt (2 s, 4 s, 8 s…) up to `cap_secs`
    /// (timestamps are whole seconds, so the first step is two of them):
    /// slows a guesser down without ever locking the owner out.
    Slow { free: i64, cap_secs: i64 },
}

/// The sign-in throttle, counted before each password is verified:
/// - per account and client address: 5 attempts per window, then refused, so a
///   guesser at one address is stopped without locking out the owner elsewhere;
/// - per account, from any address: after 5, progressively slower (cap 60 s);
/// - per client address, for any account: after 30, progressively slower (cap
///   60 s), so a whole office behind one address is slowed, never locked out.
pub const PAIR_LIMIT: Limit = Limit::Block { max: 5 };
pub const ACCOUNT_LIMIT: Limit = Limit::Slow {
    free: 5,
    cap_secs: 60,
};
pub const ADDR_LIMIT: Limit = Limit::Slow {
    free: 30,
    cap_secs: 60,
};

/// One counter's state inside its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub window_start: i64,
    pub attempts: i64,
    pub last_at: i64,
}

/// Admits one more attempt on a counter: the counter's next state, or the seconds
/// to wait before an attempt is allowed.
pub fn admit(current: Option<Counter>, limit: Limit, now: i64) -> Result<Counter, i64> {
    let c = current
        .filter(|c| now - c.window_start < WINDOW_SECS)
        .unwrap_or(Counter {
            window_start: now,
            attempts: 0,
            last_at: now,
        });
    match limit {
        Limit::Block { max } if c.attempts >= max => {
            return Err((c.window_start + WINDOW_SECS - now).max(1))
        }
        Limit::Slow { free, cap_secs } if c.attempts >= free => {
            let doublings = u32::try_from(c.attempts - free).unwrap_or(u32::MAX).min(16);
            let delay = (2i64 << doublings).min(cap_secs);
            let waited = now - c.last_at;
            if waited < delay {
                return Err(delay - waited);
            }
        }
        _ => {}
    }
    Ok(Counter {
        window_start: c.window_start,
        attempts: c.attempts + 1,
        last_at: now,
    })
}

/// Whether a session is alive: used within `idle_secs`, and younger than `absolute_secs`.
pub fn session_alive(
    created_at: i64,
    last_seen_at: i64,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> bool {
    now - last_seen_at <= idle_secs && now - created_at <= absolute_secs
}

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub use crate::identity::MAX_EMAIL_CHARS;

const COMMON: &str = include_str!("common_passwords.txt");

/// The refused passwords, read once: the product's own words and the 10,000
/// most frequent passwords of 8+ characters of the OWASP SecLists list (see the
/// file's header for its source and licence).
fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

fn is_common(candidate: &str) -> bool {
    common_passwords().contains(candidate.to_lowercase().as_str())
}

/// Checks a new password; the error is the message shown to the person.
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Use at least {MIN_PASSWORD_CHARS} characters for your password."
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!(
            "Use at most {MAX_PASSWORD_CHARS} characters for your password."
        ));
    }
    if is_common(password) {
        return Err("This password is too common and easy to guess. Choose another one.".into());
    }
    let lower = password.to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if lower == email || (local.len() >= MIN_PASSWORD_CHARS && lower == local) {
        return Err("Your password must not be your e-mail address.".into());
    }
    Ok(())
}

/// How a session is named to its owner: the first 16 hex digits of its stored
/// id (itself a hash of the token), enough to tell one's sessions apart.
pub fn session_ref(stored_id: &str) -> String {
    stored_id.chars().take(16).collect()
}

/// Whether text can be a session reference (16 lower-case hex digits).
pub fn is_session_ref(text: &str) -> bool {
    text.len() == 16
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A browser's user agent as people name a device: "Firefox on Windows".
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => "Unknown device".into(),
        (b, "") => b.into(),
        ("", s) => format!("Browser on {s}"),
        (b, s) => format!("{b} on {s}"),
    }
}

/// Whether a user must turn two-step verification on before anything else:
/// when the deployment requires it of the supplier's staff
/// (`CAREPORT_MFA_REQUIRED_FOR_STAFF`) and it is not on yet.
pub fn must_enroll_mfa(required_for_staff: bool, org_kind: OrgKind, mfa_enabled: bool) -> bool {
    required_for_staff && org_kind == OrgKind::Supplier && !mfa_enabled
}

/// Why a sign-in failed, for the audit trail (never for the person signing in,
/// who sees one message for all three, so that accounts cannot be discovered).
pub fn failure_reason(account_exists: bool, password_verified: bool) -> &'static str {
    match (account_exists, password_verified) {
        (false, _) => "unknown_account",
        (true, false) => "wrong_password",
        (true, true) => "deactivated",
    }
}

/// Normalises an e-mail address for lookup and storage.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A minimal, user-friendly e-mail check: one '@', something on both sides, a dot in the domain.
pub fn check_email(email: &str) -> Result<(), String> {
    let e = email.trim();
    let ok = e.chars().count() <= MAX_EMAIL_CHARS
        && !e.chars().any(char::is_whitespace)
        && matches!(e.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains('@'));
    if ok {
        Ok(())
    } else {
        Err("Enter a valid e-mail address, like name@company.com.".into())
    }
}

/// Where to go after signing in: only a path of this app. Anything else (another
/// origin, a protocol-relative `//host`, a backslash, a control or blank
/// character, which browsers strip or follow off-site) goes to the dashboard.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace())
                && !n.starts_with("/login")
                && n.len() <= 2048 =>
        {
            n.to_string()
        }
        _ => "/".into(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn devices_are_named_as_people_name_them() {
        let firefox_win =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let chrome_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(device_label(firefox_win), "Firefox on Windows");
        assert_eq!(device_label(chrome_linux), "Chrome on Linux");
        assert_eq!(device_label(safari_iphone), "Safari on iPhone");
        assert_eq!(device_label(edge), "Edge on Windows");
        assert_eq!(device_label("curl/8.5.0"), "Unknown device");
        assert_eq!(device_label(""), "Unknown device");
    }

    #[test]
    fn session_refs() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(session_ref(id), "0123456789abcdef");
        assert!(is_session_ref("0123456789abcdef"));
        assert!(!is_session_ref("0123456789ABCDEF"));
        assert!(!is_session_ref("0123"));
        assert!(!is_session_ref("0123456789abcdeg"));
    }

    #[test]
    fn failure_reasons() {
        assert_eq!(failure_reason(false, false), "unknown_account");
        assert_eq!(failure_reason(true, false), "wrong_password");
        assert_eq!(failure_reason(true, true), "deactivated");
    }

    use super::*;
    use crate::accounts::api::test_user as user;

    #[test]
    fn org_admins_manage_only_their_own_users() {
        let (supplier, reseller, customer, other) = (1, 2, 4, 5);
        let admin = user(Role::Admin, supplier);
        let padmin = user(Role::PartnerAdmin, reseller);
        let cadmin = user(Role::CustomerAdmin, customer);
        for o in [supplier, reseller, customer, other] {
            assert!(may_manage_users_of(&admin, o));
            assert_eq!(may_manage_users_of(&padmin, o), o == reseller);
            assert_eq!(may_manage_users_of(&cadmin, o), o == customer);
        }
        for r in [
            Role::PartnerManager,
            Role::SupportEngineer,
            Role::PartnerUser,
            Role::CustomerUser,
        ] {
            let u = user(r, reseller);
            assert!(!may_manage_users_of(&u, u.org_id), "{r:?}");
            assert_eq!(UserScope::of(&u), None);
        }
        assert_eq!(UserScope::of(&admin), Some(UserScope::All));
        assert_eq!(UserScope::of(&padmin), Some(UserScope::Org(reseller)));
    }

    #[test]
    fn roles_only_fit_their_org_kind() {
        assert!(role_fits(Role::PartnerUser, OrgKind::Partner));
        assert!(!role_fits(Role::Admin, OrgKind::Customer));
        assert!(!role_fits(Role::CustomerAdmin, OrgKind::Partner));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert_eq!(
            Role::for_org_kind(OrgKind::Partner),
            vec![Role::PartnerAdmin, Role::PartnerUser]
        );
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn next_is_only_followed_on_site() {
        assert_eq!(safe_next(Some("/users")), "/users");
        assert_eq!(safe_next(Some("/users?x=1")), "/users?x=1");
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "/\t/evil.example",
            "/\n",
            "/\r\nSet-Cookie: x=1",
            " /users",
            "/login?next=//evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn sessions_expire_when_idle_or_old() {
        assert!(session_alive(0, 0, 100, 100, 1000));
        assert!(!session_alive(0, 0, 101, 100, 1000));
        assert!(
            !session_alive(0, 995, 1001, 100, 1000),
            "absolute timeout despite activity"
        );
    }

    #[test]
    fn a_blocking_counter_refuses_after_its_maximum_until_the_window_ends() {
        let now = 10_000;
        let mut c = None;
        for i in 0..5 {
            let next = admit(c, PAIR_LIMIT, now + i).expect("within the limit");
            assert_eq!(next.attempts, i + 1);
            c = Some(next);
        }
        assert_eq!(admit(c, PAIR_LIMIT, now + 10), Err(WINDOW_SECS - 10));
        // A new window starts afresh.
        let later = admit(c, PAIR_LIMIT, now + WINDOW_SECS).unwrap();
        assert_eq!(later.attempts, 1);
        assert_eq!(later.window_start, now + WINDOW_SECS);
    }

    #[test]
    fn a_slowing_counter_doubles_the_wait_and_never_blocks() {
        let limit = Limit::Slow {
            free: 2,
            cap_secs: 60,
        };
        let t = 50_000;
        let c1 = admit(None, limit, t).unwrap();
        let c2 = admit(Some(c1), limit, t).unwrap();
        // Third attempt: 2 s after the last one, then 4 s, then 8 s.
        assert_eq!(admit(Some(c2), limit, t), Err(2));
        assert_eq!(admit(Some(c2), limit, t + 1), Err(1));
        let c3 = admit(Some(c2), limit, t + 2).unwrap();
        assert_eq!(admit(Some(c3), limit, t + 2), Err(4));
        let c4 = admit(Some(c3), limit, t + 6).unwrap();
        assert_eq!(admit(Some(c4), limit, t + 6), Err(8));
        // The wait is capped: after many attempts, a minute at most.
        let many = Counter {
            window_start: t,
            attempts: 40,
            last_at: t + 100,
        };
        assert_eq!(admit(Some(many), limit, t + 100), Err(60));
        assert!(admit(Some(many), limit, t + 160).is_ok());
    }

    #[test]
    fn length_bounds() {
        assert!(check_new_password("short7!", "a@b.c").is_err());
        assert!(check_new_password("eight ch", "a@b.c").is_ok());
        let sixty_four = "x".repeat(40) + &"lift-".repeat(5) + "abcdefghi";
        assert_eq!(sixty_four.chars().count(), 74);
        assert!(check_new_password(&sixty_four, "a@b.c").is_ok());
        assert!(check_new_password(&"y".repeat(128), "a@b.c").is_ok());
        assert!(check_new_password(&"y".repeat(129), "a@b.c").is_err());
        // Counted in characters, not bytes.
        assert!(check_new_password("ääääääää", "a@b.c").is_ok());
    }

    #[test]
    fn no_composition_rules() {
        assert!(check_new_password("correct horse battery staple", "a@b.c").is_ok());
        assert!(check_new_password("alllowercaseletters", "a@b.c").is_ok());
    }

    #[test]
    fn common_passwords_refused_case_insensitively() {
        for p in [
            "password",
            "12345678",
            "Password1",
            "QWERTYUIOP",
            "iloveyou",
            "Careport123",
        ] {
            let err = check_new_password(p, "a@b.c").unwrap_err();
            assert!(err.contains("too common"), "{p}: {err}");
        }
    }

    #[test]
    fn the_common_list_is_a_real_one() {
        let list = common_passwords();
        assert!(list.len() >= 10_000, "{}", list.len());
        // From deep in the published frequency list, not only its head.
        let deep: Vec<&str> = COMMON
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .skip(9_000)
            .take(3)
            .collect();
        for p in deep {
            assert!(check_new_password(p, "a@b.c").is_err(), "{p}");
        }
        assert!(check_new_password("forklift morning", "a@b.c").is_ok());
    }

    #[test]
    fn email_as_password_refused() {
        assert!(check_new_password("Jon@Tanner.example", "jon@tanner.example").is_err());
    }

    #[test]
    fn email_checks() {
        assert!(check_email("jon@tanner.example").is_ok());
        assert!(check_email(" jon@tanner.example ").is_ok());
        for bad in [
            "",
            "jon",
            "jon@",
            "@x.y",
            "jon@localhost",
            "a b@c.d",
            "a@b@c.d",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert_eq!(
            normalize_email(" Jon@Tanner.Example "),
            "jon@tanner.example"
        );
    }

    #[test]
    fn second_factor_is_required_of_staff_only_when_configured() {
        assert!(must_enroll_mfa(true, OrgKind::Supplier, false));
        assert!(!must_enroll_mfa(true, OrgKind::Supplier, true));
        assert!(!must_enroll_mfa(true, OrgKind::Partner, false));
        assert!(!must_enroll_mfa(true, OrgKind::Customer, false));
        assert!(!must_enroll_mfa(false, OrgKind::Supplier, false));
    }
}
