//! What a kata's code may not use, because it can interfere with the test harness that
//! decides its verdict, and no kata needs it: the compiler decides, not a word list.
//! Code in a test's own process can read and do anything the process can, so a verdict
//! is only as honest as the code it runs: files (the harness keeps its verdicts in one),
//! processes, the environment, sockets, panic hooks, and anything `unsafe` (a constructor
//! that runs before `main`, a symbol that replaces the harness's).
//!
//! Enforced while a kata's library compiles (`engine::lints`): rustc forbids the lints
//! in `FORBIDDEN_LINTS`, and clippy the items below, resolved as the compiler resolves
//! them, so an alias, a glob, a re-export, a `cfg_attr` or a macro is seen through, and a
//! local variable named `process` is no call to anything. A kata that truly needs a group
//! allows it in its metadata (`allow = ["fs"]`); none does today.

/// A group of items, allowed or refused together.
pub struct Group {
    /// The name a kata's `allow` uses.
    pub name: &'static str,
    /// Why grading refuses it, as the learner reads it.
    pub why: &'static str,
    /// Functions and methods (clippy's `disallowed-methods`).
    pub methods: &'static [&'static str],
    /// Types: naming one, or calling its associated functions (`disallowed-types`).
    pub types: &'static [&'static str],
    /// Macros (`disallowed-macros`).
    pub macros: &'static [&'static str],
}

pub const GROUPS: &[Group] = &[
    Group {
        name: "fs",
        why: "reads or writes files: the test harness keeps its verdicts in one",
        methods: &[
            "std::fs::canonicalize",
            "std::fs::copy",
            "std::fs::create_dir",
            "std::fs::create_dir_all",
            "std::fs::exists",
            "std::fs::hard_link",
            "std::fs::metadata",
            "std::fs::read",
            "std::fs::read_dir",
            "std::fs::read_link",
            "std::fs::read_to_string",
            "std::fs::remove_dir",
            "std::fs::remove_dir_all",
            "std::fs::remove_file",
            "std::fs::rename",
            "std::fs::set_permissions",
            "std::fs::soft_link",
            "std::fs::symlink_metadata",
            "std::fs::write",
            "std::path::Path::canonicalize",
            "std::path::Path::exists",
            "std::path::Path::is_dir",
            "std::path::Path::is_file",
            "std::path::Path::is_symlink",
            "std::path::Path::metadata",
            "std::path::Path::read_dir",
            "std::path::Path::read_link",
            "std::path::Path::symlink_metadata",
            "std::path::Path::try_exists",
            "tokio::fs::canonicalize",
            "tokio::fs::copy",
            "tokio::fs::create_dir",
            "tokio::fs::create_dir_all",
            "tokio::fs::hard_link",
            "tokio::fs::metadata",
            "tokio::fs::read",
            "tokio::fs::read_dir",
            "tokio::fs::read_link",
            "tokio::fs::read_to_string",
            "tokio::fs::remove_dir",
            "tokio::fs::remove_dir_all",
            "tokio::fs::remove_file",
            "tokio::fs::rename",
            "tokio::fs::set_permissions",
            "tokio::fs::symlink",
            "tokio::fs::symlink_metadata",
            "tokio::fs::try_exists",
            "tokio::fs::write",
        ],
        types: &[
            "std::fs::DirBuilder",
            "std::fs::File",
            "std::fs::OpenOptions",
            "std::fs::ReadDir",
            "tokio::fs::DirBuilder",
            "tokio::fs::File",
            "tokio::fs::OpenOptions",
            "tokio::fs::ReadDir",
        ],
        macros: &[],
    },
    Group {
        name: "process",
        why: "ends the test process, or starts others",
        methods: &["std::process::exit"],
        types: &[
            "std::process::Child",
            "std::process::Command",
            "tokio::process::Child",
            "tokio::process::Command",
        ],
        macros: &[],
    },
    Group {
        name: "env",
        why: "reads the process's arguments or environment, which name the harness's log",
        methods: &[
            "std::env::args",
            "std::env::args_os",
            "std::env::current_dir",
            "std::env::current_exe",
            "std::env::home_dir",
            "std::env::set_current_dir",
            "std::env::temp_dir",
            "std::env::var",
            "std::env::var_os",
            "std::env::vars",
            "std::env::vars_os",
        ],
        types: &[],
        macros: &["std::env", "std::option_env"],
    },
    Group {
        name: "net",
        why: "opens sockets",
        methods: &[
            "std::net::ToSocketAddrs::to_socket_addrs",
            "tokio::net::lookup_host",
        ],
        types: &[
            "std::net::TcpListener",
            "std::net::TcpStream",
            "std::net::UdpSocket",
            "tokio::net::TcpListener",
            "tokio::net::TcpSocket",
            "tokio::net::TcpStream",
            "tokio::net::UdpSocket",
        ],
        macros: &[],
    },
    Group {
        name: "panic_hook",
        why: "replaces the panic hook, which decides what a failing test reports",
        methods: &["std::panic::set_hook", "std::panic::take_hook"],
        types: &[],
        macros: &[],
    },
    Group {
        name: "include",
        why: "pulls another file into the code: a kata's code is its own src/ files",
        methods: &[],
        types: &[],
        macros: &["std::include", "std::include_bytes", "std::include_str"],
    },
];

