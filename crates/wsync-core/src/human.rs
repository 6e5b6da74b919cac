//! Figures in plain words for people: how long ago something happened.

/// "just now", "2 min ago", "3 h ago", "4 days ago" for an RFC 3339 time.
pub fn ago(t: &str) -> String {
    let Ok(when) = chrono::DateTime::parse_from_rfc3339(t) else { return t.to_string() };
    let secs = (chrono::Utc::now() - when.with_timezone(&chrono::Utc)).num_seconds().max(0);
    match secs {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86_399 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ages_in_words() {
        let at = |secs: i64| (chrono::Utc::now() - chrono::Duration::seconds(secs)).to_rfc3339();
        assert_eq!(super::ago(&at(5)), "just now");
        assert_eq!(super::ago(&at(150)), "2 min ago");
        assert_eq!(super::ago(&at(3 * 3600 + 5)), "3 h ago");
        assert_eq!(super::ago(&at(4 * 86_400 + 5)), "4 days ago");
        assert_eq!(super::ago("not a time"), "not a time");
    }
}
