//! A data directory is created only by `init`: every other command refuses a missing database
//! or settings that do not parse with exit status 2, a message saying what to do, and creates
//! nothing.

use crate::common::{gongkai, stderr};
use std::path::Path;

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read the data directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn init(data: &str) {
    let out = gongkai(&["init", "--data", data]);
    assert!(out.status.success(), "init failed: {}", stderr(&out));
}

#[test]
fn a_deleted_database_exits_2_and_creates_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let data_s = data.display().to_string();
    init(&data_s);
    for f in ["gongkai.db", "gongkai.db-wal", "gongkai.db-shm"] {
        let _ = std::fs::remove_file(data.join(f));
    }
    for args in [
        &["agency", "list", "--data", &data_s][..],
        &["application", "list", "--data", &data_s],
        &["catalog", "list", "--data", &data_s, "--agency", "某机关"],
    ] {
        let out = gongkai(args);
        assert_eq!(out.status.code(), Some(2), "gongkai {args:?}");
        let err = stderr(&out);
        let db = data.join("gongkai.db").display().to_string();
        assert!(
            err.contains(&format!("{db} does not exist")) && err.contains("restore"),
            "gongkai {args:?}: {err}"
        );
        assert_eq!(
            names(&data),
            ["gongkai.toml", "secret.key"],
            "gongkai {args:?} created a file"
        );
    }
}

#[test]
fn settings_that_do_not_parse_exit_2_naming_the_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let data_s = data.display().to_string();
    init(&data_s);
    let settings = data.join("gongkai.toml");
    std::fs::write(&settings, "[database]\nurl = 'sqlite:gongkai.db\n").expect("write");
    let out = gongkai(&["agency", "list", "--data", &data_s]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{} (line 2, column", settings.display())),
        "{err}"
    );
}
