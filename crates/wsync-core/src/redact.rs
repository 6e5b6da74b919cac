//! Redaction of secrets from every line the program writes: known secret
//! values (registered when they are resolved) and secret-looking patterns in
//! text that comes from rclone (tokens, Authorization headers, passwords).

use std::sync::Mutex;

static KNOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());

pub const MASK: &str = "***";

/// Remember a secret value so that it is masked wherever it appears.
pub fn register(secret: &str) {
    // Very short values would mask ordinary words; they are still never
    // logged by us, but are not worth masking in free text.
    if secret.len() < 4 {
        return;
    }
    if let Ok(mut k) = KNOWN.lock() {
        if !k.iter().any(|s| s == secret) {
            k.push(secret.to_string());
            // Longest first, so a secret containing another is masked whole.
            k.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }
}

/// Mask registered secrets and secret-looking patterns in `text`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    if let Ok(k) = KNOWN.lock() {
        for s in k.iter() {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
    }
    for key in [
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "password",
        "secret_access_key",
        "token",
        "pass",
        "code",
    ] {
        out = mask_key_values(&out, key);
    }
    let out = mask_after(&out, &["Bearer ", "bearer ", "Basic ", "basic "]);
    mask_after(&out, &["Authorization: ", "authorization: "])
}

/// Mask the value after `"key":"…"`, `key=…` and `key = …` forms.
fn mask_key_values(text: &str, key: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(key) {
        let (before, after_start) = rest.split_at(pos);
        out.push_str(before);
        out.push_str(key);
        let mut after = &after_start[key.len()..];
        // Only whole keys: the previous char must not be part of a word.
        let prev_is_word = before.chars().last().map(|c| c.is_ascii_alphanumeric() || c == '_').unwrap_or(false);
        let mut sep = String::new();
        if after.starts_with('"') {
            sep.push('"');
            after = &after[1..];
        }
        let trimmed = after.trim_start_matches(' ');
        let spaces = after.len() - trimmed.len();
        if prev_is_word || !(trimmed.starts_with(':') || trimmed.starts_with('=')) {
            out.push_str(&sep);
            rest = after;
            continue;
        }
        sep.push_str(&after[..spaces + 1]);
        after = &trimmed[1..];
        let value_trim = after.trim_start_matches(' ');
        sep.push_str(&after[..after.len() - value_trim.len()]);
        after = value_trim;
        out.push_str(&sep);
        let (quote, body) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &after[1..]),
            _ => (None, after),
        };
        let end = match quote {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body.find(|c: char| c.is_whitespace() || c == ',' || c == '&' || c == '}' || c == ';').unwrap_or(body.len()),
        };
        // `${VAR}` names a variable, it holds no secret (and the fix texts
        // that show how to reference one must stay readable).
        let reference = body.starts_with("${") && body[..end].ends_with('}');
        if end == 0 || reference {
            if let Some(q) = quote {
                out.push(q);
            }
            rest = body;
            continue;
        }
        if let Some(q) = quote {
            out.push(q);
        }
        out.push_str(MASK);
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

fn mask_after(text: &str, prefixes: &[&str]) -> String {
    let mut out = text.to_string();
    for p in prefixes {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(pos) = rest.find(p) {
            result.push_str(&rest[..pos + p.len()]);
            let mut after = &rest[pos + p.len()..];
            // "Authorization: Bearer ***" is already masked by the scheme rule.
            for scheme in ["Bearer ", "bearer ", "Basic ", "basic "] {
                if let Some(stripped) = after.strip_prefix(scheme) {
                    result.push_str(scheme);
                    after = stripped;
                }
            }
            let end = after.find(|c: char| c.is_whitespace() || c == '"' || c == '\'').unwrap_or(after.len());
            if end > 0 && !after.starts_with(MASK) {
                result.push_str(MASK);
            } else {
                result.push_str(&after[..end]);
            }
            rest = &after[end..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_json_tokens() {
        let s = r#"{"access_token":"abc.def","token_type":"bearer","refresh_token":"r123","expiry":"2026"}"#;
        let r = redact(s);
        assert!(!r.contains("abc.def") && !r.contains("r123"), "{r}");
        assert!(r.contains("expiry"), "{r}");
    }

    #[test]
    fn masks_headers_and_assignments() {
        let r = redact("Authorization: Bearer sk-live-1234 and pass = 'hunter22' token=xyz123");
        assert!(!r.contains("sk-live-1234") && !r.contains("hunter22") && !r.contains("xyz123"), "{r}");
    }

    #[test]
    fn masks_registered_values() {
        register("s3cr3t-value-42");
        assert_eq!(redact("failed with s3cr3t-value-42 in it"), "failed with *** in it");
        assert_eq!(redact(r#"e.g. "token": "${DROPBOX_TOKEN}""#), r#"e.g. "token": "${DROPBOX_TOKEN}""#);
        assert_eq!(redact(r#""token": "abc${X}""#), r#""token": "***""#);
    }

    #[test]
    fn leaves_ordinary_text() {
        let s = "Copied (new) passport.pdf to tokens/notes.md";
        assert_eq!(redact(s), s);
    }
}
