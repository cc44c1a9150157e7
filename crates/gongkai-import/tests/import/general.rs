//! The layout rules on reports unlike the corpus: GBK pages with merged headers and
//! full-width digits, 2019-layout text, cells that cannot be placed, unreadable numbers.

use gongkai_core::report::keys::{T4Group, T4Outcome};
use gongkai_core::report::{CellRef, Layout, T3Col, T3Row, T4Col, Value};
use gongkai_import::{Imported, Options, import_bytes};
use rust_decimal::Decimal;
use std::str::FromStr;

fn import(bytes: &[u8], ext: &str) -> Imported {
    import_bytes(bytes, Some(ext), &Options::default()).expect("imports")
}

fn t3(i: &Imported, row: T3Row, col: T3Col) -> Value {
    i.report.cell(CellRef::T3(row, col)).value.clone()
}

fn t4(i: &Imported, group: T4Group, outcome: T4Outcome) -> Value {
    i.report
        .cell(CellRef::T4(T4Col { group, outcome }))
        .value
        .clone()
}

const T3_LABELS: [&str; 25] = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
];

/// A GBK page: merged headers, full-width digits, thousands separators, markers, amounts.
#[test]
fn gbk_html_with_merged_headers_and_full_width_digits() {
    let mut html = String::from(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
         <title>某市某局2022年政府信息公开工作年度报告-某市人民政府</title></head><body>\
         <div class=nav>首页 | 政府信息公开年报</div>\
         <p>二、主动公开政府信息情况</p><table>\
         <tr><td colspan=4>第二十条第（一）项</td></tr>\
         <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>\
         <tr><td>规章</td><td>／</td><td>/</td><td>—</td></tr>\
         <tr><td>行政规范性文件</td><td>１２</td><td>3</td><td>1,204</td></tr>\
         <tr><td colspan=4>第二十条第（八）项</td></tr>\
         <tr><td>信息内容</td><td colspan=3>本年收费金额（单位：万元）</td></tr>\
         <tr><td>行政事业性收费</td><td colspan=3>12.35</td></tr></table>\
         <p>三、收到和处理政府信息公开申请情况</p><table>\
         <tr><td colspan=3 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>\
         <td colspan=7>申请人情况</td></tr>\
         <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>\
         <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
    );
    for (i, label) in T3_LABELS.iter().enumerate() {
        let n = i + 1;
        html.push_str(&format!(
            "<tr><td colspan=3><p><span>{label}</span></p></td><td>{n}</td><td>0</td><td>0</td>\
             <td>0</td><td>0</td><td>0</td><td>{n}</td></tr>"
        ));
    }
    html.push_str(
        "</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>\
         <tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>\
         <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>\
         <td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>\
         <tr><td>１</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td>\
         <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>&nbsp;</td></tr></table>\
         <p>五、存在的主要问题及改进情况</p></body></html>",
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&html);
    assert!(!unmappable);
    let i = import(&gbk, "html");
    assert_eq!(i.report.agency, "某市某局");
    assert_eq!(i.report.year, 2022);
    assert_eq!(i.report.layout, Layout::Y2021);
    let t2 = |row: &str, col: &str| {
        let k = gongkai_core::report::T2Key::find(Layout::Y2021, "art20_1", row, col)
            .or_else(|| gongkai_core::report::T2Key::find(Layout::Y2021, "art20_8", row, col))
            .expect("key");
        i.report.cell(CellRef::T2(k)).value.clone()
    };
    assert_eq!(t2("rules", "issued"), Value::NotApplicable);
    assert_eq!(t2("rules", "in_force"), Value::NotApplicable);
    assert_eq!(t2("normative_docs", "issued"), Value::Count(12));
    assert_eq!(t2("normative_docs", "in_force"), Value::Count(1204));
    assert_eq!(
        t2("admin_fees", "fee_amount"),
        Value::Amount(Decimal::from_str("12.35").expect("decimal"))
    );
    for (j, &row) in T3Row::rows(gongkai_core::report::OtherShape::Split)
        .iter()
        .enumerate()
    {
        assert_eq!(
            t3(&i, row, T3Col::NaturalPerson),
            Value::Count(j as u64 + 1),
            "{row:?}"
        );
        assert_eq!(t3(&i, row, T3Col::Total), Value::Count(j as u64 + 1));
    }
    assert_eq!(t4(&i, T4Group::Review, T4Outcome::Upheld), Value::Count(1));
    assert_eq!(
        t4(&i, T4Group::LitigationAfterReview, T4Outcome::Total),
        Value::Blank,
        "&nbsp; is a blank cell, not 0"
    );
    // The table 四 evidence is the cell of the grid.
    let src = &i.report.cell(CellRef::T4(T4Col {
        group: T4Group::Review,
        outcome: T4Outcome::Upheld,
    }));
    match &src.source {
        Some(gongkai_core::report::Source::Imported(p)) => {
            assert_eq!((p.table, p.row, p.column), (Some(3), Some(3), Some(1)));
            assert_eq!(p.text.as_deref(), Some("１"));
        }
        other => panic!("no evidence: {other:?}"),
    }
}