/// Items that exist on one platform only: clippy says nothing of them where they are
/// missing (`allow-invalid`), instead of warning about the configuration.
pub const PLATFORM_TYPES: &[(&str, &str)] = &[
    ("net", "std::os::unix::net::UnixDatagram"),
    ("net", "std::os::unix::net::UnixListener"),
    ("net", "std::os::unix::net::UnixStream"),
    ("net", "tokio::net::UnixDatagram"),
    ("net", "tokio::net::UnixListener"),
    ("net", "tokio::net::UnixSocket"),
    ("net", "tokio::net::UnixStream"),
    ("fs", "tokio::net::unix::pipe::OpenOptions"),
];

/// Functions that exist on one platform only, in the same way.
pub const PLATFORM_METHODS: &[(&str, &str)] = &[
    ("fs", "std::os::unix::fs::chown"),
    ("fs", "std::os::unix::fs::chroot"),
    ("fs", "std::os::unix::fs::fchown"),
    ("fs", "std::os::unix::fs::lchown"),
    ("fs", "std::os::unix::fs::symlink"),
    ("fs", "std::os::windows::fs::symlink_dir"),
    ("fs", "std::os::windows::fs::symlink_file"),
];

/// rustc's own lints, forbidden (so no `allow` in the code can lift them), and why.
pub const FORBIDDEN_LINTS: &[(&str, &str)] = &[
    (
        "unsafe_code",
        "steps outside Rust's safety rules: in edition 2024 that includes every attribute \
         that runs code before `main` or replaces a symbol of the harness's",
    ),
    (
        "long_running_const_eval",
        "keeps the compiler busy forever: a build must end for the class to be graded",
    ),
];

/// clippy's lints that enforce `GROUPS`.
pub const CLIPPY_LINTS: &[&str] = &[
    "clippy::disallowed_methods",
    "clippy::disallowed_types",
    "clippy::disallowed_macros",
];

/// The code of the error the lint wrapper reports for a source file outside `src/`.
pub const OUTSIDE_SRC: &str = "awaitlings::outside_src";

/// Why the compiler refused a kata's code, from a diagnostic's code (`unsafe_code`,
/// `clippy::disallowed_methods`, E0453 for an `allow` of a forbidden lint…) and its
/// message: `Some((construct, why))` when the refusal is grading's, `None` for an
/// ordinary compile error.
pub fn refusal(code: &str, message: &str) -> Option<(String, &'static str)> {
    let quoted = || {
        message
            .split('`')
            .nth(1)
            .map_or_else(|| message.to_string(), str::to_string)
    };
    if let Some((_, why)) = FORBIDDEN_LINTS.iter().find(|(lint, _)| *lint == code) {
        return Some((quoted(), why));
    }
    if CLIPPY_LINTS.contains(&code) {
        let item = quoted();
        let group = GROUPS
            .iter()
            .find(|g| {
                g.methods
                    .iter()
                    .chain(g.types)
                    .chain(g.macros)
                    .any(|path| *path == item)
            })
            .map(|g| g.why)
            .or_else(|| {
                PLATFORM_TYPES
                    .iter()
                    .chain(PLATFORM_METHODS)
                    .find(|(_, path)| *path == item)
                    .and_then(|(name, _)| GROUPS.iter().find(|g| g.name == *name))
                    .map(|g| g.why)
            })
            .unwrap_or("can interfere with the test harness");
        return Some((item, group));
    }
    match code {
        // `#![allow(unsafe_code)]` under `-F unsafe_code`.
        "E0453" => Some((
            quoted(),
            "lifts a lint grading forbids, with an `allow` or an `expect`",
        )),
        OUTSIDE_SRC => Some((
            quoted(),
            "compiles a file from outside the kata's src/, by `#[path]` or a macro that reads one",
        )),
        _ => None,
    }
}

