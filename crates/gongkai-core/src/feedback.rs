//! 公众评议 (docs/feedback.md): the portal's feedback on a published item or on a column (栏目)
//! — a rating and a comment — screened before anything is stored, moderated by the agency
//! (answered publicly, answered privately, or set aside as spam), and counted for section
//! 一(五) of the annual report (社会评议情况) and its `figures` `feedback_received` and
//! `negative_evaluations` (条例 Art. 50 and 国办公开办函〔2021〕30号: the report states how the
//! agency was evaluated by the public).

mod moderation;
pub mod screen;
mod year;

pub use moderation::{Action, State, moderate};
pub use year::{Counted, FeedbackYear};

/// The rating a citizen gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rating {
    /// 满意.
    Satisfied,
    /// 基本满意.
    Basic,
    /// 不满意: a negative evaluation (不良评议) in the report.
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::Basic, Rating::Dissatisfied];

    pub fn key(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::Basic => "basic",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.key() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::Basic => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }

    /// Counted as a negative evaluation (`figures.negative_evaluations`).
    pub fn is_negative(self) -> bool {
        self == Rating::Dissatisfied
    }
}

/// The form's field names (the portal's forms and the messages that name them).
pub mod field {
    pub const RATING: &str = "rating";
    pub const COMMENT: &str = "comment";
    pub const NICKNAME: &str = "nickname";
    pub const CONTACT: &str = "contact";
    /// The trap: a field people never see (hidden by the stylesheet), which only a program
    /// filling in every field fills in.
    pub const TRAP: &str = "website";

    /// The label of a field, as the form shows it.
    pub fn label(name: &str) -> &'static str {
        match name {
            RATING => "评价",
            COMMENT => "意见建议",
            NICKNAME => "称呼",
            CONTACT => "联系方式",
            _ => "表单",
        }
    }
}

pub const MAX_COMMENT_CHARS: usize = 500;
pub const MAX_NICKNAME_CHARS: usize = 20;
pub const MAX_CONTACT_CHARS: usize = 50;
pub const MAX_ANSWER_CHARS: usize = 2000;

/// Submissions from one client (network address) within [`FLOOD_WINDOW_MINUTES`] beyond which
/// the next is refused: a person rates a few pages, a program floods.
pub const FLOOD_MAX: u64 = 5;
pub const FLOOD_WINDOW_MINUTES: i64 = 10;
/// The same text (by [`screen::dedup_key`]) within this many hours is refused.
pub const DUPLICATE_WINDOW_HOURS: i64 = 24;
/// A comment shorter than this (after folding) is a duplicate only when the same client sent
/// it: two citizens may both write “很好”.
pub const SHORT_COMMENT_CHARS: usize = 8;

/// What a citizen typed, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackForm {
    pub rating: String,
    pub comment: String,
    pub nickname: String,
    pub contact: String,
    /// The trap field ([`field::TRAP`]); empty from a person.
    pub trap: String,
}

/// A submission that passed the screening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    pub rating: Rating,
    /// Trimmed, invisible characters dropped, line breaks as `\n`.
    pub comment: String,
    pub nickname: Option<String>,
    /// A telephone number or an e-mail address, for a private answer; never shown publicly.
    pub contact: Option<String>,
    /// [`screen::dedup_key`] of the comment.
    pub dedup_key: String,
    /// The comment is short: a duplicate only from the same client.
    pub short: bool,
}

/// Why a submission was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// A field is missing, too long or malformed.
    Invalid,
    /// Web code in a field.
    Markup,
    /// A link in a field.
    Link,
    /// The trap field was filled in.
    Trap,
    /// The same text was just sent.
    Duplicate,
    /// Too many submissions from one client.
    TooFrequent,
}

/// A refusal, in both languages, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub field: Option<&'static str>,
    pub en: String,
    pub zh: String,
}

impl Refusal {
    fn new(kind: RefusalKind, field: Option<&'static str>, en: String, zh: String) -> Refusal {
        Refusal {
            kind,
            field,
            en,
            zh,
        }
    }