/// Markdown rows that lost their labels are placed by order only where the count leaves no
/// choice; a gap with a row missing is reported, never guessed.
#[test]
fn unlabelled_rows_are_placed_only_when_certain() {
    let mut md = String::from(
        "# 2023年某县某局政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n",
    );
    for (i, label) in T3_LABELS.iter().enumerate() {
        let n = i + 1;
        // Rows 5–8 (denied 1–4) lose their labels; row 7 is lost altogether.
        if i == 6 {
            continue;
        }
        let label = if (4..8).contains(&i) { "" } else { label };
        md.push_str(&format!("| {label} | {n} | 0 | 0 | 0 | 0 | 0 | {n} |\n"));
    }
    md.push_str("\n四、政府信息公开行政复议、行政诉讼情况\n\n| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n");
    let i = import(md.as_bytes(), "md");
    assert_eq!(t3(&i, T3Row::Partial, T3Col::Total), Value::Count(4));
    assert_eq!(
        t3(&i, T3Row::DeniedInternalAffairs, T3Col::Total),
        Value::Count(9)
    );
    for row in [
        T3Row::DeniedStateSecret,
        T3Row::DeniedLawProhibited,
        T3Row::DeniedSecurityStability,
        T3Row::DeniedThirdParty,
    ] {
        assert_eq!(
            t3(&i, row, T3Col::Total),
            Value::Blank,
            "{row:?} must not be guessed"
        );
        assert!(
            i.unreadable
                .iter()
                .any(|u| u.cell() == Some(CellRef::T3(row, T3Col::Total))
                    && u.message().contains("cannot tell which is which")),
            "{row:?} is reported"
        );
    }
    assert_eq!(t4(&i, T4Group::Review, T4Outcome::Total), Value::Count(0));
}

