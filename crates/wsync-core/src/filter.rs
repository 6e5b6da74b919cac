//! Matching paths against the folder's exclude patterns the way rclone's
//! filter rules do, so that the watcher ignores exactly what sync ignores.
//!
//! `*` matches within one path segment, `**` across segments, `?` one
//! character. A pattern with a leading `/` is anchored at the folder root;
//! otherwise it matches the end of the path at a segment boundary. A
//! pattern that matches a directory (`.git/**`) excludes everything in it.

/// A compiled list of exclude patterns.
#[derive(Debug, Clone, Default)]
pub struct Excludes {
    patterns: Vec<(bool, Vec<u8>)>,
}

impl Excludes {
    pub fn new(patterns: &[String]) -> Excludes {
        let mut out = Vec::new();
        for p in patterns {
            let anchored = p.starts_with('/');
            out.push((anchored, p.trim_start_matches('/').as_bytes().to_vec()));
        }
        out.push((false, format!("*{}", crate::sync::PARTIAL_SUFFIX).into_bytes()));
        Excludes { patterns: out }
    }

    /// Is `rel` (a path relative to the folder, with `/` separators) excluded?
    pub fn is_excluded(&self, rel: &str) -> bool {
        let rel = rel.trim_start_matches('/');
        self.patterns.iter().any(|(anchored, pat)| {
            let starts: Vec<usize> = if *anchored {
                vec![0]
            } else {
                std::iter::once(0).chain(rel.match_indices('/').map(|(i, _)| i + 1)).collect()
            };
            starts.into_iter().any(|s| {
                let tail = &rel.as_bytes()[s..];
                glob(pat, tail) || dir_glob(pat, tail)
            })
        })
    }
}

/// `dir/**` also matches `dir` itself; and a pattern matching a parent
/// directory of the path matches the path (`node_modules/**` for
/// `node_modules/x/y`, handled by `**`).
fn dir_glob(pat: &[u8], path: &[u8]) -> bool {
    pat.ends_with(b"/**") && &pat[..pat.len() - 3] == path
}

fn glob(pat: &[u8], s: &[u8]) -> bool {
    match pat.first() {
        None => s.is_empty(),
        Some(b'*') if pat.get(1) == Some(&b'*') => {
            let rest = &pat[2..];
            (0..=s.len()).any(|i| glob(rest, &s[i..]))
        }
        Some(b'*') => {
            let rest = &pat[1..];
            for i in 0..=s.len() {
                if glob(rest, &s[i..]) {
                    return true;
                }
                if i < s.len() && s[i] == b'/' {
                    break;
                }
            }
            false
        }
        Some(b'?') => !s.is_empty() && s[0] != b'/' && glob(&pat[1..], &s[1..]),
        Some(&c) => !s.is_empty() && s[0] == c && glob(&pat[1..], &s[1..]),
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
    fn anchored_and_single_char() {
        let e = Excludes::new(&["/build/**".to_string(), "?.tmp".to_string()]);
        assert!(e.is_excluded("build/out.o"));
        assert!(!e.is_excluded("src/build/out.o"));
        assert!(e.is_excluded("x/a.tmp"));
        assert!(!e.is_excluded("ab.tmp"));
    }
}
