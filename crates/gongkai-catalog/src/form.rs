//! The approval form 《政府信息公开发布审批表》: what it shows, taken from the item and the steps
//! its workflow recorded (the latest round after any return), so the printed form is the
//! record, not something typed again.

use gongkai_core::calendar::BEIJING;
use gongkai_core::catalog::{Action, CatalogItem, Stage, Step};
use time::OffsetDateTime;

pub const TITLE: &str = "政府信息公开发布审批表";

/// The checks the confidentiality review stands for (一查二看三校对).
pub const CHECKLIST: &str = "一查：是否涉及国家秘密、工作秘密；二看：是否涉及商业秘密、个人隐私等不宜公开的内容；三校对：文字、数据、格式是否准确";

/// One signed box of the form: the opinion, who, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub label: &'static str,
    pub opinion: String,
    pub by: String,
    pub at: String,
}

/// The form, ready to print: label/value rows, signatures, and the history of returns and
/// withdrawal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalForm {
    pub agency: String,
    pub index_number: String,
    pub stage: String,
    pub fields: Vec<(&'static str, String)>,
    pub signatures: Vec<Signature>,
    /// Returns and the withdrawal, each as one line.
    pub history: Vec<String>,
}

/// `2021年03月02日 10:00` in Beijing time.
pub fn when(at: OffsetDateTime) -> String {
    let t = at.to_offset(BEIJING);
    format!(
        "{}年{:02}月{:02}日 {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

fn sign(label: &'static str, step: Option<&Step>, default_opinion: &str) -> Signature {
    match step {
        Some(s) => Signature {
            label,
            opinion: s
                .note
                .clone()
                .unwrap_or_else(|| default_opinion.to_string()),
            by: s.by.name.clone(),
            at: when(s.at),
        },
        None => Signature {
            label,
            opinion: String::new(),
            by: String::new(),
            at: String::new(),
        },
    }
}

impl ApprovalForm {
    pub fn from_item(item: &CatalogItem, agency: &str) -> ApprovalForm {
        let c = &item.content;
        let steps = item.workflow.steps();
        // The current round starts after the last return.
        let round_start = steps
            .iter()
            .rposition(|s| s.action == Action::Return)
            .map_or(0, |i| i + 1);
        let round = &steps[round_start..];
        let last = |a: Action| round.iter().rev().find(|s| s.action == a);
        let mut fields = vec![
            ("信息名称", c.title.clone()),
            ("发布机构", c.publisher.clone()),
            (
                "文号",
                match &c.doc_number {
                    Some(d) if d.flagged() => format!("{d}（文号格式待核）"),
                    Some(d) => d.to_string(),
                    None => "无".into(),
                },
            ),
            ("成文日期", c.formed_on.to_string()),
            ("栏目", c.column.clone()),
            (
                "主题分类",
                c.subject
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            ),
            ("体裁", c.genre.clone().unwrap_or_default()),
            ("关键词", c.keywords.join("、")),
            ("内容概述", c.summary.clone()),
            (
                "附件",
                if item.attachments.is_empty() {
                    "无".into()
                } else {
                    item.attachments
                        .iter()
                        .map(|a| a.name.clone())
                        .collect::<Vec<_>>()
                        .join("；")
                },
            ),
        ];
        if let Some(n) = &item.normative {
            let v = n.current();
            let mut s = format!("{}：{}", n.kind.zh(), v.status.zh());
            if let Some(e) = v.effective_on {
                s.push_str(&format!("；实施日期 {e}"));
            }
            if let Some(x) = v.ends_on {
                s.push_str(&format!("；废止日期 {x}"));
            }
            fields.push(("有效性", s));
        }
        let drafted = steps.first();
        let signatures = vec![
            Signature {
                label: "拟稿",
                opinion: last(Action::Submit)
                    .and_then(|s| s.note.clone())
                    .unwrap_or_else(|| "拟公开".into()),
                by: item.workflow.drafter().name.clone(),
                at: last(Action::Submit)
                    .or(drafted)
                    .map(|s| when(s.at))
                    .unwrap_or_default(),
            },
            sign("保密审查", last(Action::ClearSecrecy), "经审查，同意公开"),
            sign("审核", last(Action::Approve), "同意发布"),
            sign("发布", last(Action::Publish), "已发布"),
        ];
        let mut history = Vec::new();
        for s in steps {
            match s.action {
                Action::Return => history.push(format!(
                    "{}：{}在“{}”环节退回，理由：{}",
                    when(s.at),
                    s.by,
                    s.from.map(|f| f.zh()).unwrap_or(""),
                    s.note.as_deref().unwrap_or("")
                )),
                Action::Withdraw => history.push(format!(
                    "{}：{}撤回，理由：{}",
                    when(s.at),
                    s.by,
                    s.note.as_deref().unwrap_or("")
                )),
                _ => {}
            }
        }
        ApprovalForm {
            agency: agency.to_string(),
            index_number: item.index_number.clone().unwrap_or_default(),
            stage: match item.stage() {
                Stage::Published => "已发布".into(),
                s => s.zh().to_string(),
            },
            fields,
            signatures,
            history,
        }
    }

    pub fn to_html(&self) -> String {
        crate::form_html::render(self)
    }

    pub fn to_docx(&self) -> Result<Vec<u8>, crate::FormError> {
        crate::form_docx::render(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HtmlSanitizer;
    use gongkai_core::catalog::{CatalogConfig, ItemContent, ItemInput, Signer};
    use gongkai_core::ids::{AgencyId, UserId};
    use time::macros::{date, datetime};

    fn published() -> CatalogItem {
        let input = ItemInput {
            title: "关于<script>做好</script>公共机构节能工作的通知".into(),
            publisher: "淄博市张店区机关事务服务中心".into(),
            formed_on: Some(date!(2021 - 03 - 01)),
            doc_number: Some("张机事字2021第3号".into()),
            column: "政策文件".into(),
            summary: "部署节能工作。".into(),
            body_html: "<p>正文</p>".into(),
            ..ItemInput::default()
        };
        let parsed =
            ItemContent::parse(&input, &CatalogConfig::default(), &HtmlSanitizer::default())
                .expect("valid");
        let t = datetime!(2021-03-02 02:00 UTC);
        let zhang = Signer::new(UserId::new(1), "张三");
        let li = Signer::new(UserId::new(2), "李四");
        let wang = Signer::new(UserId::new(3), "王五");
        let mut item = CatalogItem::create(AgencyId::new(1), parsed, None, &zhang, t).expect("ok");
        item.act(Action::Submit, &zhang, t, None).expect("ok");
        item.act(Action::ClearSecrecy, &li, t, None).expect("ok");
        item.act(Action::Return, &wang, t, Some("标题有误"))
            .expect("ok");
        item.act(Action::Submit, &zhang, t, None).expect("ok");
        item.act(Action::ClearSecrecy, &li, t, Some("不涉密，同意公开"))
            .expect("ok");
        item.act(Action::Approve, &wang, t, None).expect("ok");
        item.publish("11370303MB0000000X/2021-00001".into(), &zhang, t)
            .expect("ok");
        item
    }

    #[test]
    fn form_shows_the_recorded_steps() {
        let form = ApprovalForm::from_item(&published(), "淄博市张店区机关事务服务中心");
        let secrecy = &form.signatures[1];
        assert_eq!(
            (
                secrecy.opinion.as_str(),
                secrecy.by.as_str(),
                secrecy.at.as_str()
            ),
            ("不涉密，同意公开", "李四", "2021年03月02日 10:00")
        );
        assert_eq!(form.signatures[2].opinion, "同意发布");
        assert_eq!(form.history.len(), 1);
        assert!(form.history[0].contains("在“审核”环节退回，理由：标题有误"));
        assert!(
            form.fields
                .iter()
                .any(|(l, v)| *l == "文号" && v.ends_with("（文号格式待核）"))
        );
    }

    #[test]
    fn html_is_escaped_and_self_contained() {
        let html = ApprovalForm::from_item(&published(), "机关").to_html();
        assert!(html.contains("<h1>政府信息公开发布审批表</h1>"));
        assert!(html.contains("11370303MB0000000X/2021-00001"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(!html.contains("http"));
    }

    #[test]
    fn docx_reads_back_with_the_same_text() {
        let bytes = ApprovalForm::from_item(&published(), "机关")
            .to_docx()
            .expect("docx");
        assert!(bytes.starts_with(b"PK"));
        let doc = docx_rs::read_docx(&bytes).expect("reads back");
        let json = doc.json();
        for text in [
            "政府信息公开发布审批表",
            "不涉密，同意公开",
            "标题有误",
            "2021-00001",
        ] {
            assert!(json.contains(text), "{text}");
        }
    }
}