/// A 2019-layout report as layout text: table 二 with three columns and 第二十条第（九）项,
/// the single （六）其他处理 row, a blank printed as a gap aligned by column position, and
/// a footnoted number that is not read as a number.
#[test]
fn layout_text_2019_with_gaps_and_unreadable_numbers() {
    let mut t = String::from(
        "        某区人民政府办公室\n   2019 年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\
         第二十条第（一）项\n信息内容   本年新制作数量   本年新公开数量   对外公开总数量\n\
         规章             0          0         0\n规范性文件       3          3         40\n\
         第二十条第（五）项\n信息内容   上一年项目数量   本年增/减   处理决定数量\n\
         行政许可         10         -          1,500\n其他对外管理服务事项   0   0   0\n\
         第二十条第（九）项\n信息内容   采购项目数量   采购总金额\n政府集中采购   2   35.5\n\
         三、收到和处理政府信息公开申请情况\n",
    );
    let labels: Vec<&str> = T3_LABELS[..20]
        .iter()
        .copied()
        .chain(["（六）其他处理", "（七）总计", "四、结转下年度继续办理"])
        .collect();
    for (i, label) in labels.iter().enumerate() {
        let cols = ["5", "1", "0", "0", "0", "0", "6"];
        let mut line = format!("{label:<40}");
        for (c, v) in cols.iter().enumerate() {
            // Row 3 leaves 科研机构 blank: a gap where the column stands.
            let v = if i == 2 && c == 2 { "" } else { v };
            line.push_str(&format!("{v:>8}"));
        }
        t.push_str(&line);
        t.push('\n');
    }
    t.push_str("四、政府信息公开行政复议、行政诉讼情况\n行政复议   行政诉讼\n");
    t.push_str("0 0 0 0 0 0 0 0 0 0 0 0 0 12* 0\n五、存在的主要问题及改进情况\n");
    let i = import(t.as_bytes(), "txt");
    assert_eq!(i.report.layout, Layout::Y2019);
    assert_eq!(i.report.agency, "某区人民政府办公室");
    assert_eq!(i.report.year, 2019);
    let k = |sub, row, col| {
        let key = gongkai_core::report::T2Key::find(Layout::Y2019, sub, row, col).expect("key");
        i.report.cell(CellRef::T2(key)).value.clone()
    };
    assert_eq!(
        k("art20_1", "normative_docs", "total_published"),
        Value::Count(40)
    );
    assert_eq!(
        k("art20_5", "admin_license", "change"),
        Value::NotApplicable
    );
    assert_eq!(
        k("art20_5", "admin_license", "decisions"),
        Value::Count(1500)
    );
    assert_eq!(
        k("art20_9", "central_procurement", "procurement_amount"),
        Value::Amount(Decimal::from_str("35.5").expect("decimal"))
    );
    assert_eq!(t3(&i, T3Row::Other, T3Col::Total), Value::Count(6));
    assert_eq!(t3(&i, T3Row::Granted, T3Col::Commercial), Value::Count(1));
    assert_eq!(t3(&i, T3Row::Granted, T3Col::Research), Value::Blank);
    assert_eq!(
        t3(&i, T3Row::Granted, T3Col::SocialWelfare),
        Value::Count(0)
    );
    assert_eq!(
        t4(&i, T4Group::LitigationAfterReview, T4Outcome::Pending),
        Value::Invalid("12*".into())
    );
    let messages: Vec<String> = i.unreadable.iter().map(|u| u.message()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("「12*」is not a number") && m.contains("line")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("（一）予以公开 / 科研机构")),
        "{messages:?}"
    );
}

/// BI-IM-3: a table 三 that prints 总计 first and 其他 before 法律服务机构 is read by its
/// headings, not by position.
#[test]
fn bi_im_3_columns_mapped_by_heading() {
    let mut html = String::from(
        "<p>某县某局2024年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p><table>\
         <tr><td rowspan=2>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>\
         <td rowspan=2>总计</td><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td></tr>\
         <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>其他</td><td>法律服务机构</td></tr>",
    );
    for label in T3_LABELS {
        // total, natural person, commercial, research, social welfare, other, legal service
        html.push_str(&format!(
            "<tr><td>{label}</td><td>7</td><td>1</td><td>2</td><td>0</td><td>0</td><td>4</td><td>0</td></tr>"
        ));
    }
    html.push_str("</table>");
    let i = import(html.as_bytes(), "html");
    assert_eq!(t3(&i, T3Row::Granted, T3Col::Total), Value::Count(7));
    assert_eq!(
        t3(&i, T3Row::Granted, T3Col::NaturalPerson),
        Value::Count(1)
    );
    assert_eq!(t3(&i, T3Row::Granted, T3Col::Commercial), Value::Count(2));
    assert_eq!(t3(&i, T3Row::Granted, T3Col::OtherOrg), Value::Count(4));
    assert_eq!(t3(&i, T3Row::Granted, T3Col::LegalService), Value::Count(0));
}

/// Table 三 of the 2019 layout (the single （六）其他处理 row) as text lines, every cell 0.
fn t3_2019_zeros() -> String {
    let mut t = String::from("三、收到和处理政府信息公开申请情况\n");
    for label in T3_LABELS[..20].iter().copied().chain([
        "（六）其他处理",
        "（七）总计",
        "四、结转下年度继续办理",
    ]) {
        t.push_str(&format!("{label:<40}"));
        for _ in 0..7 {
            t.push_str(&format!("{:>8}", "0"));
        }
        t.push('\n');
    }
    t.push_str("四、政府信息公开行政复议、行政诉讼情况\n行政复议   行政诉讼\n");
    t.push_str("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n五、存在的主要问题及改进情况\n");
    t
}

fn change_of(i: &Imported, sub: &str, row: &str, col: &str) -> Value {
    let key = gongkai_core::report::T2Key::find(Layout::Y2019, sub, row, col).expect("key");
    i.report.cell(CellRef::T2(key)).value.clone()
}

