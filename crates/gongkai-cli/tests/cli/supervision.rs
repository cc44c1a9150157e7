//! Supervision through the binary (docs/supervision.md): `region list`, units added without
//! a code, `report import --data --agency`, `report rollup`, `report review`.

use crate::common::{gongkai, stderr, stdout};
use serde_json::Value;

fn ok(args: &[&str]) -> String {
    let o = gongkai(args);
    assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

#[test]
fn units_imported_rolled_up_and_reviewed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data").display().to_string();
    let d = data.as_str();
    ok(&["init", "--data", d]);
    // The province's supervisor (监督 of the whole installation): no role stands in for it.
    ok(&[
        "user",
        "add",
        "--data",
        d,
        "--name",
        "sheng",
        "--roles",
        "supervise",
    ]);
    let added = ok(&[
        "agency",
        "add",
        "--data",
        d,
        "--region",
        "山东省/淄博市/张店区",
        "--name",
        "甲单位",
    ]);
    assert!(added.contains("no organisation code"), "{added}");
    ok(&[
        "agency",
        "add",
        "--data",
        d,
        "--region",
        "山东省/淄博市/淄川区",
        "--name",
        "乙单位",
    ]);
    let regions = ok(&["region", "list", "--data", d]);
    assert!(
        regions
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("山东省\t省级")),
        "{regions}"
    );
    assert!(
        regions.contains("山东省/淄博市/张店区\t县级\t1\n"),
        "{regions}"
    );

    // 甲: the seed report's printed text; 乙: a document whose table 三 does not add up.
    let text = dir.path().join("a.txt");
    ok(&[
        "report",
        "render",
        "examples/seed-2021.json",
        "--format",
        "txt",
        "-o",
        text.to_str().expect("utf-8"),
    ]);
    let out = ok(&[
        "report",
        "import",
        text.to_str().expect("utf-8"),
        "--data",
        d,
        "--agency",
        "甲单位",
        "--as",
        "sheng",
    ]);
    assert!(out.contains("as the 2021 report of 甲单位"), "{out}");
    assert!(out.contains("counted in the region's roll-up"), "{out}");
    let mut bad: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::common::repo().join("examples/seed-2021.json"))
            .expect("seed"),
    )
    .expect("JSON");
    bad["agency"] = "乙单位".into();
    bad["table3"]["granted"]["natural_person"] = 3.into();
    let bad_path = dir.path().join("b.json");
    std::fs::write(&bad_path, bad.to_string()).expect("write");
    let out = ok(&[
        "report",
        "import",
        bad_path.to_str().expect("utf-8"),
        "--data",
        d,
        "--agency",
        "乙单位",
        "--as",
        "sheng",
    ]);
    assert!(
        out.contains("not counted in the region's roll-up: 未通过规则"),
        "{out}"
    );

    let doc: Value = serde_json::from_str(&ok(&[
        "report",
        "rollup",
        "--data",
        d,
        "--region",
        "淄博市",
        "--year",
        "2021",
        "--format",
        "json",
        "--as",
        "sheng",
    ]))
    .expect("JSON");
    assert_eq!(doc["agency"], "淄博市");
    assert_eq!(doc["rollup"]["units"], 2);
    assert_eq!(doc["rollup"]["included"], 1);
    let seed = crate::common::seed_expected();
    assert_eq!(doc["table3"], seed["table3"], "only 甲 is summed");
    assert_eq!(doc["table4"], seed["table4"]);
    let units = doc["units"].as_array().expect("units");
    let yi = units.iter().find(|u| u["agency"] == "乙单位").expect("乙");
    assert_eq!(
        (&yi["origin"], &yi["state"], &yi["included"]),
        (&"imported".into(), &"pending".into(), &false.into())
    );
    assert!(!yi["failed_rules"].as_array().expect("rules").is_empty());

    let csv = ok(&[
        "report",
        "rollup",
        "--data",
        d,
        "--region",
        "淄博市",
        "--year",
        "2021",
        "--format",
        "csv",
        "--as",
        "sheng",
    ]);
    assert!(csv.starts_with("\u{feff}单位,组织机构代码,所属地区,来源,状态,计入汇总,未计入原因,"));
    assert_eq!(csv.lines().count(), 3, "a header and two units");
    assert!(
        csv.contains("乙单位,,山东省/淄博市/淄川区,导入,待审核,否,"),
        "{csv}"
    );
    let o = gongkai(&[
        "report",
        "rollup",
        "--data",
        d,
        "--region",
        "淄博市",
        "--year",
        "2021",
        "--format",
        "xlsx",
        "--as",
        "sheng",
    ]);
    assert_eq!(o.status.code(), Some(2), "xlsx needs -o");

    let drill = ok(&[
        "report",
        "rollup",
        "--data",
        d,
        "--region",
        "山东省/淄博市",
        "--year",
        "2021",
        "--cell",
        "table3.granted.natural_person",
        "--format",
        "txt",
        "--as",
        "sheng",
    ]);
    assert!(drill.contains("乙单位\t3\tvalue\t未计入"), "{drill}");
    assert!(drill.contains("甲单位\t0\tvalue"), "{drill}");

    let out = ok(&[
        "report",
        "review",
        "return",
        "--data",
        d,
        "--agency",
        "乙单位",
        "--year",
        "2021",
        "--reason",
        "T3-2: 办理结果之和不等于总计",
        "--reason",
        "请核对后重新报送",
        "--as",
        "sheng",
    ]);
    assert!(out.contains("已退回"), "{out}");
    let h = ok(&[
        "report",
        "review",
        "history",
        "--data",
        d,
        "--agency",
        "乙单位",
        "--year",
        "2021",
        "--as",
        "sheng",
    ]);
    assert!(
        h.contains("退回") && h.contains("T3-2：办理结果之和不等于总计"),
        "{h}"
    );
    assert!(h.contains("\t请核对后重新报送"), "{h}");
    let o = gongkai(&[
        "report",
        "review",
        "return",
        "--data",
        d,
        "--agency",
        "乙单位",
        "--year",
        "2021",
        "--as",
        "sheng",
    ]);
    assert_eq!(o.status.code(), Some(2), "a return without a reason");
    ok(&[
        "report",
        "review",
        "accept",
        "--data",
        d,
        "--agency",
        "甲单位",
        "--year",
        "2021",
        "--as",
        "sheng",
    ]);
    let o = gongkai(&[
        "report",
        "import",
        text.to_str().expect("utf-8"),
        "--data",
        d,
        "--agency",
        "甲单位",
        "--as",
        "sheng",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("accepted"), "{}", stderr(&o));
    let o = gongkai(&[
        "report",
        "import",
        text.to_str().expect("utf-8"),
        "--data",
        d,
        "--agency",
        "丙单位",
        "--as",
        "sheng",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
