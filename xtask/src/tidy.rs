//! The runner's shape, kept by a test that reads its own sources (in the spirit of
//! rust-analyzer's tidy tests): a command may use anything, nothing uses a command, the
//! engine never prints, the course model never uses the engine, and no two files or
//! folders use each other, directly or round about. Test modules aside.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The folders, each a layer.
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

/// The modules `code` names with `crate::…`, each as `layer::file` (or `layer` for what
/// a folder's `mod.rs` holds), with the text that names it.
fn references(code: &str, files: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
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
            let segments: Vec<&str> = expanded.split("::").collect();
            let module = match segments.as_slice() {
                [layer, file, ..] if files.contains(&format!("{layer}::{file}")) => {
                    format!("{layer}::{file}")
                }
                [first, ..] => first.to_string(),
                [] => continue,
            };
            found
                .entry(module)
                .or_insert_with(|| format!("crate::{path}"));
        }
        rest = &after[end..];
    }
    found
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

/// Every source file of the runner: (module, code without its tests).
fn sources() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    crate::util::files::under(&src, false)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let relative = crate::util::files::relative(&path, &src);
            let text = fs::read_to_string(&path).unwrap_or_default();
            (module_of(&relative), relative, text)
        })
        .collect()
}

/// The rules' breaches, each a sentence naming the file and the offending `use`.
fn breaches() -> Vec<String> {
    let sources = sources();
    let modules: BTreeSet<String> = sources.iter().map(|(m, _, _)| m.clone()).collect();
    let layer = |module: &str| module.split("::").next().unwrap_or("").to_string();
    let mut found = Vec::new();
    let mut file_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut folder_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file, text) in &sources {
        let code = code(text);
        let from = layer(module);
        for (to, named) in references(code, &modules) {
            let to_layer = layer(&to);
            if to_layer == "cmd" && to != *module && module != "main" {
                found.push(format!(
                    "{file} uses a command ({named}): nothing uses a command"
                ));
            }
            if from == "course" && to_layer == "engine" {
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
            if LAYERS.contains(&from.as_str())
                && LAYERS.contains(&to_layer.as_str())
                && to_layer != from
            {
                folder_edges
                    .entry(from.clone())
                    .or_default()
                    .insert(to_layer);
            }
        }
        if from == "engine" {
            for printer in ["println!(", "print!(", "eprintln!(", "eprint!("] {
                if code.contains(printer) {
                    found.push(format!(
                        "{file} prints ({printer}…): the engine never prints"
                    ));
                }
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

#[test]
fn the_rules_see_what_they_look_for() {
    let files = BTreeSet::from(["engine::run".to_string(), "util::ui".to_string()]);
    let source =
        "use crate::{engine::run::{self, Step}, util::ui};\nlet x = crate::course::Course::load();";
    let found: Vec<String> = references(source, &files).into_keys().collect();
    assert_eq!(found, ["course", "engine::run", "util::ui"]);
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
