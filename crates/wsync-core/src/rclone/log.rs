//! rclone's JSON log (`--use-json-log`), one object per stderr line, parsed
//! into typed lines. Lines that are not JSON (continuations of multi-line
//! messages, Go panics) are kept as raw text.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
    Critical,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub level: Level,
    pub msg: String,
    /// The file the line is about, when rclone says.
    pub object: Option<String>,
    pub size: Option<i64>,
    pub stats: Option<Stats>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Stats {
    pub bytes: u64,
    #[serde(rename = "totalBytes")]
    pub total_bytes: u64,
    pub speed: f64,
    pub eta: Option<f64>,
    pub transfers: u64,
    #[serde(rename = "totalTransfers")]
    pub total_transfers: u64,
    pub checks: u64,
    pub errors: u64,
    pub transferring: Vec<Transferring>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Transferring {
    pub name: String,
    pub bytes: u64,
    pub size: i64,
    pub percentage: u32,
}

#[derive(Deserialize)]
struct RawLine {
    level: String,
    #[serde(default)]
    msg: String,
    #[serde(default)]
    object: Option<String>,
    #[serde(default)]
    size: Option<i64>,
    #[serde(default)]
    stats: Option<Stats>,
}

impl LogLine {
    /// Parse one stderr line. Non-JSON text becomes an `Error`-level line
    /// only if it looks like an error, else `Info`.
    pub fn parse(line: &str) -> LogLine {
        let trimmed = line.trim();
        if trimmed.starts_with('{') {
            if let Ok(raw) = serde_json::from_str::<RawLine>(trimmed) {
                let level = match raw.level.as_str() {
                    "debug" => Level::Debug,
                    "info" => Level::Info,
                    "notice" => Level::Notice,
                    "warning" => Level::Warning,
                    "error" => Level::Error,
                    _ => Level::Critical,
                };
                return LogLine { level, msg: raw.msg.trim_end().to_string(), object: raw.object, size: raw.size, stats: raw.stats };
            }
        }
        let level = if trimmed.starts_with("panic:") || trimmed.contains("ERROR") || trimmed.contains("CRITICAL") || trimmed.starts_with("Fatal") {
            Level::Error
        } else {
            Level::Info
        };
        LogLine { level, msg: trimmed.to_string(), object: None, size: None, stats: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_and_stats() {
        let l = LogLine::parse(r#"{"time":"t","level":"info","msg":"Copied (new)","object":"a b.txt","objectType":"*local.Object","size":5,"source":"x"}"#);
        assert_eq!(l.level, Level::Info);
        assert_eq!(l.object.as_deref(), Some("a b.txt"));
        let s = LogLine::parse(r#"{"level":"info","msg":"stats","stats":{"bytes":10,"totalBytes":20,"speed":1.5,"eta":3,"transfers":1,"totalTransfers":2,"transferring":[{"name":"f","bytes":5,"size":10,"percentage":50}]}}"#);
        let st = s.stats.unwrap();
        assert_eq!((st.bytes, st.total_bytes, st.total_transfers), (10, 20, 2));
        assert_eq!(st.transferring[0].percentage, 50);
    }

    #[test]
    fn raw_lines_survive() {
        let l = LogLine::parse("Tip: here are the filenames");
        assert_eq!(l.level, Level::Info);
        assert_eq!(l.msg, "Tip: here are the filenames");
    }
}
