//! Addresses, compiled for the server and the browser: foundation code that
//! names no domain.

/// Percent-encodes a path segment or query value; `/` is kept, so a path
/// ("next" after sign-in) stays readable.
pub fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
