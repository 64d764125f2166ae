//! What every face of a SOAR integration makes of its results, in one place: the CLI host and
//! the HTTP service component both use it, so a command's JSON is the same whoever runs it.
//!
//! * [`envelope`]: `{"results": [...]}`, one entry per command result, files included.
//! * [`file_context`]: the XSOAR `File` context of a returned file.
//! * [`context`]: merging outputs into an XSOAR-style context.
//! * [`incidents`]: incidents and the next last-run, as XSOAR's fetch takes them.

pub mod context;
pub mod envelope;
pub mod file_context;
pub mod incidents;
