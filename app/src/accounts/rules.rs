//! Password rules (NIST SP 800-63B / OWASP): a minimum length, a generous maximum,
//! no composition rules, and the most common passwords refused.

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

const COMMON: &str = include_str!("common_passwords.txt");

fn is_common(candidate: &str) -> bool {
    let lower = candidate.to_lowercase();
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == lower)
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

/// Normalises an e-mail address for lookup and storage.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A minimal, user-friendly e-mail check: one '@', something on both sides, a dot in the domain.
pub fn check_email(email: &str) -> Result<(), String> {
    let e = email.trim();
    let ok = e.len() <= 254
        && !e.chars().any(char::is_whitespace)
        && matches!(e.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains('@'));
    if ok {
        Ok(())
    } else {
        Err("Enter a valid e-mail address, like name@company.com.".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
