//! The staff's binary, `xtask-staff`, for tests that run the staff's commands. It is a
//! package of its own (`xtask/staff`), so cargo gives this package's tests no path to
//! it: the cargo that runs the tests builds it, once per test process, with the same
//! profile and target dir as the runner's binary beside it (cargo holds no lock on the
//! target dir while tests run), so it is never stale.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub fn binary() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let runner = Path::new(env!("CARGO_BIN_EXE_xtask"));
        let profile = match runner.parent().and_then(Path::file_name) {
            Some(name) if name != "debug" => name.to_string_lossy().into_owned(),
            _ => "dev".to_string(),
        };
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("staff/Cargo.toml");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--quiet", "--profile", &profile, "--manifest-path"])
            .arg(&manifest)
            .stdin(Stdio::null())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "cargo could not build xtask-staff:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let staff = runner.with_file_name(format!("xtask-staff{}", std::env::consts::EXE_SUFFIX));
        assert!(staff.is_file(), "cargo built no {}", staff.display());
        staff
    })
}
