//! Retry delays after failures: exponential with jitter, capped at about
//! 15 minutes; rate limiting waits longer. A success resets it.

use std::time::Duration;

pub const CAP: Duration = Duration::from_secs(15 * 60);
/// The least wait after the server said "too many requests".
pub const RATE_LIMIT_MIN: Duration = Duration::from_secs(60);

/// Does this error text say the server is rate limiting us?
#[cfg(test)]
pub fn is_rate_limited(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    crate::remote::check::has_status(&t, "429") || t.contains("too_many_requests") || t.contains("too many requests") || t.contains("rate limit") || t.contains("ratelimit")
}

/// The delay before retry number `failures` (1 = first retry).
pub fn delay(failures: u32, rate_limited: bool, base: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << failures.saturating_sub(1).min(16));
    let mut d = exp.min(CAP);
    if rate_limited {
        d = (d * 4).max(RATE_LIMIT_MIN).min(CAP * 2);
    }
    // ±20 % jitter so that many clients do not retry in step.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|t| t.subsec_nanos()).unwrap_or(0);
    let factor = 0.8 + 0.4 * (nanos % 1000) as f64 / 1000.0;
    d.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(5);

    #[test]
    fn grows_caps_and_waits_longer_when_rate_limited() {
        let d1 = delay(1, false, BASE).as_secs_f64();
        let d3 = delay(3, false, BASE).as_secs_f64();
        assert!((4.0..=6.0).contains(&d1), "{d1}");
        assert!((16.0..=24.0).contains(&d3), "{d3}");
        assert!(delay(30, false, BASE) <= CAP.mul_f64(1.2));
        assert!(delay(1, true, BASE) >= RATE_LIMIT_MIN.mul_f64(0.8));
        assert!(is_rate_limited("HTTP 429 Too Many Requests") && is_rate_limited("too_many_requests/"));
        assert!(!is_rate_limited("connection refused"));
    }
}
