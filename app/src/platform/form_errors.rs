//! The error of a plain form post (one sent without the wasm), shown on the page
//! the form came from only when this server produced it for this browser.
//!
//! Leptos answers such a post with a redirect back to the form's page, the error
//! in the address (`__path`: the server function, `__err`: the error as base64
//! JSON), and `ServerAction` and `ui::UrlFormError` show what the address says.
//! Anyone can write such an address, so a link could show any text as an alert
//! on a genuine page. Therefore the HTTP layer (`server::layers::form_errors`):
//! - with a redirect that carries an error, sets a one-time cookie holding a
//!   digest of that error ([`proof_for_redirect`]);
//! - on a page request, keeps `__path` and `__err` in the address the page reads
//!   only when the cookie matches them, then clears the cookie, and removes them
//!   otherwise ([`checked_query`]).
//!
//! Only this server sets the cookie (`HttpOnly`, `__Host-` under production
//! settings), and only in answer to a same-origin post (the guard refuses
//! cross-site ones), so a link from elsewhere cannot bring one.

use super::Config;
use base64::Engine;
use sha2::{Digest, Sha256};

const PATH_KEY: &str = "__path";
const ERR_KEY: &str = "__err";
/// How long the redirect has to be followed.
const MAX_AGE_SECS: u32 = 60;

/// The cookie's name; with secure cookies the `__Host-` prefix pins it to this
/// host (no other subdomain can set it), like the session's.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies {
        "__Host-careport_form_error"
    } else {
        "careport_form_error"
    }
}

fn cookie(config: &Config, value: &str, max_age: u32) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        cookie_name(config)
    )
}

/// The `Set-Cookie` value that lets the next page show the error of `proof`.
pub fn set_cookie(config: &Config, proof: &str) -> String {
    cookie(config, proof, MAX_AGE_SECS)
}

/// The `Set-Cookie` value that clears the cookie once its error is shown.
pub fn clear_cookie(config: &Config) -> String {
    cookie(config, "", 0)
}

/// The decoded pairs of a query (`None` if it cannot be read).
fn pairs(query: &str) -> Option<Vec<(String, String)>> {
    serde_urlencoded::from_str(query).ok()
}

/// The last value of `key`: an address may carry an older error before the
/// newest one (Leptos appends to the form page's address, which may hold one).
fn last<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The digest of an error sent for the server function at `path`.
fn digest(path: &str, err: &str) -> String {
    let mut h = Sha256::new();
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(err.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize())
}

/// The cookie value for the redirect (its `Location`) with which a server
/// function answered a plain form post, when the redirect carries an error.
pub fn proof_for_redirect(location: &str) -> Option<String> {
    let (_, query) = location.split_once('?')?;
    let query = query.split('#').next().unwrap_or_default();
    let pairs = pairs(query)?;
    Some(digest(last(&pairs, PATH_KEY)?, last(&pairs, ERR_KEY)?))
}