/// The 2019 layout's 本年增/减 is signed: a decrease printed `-18` (or with a full-width or
/// typographic minus) is read as -18; the same text in any other cell is not a number.
#[test]
fn signed_change_of_the_2019_layout_reads_negative() {
    let mut t = String::from(
        "        某区人民政府办公室\n   2020 年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\
         第二十条第（一）项\n信息内容   本年新制作数量   本年新公开数量   对外公开总数量\n\
         规章             0          0         0\n规范性文件       3          3         40\n\
         第二十条第（五）项\n信息内容   上一年项目数量   本年增/减   处理决定数量\n\
         行政许可         20         -18        7\n其他对外管理服务事项   5   －3   0\n\
         第二十条第（六）项\n信息内容   上一年项目数量   本年增/减   处理决定数量\n\
         行政处罚         90         −2        22\n行政强制   4   +1   -5\n\
         第二十条第（八）项\n信息内容   上一年项目数量   本年增/减\n行政事业性收费   3   0\n\
         第二十条第（九）项\n信息内容   采购项目数量   采购总金额\n政府集中采购   2   35.5\n",
    );
    t.push_str(&t3_2019_zeros());
    let i = import(t.as_bytes(), "txt");
    assert_eq!(i.report.layout, Layout::Y2019);
    let negative = |n: i64| Value::signed(n);
    assert_eq!(
        change_of(&i, "art20_5", "admin_license", "change"),
        negative(-18)
    );
    assert_eq!(
        change_of(&i, "art20_5", "admin_license", "prev_year_items"),
        Value::Count(20)
    );
    assert_eq!(
        change_of(&i, "art20_5", "admin_license", "decisions"),
        Value::Count(7)
    );
    assert_eq!(
        change_of(&i, "art20_5", "other_services", "change"),
        negative(-3)
    );
    assert_eq!(
        change_of(&i, "art20_6", "admin_penalty", "change"),
        negative(-2)
    );
    assert_eq!(
        change_of(&i, "art20_6", "admin_coercion", "change"),
        Value::Count(1)
    );
    // A minus sign in a count cell is kept as printed and reported, not read.
    assert_eq!(
        change_of(&i, "art20_6", "admin_coercion", "decisions"),
        Value::Invalid("-5".into())
    );
    let messages: Vec<String> = i.unreadable.iter().map(|u| u.message()).collect();
    assert!(
        messages.iter().any(|m| m.contains("「-5」is not a number")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("本年增/减")),
        "{messages:?}"
    );
    // The document it writes is valid input again, with -18 as a JSON number.
    let json = gongkai_core::report::json::to_json(&i.report, None);
    assert_eq!(
        json["table2"]["art20_5"]["admin_license"]["change"],
        serde_json::json!(-18)
    );
    let again = gongkai_core::report::json::from_json(&json).expect("valid input");
    assert_eq!(again.table2, i.report.table2);
}

/// In a table whose 上一年项目数量 is blank, the decrease is still a value, not part of the
/// label: each cell stays in its column.
#[test]
fn signed_change_after_a_blank_cell_stays_in_its_column() {
    let mut t = String::from(
        "<html><head><meta charset=\"utf-8\"></head><body><h1>某区人民政府办公室2020年政府信息公开工作年度报告</h1>\
         <p>二、主动公开政府信息情况</p><table>\
         <tr><td colspan=\"4\">第二十条第（五）项</td></tr>\
         <tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>\
         <tr><td>行政许可</td><td></td><td>-18</td><td>7</td></tr>\
         <tr><td>其他对外管理服务事项</td><td>5</td><td>0</td><td>0</td></tr>\
         </table>",
    );
    t.push_str("<pre>");
    t.push_str(&t3_2019_zeros());
    t.push_str("</pre></body></html>");
    let i = import(t.as_bytes(), "html");
    assert_eq!(
        change_of(&i, "art20_5", "admin_license", "prev_year_items"),
        Value::Blank
    );
    assert_eq!(
        change_of(&i, "art20_5", "admin_license", "change"),
        Value::signed(-18)
    );
    assert_eq!(
        change_of(&i, "art20_5", "admin_license", "decisions"),
        Value::Count(7)
    );
}
