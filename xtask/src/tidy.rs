//! The runner's shape where the compiler cannot keep it, kept by a test that reads its
//! own sources (in the spirit of rust-analyzer's tidy tests): a command may use
//! anything, but not another command (`cmd::session` aside, the loop `next` and `watch`
//! share); the course model never uses the engine; no two files or folders use each
//! other, directly or round about. Test modules aside. The rest the compiler keeps: the
//! learner's commands are the `xtask` binary's own modules (the library cannot name
//! them), and clippy denies printing in the engines (`engine/mod.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The folders, each a layer, in the library (`src/`) and in the staff's package
/// (`staff/`, whose layers are named `staff::cmd`, …, for the graphs).
const LAYERS: &[&str] = &["util", "course", "engine", "view", "grading", "cmd"];

/// `engine::run` for `src/engine/run.rs`, `course` for `src/course/mod.rs`.
fn module_of(relative: &str) -> String {
    let path = relative.trim_end_matches(".rs").trim_end_matches("/mod");
    path.replace('/', "::")
}

/// The code of a file without its tests: everything before a line `#[cfg(test)]`.
fn code(text: &str) -> &str {
    let end = text
        .find("\n#[cfg(test)]\n")
        .or_else(|| text.find("\n#[cfg(test)]\r\n"))
        .unwrap_or(text.len());
    &text[..end]
}

/// The modules `code` names, each as `layer::file` (or `layer` for what a folder's
/// `mod.rs` holds), with the text that names it. `crate::…` is the file's own crate
/// (`staff::…` in the staff's binary), `xtask::…` and `xtask_model::…` the library (which
/// re-exports the model under its names). A crate's root (`root`) names its own modules
/// bare too: `engine::signals::install()`.
fn references(
    code: &str,
    files: &BTreeSet<String>,
    staff: bool,
    root: bool,
) -> BTreeMap<String, String> {
    let own = if staff { "staff::" } else { "" };
    let mut prefixes = vec![
        ("crate::".to_string(), own),
        ("xtask::".to_string(), ""),
        ("xtask_model::".to_string(), ""),
    ];
    if root {
        prefixes.extend(LAYERS.iter().map(|layer| (format!("{layer}::"), own)));
    }
    let mut found = BTreeMap::new();
    for (prefix, module_prefix) in &prefixes {
        // A bare layer's name is part of the path it names.
        let bare = !prefix.starts_with("crate") && !prefix.starts_with("xtask");
        let mut rest = code;
        while let Some(at) = rest.find(prefix.as_str()) {
            let before = rest[..at].chars().next_back();
            // Inside a longer path (`crate::engine::`, `my_engine::`): that path's.
            if bare && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                rest = &rest[at + prefix.len()..];
                continue;
            }
            let (prefix, after) = if bare {
                ("", &rest[at..])
            } else {
                (prefix.as_str(), &rest[at + prefix.len()..])
            };
            // The path up to where it stops being one: `a::b::{c, d}` whole.
            let mut end = 0;
            let mut depth = 0;
            for (index, c) in after.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => break,
                    _ => {}
                }
                end = index + c.len_utf8();
            }
            let path = &after[..end];
            for expanded in expand(path) {
                let full = format!("{module_prefix}{expanded}");
                let segments: Vec<&str> = full.split("::").collect();
                // The longest prefix that is a file; else the layer it names.
                let module = (1..=segments.len())
                    .rev()
                    .map(|n| segments[..n].join("::"))
                    .find(|m| files.contains(m))
                    .unwrap_or_else(|| layer(&full));
                found
                    .entry(module)
                    .or_insert_with(|| format!("{prefix}{path}"));
            }
            rest = &after[end..];
        }
    }
    found
}

/// The layer a module is in: `engine` for `engine::run`, `staff::grading` for
/// `staff::grading::scan`.
fn layer(module: &str) -> String {
    let segments: Vec<&str> = module.split("::").collect();
    match segments.as_slice() {
        ["staff", layer, ..] => format!("staff::{layer}"),
        [layer, ..] => layer.to_string(),
        [] => String::new(),
    }
}

