//! `application pending|confirm|reject|reissue-code` on the built binary: online applications
//! submitted (through the use case the web form calls) and confirmed or rejected by a clerk;
//! a lost 查询码 re-issued.

use super::common::*;

use gongkai_app::App;
use gongkai_app::application::online::{Tracked, submit_online};
use gongkai_core::application::OnlineForm;
use std::path::Path;
use time::macros::{date, datetime};

/// A data directory with one agency, a reviewer and two online submissions of 2021-09-30
/// (made through the use case the web form calls): the directory and the two 申请编号.
fn setup(dir: &Path) -> (String, String, String) {
    let (data, a, b) = setup_with_codes(dir);
    (data, a.0, b.0)
}

/// [`setup`], with each submission's 查询码.
fn setup_with_codes(dir: &Path) -> (String, (String, String), (String, String)) {
    let data = dir.join("data").display().to_string();
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
        "user", "add", "--data", &data, "--name", "reviewer", "--roles", "review",
    ]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (a, b) = rt.block_on(async {
        let app = App::open(Path::new(&data)).await.expect("open");
        let agency = gongkai_app::agency::find(&app, "张店区某局")
            .await
            .expect("agency")
            .id;
        let form = |who: &str, what: &str| {
            OnlineForm {
                applicant_type: "natural_person".into(),
                name: who.into(),
                id_type: "resident_id_card".into(),
                id_number: "11010519491231002X".into(),
                phone: "13800000000".into(),
                description: what.into(),
                delivery: "collect".into(),
                media: vec!["paper".into()],
                ..OnlineForm::default()
            }
            .parse(date!(2021 - 09 - 30))
            .expect("valid")
        };
        let at = datetime!(2021-09-30 10:00 +8);
        let a = submit_online(
            &app,
            agency,
            "cli-test-key-000000001",
            &form("张三", "2021年部门预算"),
            at,
        )
        .await
        .expect("submit");
        let b = submit_online(
            &app,
            agency,
            "cli-test-key-000000002",
            &form("李四", "一封广告"),
            at,
        )
        .await
        .expect("submit");
        app.db.close().await;
        (
            (a.number, a.query_code.expect("code")),
            (b.number, b.query_code.expect("code")),
        )
    });
    (data, a, b)
}

/// What the applicant's look-up finds with `code`: `pending`, `rejected`, `case` or
/// `not found`.
fn track(data: &str, number: &str, code: &str) -> &'static str {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let app = App::open(Path::new(data)).await.expect("open");
        let t = gongkai_app::application::online::track(&app, number, code, date!(2021 - 10 - 08))
            .await;
        app.db.close().await;
        match t {
            Ok(Tracked::Pending(_)) => "pending",
            Ok(Tracked::Rejected(_)) => "rejected",
            Ok(Tracked::Case(_)) => "case",
            Err(_) => "not found",
        }
    })
}

/// The code `reissue-code` printed.
fn printed_code(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("查询码"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no code in {out}"))
        .to_string()
}

#[test]
fn reissue_code_replaces_a_lost_query_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, (first, code), (second, second_code)) = setup_with_codes(dir.path());
    assert_eq!(track(&data, &first, &code), "pending");

    // A reviewer may not: exit 2 with the Chinese reason; the code still works.
    let out = gongkai(&[
        "application",
        "reissue-code",
        "--data",
        &data,
        &first,
        "--as",
        "reviewer",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("无权重新发放查询码"),
        "{}",
        stderr(&out)
    );
    assert_eq!(track(&data, &first, &code), "pending");
    // An unknown number: exit 2.
    let out = gongkai(&[
        "application",
        "reissue-code",
        "--data",
        &data,
        "2021-000099",
    ]);
    assert_eq!(out.status.code(), Some(2));

    // Awaiting confirmation: a new code, the old one no longer works.
    let out = ok(&["application", "reissue-code", "--data", &data, &first]);
    assert!(out.contains("申请编号 2021-000001"), "{out}");
    assert!(out.contains("awaiting confirmation"), "{out}");
    let new = printed_code(&out);
    assert_ne!(new, code);
    assert_eq!(track(&data, &first, &code), "not found");
    assert_eq!(track(&data, &first, &new), "pending");

    // Once confirmed, the case's code is re-issued the same way.
    ok(&[
        "application",
        "confirm",
        "--data",
        &data,
        &first,
        "--on",
        "2021-09-30",
        "--today",
        "2021-09-30",
    ]);
    assert_eq!(track(&data, &first, &new), "case");
    let out = ok(&[
        "application",
        "reissue-code",
        "--data",
        &data,
        &first,
        "--as",
        "operator",
    ]);
    assert!(out.contains("registered application"), "{out}");
    let newer = printed_code(&out);
    assert_eq!(track(&data, &first, &new), "not found");
    assert_eq!(track(&data, &first, &newer), "case");

    // A submission not taken as an application keeps its code: exit 2, nothing changed.
    ok(&[
        "application",
        "reject",
        "--data",
        &data,
        &second,
        "--reason",
        "广告信息",
        "--on",
        "2021-10-08",
        "--today",
        "2021-10-08",
    ]);
    let out = gongkai(&["application", "reissue-code", "--data", &data, &second]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("不再重新发放查询码"),
        "{}",
        stderr(&out)
    );
    assert_eq!(track(&data, &second, &second_code), "rejected");
}

