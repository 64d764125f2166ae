//! The XSOAR pack `code42 xsoar-package` writes: its YAML parsed and checked against the manifest
//! and against the reference integration's declarations, and every file against the golden copy
//! in `tests/xsoar/golden` (`UPDATE_GOLDEN=1` rewrites it after a deliberate change).

use serde_json::Value;
use serde_yaml_ng::Value as Yaml;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes the pack into a temporary directory.
fn pack() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_code42"))
        .args(["xsoar-package", "--image", "code42wasm:golden", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

const INTEGRATION: &str = "Packs/Code42Wasm/Integrations/Code42Wasm";

fn yaml(dir: &Path) -> Yaml {
    let text = std::fs::read_to_string(dir.join(INTEGRATION).join("Code42Wasm.yml")).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

fn seq<'a>(value: &'a Yaml, key: &str) -> &'a [Yaml] {
    value.get(key).and_then(Yaml::as_sequence).map(Vec::as_slice).unwrap_or_default()
}

fn text<'a>(value: &'a Yaml, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Yaml::as_str)
}

fn flag(value: &Yaml, key: &str) -> bool {
    value.get(key).and_then(Yaml::as_bool).unwrap_or(false)
}

fn named<'a>(items: &'a [Yaml], key: &str, name: &str) -> Option<&'a Yaml> {
    items.iter().find(|i| text(i, key) == Some(name))
}

#[test]
fn every_command_of_the_manifest_is_declared_with_its_arguments_and_outputs() {
    let dir = pack();
    let yaml = yaml(dir.path());
    let commands = seq(&yaml["script"], "commands");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let code42 = host_runner::Runtime::code42(Default::default()).unwrap();
    let manifest = runtime.block_on(code42.manifest()).unwrap();
    for spec in &manifest.commands {
        let declared = named(commands, "name", &spec.name).unwrap_or_else(|| panic!("{} is not declared", spec.name));
        assert_eq!(flag(declared, "deprecated"), spec.deprecated, "{}", spec.name);
        for arg in &spec.args {
            let a = named(seq(declared, "arguments"), "name", &arg.name)
                .unwrap_or_else(|| panic!("{}.{}", spec.name, arg.name));
            assert_eq!(flag(a, "required"), arg.required, "{}.{}", spec.name, arg.name);
            assert_eq!(text(a, "defaultValue"), arg.default_value.as_deref(), "{}.{}", spec.name, arg.name);
        }
        for output in &spec.outputs {
            let o = named(seq(declared, "outputs"), "contextPath", &output.context_path)
                .unwrap_or_else(|| panic!("{} {}", spec.name, output.context_path));
            assert_eq!(text(o, "type"), Some(output.value_type.as_str()));
        }
        for alias in &spec.aliases {
            assert!(named(commands, "name", alias).is_some(), "the alias {alias} is declared");
        }
    }
    assert_eq!(yaml["script"]["isfetch"], Yaml::Bool(true));
    assert_eq!(text(&yaml["commonfields"], "id"), Some("Code42Wasm"));
}

#[test]
fn every_declaration_of_the_reference_is_there_with_its_name_type_and_flags() {
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("tests/xsoar/reference.json")).unwrap()).unwrap();
    let deviation = |key: &str| reference["deviations"].get(key).is_some();
    let dir = pack();
    let yaml = yaml(dir.path());
    let configuration = seq(&yaml, "configuration");
    for p in reference["params"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let ours = named(configuration, "name", name).unwrap_or_else(|| panic!("parameter {name} is missing"));
        assert_eq!(ours["type"].as_u64(), p["type"].as_u64(), "type of {name}");
        assert_eq!(flag(ours, "required"), p["required"].as_bool().unwrap(), "required of {name}");
        if let Some(default) = p.get("defaultvalue") {
            assert_eq!(text(ours, "defaultvalue"), default.as_str(), "default of {name}");
        }
        if let Some(shown) = p.get("displaypassword") {
            assert_eq!(text(ours, "displaypassword"), shown.as_str(), "displaypassword of {name}");
        }
        for option in p.get("options").and_then(Value::as_array).into_iter().flatten() {
            assert!(seq(ours, "options").iter().any(|o| o.as_str() == option.as_str()), "{name} option {option}");
        }
    }
    let commands = seq(&yaml["script"], "commands");
    for c in reference["commands"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let ours = named(commands, "name", name).unwrap_or_else(|| panic!("command {name} is missing"));
        if !deviation(&format!("{name}.deprecated")) {
            assert_eq!(flag(ours, "deprecated"), c["deprecated"].as_bool().unwrap(), "deprecated of {name}");
        }
        for a in c["arguments"].as_array().unwrap() {
            let arg = a["name"].as_str().unwrap();
            let key = |what: &str| format!("{name}.{arg}.{what}");
            let ours =
                named(seq(ours, "arguments"), "name", arg).unwrap_or_else(|| panic!("{name}: no argument {arg}"));
            for (field, default) in [("required", false), ("default", false), ("isArray", false)] {
                if let Some(expected) =
                    a.get(field).and_then(Value::as_bool).or((field == "isArray").then_some(default))
                {
                    assert_eq!(flag(ours, field), expected, "{}", key(field));
                }
            }
            if a.get("defaultValue").is_some() && !deviation(&key("defaultValue")) {
                assert_eq!(text(ours, "defaultValue"), a["defaultValue"].as_str(), "{}", key("defaultValue"));
            }
            for value in a.get("predefined").and_then(Value::as_array).into_iter().flatten() {
                assert!(
                    seq(ours, "predefined").iter().any(|p| p.as_str() == value.as_str()),
                    "{} {value}",
                    key("predefined")
                );
            }
        }
        for o in c["outputs"].as_array().unwrap() {
            let path = o["contextPath"].as_str().unwrap();
            let ours =
                named(seq(ours, "outputs"), "contextPath", path).unwrap_or_else(|| panic!("{name}: no output {path}"));
            if let Some(expected) = o["type"].as_str() {
                let declared = text(ours, "type").unwrap_or_default();
                assert!(declared.eq_ignore_ascii_case(expected), "{name} {path}: {declared} for {expected}");
            }
        }
    }
}

/// Every file of the pack but the binary, by path under the pack directory.
fn pack_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                stack.push(path);
            } else if relative != "code42" {
                files.push((relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_pack_matches_the_golden_copy() {
    let dir = pack();
    let golden = repo().join("tests/xsoar/golden");
    let generated = pack_files(dir.path());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&golden);
        for (path, text) in &generated {
            let target = golden.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, text).unwrap();
        }
    }
    let expected = pack_files(&golden);
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&generated),
        names(&expected),
        "the pack's files changed: UPDATE_GOLDEN=1 after a deliberate change"
    );
    for ((path, text), (_, golden_text)) in generated.iter().zip(&expected) {
        assert!(
            text == golden_text,
            "{path} differs from tests/xsoar/golden (a manifest change altered the XSOAR declarations?); \
             review, then UPDATE_GOLDEN=1 cargo test -p host-runner --test xsoar"
        );
    }
    assert!(dir.path().join("code42").exists(), "the binary the Dockerfile copies is beside it");
}
