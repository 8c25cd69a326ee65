//! Walking folders, one way for the whole runner: sorted, never through a symbolic link
//! (a link is a file of its own, so nothing reaches out of the course), never into build
//! output or git's own folder.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::error::{Context, Result};

/// Every file under `dir`, sorted by path. Folders named `target`, `.git` and
/// `.awaitlings` are skipped, and so is every other hidden name (editor swap files,
/// `.DS_Store`) unless `hidden` (the course's own `.cargo/` and `.github/`).
/// An unreadable folder counts as empty.
pub fn under(dir: &Path, hidden: bool) -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(dir, hidden, &mut files);
    files.sort();
    files
}

fn walk(dir: &Path, hidden: bool, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if matches!(name.as_ref(), "target" | ".git" | ".awaitlings")
            || (!hidden && name.starts_with('.'))
        {
            continue;
        }
        // The entry itself, not what a link points at.
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            walk(&entry.path(), hidden, files);
        } else {
            files.push(entry.path());
        }
    }
}

/// Every entry under `dir` that is not a folder (files, links, anything else), sorted,
/// skipping nothing: what a compiler or a copy of a learner's `src/` would see. Links
/// are listed, never followed.
pub fn every_entry(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).into_iter().flatten().filter_map(Result::ok) {
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                walk(&entry.path(), found);
            } else {
                found.push(entry.path());
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found);
    found.sort();
    found
}

/// The names of the folders in `dir` (not links), sorted, hidden ones only with
/// `hidden`; none when it cannot be read.
pub fn subfolders(dir: &Path, hidden: bool) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| hidden || !name.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// Writes `text` to `path`, creating its folder first.
pub fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// `path` below `base`, with `/` separators whatever the platform: how the manifest
/// and the learner write it.
pub fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_files_in_order_without_build_output_hidden_names_or_links() {
        let dir = std::env::temp_dir().join(format!("awaitlings-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for path in [
            "b.rs",
            "a/z.rs",
            "a/.swp",
            "target/x",
            ".git/HEAD",
            ".cargo/config.toml",
        ] {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("target"), dir.join("link")).unwrap();
        let names = |hidden| -> Vec<String> {
            under(&dir, hidden)
                .iter()
                .map(|path| relative(path, &dir))
                .collect()
        };
        let mut plain = vec!["a/z.rs", "b.rs"];
        let mut all = vec![".cargo/config.toml", "a/.swp", "a/z.rs", "b.rs"];
        if cfg!(unix) {
            // The link is listed as the one file it is, and not followed.
            plain.push("link");
            all.push("link");
        }
        assert_eq!(names(false), plain);
        assert_eq!(names(true), all);
        fs::remove_dir_all(&dir).unwrap();
    }
}
