//! The browser code's own unit tests (`tests/js/*.test.js`), run with node's built-in test
//! runner so `cargo test` runs everything. Without node they fail under CI=true and skip
//! loudly elsewhere.

use std::process::Command;

use crate::helpers::require_tool;

#[test]
fn the_javascript_unit_tests_pass_under_node() {
    let found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !require_tool("node", found) {
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    // The files by name: node's `--test` reads a directory argument differently across
    // versions (a directory up to 20, a glob pattern after).
    let mut files: Vec<String> = std::fs::read_dir(format!("{root}/tests/js"))
        .expect("tests/js")
        .filter_map(|e| e.ok())
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".test.js"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no tests/js/*.test.js");
    let output = Command::new("node")
        .arg("--test")
        .args(&files)
        .current_dir(root)
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "node --test {files:?} failed:\n{report}"
    );
    // Something ran: a test runner that found no file also succeeds.
    let passed = report
        .lines()
        .find_map(|l| l.strip_prefix("# pass "))
        .and_then(|n| n.trim().parse::<u32>().ok())
        .unwrap_or(0);
    assert!(passed >= 5, "{report}");
}
