//! The restore drill (RL-8, DB-BR-1) on the built binary: a data directory with a case is
//! backed up while it is in use, the backup holds no readable ID number and no key, a restore
//! without the key or with another installation's key is refused and leaves nothing, and the
//! restore with the right key reads the same cases and a verifying audit chain.

use super::common::*;
use std::path::Path;

const ID_NUMBER: &str = "11010519491231002X";
const PHONE: &str = "13912345678";

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn rl_8_backup_and_restore_drill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data").display().to_string();
    ok(&["init", "--data", &data]);
    ok(&[
        "agency",
        "add",
        "--data",
        &data,
        "--region",
        "山东省/淄博市/张店区",
        "--name",
        "张店区某局",
        "--org-code",
        "000000009",
    ]);
    ok(&[
        "application",
        "register",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--channel",
        "当面",
        "--arrived",
        "2021-09-30",
        "--person",
        "张三",
        "--id-number",
        ID_NUMBER,
        "--phone",
        PHONE,
        "--request",
        "2021年部门预算",
        "--today",
        "2021-10-08",
    ]);
    ok(&[
        "application",
        "event",
        "--data",
        &data,
        "2021-000001",
        "--on",
        "2021-10-09",
        "--today",
        "2021-10-09",
        "decided",
        "--outcome",
        "granted",
        "--basis",
        "《条例》第三十六条第（二）项",
    ]);

    let backup = dir.path().join("gongkai-2021.backup");
    let b = backup.display().to_string();
    let said = ok(&["backup", "--data", &data, "-o", &b]);
    assert!(
        said.contains("checked") && said.contains("holds no key"),
        "{said}"
    );
    let bytes = std::fs::read(&backup).expect("backup");
    assert!(!bytes.is_empty());
    assert!(
        !contains(&bytes, ID_NUMBER) && !contains(&bytes, PHONE),
        "a backup alone reads no ID number"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let again = gongkai(&["backup", "--data", &data, "-o", &b]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing file is not overwritten"
    );

    // Without the key, or with another installation's: refused, nothing left behind.
    let restored = dir.path().join("restored");
    let r = restored.display().to_string();
    let no_key = gongkai(&["restore", "--data", &r, &b]);
    assert_eq!(no_key.status.code(), Some(2));
    assert!(
        stderr(&no_key).contains("--key-file"),
        "{}",
        stderr(&no_key)
    );
    assert!(!restored.exists());
    let other = dir.path().join("other").display().to_string();
    ok(&["init", "--data", &other]);
    let wrong = Path::new(&other).join("secret.key").display().to_string();
    let refused = gongkai(&["restore", "--data", &r, &b, "--key-file", &wrong]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("not the key this database was sealed with"),
        "{}",
        stderr(&refused)
    );
    assert!(!restored.exists(), "a failed restore leaves nothing");

    // With the key kept apart: the same cases, the chain intact.
    let key = Path::new(&data).join("secret.key").display().to_string();
    let drill = ok(&["restore", "--data", &r, &b, "--key-file", &key]);
    assert!(drill.contains("chain intact"), "{drill}");
    assert!(drill.contains("application          1"), "{drill}");
    let show = |d: &str| {
        ok(&[
            "application",
            "show",
            "--data",
            d,
            "2021-000001",
            "--format",
            "json",
            "--reveal",
        ])
    };
    let (before, after) = (show(&data), show(&r));
    assert!(after.contains(ID_NUMBER));
    assert_eq!(before, after);
    let verified = ok(&["audit-log", "verify", "--data", &r]);
    assert!(verified.contains("chain intact"), "{verified}");
    let into_existing = gongkai(&["restore", "--data", &r, &b, "--key-file", &key]);
    assert_eq!(into_existing.status.code(), Some(2));
}
