//! Each test binary as its build left it: a digest taken right after the build, checked
//! again before the binary is listed and before each of its tests runs. A binary that
//! changed meanwhile (something that ran before it rewrote it, in a target dir shared by
//! several katas) is refused, and its kata's tests earn nothing. Grading's other
//! defences keep a learner's code from writing files at all (`course::refused`, and
//! `confine` on Linux); this one holds wherever they do not.
//!
//! On Unix the check hashes again only when the file's identity changed: its inode,
//! size, modification time and status-change time. No one but the kernel sets the
//! last (a write, a rename or `utimes` moves it to now), so an unchanged one means
//! unchanged bytes, and a student's grade does not pay for 400 hashes of 3 MB.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use xtask::engine::compile::Build;

pub struct Seals(HashMap<PathBuf, Seal>);

struct Seal {
    digest: [u8; 32],
    identity: Option<Identity>,
}

impl Seals {
    /// The digest of every test binary of `build`, now.
    pub fn of(build: &Build) -> Seals {
        Seals(
            build
                .binaries
                .iter()
                .filter_map(|binary| {
                    let identity = identity(&binary.path);
                    let digest = digest(&binary.path)?;
                    Some((binary.path.clone(), Seal { digest, identity }))
                })
                .collect(),
        )
    }

    /// Whether the binary at `path` is still the one the build made.
    pub fn intact(&self, path: &Path) -> bool {
        let Some(seal) = self.0.get(path) else {
            return false;
        };
        (seal.identity.is_some() && identity(path) == seal.identity)
            || digest(path).as_ref() == Some(&seal.digest)
    }
}

/// What changes whenever a file's bytes do (Unix): none elsewhere, so it is hashed.
#[cfg(unix)]
type Identity = (u64, u64, u64, i64, i64, i64, i64);
#[cfg(not(unix))]
type Identity = ();

#[cfg(unix)]
fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(path).ok()?;
    Some((
        m.dev(),
        m.ino(),
        m.size(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    ))
}

#[cfg(not(unix))]
fn identity(_: &Path) -> Option<Identity> {
    None
}

fn digest(path: &Path) -> Option<[u8; 32]> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        match file.read(&mut buffer).ok()? {
            0 => break,
            n => hasher.update(&buffer[..n]),
        }
    }
    Some(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use xtask::engine::compile::TestBinary;

    #[test]
    fn a_binary_rewritten_after_its_build_is_not_intact() {
        let dir = std::env::temp_dir().join(format!("awaitlings-seals-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kata-0123");
        std::fs::write(&path, b"the build's binary").unwrap();
        let build = Build {
            binaries: vec![TestBinary {
                package_dir: dir.clone(),
                package: "kata".into(),
                target: "kata".into(),
                src_path: dir.join("tests/kata.rs"),
                path: path.clone(),
            }],
            ..Build::default()
        };
        let seals = Seals::of(&build);
        assert!(seals.intact(&path));
        std::fs::write(&path, b"a forger's binary").unwrap();
        assert!(!seals.intact(&path));
        assert!(!seals.intact(&dir.join("never-built")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
