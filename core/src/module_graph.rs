//! The engine's module graph, read from its own sources: each file is a module, and each
//! `crate::…` path in it (in a `use` or inline, outside its tests) an edge to the deepest
//! module the path names. A module may name its own ancestors (a check names `checks`); any
//! other cycle fails the test below, so a lower module can never start importing a higher one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// `checks/dns/mod.rs` → `checks::dns`; `lib.rs` → `` (the crate root).
fn module_name(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

fn sources(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap();
        if path.is_dir() {
            // Binaries are the crate's users, not part of its graph.
            if rel != Path::new("bin") {
                sources(&path, root, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.insert(module_name(rel), text);
        }
    }
}

/// The text without comments and without its `#[cfg(test)] mod tests { … }` block.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    let (prefix, body) = (&tree[..open], &tree[open + 1..tree.rfind('}').unwrap()]);
    let mut parts = vec![];
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |e| format!("{prefix}{e}")))
        .collect()
}

/// Every `crate::…` path the code names.
fn paths(code: &str) -> Vec<String> {
    let mut found = vec![];
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let in_use = rest[..i].trim_end().ends_with("use");
        let end = if in_use {
            after.find(';').unwrap_or(after.len())
        } else {
            after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(after.len())
        };
        found.extend(expand(&after[..end]));
        rest = &after[end..];
    }
    found
}

fn graph(src: &Path) -> Graph {
    let mut files = BTreeMap::new();
    sources(src, src, &mut files);
    let modules: BTreeSet<&String> = files.keys().collect();
    files
        .iter()
        .map(|(module, text)| {
            let targets = paths(&code_of(text))
                .iter()
                .filter_map(|path| {
                    let segments: Vec<&str> = path.split("::").map(str::trim).collect();
                    (1..=segments.len())
                        .rev()
                        .map(|n| segments[..n].join("::"))
                        .find(|m| modules.contains(m))
                })
                .filter(|t| t != module && !module.starts_with(&format!("{t}::")))
                .collect();
            (module.clone(), targets)
        })
        .collect()
}

/// A cycle as the modules on it, first repeated at the end; `None` when there is none.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        g: &Graph,
        m: &String,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.clone());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.clone());
        for next in g.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(g, next, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(m.clone());
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|m| visit(g, m, &mut vec![], &mut done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_has_no_import_cycles() {
        let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
        assert!(g.len() > 40, "the graph read {} modules", g.len());
        // The edges the old cycles ran through are still read, so a new one would be seen.
        assert!(
            g["dns::survey"].contains("context"),
            "{:?}",
            g["dns::survey"]
        );
        assert!(g["checks"].contains("dns::survey"), "{:?}", g["checks"]);
        if let Some(cycle) = find_cycle(&g) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }

    #[test]
    fn use_trees_and_inline_paths_are_read_and_cycles_found() {
        let code = code_of(
            "use crate::a::{b, c::{d, e}};\nfn f() { crate::x::y(); } // crate::z\n\
             #[cfg(test)]\nmod tests { use crate::t; }",
        );
        assert_eq!(paths(&code), ["a::b", "a::c::d", "a::c::e", "x::y"]);
        let g: Graph = [("a", "b"), ("b", "c"), ("c", "a")]
            .into_iter()
            .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
            .collect();
        assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    }
}
