//! The publishing workflow 拟稿 → 保密审查 → 审核 → 发布 as a state machine (Art. 17: review,
//! including the confidentiality review, before publication). Every transition is a [`Step`]
//! with who, when and what; a refused transition changes nothing. Who is a [`Signer`]: "no
//! reviewing one's own draft" compares user ids, never display names.

use super::error::CatalogError;
use super::signer::Signer;
use std::fmt;
use time::OffsetDateTime;

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// 拟稿: being written (also after a return).
    Draft,
    /// 保密审查: waiting for the confidentiality review.
    SecrecyReview,
    /// 审核: waiting for the content review / sign-off.
    Review,
    /// 待发布: approved, waiting to be published.
    Approved,
    /// 已发布.
    Published,
    /// 已撤回: withdrawn after publication. Terminal; its 索引号 is never reused.
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Draft,
        Stage::SecrecyReview,
        Stage::Review,
        Stage::Approved,
        Stage::Published,
        Stage::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::SecrecyReview => "secrecy_review",
            Stage::Review => "review",
            Stage::Approved => "approved",
            Stage::Published => "published",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn from_key(key: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Draft => "拟稿",
            Stage::SecrecyReview => "保密审查",
            Stage::Review => "审核",
            Stage::Approved => "待发布",
            Stage::Published => "已发布",
            Stage::Withdrawn => "已撤回",
        }
    }

    /// Content may be edited only while drafting.
    pub fn editable(self) -> bool {
        self == Stage::Draft
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What someone does to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// 拟稿: the item is created (the first step of every item).
    Create,
    /// 修改: the draft is edited (only while drafting).
    Revise,
    /// 送审: the drafter sends the draft to the confidentiality review.
    Submit,
    /// 保密审查通过.
    ClearSecrecy,
    /// 审核通过.
    Approve,
    /// 发布: the 索引号 is assigned.
    Publish,
    /// 退回: back to the drafter, with a reason, from any review step.
    Return,
    /// 撤回: taken down after publication, with a reason.
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Create,
        Action::Revise,
        Action::Submit,
        Action::ClearSecrecy,
        Action::Approve,
        Action::Publish,
        Action::Return,
        Action::Withdraw,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Revise => "revise",
            Action::Submit => "submit",
            Action::ClearSecrecy => "clear_secrecy",
            Action::Approve => "approve",
            Action::Publish => "publish",
            Action::Return => "return",
            Action::Withdraw => "withdraw",
        }
    }

    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Action::Create => "拟稿",
            Action::Revise => "修改",
            Action::Submit => "送审",
            Action::ClearSecrecy => "保密审查通过",
            Action::Approve => "审核通过",
            Action::Publish => "发布",
            Action::Return => "退回",
            Action::Withdraw => "撤回",
        }
    }

    /// The stage after `self` from `from`, or `None` when the action is out of turn.
    pub fn target(self, from: Stage) -> Option<Stage> {
        use Stage::*;
        match (self, from) {
            (Action::Revise, Draft) => Some(Draft),
            (Action::Submit, Draft) => Some(SecrecyReview),
            (Action::ClearSecrecy, SecrecyReview) => Some(Review),
            (Action::Approve, Review) => Some(Approved),
            (Action::Publish, Approved) => Some(Published),
            (Action::Return, SecrecyReview | Review | Approved) => Some(Draft),
            (Action::Withdraw, Published) => Some(Withdrawn),
            _ => None,
        }
    }

    /// Review decisions, which the drafter may not take on their own draft.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Action::ClearSecrecy | Action::Approve | Action::Return
        )
    }

    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Return | Action::Withdraw)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One recorded step: who did what, when, with which opinion or reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    pub from: Option<Stage>,
    pub to: Stage,
    /// Who took it (their id, and the display name the approval form prints).
    pub by: Signer,
    pub at: OffsetDateTime,
    /// The reviewer's opinion, or the reason of a return or withdrawal.
    pub note: Option<String>,
}

/// The workflow state of an item and its full history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    drafter: Signer,
    stage: Stage,
    steps: Vec<Step>,
}

