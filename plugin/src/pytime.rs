//! Timestamps printed the way the reference's Python prints them (`datetime.isoformat()`), so
//! that context values match what existing playbooks parse.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Timelike, Utc};

/// Epoch milliseconds as UTC ISO 8601 with `+00:00`; the fraction is six digits, or absent when
/// zero (`2024-09-11T19:26:00.680000+00:00`, `2024-09-11T19:26:00+00:00`).
pub fn iso_from_millis(millis: i64) -> Option<String> {
    let dt = DateTime::<Utc>::from_timestamp_millis(millis)?;
    Some(format!("{}+00:00", naive_iso(&dt.naive_utc())))
}

/// Re-prints an API timestamp as Python would after parsing it: fractions padded to six digits,
/// `Z` written as `+00:00`, a naive time left naive. Text that is not a timestamp is returned as is.
pub fn reprint(text: &str) -> String {
    if let Ok(dt) = DateTime::<FixedOffset>::parse_from_rfc3339(text) {
        return format!("{}{}", naive_iso(&dt.naive_local()), dt.offset());
    }
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(naive) => naive_iso(&naive),
        Err(_) => text.to_string(),
    }
}

fn naive_iso(dt: &NaiveDateTime) -> String {
    let micros = dt.nanosecond() / 1_000;
    if micros == 0 {
        dt.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        format!("{}.{micros:06}", dt.format("%Y-%m-%dT%H:%M:%S"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_millis_like_python() {
        assert_eq!(iso_from_millis(1726082760680).unwrap(), "2024-09-11T19:26:00.680000+00:00");
        assert_eq!(iso_from_millis(1726082760000).unwrap(), "2024-09-11T19:26:00+00:00");
    }

    #[test]
    fn reprints_api_timestamps_like_python() {
        assert_eq!(reprint("2022-03-31T20:41:47.2985"), "2022-03-31T20:41:47.298500");
        assert_eq!(reprint("2022-02-26T18:41:45.766005"), "2022-02-26T18:41:45.766005");
        assert_eq!(reprint("2022-03-31T20:41:47.2985Z"), "2022-03-31T20:41:47.298500+00:00");
        assert_eq!(reprint("2022-03-31T20:41:47Z"), "2022-03-31T20:41:47+00:00");
        assert_eq!(reprint("2015-05-16T15:07:44.820-05:00"), "2015-05-16T15:07:44.820000-05:00");
        assert_eq!(reprint("not a time"), "not a time");
    }
}
