//! Each test binary as its build left it: a digest taken right after the build, checked
//! again before the binary is listed and before each of its tests runs. A binary that
//! changed meanwhile (something that ran before it rewrote it, in a target dir shared by
//! several katas) is refused, and its kata's tests earn nothing. Grading's other
//! defences keep a learner's code from writing files at all (`course::refused`, and
//! `confine` on Linux); this one holds wherever they do not.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use xtask::engine::compile::Build;

pub struct Seals(HashMap<PathBuf, [u8; 32]>);

impl Seals {
    /// The digest of every test binary of `build`, now.
    pub fn of(build: &Build) -> Seals {
        Seals(
            build
                .binaries
                .iter()
                .filter_map(|binary| Some((binary.path.clone(), digest(&binary.path)?)))
                .collect(),
        )
    }

    /// Whether the binary at `path` is still the one the build made.
    pub fn intact(&self, path: &Path) -> bool {
        self.0
            .get(path)
            .is_some_and(|sealed| digest(path).as_ref() == Some(sealed))
    }
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