impl Workflow {
    /// A new draft by `drafter`, recorded as the 拟稿 step.
    pub fn new(drafter: &Signer, at: OffsetDateTime) -> Result<Workflow, CatalogError> {
        let drafter = Signer::new(drafter.id, drafter.name.as_str());
        if drafter.name.is_empty() {
            return Err(CatalogError::Missing { field: "drafter" });
        }
        Ok(Workflow {
            drafter: drafter.clone(),
            stage: Stage::Draft,
            steps: vec![Step {
                action: Action::Create,
                from: None,
                to: Stage::Draft,
                by: drafter,
                at,
                note: None,
            }],
        })
    }

    /// Rebuilds a workflow from stored steps, replaying each so a tampered history is refused.
    pub fn replay(steps: Vec<Step>) -> Result<Workflow, CatalogError> {
        let mut it = steps.into_iter();
        let first = it.next().ok_or(CatalogError::Missing { field: "steps" })?;
        if first.action != Action::Create {
            return Err(CatalogError::OutOfTurn {
                action: first.action,
                stage: Stage::Draft,
            });
        }
        let mut wf = Workflow::new(&first.by, first.at)?;
        wf.steps[0].note = first.note;
        for s in it {
            let step = wf.check(s.action, &s.by, s.at, s.note.as_deref())?;
            wf.commit(step);
        }
        Ok(wf)
    }

