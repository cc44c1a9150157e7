//! A catalogue item (政府信息公开目录 entry): what it says, its workflow, its 索引号 once
//! published, and for 规章 / 行政规范性文件 its validity history.

use super::attachment::Attachment;
use super::config::{CatalogConfig, Subject};
use super::doc_number::DocNumber;
use super::error::CatalogError;
use super::signer::Signer;
use super::validity::{Normative, NormativeKind, Validity, ValidityChange, ValidityStatus};
use super::workflow::{Action, Stage, Step, Workflow};
use crate::ids::{AgencyId, ItemId};
use time::{Date, OffsetDateTime};

/// Beijing time, in which legal dates are read (one offset for the whole program).
pub use crate::calendar::BEIJING;

/// Cleans staff-written HTML. Implemented in an adapter crate (ammonia) so core stays pure.
pub trait Sanitizer {
    fn sanitize(&self, html: &str) -> String;
}

/// Body text that went through a [`Sanitizer`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RichText(String);

impl RichText {
    pub fn sanitized(raw: &str, sanitizer: &dyn Sanitizer) -> RichText {
        RichText(sanitizer.sanitize(raw))
    }

    /// Text read back from storage, which only ever holds sanitised bodies.
    pub fn from_stored(html: String) -> RichText {
        RichText(html)
    }

    pub fn as_html(&self) -> &str {
        &self.0
    }
}

/// The fields of an item as entered (a form, a CLI call, a JSON file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemInput {
    pub title: String,
    pub publisher: String,
    pub formed_on: Option<Date>,
    /// The date the information last changed (Art. 26 counts from formed or changed).
    pub changed_on: Option<Date>,
    pub doc_number: Option<String>,
    pub subject: Option<String>,
    pub column: String,
    pub genre: Option<String>,
    pub summary: String,
    pub body_html: String,
    pub keywords: Vec<String>,
    /// 规章 or 行政规范性文件, with its validity.
    pub normative: Option<NormativeInput>,
    /// For a 政策解读: the policy it interprets.
    pub interprets: Option<ItemId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormativeInput {
    pub kind: NormativeKind,
    pub status: ValidityStatus,
    pub effective_on: Option<Date>,
    pub ends_on: Option<Date>,
}

/// Validated item content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemContent {
    pub title: String,
    pub publisher: String,
    pub formed_on: Date,
    pub changed_on: Option<Date>,
    pub doc_number: Option<DocNumber>,
    pub subject: Option<Subject>,
    pub column: String,
    pub genre: Option<String>,
    pub summary: String,
    pub body: RichText,
    pub keywords: Vec<String>,
    /// For a 政策解读: the policy it interprets (an item of the same agency).
    pub interprets: Option<ItemId>,
}

const MAX_TITLE: usize = 200;
const MAX_PUBLISHER: usize = 100;
const MAX_SUMMARY: usize = 2000;
const MAX_BODY: usize = 2_000_000;
const MAX_KEYWORDS: usize = 10;

