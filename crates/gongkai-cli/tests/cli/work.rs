//! `gongkai work add|list|remove` end to end on the built binary, and the figures of
//! `report compute` counted from the records (docs/work-records.md).

use super::common::*;

#[test]
fn work_records_write_the_reports_figures() {
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
    let add = |kind: &str, on: &str, title: &str| {
        ok(&[
            "work",
            "add",
            "--data",
            &data,
            "--agency",
            "张店区某局",
            "--kind",
            kind,
            "--on",
            on,
            "--title",
            title,
            "--today",
            "2025-06-30",
            "--format",
            "json",
        ])
    };
    add("superior-meeting", "2024-03-12", "全区政务公开工作专题会议");
    add("promotion_meeting", "2024-04-02", "局政务公开推进会议");
    let training: serde_json::Value =
        serde_json::from_str(&add("training", "2024-05-14", "政务公开全员培训")).expect("json");
    add(
        "implementation_plan",
        "2024-02-20",
        "《2024年政务公开工作实施方案》",
    );
    let id = training[0]["id"].as_i64().expect("id").to_string();

    let listed = ok(&[
        "work",
        "list",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
    ]);
    assert_eq!(listed.lines().count(), 4, "{listed}");
    assert!(listed.contains("组织培训\t政务公开全员培训"), "{listed}");

    let computed: serde_json::Value = serde_json::from_str(&ok(&[
        "report",
        "compute",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
        "--format",
        "json",
    ]))
    .expect("report");
    assert_eq!(computed["figures"]["superior_meetings_attended"], 1);
    assert_eq!(computed["figures"]["promotion_meetings_held"], 1);
    assert_eq!(computed["figures"]["trainings_held"], 1);

    // Removal needs a reason; the record is kept and no longer counted.
    let out = gongkai(&["work", "remove", "--data", &data, &id, "--reason", " "]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("删除工作记录须说明理由"),
        "{}",
        stderr(&out)
    );
    ok(&[
        "work",
        "remove",
        "--data",
        &data,
        &id,
        "--reason",
        "重复登记",
    ]);
    let computed: serde_json::Value = serde_json::from_str(&ok(&[
        "report",
        "compute",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
        "--format",
        "json",
    ]))
    .expect("report");
    assert_eq!(computed["figures"]["trainings_held"], 0);
    let all = ok(&[
        "work",
        "list",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
        "--removed",
    ]);
    assert!(all.contains("已删除") && all.contains("重复登记"), "{all}");

    // An unknown kind and a day to come are refused, naming what is wrong.
    let out = gongkai(&[
        "work",
        "add",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--kind",
        "party",
        "--on",
        "2024-05-14",
        "--title",
        "x",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown kind \"party\""),
        "{}",
        stderr(&out)
    );
    let out = gongkai(&[
        "work",
        "add",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--kind",
        "training",
        "--on",
        "2025-07-01",
        "--title",
        "培训",
        "--today",
        "2025-06-30",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("日期2025-07-01有误"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn proposals_are_counted_in_section_six() {
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
    let added: serde_json::Value = serde_json::from_str(&ok(&[
        "proposal",
        "add",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--kind",
        "npc",
        "--number",
        "张店区十八届人大五次会议第31号建议",
        "--proposer",
        "某代表",
        "--subject",
        "关于机关食堂节约的建议",
        "--assigned",
        "2024-03-20",
        "--today",
        "2025-06-30",
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(added[0]["number"], "张店区十八届人大五次会议第31号");
    assert_eq!(added[0]["due_on"], "2024-06-20");
    let id = added[0]["id"].as_i64().expect("id").to_string();
    ok(&[
        "proposal",
        "reply",
        "--data",
        &data,
        &id,
        "--on",
        "2024-06-10",
        "--result",
        "solved",
        "--today",
        "2025-06-30",
    ]);
    let listed = ok(&[
        "proposal",
        "list",
        "--data",
        &data,
        "--agency",
        "张店区某局",
    ]);
    assert!(
        listed.contains("人大代表建议\t张店区十八届人大五次会议第31号\t主办"),
        "{listed}"
    );
    assert!(listed.contains("2024-06-10 答复：已解决或采纳"), "{listed}");
    let computed: serde_json::Value = serde_json::from_str(&ok(&[
        "report",
        "compute",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--year",
        "2024",
        "--format",
        "json",
    ]))
    .expect("report");
    assert_eq!(computed["figures"]["npc_suggestions"], 1);
    assert_eq!(computed["figures"]["cppcc_proposals"], 0);
    // A number in the wrong form: the Chinese message says how to write it.
    let out = gongkai(&[
        "proposal",
        "add",
        "--data",
        &data,
        "--agency",
        "张店区某局",
        "--kind",
        "cppcc",
        "--number",
        "第12号",
        "--proposer",
        "某委员",
        "--subject",
        "x",
        "--assigned",
        "2024-03-20",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("届……次会议第……号"),
        "{}",
        stderr(&out)
    );
}