    /// Who drafted the item (the 拟稿 step).
    pub fn drafter(&self) -> &Signer {
        &self.drafter
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The step `action` by `by` would record, or why it is refused. Changes nothing. A review
    /// decision by the drafter is refused by user id: another user who shares the drafter's
    /// display name may review.
    pub fn check(
        &self,
        action: Action,
        by: &Signer,
        at: OffsetDateTime,
        note: Option<&str>,
    ) -> Result<Step, CatalogError> {
        let by = Signer::new(by.id, by.name.as_str());
        if by.name.is_empty() {
            return Err(CatalogError::Missing { field: "actor" });
        }
        let to = action.target(self.stage).ok_or(CatalogError::OutOfTurn {
            action,
            stage: self.stage,
        })?;
        if action.is_review() && by.id == self.drafter.id {
            return Err(CatalogError::OwnDraft {
                by: by.name,
                action,
            });
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if action.needs_reason() && note.is_none() {
            return Err(CatalogError::ReasonRequired { action });
        }
        Ok(Step {
            action,
            from: Some(self.stage),
            to,
            by,
            at,
            note: note.map(str::to_string),
        })
    }

    /// Applies `action`; on refusal the workflow is unchanged.
    pub fn apply(
        &mut self,
        action: Action,
        by: &Signer,
        at: OffsetDateTime,
        note: Option<&str>,
    ) -> Result<&Step, CatalogError> {
        let step = self.check(action, by, at, note)?;
        Ok(self.commit(step))
    }

    fn commit(&mut self, step: Step) -> &Step {
        self.stage = step.to;
        self.steps.push(step);
        self.steps.last().expect("just pushed")
    }

    /// The last step that took the item to `stage` (for the approval form).
    pub fn last_step(&self, action: Action) -> Option<&Step> {
        self.steps.iter().rev().find(|s| s.action == action)
    }

    /// When the item was published, if it was.
    pub fn published_at(&self) -> Option<OffsetDateTime> {
        self.last_step(Action::Publish).map(|s| s.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T: OffsetDateTime = datetime!(2021-03-01 09:00 +08:00);

    /// The people of these tests, each a user of their own.
    fn who(name: &str) -> Signer {
        let id = match name {
            "张拟稿" => 1,
            "李保密" => 2,
            "王审核" => 3,
            _ => 4,
        };
        Signer::new(crate::ids::UserId::new(id), name)
    }

    fn at_stage(stage: Stage) -> Workflow {
        let mut wf = Workflow::new(&who("张拟稿"), T).expect("new");
        let path: &[(Action, &str)] = match stage {
            Stage::Draft => &[],
            Stage::SecrecyReview => &[(Action::Submit, "张拟稿")],
            Stage::Review => &[(Action::Submit, "张拟稿"), (Action::ClearSecrecy, "李保密")],
            Stage::Approved => &[
                (Action::Submit, "张拟稿"),
                (Action::ClearSecrecy, "李保密"),
                (Action::Approve, "王审核"),
            ],
            Stage::Published => &[
                (Action::Submit, "张拟稿"),
                (Action::ClearSecrecy, "李保密"),
                (Action::Approve, "王审核"),
                (Action::Publish, "张拟稿"),
            ],
            Stage::Withdrawn => &[
                (Action::Submit, "张拟稿"),
                (Action::ClearSecrecy, "李保密"),
                (Action::Approve, "王审核"),
                (Action::Publish, "张拟稿"),
                (Action::Withdraw, "王审核"),
            ],
        };
        for (a, by) in path {
            wf.apply(*a, &who(by), T, Some("理由"))
                .expect("path is allowed");
        }
        assert_eq!(wf.stage(), stage);
        wf
    }

    /// Every (stage, action) pair: allowed exactly where the table says, refused elsewhere,
    /// and a refusal leaves the workflow untouched.
    #[test]
    fn every_transition_allowed_or_refused() {
        let allowed = [
            (Stage::Draft, Action::Revise, Stage::Draft),
            (Stage::Draft, Action::Submit, Stage::SecrecyReview),
            (Stage::SecrecyReview, Action::ClearSecrecy, Stage::Review),
            (Stage::SecrecyReview, Action::Return, Stage::Draft),
            (Stage::Review, Action::Approve, Stage::Approved),
            (Stage::Review, Action::Return, Stage::Draft),
            (Stage::Approved, Action::Publish, Stage::Published),
            (Stage::Approved, Action::Return, Stage::Draft),
            (Stage::Published, Action::Withdraw, Stage::Withdrawn),
        ];
        let mut checked = 0;
        for stage in Stage::ALL {
            for action in Action::ALL {
                let mut wf = at_stage(stage);
                let before = wf.clone();
                let result = wf.apply(action, &who("赵其他"), T, Some("意见")).cloned();
                match allowed.iter().find(|(s, a, _)| *s == stage && *a == action) {
                    Some((_, _, to)) => {
                        let step = result.expect("allowed transition");
                        assert_eq!((step.from, step.to), (Some(stage), *to));
                        assert_eq!(wf.stage(), *to);
                        assert_eq!(wf.steps().len(), before.steps().len() + 1);
                        assert_eq!(
                            wf.steps().last().map(|s| s.by.name.as_str()),
                            Some("赵其他")
                        );
                    }
                    None => {
                        assert_eq!(
                            result,
                            Err(CatalogError::OutOfTurn { action, stage }),
                            "{action} from {stage}"
                        );
                        assert_eq!(wf, before);
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 6 * 8);
    }

    #[test]
    fn publishing_a_draft_that_skipped_review_is_refused() {
        let mut wf = at_stage(Stage::Draft);
        let err = wf
            .apply(Action::Publish, &who("张拟稿"), T, None)
            .expect_err("skips review");
        assert_eq!(
            err,
            CatalogError::OutOfTurn {
                action: Action::Publish,
                stage: Stage::Draft
            }
        );
        assert_eq!(err.zh(), "当前环节为“拟稿”，不能“发布”");
        let mut wf = at_stage(Stage::Review);
        assert!(wf.apply(Action::Publish, &who("王审核"), T, None).is_err());
    }

    #[test]
    fn reviewer_cannot_review_own_draft() {
        for (stage, action) in [
            (Stage::SecrecyReview, Action::ClearSecrecy),
            (Stage::Review, Action::Approve),
            (Stage::Review, Action::Return),
        ] {
            let mut wf = at_stage(stage);
            let before = wf.clone();
            assert_eq!(
                wf.apply(action, &who("张拟稿"), T, Some("自审")).cloned(),
                Err(CatalogError::OwnDraft {
                    by: "张拟稿".into(),
                    action
                })
            );
            assert_eq!(wf, before);
        }
    }

    /// Two users named 张伟: the other one may review the draft; the drafter may not, whatever
    /// name they now go by.
    #[test]
    fn own_draft_is_decided_by_user_id_not_by_name() {
        use crate::ids::UserId;
        let drafter = Signer::new(UserId::new(11), "张伟");
        let namesake = Signer::new(UserId::new(12), "张伟");
        let mut wf = Workflow::new(&drafter, T).expect("new");
        wf.apply(Action::Submit, &drafter, T, None).expect("submit");
        let renamed = Signer::new(UserId::new(11), "张伟（综合科）");
        assert_eq!(
            wf.apply(Action::ClearSecrecy, &renamed, T, None).cloned(),
            Err(CatalogError::OwnDraft {
                by: "张伟（综合科）".into(),
                action: Action::ClearSecrecy
            })
        );
        let step = wf
            .apply(Action::ClearSecrecy, &namesake, T, None)
            .expect("another user of the same name")
            .clone();
        assert_eq!(step.by, namesake);
        assert_eq!(wf.drafter(), &drafter);
    }

    #[test]
    fn return_and_withdraw_need_a_reason() {
        let mut wf = at_stage(Stage::Review);
        for note in [None, Some("  ")] {
            assert_eq!(
                wf.apply(Action::Return, &who("王审核"), T, note).cloned(),
                Err(CatalogError::ReasonRequired {
                    action: Action::Return
                })
            );
        }
        let step = wf
            .apply(Action::Return, &who("王审核"), T, Some("标题有误"))
            .expect("with a reason")
            .clone();
        assert_eq!(step.note.as_deref(), Some("标题有误"));
        assert_eq!(wf.stage(), Stage::Draft);
        // After a return the draft goes round again.
        wf.apply(Action::Submit, &who("张拟稿"), T, None)
            .expect("resubmit");
        let mut wf = at_stage(Stage::Published);
        assert!(wf.apply(Action::Withdraw, &who("王审核"), T, None).is_err());
        assert!(
            wf.apply(Action::Withdraw, &who("王审核"), T, Some("信息已过时"))
                .is_ok()
        );
    }

    #[test]
    fn replay_restores_and_refuses_tampered_history() {
        let wf = at_stage(Stage::Withdrawn);
        let again = Workflow::replay(wf.steps().to_vec()).expect("replays");
        assert_eq!(again, wf);
        let mut steps = wf.steps().to_vec();
        steps.remove(2); // drop the confidentiality review
        assert!(Workflow::replay(steps).is_err());
    }

    proptest::proptest! {
        /// Whatever anyone tries in whatever order: the stage is the last step's, refusals change
        /// nothing, and a published item always passed a confidentiality review and an approval
        /// by someone other than the drafter after its last return.
        #[test]
        fn random_attempts_keep_the_invariants(
            attempts in proptest::collection::vec((0usize..8, 0usize..3, proptest::bool::ANY), 0..40)
        ) {
            let people = ["张拟稿", "李保密", "王审核"];
            let mut wf = Workflow::new(&who(people[0]), T).expect("new");
            for (a, p, with_note) in attempts {
                let before = wf.clone();
                let note = with_note.then_some("意见");
                match wf.apply(Action::ALL[a], &who(people[p]), T, note) {
                    Ok(_) => {}
                    Err(_) => proptest::prop_assert_eq!(&wf, &before),
                }
                proptest::prop_assert_eq!(wf.steps().last().map(|s| s.to), Some(wf.stage()));
                if matches!(wf.stage(), Stage::Published | Stage::Withdrawn) {
                    let steps = wf.steps();
                    let start = steps.iter().rposition(|s| s.action == Action::Return).map_or(0, |i| i + 1);
                    let round = &steps[start..];
                    for needed in [Action::ClearSecrecy, Action::Approve] {
                        let step = round.iter().find(|s| s.action == needed);
                        proptest::prop_assert!(step.is_some_and(|s| s.by.id != wf.drafter().id));
                    }
                }
                let again = Workflow::replay(wf.steps().to_vec()).expect("own history replays");
                proptest::prop_assert_eq!(&again, &wf);
            }
        }
    }
}
