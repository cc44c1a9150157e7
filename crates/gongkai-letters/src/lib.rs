//! Letters to applicants, third parties and co-makers (告知书/答复书, docs/rules/outcomes.md) for
//! every stage and outcome of an application, as HTML and DOCX.
//!
//! The wording lives in `templates/*.txt` (first line the title, second the addressee, then
//! paragraphs separated by blank lines, `{field}` placeholders). A placeholder without data
//! is an error that names the field, never an empty gap in a legal document.

mod docx;
mod html;
mod outcome_text;

use gongkai_core::application::Outcome;
use std::collections::BTreeMap;
use time::Date;

pub use docx::to_docx;
pub use html::to_html;

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterKind {
    /// 政府信息公开申请接收回执 (Art. 31, 45).
    Receipt,
    /// 补正告知书 (Art. 30).
    Supplement,
    /// 说明理由告知书 (Art. 35).
    Reasons,
    /// 延期答复告知书 (Art. 33).
    Extension,
    /// 征求意见书（给第三方） (Art. 32).
    ConsultThirdParty,
    /// 征求意见书（给共同制作机关） (Art. 34).
    ConsultCoMaker,
    /// 征求意见告知书（给申请人） (Art. 33 ¶3).
    ConsultNotice,
    /// 收费通知书（给申请人） (Art. 42, 国办函〔2020〕109号).
    Fee,
    /// The final reply; its title and body follow the outcome (Art. 36–39).
    Reply,
}

impl LetterKind {
    pub const ALL: [LetterKind; 9] = [
        LetterKind::Receipt,
        LetterKind::Supplement,
        LetterKind::Reasons,
        LetterKind::Extension,
        LetterKind::ConsultThirdParty,
        LetterKind::ConsultCoMaker,
        LetterKind::ConsultNotice,
        LetterKind::Fee,
        LetterKind::Reply,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LetterKind::Receipt => "receipt",
            LetterKind::Supplement => "supplement",
            LetterKind::Reasons => "reasons",
            LetterKind::Extension => "extension",
            LetterKind::ConsultThirdParty => "consult-third-party",
            LetterKind::ConsultCoMaker => "consult-co-maker",
            LetterKind::ConsultNotice => "consult-notice",
            LetterKind::Fee => "fee",
            LetterKind::Reply => "reply",
        }
    }

    pub fn parse(s: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|k| k.key() == s)
    }

    fn template(self) -> &'static str {
        match self {
            LetterKind::Receipt => include_str!("../templates/receipt.txt"),
            LetterKind::Supplement => include_str!("../templates/supplement.txt"),
            LetterKind::Reasons => include_str!("../templates/reasons.txt"),
            LetterKind::Extension => include_str!("../templates/extension.txt"),
            LetterKind::ConsultThirdParty => include_str!("../templates/consult_third_party.txt"),
            LetterKind::ConsultCoMaker => include_str!("../templates/consult_co_maker.txt"),
            LetterKind::ConsultNotice => include_str!("../templates/consult_notice.txt"),
            LetterKind::Fee => include_str!("../templates/fee.txt"),
            LetterKind::Reply => include_str!("../templates/reply.txt"),
        }
    }

    /// Letters to the applicant end with the remedy notice when they decide something.
    fn has_remedy(self) -> bool {
        matches!(self, LetterKind::Reply)
    }
}

/// The facts of a case a letter may need; what a letter needs and lacks is an error.
#[derive(Debug, Clone, Default)]
pub struct LetterData {
    pub agency: String,
    /// 申请编号.
    pub number: String,
    pub applicant: String,
    pub received_on: Option<Date>,
    /// The channel's label (当面, 邮寄, …).
    pub channel: String,
    pub request: String,
    /// 获取方式 label.
    pub delivery: String,
    /// The date of the letter.
    pub date: Option<Date>,
    /// The reply due date in force.
    pub due: Option<Date>,
    pub supplement_items: Vec<String>,
    pub supplement_period: Option<u32>,
    pub supplement_due: Option<Date>,
    pub extension_days: Option<u32>,
    pub extended_due: Option<Date>,
    /// The consulted third party or co-maker.
    pub party: Option<String>,
    pub fee_amount: Option<u64>,
    /// 按件计收 / 按量计收.
    pub fee_basis: Option<String>,
    pub fee_due: Option<Date>,
    pub outcome: Option<Outcome>,
    pub legal_basis: Option<String>,
}

