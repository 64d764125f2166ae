//! `<number> <unit>` time ranges such as the `fetch_time` parameter (`24 hours`).

use crate::error::{Error, Result};

/// A length of time given as `<number> <unit>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    millis: i64,
}

impl TimeRange {
    /// Parses with the reference's rules and error texts (XSOAR `parse_date_range`): units minute,
    /// hour, day, month (30 days) and year (365 days), singular or plural, any case.
    pub fn parse(param: &str, text: &str) -> Result<Self> {
        let parts: Vec<&str> = text.trim().split(' ').collect();
        let [number, unit] = parts[..] else {
            return Err(Error::invalid_arg(
                param,
                "date_range must be \"number date_range_unit\", examples: (2 hours, 4 minutes, 6 months, 1 day, etc.)",
            ));
        };
        let number: i64 =
            number.parse().map_err(|_| Error::invalid_arg(param, "The time value is invalid. Must be an integer."))?;
        let unit_ms: i64 = match unit.to_ascii_lowercase().as_str() {
            "minute" | "minutes" => 60_000,
            "hour" | "hours" => 3_600_000,
            "day" | "days" => 86_400_000,
            "month" | "months" => 30 * 86_400_000,
            "year" | "years" => 365 * 86_400_000,
            _ => {
                return Err(Error::invalid_arg(
                    param,
                    "The unit of date_range is invalid. Must be minutes, hours, days, months, or years.",
                ));
            }
        };
        let millis = number
            .checked_mul(unit_ms)
            .filter(|ms| *ms >= 0)
            .ok_or_else(|| Error::invalid_arg(param, format!("Invalid {param} '{text}': out of range")))?;
        Ok(TimeRange { millis })
    }

    pub fn millis(self) -> i64 {
        self.millis
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(TimeRange::parse("t", "24 hours").unwrap().millis(), 86_400_000);
        assert_eq!(TimeRange::parse("t", "1 Minute").unwrap().millis(), 60_000);
        assert_eq!(TimeRange::parse("t", "2 days").unwrap().millis(), 2 * 86_400_000);
        assert_eq!(TimeRange::parse("t", "1 month").unwrap().millis(), 30 * 86_400_000);
        assert_eq!(TimeRange::parse("t", "1 YEARS").unwrap().millis(), 365 * 86_400_000);
    }

    #[test]
    fn gives_the_reference_errors() {
        let text = |s: &str| TimeRange::parse("fetch_time", s).unwrap_err().to_string();
        assert!(text("24").starts_with("date_range must be \"number date_range_unit\""));
        assert!(text("24  hours").starts_with("date_range must be"));
        assert_eq!(text("x hours"), "The time value is invalid. Must be an integer.");
        assert_eq!(
            text("3 weeks"),
            "The unit of date_range is invalid. Must be minutes, hours, days, months, or years."
        );
        assert!(text("-1 days").contains("out of range"));
    }
}