/// What a layer is, wherever it is: `cmd` for `staff::cmd` too.
fn kind(layer: &str) -> &str {
    layer.rsplit("::").next().unwrap_or(layer)
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let Some(open) = path.find('{') else {
        return vec![path.trim_end_matches("::").to_string()];
    };
    let prefix = &path[..open];
    let inner = path[open + 1..].trim_end_matches('}');
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (index, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .flat_map(|item| {
            let item = if item == "self" { "" } else { item };
            expand(&format!("{prefix}{item}"))
        })
        .collect()
}

/// Every source file of the runner: (module, file, text, whether the staff's package
/// has it): the model's under `model/src/` and the library's under `src/` (which
/// re-exports the model's modules under their names), the staff's under `staff/` as
/// `staff::…`.
fn sources() -> Vec<(String, String, String, bool)> {
    let runner = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for (folder, staff) in [("model/src", false), ("src", false), ("staff", true)] {
        let root = runner.join(folder);
        for path in crate::util::files::under(&root, false) {
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = crate::util::files::relative(&path, &root);
            let text = fs::read_to_string(&path).unwrap_or_default();
            let module = match (folder, module_of(&relative)) {
                (_, module) if staff => format!("staff::{module}"),
                // The model's root; its modules are the library's, re-exported.
                ("model/src", module) if module == "lib" => "model::lib".to_string(),
                (_, module) => module,
            };
            found.push((module, format!("{folder}/{relative}"), text, staff));
        }
    }
    found
}

/// The rules' breaches, each a sentence naming the file and the offending `use`.
fn breaches() -> Vec<String> {
    let sources = sources();
    let modules: BTreeSet<String> = sources.iter().map(|(m, ..)| m.clone()).collect();
    let mains = ["main", "staff::main"];
    let mut found = Vec::new();
    let mut file_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut folder_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file, text, staff) in &sources {
        let code = code(text);
        let from = layer(module);
        let root = matches!(file.rsplit('/').next(), Some("lib.rs" | "main.rs"))
            && file.matches('/').count() == if file.starts_with("model/") { 2 } else { 1 };
        for (to, named) in references(code, &modules, *staff, root) {
            let to_layer = layer(&to);
            // The loop `next` and `watch` share is the commands' own.
            let shared = to == "cmd::session" && from == "cmd";
            if kind(&to_layer) == "cmd"
                && to != *module
                && !shared
                && !mains.contains(&module.as_str())
            {
                found.push(format!(
                    "{file} uses a command ({named}): nothing uses a command"
                ));
            }
            if kind(&from) == "course" && kind(&to_layer) == "engine" {
                found.push(format!(
                    "{file} uses the engine ({named}): the course model never does"
                ));
            }
            if to != *module && modules.contains(&to) {
                file_edges
                    .entry(module.clone())
                    .or_default()
                    .insert(to.clone());
            }
            if LAYERS.contains(&kind(&from))
                && LAYERS.contains(&kind(&to_layer))
                && to_layer != from
            {
                folder_edges
                    .entry(from.clone())
                    .or_default()
                    .insert(to_layer);
            }
        }
    }
    for (what, edges) in [("files", &file_edges), ("folders", &folder_edges)] {
        if let Some(cycle) = cycle(edges) {
            found.push(format!(
                "an import cycle between {what}: {}",
                cycle.join(" → ")
            ));
        }
    }
    found
}

/// A cycle in the graph, as the nodes on it (the first repeated at the end), if any.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

#[test]
fn the_runner_keeps_its_layers() {
    let breaches = breaches();
    assert!(
        breaches.is_empty(),
        "the runner's rules are broken:\n{}",
        breaches.join("\n")
    );
}

/// The packages in `package`'s dependency tree (`kinds`: cargo tree's `--edges`), by
/// name, from the lock file alone.
fn dependency_tree(package: &str, kinds: &str, depth: &str) -> BTreeSet<String> {
    let runner = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args([
            "tree",
            "--quiet",
            "--offline",
            "--locked",
            "--prefix",
            "none",
        ])
        .args(["--package", package, "--edges", kinds, "--depth", depth])
        .arg("--manifest-path")
        .arg(runner.join("Cargo.toml"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(String::from))
        .collect()
}

/// What only the staff needs (the gradebook's CSV, its property tests…) is the staff
/// package's: a learner's first build, of the `xtask` package, compiles none of it.
#[test]
fn the_learners_build_has_none_of_the_staffs_crates() {
    let learner = dependency_tree("xtask", "normal,build", "100");
    let staff: Vec<String> = dependency_tree("xtask-staff", "normal,build,dev", "1")
        .into_iter()
        .filter(|name| !name.starts_with("xtask"))
        .collect();
    assert!(!staff.is_empty(), "the staff's package has its own crates");
    let shared: Vec<&String> = staff.iter().filter(|c| learner.contains(*c)).collect();
    assert!(
        shared.is_empty(),
        "the learner's runner builds the staff's crates: {shared:?}"
    );
}

#[test]
fn the_rules_see_what_they_look_for() {
    let files = BTreeSet::from(["engine::run".to_string(), "util::ui".to_string()]);
    let source =
        "use crate::{engine::run::{self, Step}, util::ui};\nlet x = crate::course::Course::load();";
    let found: Vec<String> = references(source, &files, false, false)
        .into_keys()
        .collect();
    assert_eq!(found, ["course", "engine::run", "util::ui"]);
    let files = BTreeSet::from([
        "engine::run".to_string(),
        "staff::engine::wrong".to_string(),
    ]);
    let source = "use crate::engine::wrong::fixtures;\nuse xtask::engine::run::{self, Step};";
    let found: Vec<String> = references(source, &files, true, false)
        .into_keys()
        .collect();
    assert_eq!(found, ["engine::run", "staff::engine::wrong"]);
    // A crate's root names its modules bare, but a bare name inside a path is not one.
    let source = "mod cmd;\nlet x = cmd::grade::grade();\nuse xtask::engine::run;";
    let found: Vec<String> = references(source, &files, true, true).into_keys().collect();
    assert_eq!(found, ["engine::run", "staff::cmd"]);
    assert_eq!(kind(&layer("staff::cmd::grade")), "cmd");
    let edges = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(
        cycle(&edges),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
    assert_eq!(module_of("course/mod.rs"), "course");
    assert_eq!(module_of("engine/run.rs"), "engine::run");
    assert_eq!(code("fn a() {}\n#[cfg(test)]\nmod tests {}\n"), "fn a() {}");
}