impl ItemContent {
    /// Validates input against the agency's configuration. The 文号 is normalised; one that
    /// cannot be read stays as written and is flagged (see [`DocNumber::flagged`]).
    pub fn parse(
        input: &ItemInput,
        config: &CatalogConfig,
        sanitizer: &dyn Sanitizer,
    ) -> Result<(ItemContent, Option<Validity>), CatalogError> {
        let title = required("title", &input.title, MAX_TITLE)?;
        let publisher = required("publisher", &input.publisher, MAX_PUBLISHER)?;
        let summary = required("summary", &input.summary, MAX_SUMMARY)?;
        let formed_on = input
            .formed_on
            .ok_or(CatalogError::Missing { field: "formed_on" })?;
        let column = input.column.trim().to_string();
        if column.is_empty() {
            return Err(CatalogError::Missing { field: "column" });
        }
        if !config.has_column(&column) {
            return Err(CatalogError::UnknownColumn(column));
        }
        let subject = match input.subject.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(config.subjects.parse(s)?),
            _ => None,
        };
        let genre = match input.genre.as_deref().map(str::trim) {
            Some(g) if !g.is_empty() => {
                if !config.has_genre(g) {
                    return Err(CatalogError::UnknownGenre(g.to_string()));
                }
                Some(g.to_string())
            }
            _ => None,
        };
        if input.body_html.len() > MAX_BODY {
            return Err(CatalogError::TooLong {
                field: "body",
                len: input.body_html.chars().count(),
                max: MAX_BODY,
            });
        }
        let keywords = keywords(&input.keywords)?;
        let interprets = input.interprets;
        if interprets.is_some() && column != config.interpretation_column {
            return Err(CatalogError::NotAnInterpretation {
                column: config.interpretation_column.clone(),
            });
        }
        let validity = input
            .normative
            .as_ref()
            .map(|n| Validity::new(n.status, n.effective_on, n.ends_on))
            .transpose()?;
        Ok((
            ItemContent {
                title,
                publisher,
                formed_on,
                changed_on: input.changed_on,
                doc_number: input.doc_number.as_deref().and_then(DocNumber::parse),
                subject,
                column,
                genre,
                summary,
                body: RichText::sanitized(&input.body_html, sanitizer),
                keywords,
                interprets,
            },
            validity,
        ))
    }

    /// The day Art. 26's 20 working days count from: the later of formed and changed.
    pub fn formed_or_changed(&self) -> Date {
        self.changed_on
            .map_or(self.formed_on, |c| c.max(self.formed_on))
    }
}

fn required(field: &'static str, value: &str, max: usize) -> Result<String, CatalogError> {
    // A summary may run over lines; a title or publisher is one line.
    if crate::text::has_forbidden(value, field == "summary") {
        return Err(CatalogError::Control { field });
    }
    let v = crate::text::trim_invisible(value);
    if v.is_empty() {
        return Err(CatalogError::Missing { field });
    }
    let len = v.chars().count();
    if len > max {
        return Err(CatalogError::TooLong { field, len, max });
    }
    Ok(v.to_string())
}

/// Splits keywords written as one string or several, on the separators people use.
fn keywords(raw: &[String]) -> Result<Vec<String>, CatalogError> {
    let mut out: Vec<String> = Vec::new();
    for k in raw
        .iter()
        .flat_map(|s| s.split([',', '，', '、', ';', '；', ' ', '　']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if k.chars().count() > 30 {
            return Err(CatalogError::TooLong {
                field: "keywords",
                len: k.chars().count(),
                max: 30,
            });
        }
        if !out.iter().any(|o| o == k) {
            out.push(k.to_string());
        }
    }
    if out.len() > MAX_KEYWORDS {
        return Err(CatalogError::TooLong {
            field: "keywords",
            len: out.len(),
            max: MAX_KEYWORDS,
        });
    }
    Ok(out)
}

/// One catalogue item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogItem {
    /// [`CatalogItem::UNSAVED`] until the store inserts the draft and assigns its id.
    pub id: ItemId,
    pub agency: AgencyId,
    pub content: ItemContent,
    pub normative: Option<Normative>,
    pub attachments: Vec<Attachment>,
    pub workflow: Workflow,
    pub index_number: Option<String>,
}

impl CatalogItem {
    /// The id of a draft the store has not inserted yet.
    pub const UNSAVED: ItemId = ItemId::new(0);

    /// A new draft of `agency` by `by` (its id is [`CatalogItem::UNSAVED`] until stored).
    pub fn create(
        agency: AgencyId,
        (content, validity): (ItemContent, Option<Validity>),
        kind: Option<NormativeKind>,
        by: &Signer,
        at: OffsetDateTime,
    ) -> Result<CatalogItem, CatalogError> {
        let workflow = Workflow::new(by, at)?;
        let normative = match (kind, validity) {
            (Some(kind), Some(validity)) => Some(Normative::new(
                kind,
                ValidityChange {
                    validity,
                    by: workflow.drafter().clone(),
                    at,
                    reason: None,
                },
            )),
            (None, None) => None,
            (None, Some(_)) => return Err(CatalogError::NotNormative),
            (Some(_), None) => return Err(CatalogError::Missing { field: "validity" }),
        };
        Ok(CatalogItem {
            id: CatalogItem::UNSAVED,
            agency,
            content,
            normative,
            attachments: Vec::new(),
            workflow,
            index_number: None,
        })
    }

