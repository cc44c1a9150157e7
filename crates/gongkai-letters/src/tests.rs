use super::*;
use time::macros::date;

fn data() -> LetterData {
    LetterData {
        agency: "淄博市张店区机关事务服务中心".into(),
        number: "2021-000001".into(),
        applicant: "张三".into(),
        received_on: Some(date!(2021 - 09 - 30)),
        channel: "当面".into(),
        request: "2021年部门预算<script>".into(),
        delivery: "电子邮件".into(),
        date: Some(date!(2021 - 10 - 12)),
        due: Some(date!(2021 - 11 - 03)),
        supplement_items: vec!["所需信息的名称".into(), "文号".into()],
        supplement_period: Some(10),
        supplement_due: Some(date!(2021 - 10 - 26)),
        extension_days: Some(20),
        extended_due: Some(date!(2021 - 12 - 01)),
        party: Some("某某科技有限公司".into()),
        fee_amount: Some(1000),
        fee_basis: Some("按件计收".into()),
        fee_due: Some(date!(2021 - 11 - 09)),
        outcome: Some(Outcome::Granted),
        legal_basis: Some("《中华人民共和国政府信息公开条例》第三十六条第（二）项".into()),
    }
}

#[test]
fn every_kind_and_outcome_composes_without_gaps() {
    let mut d = data();
    for kind in LetterKind::ALL {
        let l = compose(kind, &d).expect("composes");
        assert!(!l.title.is_empty());
        for p in &l.paragraphs {
            assert!(!p.contains('{'), "{kind:?}: {p}");
        }
        assert_eq!(LetterKind::parse(kind.key()), Some(kind));
    }
    for outcome in Outcome::ALL {
        d.outcome = Some(outcome);
        let l = compose(LetterKind::Reply, &d).expect("reply");
        assert!(
            l.title.ends_with("告知书") || l.title.ends_with("答复书"),
            "{}",
            l.title
        );
        assert!(l.remedy.is_some());
    }
}

#[test]
fn the_case_is_filled_in() {
    let l = compose(LetterKind::Extension, &data()).expect("extension");
    assert_eq!(l.title, "政府信息公开申请延期答复告知书");
    let text = l.paragraphs.join("\n");
    assert!(text.contains("2021年9月30日"), "{text}");
    assert!(text.contains("延长20个工作日"), "{text}");
    assert!(text.contains("2021年12月1日前"), "{text}");
    let s = compose(LetterKind::Supplement, &data()).expect("supplement");
    assert!(
        s.paragraphs
            .join("\n")
            .contains("1. 所需信息的名称\n2. 文号")
    );
}

#[test]
fn missing_data_names_the_field() {
    let mut d = data();
    d.extension_days = None;
    let err = compose(LetterKind::Extension, &d).expect_err("no extension");
    assert_eq!(
        err,
        LetterError::Missing {
            kind: "extension",
            field: "extension_days".into()
        }
    );
    d.outcome = None;
    assert!(compose(LetterKind::Reply, &d).is_err());
}

#[test]
fn refusals_after_2024_point_to_review_first() {
    let mut d = data();
    d.outcome = Some(Outcome::DeniedThirdParty);
    let before = compose(LetterKind::Reply, &d).expect("2021");
    assert!(before.remedy.as_deref().unwrap_or("").contains("六个月内"));
    d.date = Some(date!(2024 - 03 - 01));
    let after = compose(LetterKind::Reply, &d).expect("2024");
    let remedy = after.remedy.unwrap_or_default();
    assert!(!remedy.contains("六个月内") && remedy.contains("对行政复议决定不服"));
    assert_eq!(after.title, "政府信息不予公开告知书");
}

#[test]
fn html_escapes_and_docx_reads_back() {
    let l = compose(LetterKind::Reply, &data()).expect("reply");
    let html = to_html(&l);
    assert!(html.contains("政府信息公开告知书"));
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
    assert!(!html.contains("http"), "no external resources");
    let bytes = to_docx(&l).expect("docx");
    assert!(bytes.starts_with(b"PK"));
    let json = docx_rs::read_docx(&bytes).expect("reads back").json();
    for text in [
        "政府信息公开告知书",
        "2021-000001",
        "2021年10月12日",
        "仿宋_GB2312",
        "eastAsia",
    ] {
        assert!(json.contains(text), "{text}");
    }
}
