//! Matching paths against the folder's exclude patterns the way rclone's
//! filter rules do (through `globset`), so that the watcher ignores exactly
//! what a sync ignores.
//!
//! `*` matches within one path segment, `**` across segments, `?` one
//! character, `[...]` a class and `{a,b}` alternatives. A pattern with a
//! leading `/` is anchored at the folder root; otherwise it matches the end
//! of the path at a segment boundary. A pattern that matches a directory's
//! contents (`.git/**`) also matches the directory itself.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// The suffix of rclone's partial files: excluded from every folder's own
/// list (a half-written transfer never travels).
pub const PARTIAL_SUFFIX: &str = ".wsync-partial";

/// A compiled list of exclude patterns.
#[derive(Debug, Clone)]
pub struct Excludes {
    set: GlobSet,
}

impl Default for Excludes {
    fn default() -> Self {
        Excludes::new(&[])
    }
}

fn add(b: &mut GlobSetBuilder, pattern: &str) {
    if let Ok(g) = GlobBuilder::new(pattern).literal_separator(true).backslash_escape(true).build() {
        b.add(g);
    }
}

impl Excludes {
    pub fn new(patterns: &[String]) -> Excludes {
        let mut b = GlobSetBuilder::new();
        let partial = format!("*{}", PARTIAL_SUFFIX);
        for p in patterns.iter().map(String::as_str).chain(std::iter::once(partial.as_str())) {
            let anchored = p.starts_with('/');
            let body = p.trim_start_matches('/');
            if body.is_empty() {
                continue;
            }
            let mut forms = vec![body.to_string()];
            // `dir/**` also names `dir` itself.
            if let Some(dir) = body.strip_suffix("/**") {
                forms.push(dir.to_string());
            }
            for f in forms {
                if !anchored {
                    add(&mut b, &format!("**/{f}"));
                }
                add(&mut b, &f);
            }
        }
        let set = b.build().unwrap_or_else(|_| GlobSet::empty());
        Excludes { set }
    }

    /// Is `rel` (a path relative to the folder, with `/` separators) excluded?
    pub fn is_excluded(&self, rel: &str) -> bool {
        self.set.is_match(rel.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_excludes_match_like_rclone() {
        let e = Excludes::new(&crate::config::default_excludes());
        for p in [".git/config", "sub/.git/HEAD", ".git", "node_modules/x/y.js", "a/node_modules/b", ".env", ".env.local", "d/.env.prod", "debug.log", "a/b/c.log", "big.bin.abc.wsync-partial"] {
            assert!(e.is_excluded(p), "{p} should be excluded");
        }
        for p in ["notes.md", "env.txt", "logs/readme.md", "a.log.txt", "my.git/x", "gitignore"] {
            assert!(!e.is_excluded(p), "{p} should not be excluded");
        }
    }

    #[test]
    fn anchored_single_char_classes_and_alternatives() {
        let e = Excludes::new(&["/build/**".to_string(), "?.tmp".to_string(), "*.{bak,swp}".to_string(), "[0-9]*.cache".to_string()]);
        assert!(e.is_excluded("build/out.o"));
        assert!(!e.is_excluded("src/build/out.o"));
        assert!(e.is_excluded("x/a.tmp"));
        assert!(!e.is_excluded("ab.tmp"));
        assert!(e.is_excluded("notes.bak") && e.is_excluded("d/notes.swp") && !e.is_excluded("notes.md"));
        assert!(e.is_excluded("7days.cache") && !e.is_excluded("days.cache"));
    }

    #[test]
    fn double_star_does_not_backtrack_exponentially() {
        let e = Excludes::new(&["**/a/**/b/**/c/**/d/**/*.x".to_string()]);
        let long = "a/".repeat(40) + "z";
        // An exponential matcher would not return here.
        assert!(!e.is_excluded(&long));
    }
}