    pub fn stage(&self) -> Stage {
        self.workflow.stage()
    }

    /// Replaces the content of a draft, recorded as a 修改 step.
    pub fn revise(
        &mut self,
        content: ItemContent,
        by: &Signer,
        at: OffsetDateTime,
        note: Option<&str>,
    ) -> Result<&Step, CatalogError> {
        if !self.stage().editable() {
            return Err(CatalogError::OutOfTurn {
                action: Action::Revise,
                stage: self.stage(),
            });
        }
        let step = self.workflow.check(Action::Revise, by, at, note)?;
        self.content = content;
        self.workflow
            .apply(step.action, &step.by, step.at, step.note.as_deref())
    }

    /// Adds a checked attachment to a draft.
    pub fn attach(&mut self, attachment: Attachment, max_count: usize) -> Result<(), CatalogError> {
        if !self.stage().editable() {
            return Err(CatalogError::NotEditable);
        }
        if self.attachments.len() + 1 > max_count {
            return Err(CatalogError::TooManyAttachments {
                count: self.attachments.len() + 1,
                max: max_count,
            });
        }
        self.attachments.push(attachment);
        Ok(())
    }

    /// Any workflow step except publication (which needs a 索引号: see [`CatalogItem::publish`]).
    pub fn act(
        &mut self,
        action: Action,
        by: &Signer,
        at: OffsetDateTime,
        note: Option<&str>,
    ) -> Result<&Step, CatalogError> {
        if matches!(action, Action::Publish | Action::Create | Action::Revise) {
            return Err(CatalogError::OutOfTurn {
                action,
                stage: self.stage(),
            });
        }
        self.workflow.apply(action, by, at, note)
    }

    /// Checks that `by` may publish now, without changing anything (so the caller can reserve a
    /// 索引号 only for a publication that will succeed).
    pub fn check_publish(&self, by: &Signer, at: OffsetDateTime) -> Result<(), CatalogError> {
        self.workflow
            .check(Action::Publish, by, at, None)
            .map(|_| ())
    }

    /// Publishes with the 索引号 the store reserved.
    pub fn publish(
        &mut self,
        index_number: String,
        by: &Signer,
        at: OffsetDateTime,
    ) -> Result<&Step, CatalogError> {
        let step = self.workflow.check(Action::Publish, by, at, None)?;
        self.index_number = Some(index_number);
        self.workflow
            .apply(step.action, &step.by, step.at, step.note.as_deref())
    }

    /// The publication date (Beijing), if published.
    pub fn published_on(&self) -> Option<Date> {
        self.workflow
            .published_at()
            .map(|t| t.to_offset(BEIJING).date())
    }

    /// The withdrawal date (Beijing), if withdrawn.
    pub fn withdrawn_on(&self) -> Option<Date> {
        if self.stage() != Stage::Withdrawn {
            return None;
        }
        self.workflow
            .last_step(Action::Withdraw)
            .map(|s| s.at.to_offset(BEIJING).date())
    }

