//! `gongkai user passwd` on the built binary: the password from standard input (as scripts give
//! it), the policy's Chinese messages, who may set whose, and signing in with the result.

use super::common::*;
use gongkai_app::App;
use gongkai_app::auth::{self, Attempt};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs gongkai with `input` on its standard input (not a terminal).
fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs gongkai");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write the password");
    child.wait_with_output().expect("gongkai ends")
}

/// Whether `name` signs in with `password` on the data directory.
fn signs_in(data: &str, name: &str, password: &str) -> bool {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let app = App::open(Path::new(data)).await.expect("open");
        let attempt = auth::sign_in(
            &app,
            name,
            password,
            "cli-test",
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("sign-in runs");
        app.db.close().await;
        matches!(attempt, Attempt::SignedIn(_))
    })
}

#[test]
fn db_ia_1_user_passwd_reads_one_line_and_the_user_signs_in_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data").display().to_string();
    ok(&["init", "--data", &data, "--operator", "admin"]);
    ok(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "zhangwei",
        "--display-name",
        "张伟",
        "--roles",
        "entry",
    ]);
    assert!(
        ok(&["user", "list", "--data", &data])
            .contains("zhangwei\t张伟\t录入\tactive\tno password")
    );

    // As a script gives it: one line; the line break is not part of the password.
    let out = with_stdin(
        &["user", "passwd", "--data", &data, "zhangwei"],
        b"Zhangdian-2024\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("password set for user zhangwei"));
    assert!(
        ok(&["user", "list", "--data", &data]).contains("zhangwei\t张伟\t录入\tactive\tpassword")
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["user", "list", "--data", &data, "--format", "json"]))
            .expect("JSON");
    // The operator, the 安全管理员 and the 审计管理员 of `init`, then zhangwei.
    assert_eq!(json[3]["password_set"], serde_json::json!(true));
    assert_eq!(json[0]["password_set"], serde_json::json!(false));
    assert!(signs_in(&data, "zhangwei", "Zhangdian-2024"));
    assert!(!signs_in(&data, "zhangwei", "Zhangdian-2024\n"));

    // A Windows line end, and spaces kept exactly as typed (ASVS 6.2.8).
    let out = with_stdin(
        &[
            "user", "passwd", "--data", &data, "zhangwei", "--as", "zhangwei",
        ],
        b" Own pass 2024 \r\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(signs_in(&data, "zhangwei", " Own pass 2024 "));
    assert!(!signs_in(&data, "zhangwei", "Own pass 2024"));

    // A weak password: exit 2, the rule in Chinese, nothing changed.
    let weak = with_stdin(
        &["user", "passwd", "--data", &data, "zhangwei"],
        b"12345678901\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(
        stderr(&weak).contains("gongkai: 错误：密码不能全为数字"),
        "{}",
        stderr(&weak)
    );
    assert!(signs_in(&data, "zhangwei", " Own pass 2024 "));

    // Nothing on standard input.
    let empty = with_stdin(&["user", "passwd", "--data", &data, "zhangwei"], b"");
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        stderr(&empty).contains("no password on standard input"),
        "{}",
        stderr(&empty)
    );

    // Another user's password is an administrator's to set.
    let other = with_stdin(
        &[
            "user", "passwd", "--data", &data, "admin", "--as", "zhangwei",
        ],
        b"Someone-else-2024\n",
    );
    assert_eq!(other.status.code(), Some(2));
    assert!(
        stderr(&other).contains("张伟只能修改自己的密码"),
        "{}",
        stderr(&other)
    );
    assert!(!signs_in(&data, "admin", "Someone-else-2024"));
}

/// `gongkai demo` creates a demo staff account with a random password, prints where to sign in
/// with it, and keeps it in the data directory (owner-readable only) for the next start.
#[test]
fn demo_prints_a_staff_account_that_signs_in() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("demo").display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["demo", "--data", &data, "--port", "0"])
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("runs gongkai demo");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let mut staff_line = None;
    while staff_line.is_none() && std::time::Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(1))
            && line.contains("工作人员登录")
        {
            staff_line = Some(line);
        }
    }
    child.kill().expect("stop the demo");
    child.wait().expect("demo ended");
    let line = staff_line.expect("the demo printed the staff sign-in");
    assert!(
        line.contains("/staff/signin") && line.contains("演示账号 demo"),
        "{line}"
    );
    let password = line
        .split("密码 ")
        .nth(1)
        .expect("the password")
        .trim()
        .to_string();
    assert!(
        password.starts_with("gk-") && password.len() == 18,
        "{password}"
    );
    let kept = Path::new(&data).join("demo-account.txt");
    assert_eq!(
        std::fs::read_to_string(&kept).expect("account file"),
        format!("demo\n{password}\n")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(signs_in(&data, "demo", &password));
}