/// clippy's configuration for a kata that allows the groups in `allowed`.
pub fn clippy_toml(allowed: &[String]) -> String {
    let refused = |g: &&Group| !allowed.iter().any(|a| a == g.name);
    let entry = |path: &str, why: &str| format!("  {{ path = \"{path}\", reason = \"{why}\" }},\n");
    let mut text = String::from(
        "# Generated by the awaitlings runner from xtask/model/src/course/refused.rs: what\n\
         # grading refuses in a kata's code. Do not edit.\n",
    );
    type Items = fn(&Group) -> &'static [&'static str];
    let sections: [(&str, Items); 3] = [
        ("disallowed-methods", |g| g.methods),
        ("disallowed-types", |g| g.types),
        ("disallowed-macros", |g| g.macros),
    ];
    for (key, items) in sections {
        text += &format!("{key} = [\n");
        for group in GROUPS.iter().filter(refused) {
            for path in items(group) {
                text += &entry(path, group.why);
            }
        }
        let platform = match key {
            "disallowed-types" => PLATFORM_TYPES,
            "disallowed-methods" => PLATFORM_METHODS,
            _ => &[],
        };
        for (name, path) in platform {
            if let Some(group) = GROUPS.iter().filter(refused).find(|g| g.name == *name) {
                text += &format!(
                    "  {{ path = \"{path}\", reason = \"{}\", allow-invalid = true }},\n",
                    group.why
                );
            }
        }
        text += "]\n";
    }
    text
}

/// The compiler flags that enforce the rules on a kata's library: every other clippy
/// lint off (they are style, not grading), the refusing ones forbidden.
pub fn lint_flags() -> Vec<String> {
    let mut flags = vec!["-Aclippy::all".to_string()];
    for lint in FORBIDDEN_LINTS
        .iter()
        .map(|(lint, _)| *lint)
        .chain(CLIPPY_LINTS.iter().copied())
    {
        flags.push(format!("-F{lint}"));
    }
    flags
}

/// The groups a kata may allow, for the error when its metadata names another.
pub fn group_names() -> Vec<&'static str> {
    GROUPS.iter().map(|g| g.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowed_group_leaves_the_configuration() {
        let all = clippy_toml(&[]);
        assert!(all.contains("\"std::fs::write\""));
        assert!(all.contains("\"std::process::exit\""));
        let with_fs = clippy_toml(&["fs".to_string()]);
        assert!(!with_fs.contains("std::fs::"));
        assert!(!with_fs.contains("tokio::net::unix::pipe::OpenOptions"));
        assert!(with_fs.contains("\"std::process::exit\""));
    }

    #[test]
    fn a_diagnostic_is_a_refusal_only_when_grading_made_it() {
        let (item, why) = refusal(
            "clippy::disallowed_methods",
            "use of a disallowed method `std::process::exit`",
        )
        .unwrap();
        assert_eq!(item, "std::process::exit");
        assert!(why.contains("ends the test process"));
        assert!(refusal("unsafe_code", "usage of an `unsafe` block").is_some());
        assert!(
            refusal(
                "E0453",
                "allow(unsafe_code) incompatible with previous forbid"
            )
            .is_some()
        );
        assert!(refusal("E0308", "mismatched types").is_none());
        let (_, why) = refusal(
            "clippy::disallowed_types",
            "use of a disallowed type `tokio::net::UnixStream`",
        )
        .unwrap();
        assert_eq!(why, "opens sockets");
    }

    #[test]
    fn every_item_is_listed_once() {
        let mut all: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.methods.iter().chain(g.types).chain(g.macros))
            .copied()
            .chain(
                PLATFORM_TYPES
                    .iter()
                    .chain(PLATFORM_METHODS)
                    .map(|(_, p)| *p),
            )
            .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }
}
