//! Helpers shared by the end-to-end tests: run the built binary from the repository root.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("runs gongkai")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub const SEED_EXPECTED: &str =
    "testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json";

/// The seed report's hand-checked expected document.
pub fn seed_expected() -> serde_json::Value {
    let text = std::fs::read_to_string(repo().join(SEED_EXPECTED)).expect("read the seed");
    serde_json::from_str(&text).expect("seed is JSON")
}

/// The standard output of a run that must succeed.
pub fn ok(args: &[&str]) -> String {
    let out = gongkai(args);
    assert!(
        out.status.success(),
        "gongkai {args:?} failed: {}",
        stderr(&out)
    );
    stdout(&out)
}
