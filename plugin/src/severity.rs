//! Session risk severities: the API's integers, the reference's names, the incident scale.

use crate::error::{Error, Result};

/// A session's risk severity, as the Incydr API numbers it (0–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    NoRisk = 0,
    Low = 1,
    Moderate = 2,
    High = 3,
    Critical = 4,
}

impl Severity {
    const ALL: [Severity; 5] =
        [Severity::NoRisk, Severity::Low, Severity::Moderate, Severity::High, Severity::Critical];

    /// The severity of an API integer; values outside 0–4 are clamped into range.
    pub fn from_api(value: i64) -> Self {
        Self::ALL[value.clamp(0, 4) as usize]
    }

    /// The integer the API uses in `severity=` filters.
    pub fn api_value(self) -> u8 {
        self as u8
    }

    /// The reference's `riskSeverity` text.
    pub fn name(self) -> &'static str {
        match self {
            Severity::NoRisk => "NO RISK",
            Severity::Low => "LOW",
            Severity::Moderate => "MODERATE",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }

    /// The XSOAR incident severity (LOW 1 … CRITICAL 4, NO RISK 0).
    pub fn incident_severity(self) -> f32 {
        f32::from(self.api_value())
    }

    /// Parses an `alert_severity` choice (Critical, High, Moderate, Low; any case).
    pub fn from_param(param: &str, value: &str) -> Result<Self> {
        let wanted = value.trim().to_ascii_uppercase();
        Self::ALL[1..].iter().copied().find(|s| s.name() == wanted).ok_or_else(|| {
            Error::invalid_arg(param, format!("Invalid {param} '{value}': expected Critical, High, Moderate or Low"))
        })
    }

    /// Parses a search filter's severity: NO_RISK (or NO RISK), LOW, MODERATE, HIGH, CRITICAL;
    /// any case.
    pub fn from_filter(arg: &str, value: &str) -> Result<Self> {
        let wanted = value.trim().to_ascii_uppercase().replace('_', " ");
        Self::ALL.iter().copied().find(|s| s.name() == wanted).ok_or_else(|| {
            Error::invalid_arg(
                arg,
                format!("Invalid {arg} '{value}': expected NO_RISK, LOW, MODERATE, HIGH or CRITICAL (any case)"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_names_to_the_api_integers() {
        assert_eq!(Severity::from_param("p", "High").unwrap().api_value(), 3);
        assert_eq!(Severity::from_param("p", "low").unwrap().api_value(), 1);
        assert_eq!(Severity::from_param("p", "CRITICAL").unwrap().api_value(), 4);
        assert!(Severity::from_param("p", "No Risk").is_err());
        assert_eq!(Severity::from_api(2).name(), "MODERATE");
        assert_eq!(Severity::from_api(9), Severity::Critical);
        assert_eq!(Severity::from_filter("s", "no_risk").unwrap(), Severity::NoRisk);
        assert_eq!(Severity::from_filter("s", "Moderate").unwrap(), Severity::Moderate);
        assert!(Severity::from_filter("s", "severe").unwrap_err().to_string().contains("NO_RISK"));
    }
}
