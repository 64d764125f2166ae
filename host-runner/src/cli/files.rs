//! Files returned by commands, written into the files directory and nowhere else.

use anyhow::{Context as _, Result};
use host_runner::bindings::FileEntry;
use soar_results::envelope::FileView;
use std::path::{Path, PathBuf};

/// The last component of a name the integration suggested, with anything that could leave the
/// directory (separators, `..`, control characters) taken out.
pub fn safe_name(suggested: &str) -> String {
    let last = suggested.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() { "download".to_string() } else { cleaned }
}

/// `name`, or `name-1.ext`, `name-2.ext`... so that an existing file is never overwritten.
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let candidate = dir.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    (1..).map(|n| dir.join(format!("{stem}-{n}{ext}"))).find(|p| !p.exists()).expect("some suffix is free")
}

pub fn write_all(dir: &Path, entries: &[FileEntry]) -> Result<Vec<FileView>> {
    if entries.is_empty() {
        return Ok(vec![]);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    entries
        .iter()
        .map(|entry| {
            let name = safe_name(&entry.name);
            let path = free_path(dir, &name);
            host_runner::atomic_file::write(&path, &entry.data)?;
            Ok(FileView::saved(name, path.display().to_string(), &entry.data))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_leave_the_directory() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("..\\..\\x.txt"), "x.txt");
        assert_eq!(safe_name(".."), "download");
        assert_eq!(safe_name("/"), "download");
        assert_eq!(safe_name(".bashrc"), "bashrc");
        assert_eq!(safe_name("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(safe_name("report.xlsx"), "report.xlsx");
    }

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let entry = |data: &[u8]| FileEntry { name: "../r.txt".into(), data: data.to_vec() };
        let first = write_all(dir.path(), &[entry(b"one")]).unwrap();
        let second = write_all(dir.path(), &[entry(b"two")]).unwrap();
        let path = |f: &FileView| match &f.delivery {
            soar_results::envelope::Delivery::Path { path } => path.clone(),
            other => panic!("{other:?}"),
        };
        assert!(path(&first[0]).ends_with("r.txt"));
        assert!(path(&second[0]).ends_with("r-1.txt"));
        assert_eq!(std::fs::read(path(&first[0])).unwrap(), b"one");
        assert_eq!(second[0].size, 3);
    }
}
