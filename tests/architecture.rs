//! The shape of `src/`, held by a test: no import circle between files, and a
//! ground floor that knows no domain.
//!
//! An import is any `crate::…`, `super::…` or `self::…` path outside a test
//! module, resolved to the file of the deepest module it names. A folder's
//! `mod.rs` declaring and re-exporting its children is how a room is built,
//! not an import, so bare child paths (`use lifecycle::X`) are not counted.
//!
//! `cargo test --test architecture -- --nocapture` prints the counts the
//! architecture is judged by: files in circles, imports running back up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The plumbing every domain stands on. It imports nothing above itself, so
/// the ledger (which every later release must keep reading) and the HTTP
/// error type change only for their own reasons.
const GROUND: &[&str] = &[
    "config",
    "db",
    "error",
    "extract",
    "headers",
    "health",
    "i18n",
    "ids",
    "input",
    "ledger",
    "limits",
    "metrics",
    "pagination",
    "patch",
    "pdf",
    "principal",
    "pseudonym",
    "search",
    "spreadsheet",
    "state",
    "telemetry",
    "words",
    "write",
];

/// What assembles the domains: the registry, the pages, the command line.
/// Nothing below imports them.
const TOP: &[&str] = &["lib", "main", "cli", "demo", "web", "openapi"];

type Module = Vec<String>;

struct Source {
    files: BTreeMap<Module, PathBuf>,
    imports: BTreeMap<Module, BTreeSet<Module>>,
}

fn floor(module: &Module) -> u8 {
    match module.first().map(String::as_str) {
        None => 2,
        Some(first) if GROUND.contains(&first) => 0,
        Some(first) if TOP.contains(&first) => 2,
        Some(_) => 1,
    }
}

fn module_of(root: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(root).expect("under src");
    let mut parts: Module = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            // The rules crate is a crate of its own: it cannot import this one.
            if path.file_name().is_some_and(|n| n == "rules") && path.join("Cargo.toml").exists() {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text the compiler builds outside tests, without comments.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a `use` tree (or an inline path) starting at `at` names:
/// `crate::a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn paths_from(code: &[u8], mut at: usize, prefix: Module, out: &mut Vec<Module>) -> usize {
    let mut path = prefix;
    let ident = |at: &mut usize| {
        let start = *at;
        while *at < code.len() && (code[*at].is_ascii_alphanumeric() || code[*at] == b'_') {
            *at += 1;
        }
        String::from_utf8_lossy(&code[start..*at]).into_owned()
    };
    loop {
        while at < code.len() && code[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < code.len() && code[at] == b'{' {
            at += 1;
            loop {
                at = paths_from(code, at, path.clone(), out);
                while at < code.len() && (code[at].is_ascii_whitespace() || code[at] == b',') {
                    at += 1;
                }
                if at >= code.len() || code[at] == b'}' {
                    return at + 1;
                }
            }
        }
        if at < code.len() && code[at] == b'*' {
            out.push(path);
            return at + 1;
        }
        let name = ident(&mut at);
        if !name.is_empty() && name != "self" {
            path.push(name);
        }
        if code[at..].starts_with(b"::") {
            at += 2;
            continue;
        }
        // `x as y` names x.
        let rest = &code[at..];
        let spaces = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if rest[spaces..].starts_with(b"as ") {
            at += spaces + 3;
            while at < code.len() && code[at].is_ascii_whitespace() {
                at += 1;
            }
            ident(&mut at);
        }
        out.push(path);
        return at;
    }
}

fn read_source() -> Source {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    let files: BTreeMap<Module, PathBuf> = paths
        .into_iter()
        .map(|p| (module_of(&root, &p), p))
        .collect();
    let resolve = |path: &Module| -> Option<Module> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|m| files.contains_key(m))
    };
    let mut imports = BTreeMap::new();
    for (module, file) in &files {
        let code = code_of(&std::fs::read_to_string(file).expect("readable file"));
        let bytes = code.as_bytes();
        let mut found = Vec::new();
        for (keyword, base) in [
            ("crate::", Module::new()),
            ("super::", module[..module.len().saturating_sub(1)].to_vec()),
            ("self::", module.clone()),
        ] {
            for (at, _) in code.match_indices(keyword) {
                let before = at.checked_sub(1).map(|i| bytes[i]);
                if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                    continue;
                }
                let mut base = base.clone();
                let mut at = at + keyword.len();
                while code[at..].starts_with("super::") {
                    base.pop();
                    at += "super::".len();
                }
                paths_from(bytes, at, base, &mut found);
            }
        }
        let targets: BTreeSet<Module> = found
            .iter()
            .filter_map(&resolve)
            .filter(|t| t != module && !t.is_empty())
            .collect();
        imports.insert(module.clone(), targets);
    }
    Source { files, imports }
}

/// Tarjan's strongly connected components with more than one file.
fn circles(source: &Source) -> Vec<Vec<Module>> {
    struct Walk<'a> {
        imports: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        found: Vec<Vec<Module>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a Module) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.imports.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        imports: &source.imports,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for module in source.files.keys() {
        if !walk.index.contains_key(module) {
            walk.visit(module);
        }
    }
    walk.found
}

fn imports_up(source: &Source) -> Vec<String> {
    let mut up = Vec::new();
    for (from, targets) in &source.imports {
        for to in targets {
            if floor(to) > floor(from) {
                up.push(format!("{} → {}", from.join("::"), to.join("::")));
            }
        }
    }
    up
}

#[test]
fn no_file_of_src_is_in_an_import_circle() {
    let source = read_source();
    let circles = circles(&source);
    let files: usize = circles.iter().map(Vec::len).sum();
    println!("files in circles: {files}");
    for circle in &circles {
        let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
        println!("  circle of {}: {}", circle.len(), names.join(", "));
    }
    assert!(
        circles.is_empty(),
        "import circles in src/ (a file reaches itself through its imports): {circles:?}"
    );
}

#[test]
fn the_ground_floor_imports_nothing_above_it_and_domains_nothing_from_the_top() {
    let source = read_source();
    let up = imports_up(&source);
    println!("imports running back up: {}", up.len());
    for import in &up {
        println!("  {import}");
    }
    assert!(up.is_empty(), "imports running back up: {up:#?}");
}

#[test]
fn the_reader_finds_nested_use_trees_and_relative_paths() {
    let code = "use crate::a::{b, c::{d, e as f}, self};\nlet x = super::g::h();";
    let mut found = Vec::new();
    paths_from(code.as_bytes(), 11, Module::new(), &mut found);
    let names: Vec<String> = found.iter().map(|m| m.join("::")).collect();
    assert_eq!(names, ["a::b", "a::c::d", "a::c::e", "a"]);
}
