//! The agency's decisions on a submission (docs/feedback.md#moderation): answer publicly,
//! answer privately, set aside as spam — each may be taken again, and each is kept.

use super::{MAX_ANSWER_CHARS, Refusal, RefusalKind, invalid, screen};

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// 待处理.
    Pending,
    /// Answered publicly: shown with its answer on the page it was given on.
    Published,
    /// Answered, not shown (the answer went to the contact given, or needs no publicity).
    Private,
    /// Set aside as spam or of no content: not counted.
    Rejected,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Pending,
        State::Published,
        State::Private,
        State::Rejected,
    ];

    pub fn key(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Published => "published",
            State::Private => "private",
            State::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.key() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Pending => "待处理",
            State::Published => "已公开答复",
            State::Private => "已答复（不公开）",
            State::Rejected => "已作无效处理",
        }
    }

    /// Answered, publicly or privately (`已答复` in the report).
    pub fn answered(self) -> bool {
        matches!(self, State::Published | State::Private)
    }
}

/// A moderator's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Publish with a public answer.
    Publish,
    /// Answer without publishing.
    AnswerPrivately,
    /// Set aside as spam or of no content.
    Reject,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Publish, Action::AnswerPrivately, Action::Reject];

    pub fn key(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::AnswerPrivately => "private",
            Action::Reject => "reject",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|x| x.key() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Publish => "公开答复",
            Action::AnswerPrivately => "答复（不公开）",
            Action::Reject => "作无效处理",
        }
    }

    fn target(self) -> State {
        match self {
            Action::Publish => State::Published,
            Action::AnswerPrivately => State::Private,
            Action::Reject => State::Rejected,
        }
    }
}

/// A decision on a submission in `state`: the new state and the text kept with it (the answer,
/// or the reason for setting it aside). An answer is required to answer; a decision may be
/// taken again (an answer corrected, a publication taken back), every one kept in the history;
/// setting aside what is already set aside is refused.
pub fn moderate(
    state: State,
    action: Action,
    text: &str,
) -> Result<(State, Option<String>), Refusal> {
    let name = "answer";
    if text.chars().any(|c| screen::is_forbidden_control(c, true)) {
        return Err(invalid(
            name,
            "the answer holds control characters".into(),
            "答复中含有不可见的控制字符".into(),
        ));
    }
    let t: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !screen::is_invisible(*c))
        .collect();
    let t = t.trim().to_string();
    let n = t.chars().count();
    if n > MAX_ANSWER_CHARS {
        return Err(invalid(
            name,
            format!("the answer has {n} characters; at most {MAX_ANSWER_CHARS}"),
            format!("答复共{n}个字，最多{MAX_ANSWER_CHARS}个字"),
        ));
    }
    if action != Action::Reject && t.is_empty() {
        return Err(invalid(
            name,
            "an answer is needed".into(),
            format!("{}须填写答复内容", action.label()),
        ));
    }
    if action == Action::Reject && state == State::Rejected {
        return Err(Refusal::new(
            RefusalKind::Invalid,
            None,
            "it is already set aside".into(),
            "该评议已作无效处理".into(),
        ));
    }
    Ok((action.target(), Some(t).filter(|t| !t.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moderation_needs_an_answer_and_keeps_rejections_single() {
        assert_eq!(
            moderate(State::Pending, Action::Publish, " 已转相关科室办理。 "),
            Ok((State::Published, Some("已转相关科室办理。".into())))
        );
        assert!(moderate(State::Pending, Action::AnswerPrivately, " ").is_err());
        assert_eq!(
            moderate(State::Published, Action::Reject, ""),
            Ok((State::Rejected, None))
        );
        assert!(moderate(State::Rejected, Action::Reject, "垃圾信息").is_err());
        assert_eq!(
            moderate(State::Rejected, Action::Publish, "误判，现答复"),
            Ok((State::Published, Some("误判，现答复".into())))
        );
        assert!(
            moderate(
                State::Pending,
                Action::Publish,
                &"答".repeat(MAX_ANSWER_CHARS + 1)
            )
            .is_err()
        );
    }
}