    /// The refusal of a flood: [`FLOOD_MAX`] submissions from the client in the window.
    pub fn too_frequent() -> Refusal {
        Refusal::new(
            RefusalKind::TooFrequent,
            None,
            format!(
                "more than {FLOOD_MAX} submissions from this address within {FLOOD_WINDOW_MINUTES} minutes"
            ),
            format!(
                "提交过于频繁，请稍后再试（同一网络地址{FLOOD_WINDOW_MINUTES}分钟内最多提交{FLOOD_MAX}条评议）。"
            ),
        )
    }

    /// The refusal of a text sent again within [`DUPLICATE_WINDOW_HOURS`].
    pub fn duplicate() -> Refusal {
        Refusal::new(
            RefusalKind::Duplicate,
            Some(field::COMMENT),
            "the same comment was already submitted".into(),
            "相同内容的评议已经提交过，请勿重复提交。".into(),
        )
    }
}

fn invalid(name: &'static str, en: String, zh: String) -> Refusal {
    Refusal::new(RefusalKind::Invalid, Some(name), en, zh)
}

/// One field's text, checked: no web code, no control characters; invisible characters
/// dropped, trimmed, at most `max` characters.
fn text(name: &'static str, value: &str, max: usize, multiline: bool) -> Result<String, Refusal> {
    let label = field::label(name);
    if value
        .chars()
        .any(|c| screen::is_forbidden_control(c, multiline))
    {
        return Err(invalid(
            name,
            format!("{name} holds control characters"),
            format!("{label}中含有不可见的控制字符，请删除后重新提交"),
        ));
    }
    let cleaned: String = value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !screen::is_invisible(*c))
        .collect();
    let cleaned = cleaned.trim().to_string();
    let n = cleaned.chars().count();
    if n > max {
        return Err(invalid(
            name,
            format!("{name} has {n} characters; at most {max}"),
            format!("{label}共{n}个字，最多{max}个字"),
        ));
    }
    Ok(cleaned)
}

impl FeedbackForm {
    /// Screens the form: the trap, web code in any field, then each field. Nothing of a
    /// refused form is stored.
    pub fn parse(&self) -> Result<NewFeedback, Refusal> {
        if !self.trap.trim().is_empty() {
            return Err(Refusal::new(
                RefusalKind::Trap,
                None,
                "the hidden field was filled in".into(),
                "提交未被接受：请通过本站页面上的评议表单填写后提交。".into(),
            ));
        }
        for (name, value) in [
            (field::RATING, &self.rating),
            (field::COMMENT, &self.comment),
            (field::NICKNAME, &self.nickname),
            (field::CONTACT, &self.contact),
        ] {
            if screen::has_markup(value) {
                return Err(Refusal::new(
                    RefusalKind::Markup,
                    Some(name),
                    format!("{name} holds web code (an HTML tag, a script or javascript:)"),
                    format!(
                        "{}不能包含网页代码（如HTML标签、“<script>”或“javascript:”），请只填写文字。",
                        field::label(name)
                    ),
                ));
            }
        }
        let rating = Rating::parse(&self.rating).ok_or_else(|| {
            invalid(
                field::RATING,
                "choose a rating".into(),
                "请选择评价：满意、基本满意或不满意".into(),
            )
        })?;
        let comment = text(field::COMMENT, &self.comment, MAX_COMMENT_CHARS, true)?;
        if comment.is_empty() {
            return Err(invalid(
                field::COMMENT,
                "the comment is empty".into(),
                "请填写意见建议".into(),
            ));
        }
        let nickname = text(field::NICKNAME, &self.nickname, MAX_NICKNAME_CHARS, false)?;
        for (name, value) in [(field::COMMENT, &comment), (field::NICKNAME, &nickname)] {
            if screen::has_link(value) {
                return Err(Refusal::new(
                    RefusalKind::Link,
                    Some(name),
                    format!("{name} holds a link or a web address"),
                    format!(
                        "{}不能包含网址或链接（如“http://”“www.”“.com”），请只填写文字。",
                        field::label(name)
                    ),
                ));
            }
        }
        let contact = text(field::CONTACT, &self.contact, MAX_CONTACT_CHARS, false)?;
        if !contact.is_empty() && !is_phone(&contact) && !is_email(&contact) {
            return Err(invalid(
                field::CONTACT,
                format!("{contact:?} is neither a telephone number nor an e-mail address"),
                "联系方式请填写电话号码或电子邮箱，也可不填".into(),
            ));
        }
        let key = screen::dedup_key(&comment);
        Ok(NewFeedback {
            rating,
            short: key.chars().count() < SHORT_COMMENT_CHARS,
            dedup_key: key,
            comment,
            nickname: Some(nickname).filter(|n| !n.is_empty()),
            contact: Some(contact).filter(|c| !c.is_empty()),
        })
    }
}

