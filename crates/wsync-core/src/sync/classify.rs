//! What a bisync run's exit means, read from rclone's verdict lines only
//! (errors, and the `Failed to bisync` notices), never from lines that name
//! files, so that a file called `too many deletes.txt` cannot make a
//! failed run look blocked.

use crate::rclone::{ExitKind, Level, LogLine, Output};

/// Path1 (this computer) or Path2 (the cloud).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    One,
    Two,
}

impl Path {
    pub fn tag(self) -> &'static str {
        match self {
            Path::One => "Path1",
            Path::Two => "Path2",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// bisync's `--max-delete` guard stopped it.
    TooManyDeletes { side: Path, count: u64, total: u64 },
    /// Every file of one side changed.
    AllChanged,
    /// One side is empty now although its records hold files.
    EmptyNow(Path),
    /// The records hold no files for one side (two empty sides merged).
    EmptyBefore,
    /// Another run holds bisync's lock.
    PriorLock,
    /// The records of the last sync are missing.
    ListingsLost,
    /// An error that needs a fresh merge.
    Critical(String),
    Interrupted,
    /// Anything else: the (redacted) error text.
    Failed(String),
}

/// rclone's verdict lines: errors, and the notices that carry bisync's
/// final word.
fn verdicts(out: &Output) -> Vec<&LogLine> {
    out.lines
        .iter()
        .filter(|l| l.level >= Level::Error || (l.level == Level::Notice && (l.msg.starts_with("Failed to bisync") || l.msg.starts_with("Bisync aborted"))))
        .collect()
}

/// Parse "too many deletes (>50%, 5 of 9) on Path2".
pub fn parse_too_many(text: &str) -> Option<(u64, u64, Path)> {
    let rest = text.get(text.find("too many deletes (>")?..)?;
    let open = rest.find(", ")? + 2;
    let of = rest.find(" of ")?;
    let close = of + rest.get(of..)?.find(')')?;
    let n: u64 = rest.get(open..of)?.trim().parse().ok()?;
    let total: u64 = rest.get(of + 4..close)?.trim().parse().ok()?;
    let side = if rest.get(close..)?.contains("on Path1") { Path::One } else { Path::Two };
    Some((n, total, side))
}

pub fn classify(out: &Output) -> Outcome {
    match out.kind {
        ExitKind::Success => return Outcome::Ok,
        ExitKind::Interrupted => return Outcome::Interrupted,
        _ => {}
    }
    let v = verdicts(out);
    let any = |needle: &str| v.iter().any(|l| l.msg.contains(needle));
    if let Some((count, total, side)) = v.iter().find_map(|l| parse_too_many(&l.msg)) {
        return Outcome::TooManyDeletes { side, count, total };
    }
    if any("Safety abort: all files were changed") {
        return Outcome::AllChanged;
    }
    for side in [Path::One, Path::Two] {
        if any(&format!("Empty current {} listing", side.tag())) {
            return Outcome::EmptyNow(side);
        }
    }
    if any("Empty prior Path1 listing") || any("Empty prior Path2 listing") {
        return Outcome::EmptyBefore;
    }
    if out.lines.iter().any(|l| l.level >= Level::Notice && l.msg.starts_with("Failed to bisync: prior lock file found")) {
        return Outcome::PriorLock;
    }
    if any("cannot find prior Path1 or Path2 listings") {
        return Outcome::ListingsLost;
    }
    if out.kind == ExitKind::Critical && !any("retryable without --resync") {
        return Outcome::Critical(out.error_text());
    }
    Outcome::Failed(out.error_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(kind: ExitKind, lines: &[(Level, &str)]) -> Output {
        Output {
            code: Some(1),
            kind,
            stdout: String::new(),
            lines: lines.iter().map(|(level, msg)| LogLine { level: *level, msg: msg.to_string(), object: None, size: None, stats: None }).collect(),
            line_count: lines.len() as u64,
            warnings: Vec::new(),
            timed_out: false,
            config_after: None,
            token_refreshed: false,
        }
    }

    #[test]
    fn parses_too_many_deletes_with_checked_slicing() {
        assert_eq!(parse_too_many("too many deletes (>50%, 5 of 9) on Path2 \"x\"."), Some((5, 9, Path::Two)));
        assert_eq!(parse_too_many("too many deletes (>50%, 12 of 20) on Path1 \"x\"."), Some((12, 20, Path::One)));
        for broken in ["too many deletes (>", "too many deletes (>50%, x of 9)", "too many deletes (>50% 5 of 9", "too many deletes (>50%, ) of"] {
            assert_eq!(parse_too_many(broken), None, "{broken}");
        }
    }

    #[test]
    fn file_names_never_decide_the_outcome() {
        // A failed run whose info lines name a file "too many deletes (>50%, 1 of 2) on Path2.txt".
        let o = out(
            ExitKind::Error,
            &[
                (Level::Info, "- Path1             File is new                                 - too many deletes (>50%, 1 of 2) on Path2.txt"),
                (Level::Error, "Failed to copy: permission denied"),
            ],
        );
        assert!(matches!(classify(&o), Outcome::Failed(_)), "{:?}", classify(&o));
        let o = out(ExitKind::Error, &[(Level::Error, "too many deletes (>50%, 6 of 10) on Path1 \"p1/\". Run with --force if desired.")]);
        assert_eq!(classify(&o), Outcome::TooManyDeletes { side: Path::One, count: 6, total: 10 });
        let o = out(ExitKind::Critical, &[(Level::Error, "Empty current Path1 listing. Cannot sync to an empty directory: x.lst-new")]);
        assert_eq!(classify(&o), Outcome::EmptyNow(Path::One));
        let o = out(ExitKind::Error, &[(Level::Notice, "Failed to bisync: prior lock file found: /w/x.lck")]);
        assert_eq!(classify(&o), Outcome::PriorLock);
    }
}
