//! What starting an instance and naming a command need of an integration's manifest: its
//! parameters and its command names. A one-command process reads it from beside the cached
//! artifact instead of asking the guest for the whole manifest, whose every command, output and
//! description it would build and copy out: a sixth of the work of `code42 run`.
//!
//! The file (postcard, which reads in a third of the time JSON takes) is derived from the
//! component alone and named after its artifact, so it is as current as the artifact. It is
//! trusted as the artifact is: both live in the user's private cache directory, and the artifact
//! is native code.

use crate::bindings::{IntegrationManifest, ParamSpec};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LaunchSpec {
    pub params: Vec<ParamSpec>,
    pub commands: Vec<CommandName>,
}

/// A command's name and the other names it answers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandName {
    pub name: String,
    pub aliases: Vec<String>,
}

impl LaunchSpec {
    pub fn of(manifest: &IntegrationManifest) -> Self {
        LaunchSpec {
            params: manifest.params.clone(),
            commands: manifest
                .commands
                .iter()
                .map(|c| CommandName { name: c.name.clone(), aliases: c.aliases.clone() })
                .collect(),
        }
    }

    /// The command called `name` (or by one of its aliases), by its own name.
    pub fn command(&self, name: &str) -> Option<&str> {
        self.commands.iter().find(|c| c.name == name || c.aliases.iter().any(|a| a == name)).map(|c| c.name.as_str())
    }

    /// The spec stored at `path`; `None` when there is none or it cannot be read (it is then
    /// derived again and rewritten).
    pub fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read(path).ok()?;
        postcard::from_bytes(&text).ok()
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        crate::atomic_file::write(path, &postcard::to_stdvec(self)?)
    }
}