/// 7 to 20 digits, with `+`, `-`, spaces and brackets between them.
fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
}

/// `local@domain.tld` in ASCII, without spaces.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    !local.is_empty()
        && local.chars().all(ok)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.chars().all(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(rating: &str, comment: &str) -> FeedbackForm {
        FeedbackForm {
            rating: rating.into(),
            comment: comment.into(),
            ..FeedbackForm::default()
        }
    }

    #[test]
    fn a_plain_comment_passes_cleaned() {
        let f = FeedbackForm {
            nickname: " 张先生 ".into(),
            contact: "0533-2869928".into(),
            ..form("basic", " 信息\u{200b}更新很及时，\r\n希望增加解读。 ")
        };
        let n = f.parse().expect("passes");
        assert_eq!(n.rating, Rating::Basic);
        assert_eq!(n.comment, "信息更新很及时，\n希望增加解读。");
        assert_eq!(n.nickname.as_deref(), Some("张先生"));
        assert_eq!(n.contact.as_deref(), Some("0533-2869928"));
        assert!(!n.short);
        let e = FeedbackForm {
            contact: "someone@example.com".into(),
            ..form("satisfied", "很好")
        }
        .parse()
        .expect("an e-mail address is a contact, not a link");
        assert!(e.short);
    }

    #[test]
    fn script_links_traps_and_empty_text_are_refused_by_kind() {
        let kind = |f: FeedbackForm| f.parse().expect_err("refused");
        let cases = [
            (
                form("satisfied", "<script>alert(1)</script>"),
                RefusalKind::Markup,
                Some("comment"),
            ),
            (
                FeedbackForm {
                    nickname: "<b>x</b>".into(),
                    ..form("satisfied", "好")
                },
                RefusalKind::Markup,
                Some("nickname"),
            ),
            (
                FeedbackForm {
                    contact: "javascript:alert(1)".into(),
                    ..form("satisfied", "好")
                },
                RefusalKind::Markup,
                Some("contact"),
            ),
            (form("<script>", "好"), RefusalKind::Markup, Some("rating")),
            (
                form("satisfied", "优惠 www.spam.cn"),
                RefusalKind::Link,
                Some("comment"),
            ),
            (
                FeedbackForm {
                    nickname: "spam.com".into(),
                    ..form("satisfied", "好")
                },
                RefusalKind::Link,
                Some("nickname"),
            ),
            (
                FeedbackForm {
                    trap: "http://x".into(),
                    ..form("satisfied", "好")
                },
                RefusalKind::Trap,
                None,
            ),
            (
                form("satisfied", " \u{200b}\u{feff}\n "),
                RefusalKind::Invalid,
                Some("comment"),
            ),
            (
                form("satisfied", "好\u{7}"),
                RefusalKind::Invalid,
                Some("comment"),
            ),
            (form("", "好"), RefusalKind::Invalid, Some("rating")),
            (
                form("satisfied", &"长".repeat(MAX_COMMENT_CHARS + 1)),
                RefusalKind::Invalid,
                Some("comment"),
            ),
            (
                FeedbackForm {
                    contact: "随便".into(),
                    ..form("satisfied", "好")
                },
                RefusalKind::Invalid,
                Some("contact"),
            ),
        ];
        for (f, k, fld) in cases {
            let r = kind(f.clone());
            assert_eq!((r.kind, r.field), (k, fld), "{f:?}");
            assert!(!r.zh.is_empty() && !r.en.is_empty());
        }
        let m = kind(form("satisfied", "<img src=x onerror=alert(1)>"));
        assert!(m.zh.starts_with("意见建议不能包含网页代码"), "{}", m.zh);
        assert!(
            Refusal::too_frequent()
                .zh
                .starts_with("提交过于频繁，请稍后再试")
        );
    }
}