#[test]
fn pending_confirm_and_reject_online_applications() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (data, first, second) = setup(dir.path());
    assert_eq!(first, "2021-000001");

    let out = ok(&["application", "pending", "--data", &data]);
    assert!(
        out.contains("2021-000001") && out.contains("2021-000002"),
        "{out}"
    );
    assert!(
        out.contains("张三") && out.contains("2021年部门预算"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "application",
        "pending",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--format",
        "json",
    ]))
    .expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["status"], "pending");
    assert_eq!(json[0]["submitted_on"], "2021-09-30");
    assert_eq!(json[0]["provision"]["media"][0], "paper");

    // Not yet an application: `show` does not know it.
    assert!(
        !gongkai(&["application", "show", "--data", &data, &first])
            .status
            .success()
    );

    // A reviewer may not confirm; nothing is written.
    let out = gongkai(&[
        "application",
        "confirm",
        "--data",
        &data,
        &first,
        "--on",
        "2021-09-30",
        "--today",
        "2021-09-30",
        "--as",
        "reviewer",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("无权"), "{}", stderr(&out));

    // The operator confirms on the day it arrived: received 2021-09-30, due 2021-11-03.
    let out = ok(&[
        "application",
        "confirm",
        "--data",
        &data,
        &first,
        "--on",
        "2021-09-30",
        "--today",
        "2021-09-30",
        "--as",
        "operator",
    ]);
    assert!(out.contains("received 2021-09-30"), "{out}");
    assert!(out.contains("网络"), "{out}");
    assert!(out.contains("due      2021-11-03"), "{out}");
    let shown = ok(&[
        "application",
        "show",
        "--data",
        &data,
        &first,
        "--today",
        "2021-10-08",
    ]);
    assert!(shown.contains("2021-11-03"), "{shown}");

    // Twice is refused with a Chinese message and exit 2.
    let out = gongkai(&[
        "application",
        "confirm",
        "--data",
        &data,
        &first,
        "--on",
        "2021-09-30",
        "--today",
        "2021-09-30",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("已处理"), "{}", stderr(&out));

    // The second is not an application.
    let out = ok(&[
        "application",
        "reject",
        "--data",
        &data,
        &second,
        "--reason",
        "广告信息，不是政府信息公开申请",
        "--on",
        "2021-10-08",
        "--today",
        "2021-10-08",
    ]);
    assert!(out.contains("rejected"), "{out}");
    let out = ok(&["application", "pending", "--data", &data]);
    assert!(
        out.contains("no online applications awaiting confirmation"),
        "{out}"
    );

    // The confirmed case counts in table 三 of 2021.
    let report: serde_json::Value = serde_json::from_str(&ok(&[
        "report",
        "compute",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2021",
        "--format",
        "json",
    ]))
    .expect("JSON");
    let text = report.to_string();
    assert!(text.contains("2021-000001"), "the case is counted: {text}");
    assert!(!text.contains("2021-000002"), "the rejected one is not");
}
