//! Which roles each catalogue use case needs, checked before anything is read or written:
//!
//! | what | roles |
//! |---|---|
//! | create, revise, submit, attach; table 二 entries; 指南 and 制度 | 录入 `entry` |
//! | clear the confidentiality review (保密审查) | 保密审查 `secrecy` |
//! | approve, return, publish, withdraw | 审核 `review` or 负责人 `head` |
//! | return from the confidentiality review | 保密审查 `secrecy`, 审核 `review` or 负责人 `head` |
//! | change the 有效性 of a 规章 / 行政规范性文件 | 录入 `entry` or 审核 `review` |
//! | the agency's catalogue settings | 系统管理员 `admin` |
//!
//! No role stands in for another (三权分立, as [`crate::access::require`]). Separation of
//! duties — no reviewing one's own draft — is the workflow's rule, by user id
//! (`gongkai_core::catalog::Workflow`).

use crate::error::{AppError, Result};
use gongkai_core::catalog::{Action, Stage};
use gongkai_core::user::{Actor, Role};

/// Refuses an actor who has none of `roles`, saying what they tried and
/// which roles it needs, in Chinese and English. Every catalogue change goes through here, so
/// here too a region's supervisor (监督, with a region and no agency) is refused: they read the
/// agencies below, never write for them. A region's portal staff without 监督 (a district's
/// 集约化 portal publishing for its departments, as the demo district) do write for the
/// agencies in their region (docs/back-office.md#scope).
pub fn require_any(actor: &Actor, roles: &[Role], what_en: &str, what_zh: &str) -> Result<()> {
    if actor.agency.is_none() && actor.region.is_some() && actor.has(Role::Supervise) {
        return Err(AppError::forbidden(
            format!(
                "{} oversees a region and may read its agencies' catalogues, not {what_en}",
                actor.name
            ),
            format!(
                "{}为地区监督用户，只能查阅下级机关的目录，无权{what_zh}",
                actor.display_name
            ),
        ));
    }
    if roles.iter().any(|r| actor.has(*r)) {
        return Ok(());
    }
    let en = roles
        .iter()
        .map(|r| format!("{} ({})", r.key(), r.label()))
        .collect::<Vec<_>>()
        .join(" or ");
    let zh = roles
        .iter()
        .map(|r| format!("“{}”", r.label()))
        .collect::<Vec<_>>()
        .join("或");
    Err(AppError::forbidden(
        format!("{} may not {what_en}: that needs the role {en}", actor.name),
        format!("{}无权{what_zh}（需要{zh}角色）", actor.display_name),
    ))
}

/// The roles a workflow step taken at `stage` needs, and what it is called in a refusal.
pub fn for_action(action: Action, stage: Stage) -> (&'static [Role], &'static str, &'static str) {
    match action {
        Action::Create => (&[Role::Entry], "draft catalogue items", "拟稿"),
        Action::Revise => (&[Role::Entry], "revise catalogue items", "修改目录信息"),
        Action::Submit => (
            &[Role::Entry],
            "submit catalogue items for review",
            "送审目录信息",
        ),
        Action::ClearSecrecy => (
            &[Role::Secrecy],
            "clear the confidentiality review (保密审查)",
            "进行保密审查",
        ),
        Action::Approve => (
            &[Role::Review, Role::Head],
            "approve catalogue items",
            "审核目录信息",
        ),
        Action::Publish => (
            &[Role::Review, Role::Head],
            "publish catalogue items",
            "发布目录信息",
        ),
        // The confidentiality reviewer returns what they cannot clear.
        Action::Return if stage == Stage::SecrecyReview => (
            &[Role::Secrecy, Role::Review, Role::Head],
            "return catalogue items to the drafter",
            "退回目录信息",
        ),
        Action::Return => (
            &[Role::Review, Role::Head],
            "return catalogue items to the drafter",
            "退回目录信息",
        ),
        Action::Withdraw => (
            &[Role::Review, Role::Head],
            "withdraw published catalogue items",
            "撤回已发布的目录信息",
        ),
    }
}

/// Refuses an actor whose roles do not allow `action` on an item at `stage`.
pub fn require_action(actor: &Actor, action: Action, stage: Stage) -> Result<()> {
    let (roles, en, zh) = for_action(action, stage);
    require_any(actor, roles, en, zh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::ids::UserId;

    fn actor(roles: &[Role]) -> Actor {
        Actor {
            id: UserId::new(2),
            name: "zhangwei1".into(),
            display_name: "张伟".into(),
            roles: roles.to_vec(),
            agency: None,
            region: None,
        }
    }

    #[test]
    fn each_step_needs_its_role() {
        let clerk = actor(&[Role::Entry]);
        let reviewer = actor(&[Role::Review]);
        let head = actor(&[Role::Head]);
        let admin = actor(&[Role::Admin]);
        let secrecy = actor(&[Role::Secrecy]);
        for stage in Stage::ALL {
            for action in Action::ALL {
                let (roles, _, _) = for_action(action, stage);
                assert!(!roles.is_empty());
                // No administrator of 三权分立 does an office's work by that role alone.
                assert!(require_action(&admin, action, stage).is_err());
                for a in [&clerk, &reviewer, &head, &secrecy] {
                    let allowed = roles.iter().any(|r| a.has(*r));
                    assert_eq!(
                        require_action(a, action, stage).is_ok(),
                        allowed,
                        "{action}"
                    );
                }
            }
        }
        for (action, stage, ok) in [
            (Action::Submit, Stage::Draft, &clerk),
            (Action::ClearSecrecy, Stage::SecrecyReview, &secrecy),
            (Action::Return, Stage::SecrecyReview, &secrecy),
            (Action::Approve, Stage::Review, &reviewer),
            (Action::Return, Stage::Review, &head),
            (Action::Publish, Stage::Approved, &head),
            (Action::Withdraw, Stage::Published, &reviewer),
        ] {
            assert!(require_action(ok, action, stage).is_ok(), "{action}");
        }
        assert!(require_action(&secrecy, Action::Return, Stage::Review).is_err());
        assert!(require_action(&reviewer, Action::ClearSecrecy, Stage::SecrecyReview).is_err());
        let e = require_action(&clerk, Action::Approve, Stage::Review).expect_err("clerk");
        assert_eq!(e.kind(), crate::error::ErrorKind::Forbidden);
        use crate::error::Localized;
        assert_eq!(e.zh(), "张伟无权审核目录信息（需要“审核”或“负责人”角色）");
        assert!(
            e.en().contains("review (审核) or head (负责人)"),
            "{}",
            e.en()
        );
    }
}