/// A composed letter, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub kind: LetterKind,
    pub agency: String,
    pub title: String,
    /// The reference line under the title.
    pub reference: String,
    pub addressee: String,
    pub paragraphs: Vec<String>,
    pub remedy: Option<String>,
    /// 2021年10月12日.
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    #[error("the {kind} letter needs {field}, which the case does not have yet")]
    Missing { kind: &'static str, field: String },
    #[error("cannot write the DOCX file: {0}")]
    Docx(String),
}

/// `2021年10月8日` (documents write dates without leading zeros).
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

/// Fills the template of `kind` with the case.
pub fn compose(kind: LetterKind, data: &LetterData) -> Result<Letter, LetterError> {
    let missing = |field: &str| LetterError::Missing {
        kind: kind.key(),
        field: field.to_string(),
    };
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    let mut put = |k: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            fields.insert(k, v);
        }
    };
    put("agency", Some(data.agency.clone()));
    put("number", Some(data.number.clone()));
    put("applicant", Some(data.applicant.clone()));
    put("received_on", data.received_on.map(date_zh));
    put("channel", Some(data.channel.clone()));
    put("request", Some(data.request.clone()));
    put("date", data.date.map(date_zh));
    put("due", data.due.map(date_zh));
    put(
        "items",
        (!data.supplement_items.is_empty()).then(|| {
            data.supplement_items
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}. {}", i + 1, s.trim()))
                .collect::<Vec<_>>()
                .join("\n")
        }),
    );
    put(
        "supplement_period",
        data.supplement_period.map(|n| n.to_string()),
    );
    put("supplement_due", data.supplement_due.map(date_zh));
    put("extension_days", data.extension_days.map(|n| n.to_string()));
    put("extended_due", data.extended_due.map(date_zh));
    put("party", data.party.clone());
    put("fee_amount", data.fee_amount.map(|n| n.to_string()));
    put("fee_basis", data.fee_basis.clone());
    put("fee_due", data.fee_due.map(date_zh));
    put("legal_basis", data.legal_basis.clone());
    if kind == LetterKind::Reply {
        let outcome = data
            .outcome
            .ok_or_else(|| missing("a decision (decided event)"))?;
        let text = outcome_text::text(outcome);
        put("title", Some(text.title.to_string()));
        put("decision", Some(text.decision.to_string()));
        put(
            "delivery_sentence",
            Some(if text.provides_information {
                format!(
                    "本机关将按照您选择的获取方式（{}）提供相关信息。",
                    data.delivery
                )
            } else {
                "特此告知。".to_string()
            }),
        );
    }

    let template = kind.template();
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in template.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(fill(line, &fields).map_err(|f| missing(&f))?);
        }
    }
    if !current.is_empty() {
        blocks.push(current.join("\n"));
    }
    // The first block holds the title and the addressee line, then the first paragraph.
    let first = blocks.remove(0);
    let mut lines = first.lines().map(str::to_string);
    let title = lines.next().unwrap_or_default();
    let addressee = lines.next().unwrap_or_default();
    let rest: Vec<String> = lines.collect();
    let mut paragraphs = Vec::new();
    if !rest.is_empty() {
        paragraphs.push(rest.join("\n"));
    }
    paragraphs.extend(blocks);
    let date = data.date.ok_or_else(|| missing("the date of the letter"))?;
    let remedy = kind.has_remedy().then(|| remedy(data.outcome, date));
    Ok(Letter {
        kind,
        agency: data.agency.clone(),
        title,
        reference: format!("申请编号：{}", data.number),
        addressee,
        paragraphs,
        remedy,
        date: date_zh(date),
    })
}

/// Replaces `{field}`s; returns the name of the first field without data.
fn fill(line: &str, fields: &BTreeMap<&str, String>) -> Result<String, String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        match fields.get(name) {
            Some(v) => out.push_str(v),
            None => return Err(name.to_string()),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The remedy notice (救济途径). From 2024-01-01 a refusal to disclose must go to
/// administrative review first (《行政复议法》(2023) Art. 23(4)), so the letter does not offer
/// direct litigation then.
fn remedy(outcome: Option<Outcome>, date: Date) -> String {
    let review_first =
        date.year() >= 2024 && outcome.is_some_and(|o| o.key().starts_with("denied."));
    if review_first {
        "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼。".into()
    } else {
        "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，或者自知道该行政行为之日起六个月内依法向人民法院提起行政诉讼。".into()
    }
}

#[cfg(test)]
mod tests;
