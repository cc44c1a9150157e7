//! Users and actors on the built binary: who may act, `--as`, and the Chinese messages.

use super::common::*;

fn init(dir: &std::path::Path) -> String {
    let data = dir.join("data").display().to_string();
    ok(&[
        "init",
        "--data",
        &data,
        "--operator",
        "admin",
        "--operator-display-name",
        "王主任",
    ]);
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
    data
}

#[test]
fn users_are_added_listed_and_disabled_by_an_administrator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    ok(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "zhangwei1",
        "--display-name",
        "张伟",
        "--roles",
        "录入",
    ]);
    ok(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "zhangwei2",
        "--display-name",
        "张伟",
        "--roles",
        "review,secrecy",
    ]);
    let list = ok(&["user", "list", "--data", &data]);
    assert!(
        list.contains("admin\t王主任\t录入、审核、保密审查、负责人、系统管理员\tactive"),
        "{list}"
    );
    assert!(
        list.contains("zhangwei2\t张伟\t审核、保密审查\tactive"),
        "{list}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["user", "list", "--data", &data, "--format", "json"]))
            .expect("JSON");
    // After the operator, the 安全管理员 and the 审计管理员 `init` made.
    assert_eq!(json[3]["roles"], serde_json::json!(["entry"]));
    // A user name that exists already; a role that does not.
    let dup = gongkai(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "zhangwei1",
        "--roles",
        "entry",
    ]);
    assert_eq!(dup.status.code(), Some(2));
    let bad = gongkai(&[
        "user", "add", "--data", &data, "--name", "x", "--roles", "boss",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown role"), "{}", stderr(&bad));
    // Only an administrator adds users; the message is in Chinese first.
    let out = gongkai(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "y",
        "--roles",
        "entry",
        "--as",
        "zhangwei1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("gongkai: 错误：张伟不是安全管理员"),
        "{}",
        stderr(&out)
    );
    // Two users share the display name 张伟: it does not name either.
    let out = gongkai(&[
        "user",
        "disable",
        "--data",
        &data,
        "zhangwei1",
        "--as",
        "张伟",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("有2名用户显示名称为“张伟”"),
        "{}",
        stderr(&out)
    );
    ok(&["user", "disable", "--data", &data, "zhangwei1"]);
    assert!(ok(&["user", "list", "--data", &data]).contains("zhangwei1\t张伟\t录入\tdisabled"));
}

#[test]
fn a_command_acts_as_a_known_active_user_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    ok(&[
        "user", "add", "--data", &data, "--name", "clerk", "--roles", "entry",
    ]);
    let register = |who: &str| {
        gongkai(&[
            "application",
            "register",
            "--data",
            &data,
            "--agency",
            "张店区某局",
            "--channel",
            "当面",
            "--arrived",
            "2021-03-01",
            "--person",
            "张三",
            "--id-number",
            "11010519491231002X",
            "--phone",
            "13800000000",
            "--request",
            "2021年部门预算",
            "--today",
            "2021-03-01",
            "--as",
            who,
        ])
    };
    assert!(register("clerk").status.success());
    let nobody = register("李四");
    assert_eq!(nobody.status.code(), Some(2));
    assert!(
        stderr(&nobody).contains("没有名为“李四”的用户"),
        "{}",
        stderr(&nobody)
    );
    // The event records the clerk's id; a refused event prints the law's reason in Chinese.
    let out = gongkai(&[
        "application",
        "event",
        "--data",
        &data,
        "2021-000001",
        "--on",
        "2021-03-02",
        "--today",
        "2021-03-02",
        "--as",
        "clerk",
        "extension",
        "--days",
        "21",
        "--approver",
        "王主任",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("gongkai: 错误：延长答复期限最长不得超过20个工作日"),
        "{}",
        stderr(&out)
    );
    ok(&[
        "application",
        "event",
        "--data",
        &data,
        "2021-000001",
        "--on",
        "2021-03-02",
        "--today",
        "2021-03-02",
        "--as",
        "clerk",
        "extension",
        "--days",
        "5",
        "--approver",
        "王主任",
    ]);
    let show: serde_json::Value = serde_json::from_str(&ok(&[
        "application",
        "show",
        "--data",
        &data,
        "2021-000001",
        "--today",
        "2021-03-02",
        "--format",
        "json",
    ]))
    .expect("JSON");
    assert_eq!(show["events"][0]["actor"], "clerk");
    assert_eq!(show["events"][0]["actor_id"], 4);
    // A disabled user can no longer act; an unknown one cannot either.
    ok(&["user", "disable", "--data", &data, "clerk"]);
    let out = register("clerk");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("用户clerk已停用"), "{}", stderr(&out));
}

#[test]
fn the_cli_imports_nothing_from_the_store() {
    // The CLI reaches the database only through gongkai-app, whose views it prints.
    let mut offenders = Vec::new();
    let mut stack = vec![repo().join("crates/gongkai-cli/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(&path)
                    .expect("read")
                    .contains("gongkai_store")
            {
                offenders.push(path.display().to_string());
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
    let manifest =
        std::fs::read_to_string(repo().join("crates/gongkai-cli/Cargo.toml")).expect("manifest");
    assert!(
        !manifest
            .lines()
            .take_while(|l| !l.starts_with("[dev-dependencies]"))
            .any(|l| l.starts_with("gongkai-store")),
        "gongkai-cli depends on gongkai-store"
    );
}

/// 三权分立 on the command line (docs/security.md#separation): `init` makes the three
/// administrators in three accounts; no account gets two; the 安全管理员 changes others' roles,
/// never their own; and `serve` refuses to start while an account breaks the level-3 rule.
#[test]
fn db_mc_1_the_three_administrators_stay_in_three_accounts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = init(dir.path());
    let list = ok(&["user", "list", "--data", &data]);
    for (name, label) in [("security", "安全管理员"), ("auditor", "审计管理员")] {
        assert!(
            list.lines().any(|l| l.contains(name) && l.contains(label)),
            "{list}"
        );
    }
    let both = gongkai(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "both",
        "--roles",
        "admin,audit",
    ]);
    assert_eq!(both.status.code(), Some(2), "{}", stdout(&both));
    assert!(
        stderr(&both).contains("three administrators"),
        "{}",
        stderr(&both)
    );
    let security_and_office = gongkai(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "mixed",
        "--roles",
        "security,entry",
    ]);
    assert_eq!(security_and_office.status.code(), Some(2));
    assert!(!ok(&["user", "list", "--data", &data]).contains("mixed"));
    // The security administrator cannot grant themself another's power.
    let own = gongkai(&[
        "user", "roles", "--data", &data, "security", "--roles", "audit",
    ]);
    assert_eq!(own.status.code(), Some(2), "{}", stdout(&own));
    assert!(stderr(&own).contains("own roles"), "{}", stderr(&own));
    // Nor does the operator (系统管理员) manage users.
    let by_operator = gongkai(&[
        "user", "add", "--data", &data, "--name", "x1", "--roles", "entry", "--as", "admin",
    ]);
    assert_eq!(by_operator.status.code(), Some(2));
    assert!(stderr(&by_operator).contains("security administrator"));
    // Level 3: the operator's office roles and 系统管理员 break the rule; serve says so.
    let toml = std::path::Path::new(&data).join("gongkai.toml");
    let text = std::fs::read_to_string(&toml).expect("settings");
    std::fs::write(&toml, format!("{text}\n[auth]\nlevel = 3\n")).expect("write");
    let serve = gongkai(&["serve", "--data", &data, "--listen", "127.0.0.1:0"]);
    assert!(!serve.status.success());
    let why = stderr(&serve);
    assert!(
        why.contains("admin:") && why.contains("gongkai user roles"),
        "{why}"
    );
    ok(&[
        "user", "roles", "--data", &data, "admin", "--roles", "admin",
    ]);
    let fixed = ok(&["user", "list", "--data", &data]);
    assert!(
        fixed
            .lines()
            .any(|l| l.contains("\tadmin\t") && l.contains("\t系统管理员\t")),
        "{fixed}"
    );
}