    /// Records a change of validity (allowed at any stage: normative documents are kept up to
    /// date after publication).
    pub fn change_validity(
        &mut self,
        validity: Validity,
        by: &Signer,
        at: OffsetDateTime,
        reason: Option<&str>,
    ) -> Result<(), CatalogError> {
        let normative = self.normative.as_mut().ok_or(CatalogError::NotNormative)?;
        normative.change(ValidityChange {
            validity,
            by: Signer::new(by.id, by.name.as_str()),
            at,
            reason: reason
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// Escapes everything: enough for tests of the domain.
    pub(crate) struct Escape;
    impl Sanitizer for Escape {
        fn sanitize(&self, html: &str) -> String {
            html.replace('<', "&lt;").replace('>', "&gt;")
        }
    }

    /// A user of the tests: one id per name (张 1, 李 2, 王 3, anyone else 9).
    pub(crate) fn who(name: &str) -> Signer {
        let id = match name {
            "张" | "张三" => 1,
            "李" | "李四" => 2,
            "王" | "王五" => 3,
            _ => 9,
        };
        Signer::new(crate::ids::UserId::new(id), name)
    }

    pub(crate) fn input() -> ItemInput {
        ItemInput {
            title: "关于做好2021年公共机构节能工作的通知".into(),
            publisher: "淄博市张店区机关事务服务中心".into(),
            formed_on: Some(date!(2021 - 03 - 01)),
            doc_number: Some("张机事发[2021]3号".into()),
            subject: Some("综合政务\\其他".into()),
            column: "政策文件".into(),
            genre: Some("通知".into()),
            summary: "部署2021年全区公共机构节能工作。".into(),
            body_html: "<p>各单位：</p><script>x</script>".into(),
            keywords: vec!["节能，公共机构 节能".into()],
            ..ItemInput::default()
        }
    }

    #[test]
    fn parse_normalises_and_sanitises() {
        let (c, v) = ItemContent::parse(&input(), &CatalogConfig::default(), &Escape).expect("ok");
        assert_eq!(
            c.doc_number.as_ref().map(|d| d.as_str()),
            Some("张机事发〔2021〕3号")
        );
        assert!(!c.body.as_html().contains("<script>"));
        assert_eq!(c.keywords, vec!["节能", "公共机构"]);
        assert_eq!(v, None);
    }

    #[test]
    fn parse_refuses_bad_fields() {
        let cfg = CatalogConfig::default();
        let mut i = input();
        i.column = "通知公告".into();
        assert!(matches!(
            ItemContent::parse(&i, &cfg, &Escape),
            Err(CatalogError::UnknownColumn(_))
        ));
        let mut i = input();
        i.title = " ".into();
        assert_eq!(
            ItemContent::parse(&i, &cfg, &Escape).map(|_| ()),
            Err(CatalogError::Missing { field: "title" })
        );
        let mut i = input();
        i.formed_on = None;
        assert!(ItemContent::parse(&i, &cfg, &Escape).is_err());
        let mut i = input();
        i.interprets = Some(ItemId::new(1));
        assert!(matches!(
            ItemContent::parse(&i, &cfg, &Escape),
            Err(CatalogError::NotAnInterpretation { .. })
        ));
        let mut i = input();
        i.normative = Some(NormativeInput {
            kind: NormativeKind::NormativeDoc,
            status: ValidityStatus::Repealed,
            effective_on: Some(date!(2021 - 05 - 01)),
            ends_on: Some(date!(2021 - 01 - 01)),
        });
        assert!(matches!(
            ItemContent::parse(&i, &cfg, &Escape),
            Err(CatalogError::RepealBeforeEffective { .. })
        ));
    }

    #[test]
    fn published_item_is_not_editable_and_keeps_its_index() {
        let t = datetime!(2021-03-02 10:00 +08:00);
        let parsed = ItemContent::parse(&input(), &CatalogConfig::default(), &Escape).expect("ok");
        let content = parsed.0.clone();
        let mut item =
            CatalogItem::create(AgencyId::new(1), parsed, None, &who("张"), t).expect("create");
        assert!(item.publish("X/2021-00001".into(), &who("张"), t).is_err());
        assert_eq!(item.index_number, None);
        item.act(Action::Submit, &who("张"), t, None)
            .expect("submit");
        assert!(item.revise(content.clone(), &who("张"), t, None).is_err());
        item.act(Action::ClearSecrecy, &who("李"), t, None)
            .expect("secrecy");
        item.act(Action::Approve, &who("王"), t, Some("同意发布"))
            .expect("approve");
        assert!(item.act(Action::Publish, &who("张"), t, None).is_err());
        item.publish(
            "X/2021-00001".into(),
            &who("张"),
            datetime!(2021-03-02 17:00 UTC),
        )
        .expect("publish");
        // 17:00 UTC is the next day in Beijing.
        assert_eq!(item.published_on(), Some(date!(2021 - 03 - 03)));
        assert_eq!(item.workflow.steps().len(), 5);
        assert!(item.revise(content, &who("张"), t, None).is_err());
    }
}