/// What the query of a page request becomes. `None` when it carries no form
/// error (it is left as it is). Otherwise the query without `__path` and
/// `__err`, or with the newest pair of them alone when `proof` (the cookie)
/// shows that this server sent that error to this browser; and whether the
/// proof was used.
pub fn checked_query(query: &str, proof: Option<&str>) -> Option<(String, bool)> {
    let lower = query.to_ascii_lowercase();
    if !lower.contains("__") && !lower.contains("%5f") {
        // No form error can be in it (not even with its underscores
        // percent-encoded): left as it is, readable or not.
        return None;
    }
    let Some(pairs) = pairs(query) else {
        // Unreadable: nothing of it can be trusted.
        return Some((String::new(), false));
    };
    let is_error_key = |k: &str| k == PATH_KEY || k == ERR_KEY;
    if !pairs.iter().any(|(k, _)| is_error_key(k)) {
        return None;
    }
    let proven = match (last(&pairs, PATH_KEY), last(&pairs, ERR_KEY), proof) {
        (Some(path), Some(err), Some(proof)) if digest(path, err) == proof => {
            Some((path.to_string(), err.to_string()))
        }
        _ => None,
    };
    let used = proven.is_some();
    let mut kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| !is_error_key(k))
        .collect();
    if let Some((path, err)) = proven {
        kept.push((PATH_KEY.to_string(), path));
        kept.push((ERR_KEY.to_string(), err));
    }
    Some((serde_urlencoded::to_string(&kept).unwrap_or_default(), used))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ERR: &str = "eyJWYWxpZGF0aW9uIjoiTm8uIn0=";

    fn location(query: &str) -> String {
        format!("http://127.0.0.1:3000/cart?{query}")
    }

    #[test]
    fn only_the_error_the_redirect_carried_is_kept() {
        let sent = format!("page=2&__path=%2Fapi%2Fcart%2Fupdate&__err={ERR}");
        let proof = proof_for_redirect(&location(&sent)).expect("an error is carried");
        let (query, used) = checked_query(&sent, Some(&proof)).unwrap();
        assert!(used);
        assert_eq!(
            pairs(&query).unwrap(),
            vec![
                ("page".to_string(), "2".to_string()),
                ("__path".to_string(), "/api/cart/update".to_string()),
                ("__err".to_string(), ERR.to_string()),
            ]
        );

        let forged = "page=2&__path=%2Fapi%2Fcart%2Fupdate&__err=eyJWYWxpZGF0aW9uIjoiWWVzLiJ9";
        assert_eq!(
            checked_query(forged, Some(&proof)),
            Some(("page=2".to_string(), false))
        );
        assert_eq!(
            checked_query(&sent, None),
            Some(("page=2".to_string(), false))
        );
        // Spelled otherwise, the keys are still found.
        let encoded = format!("%5F%5Fpath=%2Fapi%2Fcart%2Fupdate&%5F%5Ferr={ERR}");
        assert_eq!(checked_query(&encoded, None), Some((String::new(), false)));
        // Another function's path with the same error is not the same error.
        let other = format!("__path=%2Fapi%2Fcart%2Fremove&__err={ERR}");
        assert_eq!(
            checked_query(&other, Some(&proof)),
            Some((String::new(), false))
        );
    }

    #[test]
    fn the_newest_error_counts_and_plain_addresses_are_left_alone() {
        let old = format!("__path=%2Fapi%2Fx&__err={ERR}");
        let sent = format!("{old}&__path=%2Fapi%2Fy&__err=bmV3");
        let proof = proof_for_redirect(&location(&sent)).unwrap();
        let (query, used) = checked_query(&sent, Some(&proof)).unwrap();
        assert!(used);
        assert_eq!(query, "__path=%2Fapi%2Fy&__err=bmV3");
        assert_eq!(checked_query("q=lift+200&page=3", Some(&proof)), None);
        assert_eq!(proof_for_redirect("http://127.0.0.1:3000/cart"), None);
        assert_eq!(proof_for_redirect(&location("__path=%2Fapi%2Fx")), None);
    }

    #[test]
    fn an_unreadable_query_is_dropped_only_when_it_could_hold_an_error() {
        assert_eq!(checked_query("q=%FF", None), None);
        let (query, used) = checked_query("q=%FF&__err=x", None).unwrap();
        assert!(!query.contains("err") && !used, "{query}");
        let encoded = format!("%5F%5Ferr={ERR}&%5f%5fpath=%2Fapi%2Fx");
        assert_eq!(checked_query(&encoded, None), Some((String::new(), false)));
    }

    #[test]
    fn the_cookie_is_pinned_to_the_host_under_production_settings() {
        let secure = Config {
            secure_cookies: true,
            ..Config::default()
        };
        let set = set_cookie(&secure, "abc");
        assert!(set.starts_with("__Host-careport_form_error=abc; Path=/;"));
        assert!(set.contains("HttpOnly") && set.ends_with("; Secure"));
        assert!(clear_cookie(&Config::default()).contains("Max-Age=0"));
    }
}
