//! The integration's error type: one variant per case of the WIT `integration-error`.

/// Why a call failed. Every text is fit to show a user and never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An argument or instance parameter was missing or malformed.
    #[error("{message}")]
    InvalidArgument { name: String, message: String },
    /// The object asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The credentials were refused.
    #[error("{0}")]
    Unauthorized(String),
    /// The API answered with an error status.
    #[error("{message}")]
    Upstream { status: u16, message: String },
    /// The request did not complete.
    #[error("{0}")]
    Transport(String),
    /// A bug or an unexpected state inside the integration.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// An invalid-argument error whose text names the argument.
    pub fn invalid_arg(name: &str, message: impl std::fmt::Display) -> Self {
        Error::InvalidArgument { name: name.to_string(), message: message.to_string() }
    }

    /// A required argument that was not given.
    pub fn missing_arg(name: &str) -> Self {
        Self::invalid_arg(name, format!("Missing required argument: {name}"))
    }

    /// A 404 said in the command's words (which object is missing); any other error as it is.
    pub fn when_not_found(self, message: impl FnOnce() -> String) -> Self {
        match self {
            Error::NotFound(_) => Error::NotFound(message()),
            other => other,
        }
    }

    /// The same kind of error with its text replaced, for commands whose reference wraps
    /// lower-level failures in a message of their own.
    pub fn with_message(self, message: String) -> Self {
        match self {
            Error::InvalidArgument { name, .. } => Error::InvalidArgument { name, message },
            Error::NotFound(_) => Error::NotFound(message),
            Error::Unauthorized(_) => Error::Unauthorized(message),
            Error::Upstream { status, .. } => Error::Upstream { status, message },
            Error::Transport(_) => Error::Transport(message),
            Error::Internal(_) => Error::Internal(message),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with a JSON text, in words and a position; never the parser's own wording for
/// a shape it did not expect (which names Rust types and serde's terms).
pub fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {}, column {}", e.line(), e.column());
    match e.classify() {
        Category::Syntax => format!("it is not valid JSON ({at})"),
        Category::Eof => format!("it ends too early ({at})"),
        Category::Data => format!("it does not have the expected shape ({at})"),
        Category::Io => "it could not be read".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_problems_are_said_without_serde_terms() {
        let shape = serde_json::from_str::<Vec<u8>>("{\"a\": 1}").unwrap_err();
        assert_eq!(json_problem(&shape), "it does not have the expected shape (line 1, column 0)");
        let syntax = serde_json::from_str::<serde_json::Value>("[1 2]").unwrap_err();
        assert_eq!(json_problem(&syntax), "it is not valid JSON (line 1, column 4)");
        let short = serde_json::from_str::<serde_json::Value>("[1,").unwrap_err();
        assert_eq!(json_problem(&short), "it ends too early (line 1, column 3)");
    }
}
