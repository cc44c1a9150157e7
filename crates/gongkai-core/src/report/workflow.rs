//! The annual report's way to publication (docs/rules/annual-report.md#workflow): a draft is
//! submitted, then returned with reasons or approved, and an approved report is published as
//! an immutable version. A correction reopens a published report as a draft; its next
//! publication is a new version carrying the correction's reason (条例 Art. 49–50).
//!
//! The state is the fold of the recorded steps, so the log is the truth and the state a view.

use crate::user::Role;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Being written (also a correction being written after a publication).
    Draft,
    /// Submitted for approval: the submitted document is frozen.
    Submitted,
    /// Sent back with reasons: editable again.
    Returned,
    /// Approved, waiting to be published.
    Approved,
    /// Published; the current version is immutable.
    Published,
}

impl State {
    pub fn key(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Approved => "approved",
            State::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "草稿",
            State::Submitted => "已提交待审核",
            State::Returned => "已退回修改",
            State::Approved => "已审核待发布",
            State::Published => "已发布",
        }
    }

    /// Whether the narrative and the data behind the report may still change what will be
    /// published.
    pub fn editable(self) -> bool {
        matches!(self, State::Draft | State::Returned)
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Submit,
    Return,
    Approve,
    Publish,
    /// Reopens a published report for a correction (the reason goes into the next version).
    Correct,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Submit,
        Action::Return,
        Action::Approve,
        Action::Publish,
        Action::Correct,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Return => "return",
            Action::Approve => "approve",
            Action::Publish => "publish",
            Action::Correct => "correct",
        }
    }

    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Submit => "提交审核",
            Action::Return => "退回修改",
            Action::Approve => "审核通过",
            Action::Publish => "发布",
            Action::Correct => "更正",
        }
    }

    /// The roles that may take the step (a 管理员 may too).
    pub fn roles(self) -> &'static [Role] {
        match self {
            Action::Submit | Action::Correct => &[Role::Entry, Role::Head],
            Action::Return | Action::Approve | Action::Publish => &[Role::Review, Role::Head],
        }
    }

    /// Whether the step needs a reason (a return says what to fix; a correction says why).
    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Return | Action::Correct)
    }
}

/// A recorded step: what, and by whom (user id; separation of duties compares ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    pub by: i64,
}

/// Why a step was refused, in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub en: String,
    pub zh: String,
}

impl Refusal {
    fn new(en: impl Into<String>, zh: impl Into<String>) -> Refusal {
        Refusal {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// The state after a log of steps (a log that was accepted step by step).
pub fn state_of(steps: &[Step]) -> State {
    steps.iter().fold(State::Draft, |_, s| after(s.action))
}

/// The state after `action`: each step leads to one state, so the last step is enough.
pub fn after(action: Action) -> State {
    match action {
        Action::Submit => State::Submitted,
        Action::Return => State::Returned,
        Action::Approve => State::Approved,
        Action::Publish => State::Published,
        Action::Correct => State::Draft,
    }
}

/// Whether `action` by user `by` may follow `steps`. Roles are the caller's to check; this
/// is the order of steps and the separation of duties: nobody approves or publishes a report
/// they submitted themselves.
pub fn may(steps: &[Step], action: Action, by: i64) -> Result<State, Refusal> {
    let state = state_of(steps);
    let allowed = match action {
        Action::Submit => state.editable(),
        Action::Return => matches!(state, State::Submitted | State::Approved),
        Action::Approve => state == State::Submitted,
        Action::Publish => state == State::Approved,
        Action::Correct => state == State::Published,
    };
    if !allowed {
        return Err(Refusal::new(
            format!(
                "the report is {}: it cannot be {} now{}",
                state.key(),
                past(action),
                hint_en(state)
            ),
            format!(
                "报告当前为“{}”，不能{}{}",
                state.label(),
                action.label(),
                hint_zh(state)
            ),
        ));
    }
    if matches!(action, Action::Approve | Action::Publish) && submitter(steps) == Some(by) {
        return Err(Refusal::new(
            "the report was submitted by the same user: another reviewer must approve and publish it",
            "报告由本人提交，应由其他审核人员审核和发布",
        ));
    }
    Ok(after(action))
}

/// Who submitted the report now under review (the last submission).
fn submitter(steps: &[Step]) -> Option<i64> {
    steps
        .iter()
        .rev()
        .find(|s| s.action == Action::Submit)
        .map(|s| s.by)
}

fn past(action: Action) -> &'static str {
    match action {
        Action::Submit => "submitted",
        Action::Return => "returned",
        Action::Approve => "approved",
        Action::Publish => "published",
        Action::Correct => "reopened for a correction",
    }
}

fn hint_en(state: State) -> &'static str {
    match state {
        State::Published => " (a published version never changes: open a correction first)",
        State::Submitted | State::Approved => " (return it first to change it)",
        State::Draft | State::Returned => "",
    }
}

fn hint_zh(state: State) -> &'static str {
    match state {
        State::Published => "（已发布的版本不可修改，请先办理更正）",
        State::Submitted | State::Approved => "（如需修改，请先退回）",
        State::Draft | State::Returned => "",
    }
}

/// Refuses a change to what the report will say (its narrative) unless it is editable.
pub fn may_edit(steps: &[Step]) -> Result<(), Refusal> {
    let state = state_of(steps);
    if state.editable() {
        return Ok(());
    }
    Err(Refusal::new(
        format!(
            "the report is {}: its text cannot be edited{}",
            state.key(),
            hint_en(state)
        ),
        format!(
            "报告当前为“{}”，不能修改正文{}",
            state.label(),
            hint_zh(state)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(action: Action, by: i64) -> Step {
        Step { action, by }
    }

    #[test]
    fn a_report_goes_from_draft_to_published_and_back_for_a_correction() {
        let mut log = vec![];
        for (action, by, state) in [
            (Action::Submit, 1, State::Submitted),
            (Action::Return, 2, State::Returned),
            (Action::Submit, 1, State::Submitted),
            (Action::Approve, 2, State::Approved),
            (Action::Publish, 2, State::Published),
            (Action::Correct, 1, State::Draft),
            (Action::Submit, 1, State::Submitted),
        ] {
            assert_eq!(may(&log, action, by), Ok(state), "{action:?}");
            log.push(s(action, by));
            assert_eq!(state_of(&log), state);
        }
    }

    #[test]
    fn steps_out_of_turn_are_refused_with_what_to_do() {
        assert!(may(&[], Action::Publish, 1).is_err());
        assert!(may(&[], Action::Approve, 1).is_err());
        let published = [
            s(Action::Submit, 1),
            s(Action::Approve, 2),
            s(Action::Publish, 2),
        ];
        let e = may(&published, Action::Submit, 1).expect_err("published");
        assert!(e.zh.contains("请先办理更正"), "{}", e.zh);
        assert!(may_edit(&published).is_err());
        assert!(may_edit(&published[..1]).is_err());
        assert!(may_edit(&[]).is_ok());
    }

    #[test]
    fn the_submitter_neither_approves_nor_publishes() {
        let log = [s(Action::Submit, 1)];
        assert!(may(&log, Action::Approve, 1).is_err());
        assert!(may(&log, Action::Return, 1).is_ok());
        let log = [s(Action::Submit, 3), s(Action::Approve, 2)];
        assert!(may(&log, Action::Publish, 3).is_err());
        assert!(may(&log, Action::Publish, 2).is_ok());
    }
}
