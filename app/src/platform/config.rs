//! Configuration from environment variables, with defaults for a local run.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// The most connections the pool opens (`CAREPORT_DB_MAX_CONNECTIONS`).
    pub db_max_connections: u32,
    /// How long start-up waits for an unreachable database before giving up.
    pub db_wait_secs: u64,
    pub log: String,
    pub demo_data: bool,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    /// The origins (`scheme://host[:port]`) whose pages may call the server
    /// functions: `CAREPORT_PUBLIC_URL`, or the listen address (with its
    /// `localhost` spellings when it is a loopback address).
    pub allowed_origins: Vec<String>,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// The supplier's staff must turn on two-step verification
    /// (`CAREPORT_MFA_REQUIRED_FOR_STAFF`; on by default under production
    /// settings, that is with secure cookies, off otherwise).
    pub mfa_required_for_staff: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self::from_lookup(|_| None).expect("defaults are valid")
    }
}

fn flag(v: Option<String>, name: &str) -> Result<bool, String> {
    match v
        .as_deref()
        .map(str::trim)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(format!("{name} must be true or false, not '{other}'")),
    }
}

fn number(v: Option<String>, name: &str, default: i64) -> Result<i64, String> {
    match v {
        None => Ok(default),
        Some(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{name} must be a positive whole number, not '{s}'")),
    }
}

impl Config {
    /// Reads `CAREPORT_*` variables from the process environment.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let addr = get("CAREPORT_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr.parse().map_err(|_| {
            format!("CAREPORT_ADDR must be host:port, like 127.0.0.1:3000, not '{addr}'")
        })?;
        let data_dir = PathBuf::from(get("CAREPORT_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("CAREPORT_DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("careport.db").display()
            )
        });
        super::db::Backend::of_url(&database_url)?;
        let secure_cookies = flag(get("CAREPORT_SECURE_COOKIES"), "CAREPORT_SECURE_COOKIES")?;
        let public_url = get("CAREPORT_PUBLIC_URL").filter(|v| !v.trim().is_empty());
        if secure_cookies && public_url.is_none() {
            return Err(
                "CAREPORT_SECURE_COOKIES is on, so set CAREPORT_PUBLIC_URL to the address \
                 people open, scheme included (like https://care.example.com): form posts are \
                 accepted only from that origin."
                    .into(),
            );
        }
        let allowed_origins = allowed_origins(public_url.as_deref(), addr)?;
        let mfa_setting = get("CAREPORT_MFA_REQUIRED_FOR_STAFF").filter(|v| !v.trim().is_empty());
        let mfa_required_for_staff = match mfa_setting {
            Some(v) => flag(Some(v), "CAREPORT_MFA_REQUIRED_FOR_STAFF")?,
            None => secure_cookies,
        };
        let c = Config {
            addr,
            data_dir,
            database_url,
            db_max_connections: number(
                get("CAREPORT_DB_MAX_CONNECTIONS"),
                "CAREPORT_DB_MAX_CONNECTIONS",
                8,
            )?
            .min(1000) as u32,
            db_wait_secs: number(
                get("CAREPORT_DB_WAIT_SECONDS"),
                "CAREPORT_DB_WAIT_SECONDS",
                30,
            )? as u64,
            log: get("CAREPORT_LOG").unwrap_or_else(|| "info".into()),
            demo_data: flag(get("CAREPORT_DEMO_DATA"), "CAREPORT_DEMO_DATA")?,
            secure_cookies,
            allowed_origins,
            trust_proxy: flag(get("CAREPORT_TRUST_PROXY"), "CAREPORT_TRUST_PROXY")?,
            session_idle_secs: 60
                * number(
                    get("CAREPORT_SESSION_IDLE_MINUTES"),
                    "CAREPORT_SESSION_IDLE_MINUTES",
                    30,
                )?,
            session_absolute_secs: 3600
                * number(
                    get("CAREPORT_SESSION_ABSOLUTE_HOURS"),
                    "CAREPORT_SESSION_ABSOLUTE_HOURS",
                    12,
                )?,
            mfa_required_for_staff,
        };
        if c.demo_data && c.secure_cookies {
            return Err("Refusing to start: CAREPORT_DEMO_DATA is on while CAREPORT_SECURE_COOKIES is on. \
                 A production deployment must never carry the demo accounts and their known password."
                .into());
        }
        Ok(c)
    }
}

