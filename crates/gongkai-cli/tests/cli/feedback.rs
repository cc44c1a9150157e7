//! `gongkai feedback list|answer|reject` on the built binary: feedback submitted through the
//! use case the portal's form calls, answered publicly and privately, set aside; the figures of
//! `report compute` follow (docs/feedback.md).

use super::common::*;

use gongkai_app::App;
use gongkai_app::feedback::{Submission, Target, submit};
use gongkai_core::feedback::FeedbackForm;
use std::path::Path;
use time::macros::datetime;

fn list(data: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&[
        "feedback",
        "list",
        "--data",
        data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
        "--format",
        "json",
    ]))
    .expect("json")
}

fn figures(data: &str) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_str(&ok(&[
        "report",
        "compute",
        "--data",
        data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
        "--format",
        "json",
    ]))
    .expect("report");
    report["figures"].clone()
}

#[test]
fn feedback_is_answered_and_set_aside_from_the_command_line() {
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
        "user", "add", "--data", &data, "--name", "reviewer", "--roles", "review",
    ]);
    // Before any feedback: no negative evaluation, no count received.
    let f = figures(&data);
    assert_eq!(f["negative_evaluations"], 0);
    assert!(f.get("feedback_received").is_none(), "{f}");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let app = App::open(Path::new(&data)).await.expect("open");
        let agency = gongkai_app::agency::find(&app, "张店区某局")
            .await
            .expect("agency")
            .id;
        for (i, (rating, comment)) in [
            ("dissatisfied", "政策文件栏目缺少2023年的文件。"),
            ("satisfied", "政策文件栏目分类清楚，查找方便。"),
            ("basic", "这是一条重复灌水的无效内容。"),
        ]
        .into_iter()
        .enumerate()
        {
            submit(
                &app,
                &Submission {
                    target: Target::Column {
                        agency,
                        column: "政策文件".into(),
                    },
                    form: FeedbackForm {
                        rating: rating.into(),
                        comment: comment.into(),
                        contact: "13800000000".into(),
                        ..FeedbackForm::default()
                    },
                    client: format!("192.0.2.{i}"),
                },
                datetime!(2024-05-06 09:00 +08:00),
            )
            .await
            .expect("submitted");
        }
        app.db.close().await;
    });

    let all = list(&data);
    assert_eq!(all.as_array().map(Vec::len), Some(3), "{all}");
    assert_eq!(all[0]["state"], "pending");
    assert_eq!(all[0]["contact"], "13800000000");
    let id = |i: usize| all[i]["id"].as_i64().expect("id").to_string();

    let answered: serde_json::Value = serde_json::from_str(&ok(&[
        "feedback",
        "answer",
        "--data",
        &data,
        &id(0),
        "--text",
        "已补充发布2023年文件。",
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(answered[0]["state"], "published");
    ok(&[
        "feedback",
        "answer",
        "--data",
        &data,
        &id(1),
        "--private",
        "--text",
        "已电话致谢。",
    ]);
    // Who may not: a user without 录入; an answer is required.
    let out = gongkai(&[
        "feedback",
        "reject",
        "--data",
        &data,
        &id(2),
        "--as",
        "reviewer",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("无权处理公众评议"),
        "{}",
        stderr(&out)
    );
    let out = gongkai(&["feedback", "answer", "--data", &data, &id(2), "--text", " "]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("须填写答复内容"), "{}", stderr(&out));
    ok(&[
        "feedback",
        "reject",
        "--data",
        &data,
        &id(2),
        "--reason",
        "灌水",
    ]);
    let out = gongkai(&["feedback", "reject", "--data", &data, &id(2)]);
    assert_eq!(out.status.code(), Some(2), "set aside twice");

    let text = ok(&[
        "feedback",
        "list",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
    ]);
    assert!(
        text.contains("不满意\t已公开答复\t栏目“政策文件”"),
        "{text}"
    );
    assert!(text.contains("\t答复：已补充发布2023年文件。"), "{text}");
    let rejected = ok(&[
        "feedback",
        "list",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
        "--state",
        "rejected",
    ]);
    assert_eq!(rejected.lines().count(), 1, "{rejected}");

    // Two received (the spam is not counted), one of them 不满意.
    let f = figures(&data);
    assert_eq!(
        (
            f["feedback_received"].as_i64(),
            f["negative_evaluations"].as_i64()
        ),
        (Some(2), Some(1))
    );
}
