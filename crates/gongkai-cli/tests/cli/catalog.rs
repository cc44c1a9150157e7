//! `gongkai catalog …` end to end: the built binary on a fresh SQLite data directory.

use super::common::*;

use serde_json::Value;

fn ok_json(args: &[&str]) -> Value {
    let out = gongkai(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(gongkai_app::App::init(&dir.path().join("d"), None))
        .expect("init data dir");
    dir
}

fn d(dir: &tempfile::TempDir) -> String {
    dir.path().join("d").display().to_string()
}

#[test]
fn item_goes_through_the_workflow_and_prints_its_form() {
    let dir = data_dir();
    let data = d(&dir);
    let demo = gongkai(&["catalog", "demo", "--data", &data]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let agency = "淄博市张店区机关事务服务中心";
    let item = ok_json(&[
        "catalog",
        "create",
        "--data",
        &data,
        "--agency",
        agency,
        "--by",
        "王明",
        "--title",
        "关于做好2022年公共机构节能工作的通知",
        "--column",
        "政策文件",
        "--formed-on",
        "2022-03-01",
        "--summary",
        "部署节能工作。",
        "--genre",
        "通知",
        "--doc-number",
        "张机事发[2022]3号",
        "--subject",
        "综合政务\\其他",
        "--keywords",
        "节能、公共机构",
        "--format",
        "json",
    ]);
    assert_eq!(item["stage"], "draft");
    assert_eq!(item["doc_number"], "张机事发〔2022〕3号");
    assert_eq!(item["doc_number_flagged"], false);
    let id = item["id"].as_i64().expect("id").to_string();

    // Publishing before review is refused with the reason, and nothing changes.
    let out = gongkai(&[
        "catalog", "act", "--data", &data, &id, "publish", "--by", "王明",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不能“发布”"));
    ok_json(&[
        "catalog", "act", "--data", &data, &id, "submit", "--by", "王明", "--format", "json",
    ]);
    let out = gongkai(&[
        "catalog",
        "act",
        "--data",
        &data,
        &id,
        "clear-secrecy",
        "--by",
        "王明",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "the drafter cannot clear their own draft"
    );
    ok_json(&[
        "catalog",
        "act",
        "--data",
        &data,
        &id,
        "clear-secrecy",
        "--by",
        "李华",
        "--note",
        "不涉密",
        "--format",
        "json",
    ]);
    ok_json(&[
        "catalog", "act", "--data", &data, &id, "approve", "--by", "赵强", "--format", "json",
    ]);
    let published = ok_json(&[
        "catalog", "act", "--data", &data, &id, "publish", "--by", "王明", "--format", "json",
    ]);
    assert_eq!(published["stage"], "published");
    let number = published["index_number"].as_str().expect("索引号");
    assert!(number.starts_with("DEMO370303JGSW/"), "{number}");
    assert_eq!(published["steps"].as_array().map(Vec::len), Some(5));

    let html = gongkai(&["catalog", "form", "--data", &data, &id]);
    let html = String::from_utf8(html.stdout).expect("utf-8");
    assert!(
        html.contains("政府信息公开发布审批表") && html.contains("不涉密") && html.contains(number)
    );
    let docx = dir.path().join("form.docx");
    let out = gongkai(&[
        "catalog",
        "form",
        "--data",
        &data,
        &id,
        "--format",
        "docx",
        "-o",
        &docx.display().to_string(),
    ]);
    assert!(out.status.success());
    assert!(std::fs::read(&docx).expect("docx").starts_with(b"PK"));

    // Withdrawal needs a reason.
    let out = gongkai(&[
        "catalog", "act", "--data", &data, &id, "withdraw", "--by", "赵强",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let w = ok_json(&[
        "catalog",
        "act",
        "--data",
        &data,
        &id,
        "withdraw",
        "--by",
        "赵强",
        "--note",
        "内容已更新",
        "--format",
        "json",
    ]);
    assert_eq!(w["stage"], "withdrawn");
    assert_eq!(w["index_number"].as_str(), Some(number));
}

#[test]
fn demo_stats_match_the_seed_section_one() {
    let dir = data_dir();
    let data = d(&dir);
    assert!(
        gongkai(&["catalog", "demo", "--data", &data])
            .status
            .success()
    );
    let stats = ok_json(&[
        "catalog",
        "stats",
        "--data",
        &data,
        "--agency",
        "淄博市张店区机关事务服务中心",
        "--year",
        "2021",
        "--format",
        "json",
    ]);
    let seed = seed_expected();
    assert_eq!(stats["total"], seed["proactive"]["total"]);
    assert_eq!(stats["by_category"], seed["proactive"]["by_category"]);
    // Computed cells cannot be entered by hand; entered ones are checked.
    let t2 = |cell: &str, value: &str| {
        gongkai(&[
            "catalog",
            "table2",
            "--data",
            &data,
            "--agency",
            "淄博市张店区机关事务服务中心",
            "--year",
            "2021",
            "--cell",
            cell,
            "--value",
            value,
            "--by",
            "王明",
        ])
    };
    assert_eq!(t2("art20_1.rules.issued", "0").status.code(), Some(2));
    assert_eq!(
        t2("art20_5.admin_license.decisions", "-1").status.code(),
        Some(2)
    );
    assert!(t2("art20_8.admin_fees.fee_amount", "0.5").status.success());
    // 本年增/减 of the 2019 layout (a 2020 report) takes a decrease; other cells do not.
    let t2_2020 = |cell: &str, value: &str| {
        gongkai(&[
            "catalog",
            "table2",
            "--data",
            &data,
            "--agency",
            "淄博市张店区机关事务服务中心",
            "--year",
            "2020",
            "--cell",
            cell,
            "--value",
            value,
            "--by",
            "王明",
        ])
    };
    let o = t2_2020("art20_5.admin_license.change", "-8");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = t2_2020("art20_5.admin_license.prev_year_items", "-8");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("≥ 0"), "{}", stderr(&o));
    let docs = ok_json(&[
        "catalog",
        "doc",
        "list",
        "--data",
        &data,
        "--agency",
        "淄博市张店区机关事务服务中心",
        "--kind",
        "guide",
        "--format",
        "json",
    ]);
    assert_eq!(docs.as_array().map(Vec::len), Some(1));
    assert!(
        docs[0]["body_html"]
            .as_str()
            .unwrap_or("")
            .contains("0533-2869928")
    );
}

/// The catalogue end to end: `init --demo`, then `report compute` gives the seed's section 一 and
/// table 二 (computed 第二十条第（一）项 with the ids counted, the rest entered with who/when).
#[test]
fn init_demo_then_compute_gives_the_seed_proactive_and_table2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("d").display().to_string();
    let out = gongkai(&["init", "--data", &data, "--demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = ok_json(&[
        "report",
        "compute",
        "--data",
        &data,
        "--agency",
        "淄博市张店区机关事务服务中心",
        "--year",
        "2021",
        "--format",
        "json",
    ]);
    let seed = seed_expected();
    assert_eq!(report["proactive"], seed["proactive"]);
    assert_eq!(report["table2"], seed["table2"]);
    // Section 一 is the text the demo's staff stored (the seed's own words), which quotes the
    // same total the catalogue gives.
    let overview = report["sections"]["overview"]
        .as_str()
        .expect("section 一 stored");
    assert!(
        overview.contains("共公开政务信息85次（条）。其中政策文件1条、"),
        "{overview}"
    );
    // Where each number came from: computed (with the ids counted) or entered (who, when, note).
    let cells = &report["source"]["cells"];
    assert_eq!(
        cells["table2.art20_1.normative_docs.in_force"]["kind"],
        "computed"
    );
    let fee = &cells["table2.art20_8.admin_fees.fee_amount"];
    assert_eq!(fee["kind"], "entered");
    assert_eq!(fee["by"], "王明");
    assert!(fee["note"].as_str().is_some_and(|n| n.contains("台账")));
}

/// Every state-changing catalogue command acts as a known user: `--as NAME` (or `--by NAME`,
/// as before; the demo staff 王明, 李华 and 赵强 are users the demo loader adds), else the local
/// operator; an unknown name, a missing role and an id that is not one are refused, exit 2.
#[test]
fn catalogue_commands_act_as_known_users_with_their_roles() {
    let dir = data_dir();
    let data = d(&dir);
    assert!(
        gongkai(&["catalog", "demo", "--data", &data])
            .status
            .success()
    );
    let agency = "淄博市张店区机关事务服务中心";
    let create = |who: &[&str]| {
        let mut args = vec![
            "catalog",
            "create",
            "--data",
            &data,
            "--agency",
            agency,
            "--title",
            "关于开展2022年节能宣传周活动的通知",
            "--column",
            "业务动态",
            "--formed-on",
            "2022-06-01",
            "--summary",
            "节能宣传周。",
            "--format",
            "json",
        ];
        args.extend_from_slice(who);
        gongkai(&args)
    };
    // The demo's drafter by user name; the local operator without --as.
    let out = create(&["--as", "wangming"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let item: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(item["steps"][0]["by"], "王明");
    assert!(item["steps"][0]["by_id"].as_i64().is_some_and(|id| id > 1));
    let id = item["id"].as_i64().expect("id").to_string();
    let mine = ok_json(&[
        "catalog",
        "create",
        "--data",
        &data,
        "--agency",
        agency,
        "--title",
        "操作员拟稿",
        "--column",
        "业务动态",
        "--formed-on",
        "2022-06-01",
        "--summary",
        "测试。",
        "--format",
        "json",
    ]);
    assert_eq!(mine["steps"][0]["by"], "operator");
    assert_eq!(mine["steps"][0]["by_id"], 1);
    // An unknown name is refused, in Chinese first.
    let out = create(&["--by", "无名氏"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("gongkai: 错误：没有名为“无名氏”的用户"),
        "{}",
        stderr(&out)
    );
    // A user without the role: 李华 (保密审查) may not submit or approve.
    let out = gongkai(&[
        "catalog", "act", "--data", &data, &id, "submit", "--by", "李华",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("李华无权送审目录信息（需要“录入”角色）"),
        "{}",
        stderr(&out)
    );
    ok_json(&[
        "catalog", "act", "--data", &data, &id, "submit", "--as", "wangming", "--format", "json",
    ]);
    // A clerk added with `gongkai user add` may draft, not review.
    let added = gongkai(&[
        "user",
        "add",
        "--data",
        &data,
        "--name",
        "clerk",
        "--display-name",
        "录入员",
        "--roles",
        "entry",
    ]);
    assert!(added.status.success(), "{}", stderr(&added));
    let out = gongkai(&[
        "catalog",
        "act",
        "--data",
        &data,
        &id,
        "clear-secrecy",
        "--as",
        "clerk",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("录入员无权进行保密审查"),
        "{}",
        stderr(&out)
    );
    // Ids are parsed at the edge.
    let out = gongkai(&["catalog", "show", "--data", &data, "第一条"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a valid catalogue item id"),
        "{}",
        stderr(&out)
    );
    let out = gongkai(&["catalog", "show", "--data", &data, "99999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("未找到目录信息：99999"),
        "{}",
        stderr(&out)
    );
}