/// `scheme://host[:port]` in lower case, without a default port; `None` for
/// anything that is not an http(s) origin.
pub fn normalize_origin(text: &str) -> Option<String> {
    let uri: http::Uri = text.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let authority = uri.authority()?;
    if authority.as_str().contains('@') {
        return None;
    }
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let host = authority.host().to_ascii_lowercase();
    Some(match authority.port_u16() {
        Some(p) if p != default_port => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// The origins that may post to this server.
pub fn allowed_origins(public_url: Option<&str>, addr: SocketAddr) -> Result<Vec<String>, String> {
    if let Some(url) = public_url {
        let origin = normalize_origin(url)
            .filter(|_| {
                let path = url.trim().parse::<http::Uri>().ok();
                path.is_some_and(|u| matches!(u.path(), "" | "/") && u.query().is_none())
            })
            .ok_or_else(|| {
                format!(
                "CAREPORT_PUBLIC_URL must be an http or https origin like https://care.example.com, not '{url}'"
            )
            })?;
        return Ok(vec![origin]);
    }
    let port = addr.port();
    let mut origins = vec![normalize_origin(&format!("http://{addr}")).unwrap_or_default()];
    if addr.ip().is_loopback() {
        for host in ["localhost", "127.0.0.1", "[::1]"] {
            if let Some(o) = normalize_origin(&format!("http://{host}:{port}")) {
                if !origins.contains(&o) {
                    origins.push(o);
                }
            }
        }
    }
    Ok(origins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)]) -> Result<Config, String> {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/careport.db?mode=rwc");
        assert!(!c.demo_data && !c.secure_cookies);
        assert_eq!(c.session_idle_secs, 1800);
        assert_eq!(c.session_absolute_secs, 12 * 3600);
    }

    #[test]
    fn origins_come_from_the_public_url_or_the_listen_address() {
        assert_eq!(
            cfg(&[]).unwrap().allowed_origins,
            [
                "http://127.0.0.1:3000",
                "http://localhost:3000",
                "http://[::1]:3000"
            ]
        );
        assert_eq!(
            cfg(&[("CAREPORT_ADDR", "10.0.0.11:8080")])
                .unwrap()
                .allowed_origins,
            ["http://10.0.0.11:8080"]
        );
        let public = cfg(&[("CAREPORT_PUBLIC_URL", "HTTPS://Care.Example.com:443/")]).unwrap();
        assert_eq!(public.allowed_origins, ["https://care.example.com"]);
        for bad in [
            "care.example.com",
            "ftp://care.example.com",
            "https://care.example.com/portal",
            "https://user@care.example.com",
        ] {
            let err = cfg(&[("CAREPORT_PUBLIC_URL", bad)]).unwrap_err();
            assert!(err.contains("CAREPORT_PUBLIC_URL"), "{bad}: {err}");
        }
        let err = cfg(&[("CAREPORT_SECURE_COOKIES", "true")]).unwrap_err();
        assert!(err.contains("set CAREPORT_PUBLIC_URL"), "{err}");
        assert!(cfg(&[
            ("CAREPORT_SECURE_COOKIES", "true"),
            ("CAREPORT_PUBLIC_URL", "https://care.example.com")
        ])
        .is_ok());
    }

    #[test]
    fn demo_data_never_with_secure_cookies() {
        let err = cfg(&[
            ("CAREPORT_DEMO_DATA", "1"),
            ("CAREPORT_SECURE_COOKIES", "true"),
            ("CAREPORT_PUBLIC_URL", "https://care.example.com"),
        ])
        .unwrap_err();
        assert!(err.contains("Refusing to start"));
        assert!(cfg(&[("CAREPORT_DEMO_DATA", "1")]).unwrap().demo_data);
    }

    #[test]
    fn second_factor_for_staff_is_required_under_production_settings() {
        assert!(!cfg(&[]).unwrap().mfa_required_for_staff);
        assert!(
            !cfg(&[("CAREPORT_DEMO_DATA", "1")])
                .unwrap()
                .mfa_required_for_staff
        );
        let production = [
            ("CAREPORT_SECURE_COOKIES", "true"),
            ("CAREPORT_PUBLIC_URL", "https://care.example.com"),
        ];
        assert!(cfg(&production).unwrap().mfa_required_for_staff);
        let mut off = production.to_vec();
        off.push(("CAREPORT_MFA_REQUIRED_FOR_STAFF", "false"));
        assert!(!cfg(&off).unwrap().mfa_required_for_staff);
        assert!(
            cfg(&[("CAREPORT_MFA_REQUIRED_FOR_STAFF", "on")])
                .unwrap()
                .mfa_required_for_staff
        );
        assert!(cfg(&[("CAREPORT_MFA_REQUIRED_FOR_STAFF", "sometimes")]).is_err());
    }

    #[test]
    fn bad_values_are_explained() {
        assert!(cfg(&[("CAREPORT_ADDR", "nowhere")])
            .unwrap_err()
            .contains("CAREPORT_ADDR"));
        assert!(cfg(&[("CAREPORT_DEMO_DATA", "maybe")])
            .unwrap_err()
            .contains("true or false"));
        assert!(cfg(&[("CAREPORT_SESSION_IDLE_MINUTES", "-5")]).is_err());
        assert!(cfg(&[("CAREPORT_DATABASE_URL", "mysql://db/careport")])
            .unwrap_err()
            .contains("sqlite:// or postgres://"));
        assert!(cfg(&[("CAREPORT_DB_MAX_CONNECTIONS", "0")])
            .unwrap_err()
            .contains("CAREPORT_DB_MAX_CONNECTIONS"));
        assert_eq!(
            cfg(&[("CAREPORT_DB_MAX_CONNECTIONS", "20")])
                .unwrap()
                .db_max_connections,
            20
        );
    }
}
