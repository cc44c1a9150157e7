//! The preconditions of events: which phase allows which event, when a 补正 period is over,
//! and what a decision needs (REGULATION.md §2.5).

use super::state::{CaseState, Phase, Refusal, refuse};
use super::{EventKind, Outcome};
use crate::calendar::{Calendar, iso};
use time::Date;

impl CaseState {
    /// Which phases allow which events.
    pub(super) fn check_phase(&self, seq: u32, kind: &EventKind) -> Result<(), Refusal> {
        let when = self.concluded_on.map(iso).unwrap_or_default();
        match self.phase {
            Phase::Withdrawn if !matches!(kind, EventKind::ReplyDelivered { .. }) => Err(refuse(
                seq,
                format!(
                    "the application was withdrawn on {when}: no {} can follow",
                    kind.key()
                ),
                format!("申请已于{when}撤回，不能再{}", kind.label()),
            )),
            Phase::Concluded if !matches!(kind, EventKind::ReplyDelivered { .. }) => Err(refuse(
                seq,
                format!(
                    "the application was concluded on {when}: no {} can follow",
                    kind.key()
                ),
                format!("申请已于{when}办结，不能再{}", kind.label()),
            )),
            Phase::Processing | Phase::AwaitingSupplement
                if matches!(kind, EventKind::ReplyDelivered { .. }) =>
            {
                Err(refuse(
                    seq,
                    "there is no decision to deliver yet",
                    "尚未作出答复，无可送达",
                ))
            }
            Phase::AwaitingSupplement
                if !matches!(
                    kind,
                    EventKind::SupplementReceived
                        | EventKind::SupplementNotReceived
                        | EventKind::Withdrawn { .. }
                        | EventKind::Decided {
                            outcome: Outcome::OtherNoCorrection,
                            ..
                        }
                ) =>
            {
                Err(refuse(
                    seq,
                    format!(
                        "a 补正 is outstanding: record it received or not received before {}",
                        kind.key()
                    ),
                    format!(
                        "补正尚未完成，请先登记收到补正或逾期未补正，再{}",
                        kind.label()
                    ),
                ))
            }
            Phase::Processing
                if matches!(
                    kind,
                    EventKind::SupplementReceived | EventKind::SupplementNotReceived
                ) =>
            {
                Err(refuse(
                    seq,
                    "no 补正 was requested, so none can be received or missed",
                    "未要求补正，不能登记补正结果",
                ))
            }
            Phase::Processing
                if matches!(kind, EventKind::FeePaid | EventKind::FeeUnpaid)
                    && self.fee.is_none_or(|f| f.2.is_some()) =>
            {
                Err(refuse(
                    seq,
                    "no fee notice is outstanding",
                    "没有待缴费的收费通知",
                ))
            }
            _ => Ok(()),
        }
    }

    pub(super) fn check_supplement_period_over(
        &self,
        seq: u32,
        on: Date,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        if let Some(s) = &self.supplement
            && let Ok(end) = cal.add_working_days(s.requested_on, s.period_working_days)
            && on <= end
        {
            return Err(refuse(
                seq,
                format!(
                    "the 补正 period runs until {}: it cannot be missed on {}",
                    iso(end),
                    iso(on)
                ),
                format!("补正期限至{}，{}尚未逾期", iso(end), iso(on)),
            ));
        }
        Ok(())
    }

    pub(super) fn check_decision(
        &self,
        seq: u32,
        on: Date,
        outcome: Outcome,
        cal: &Calendar,
    ) -> Result<(), Refusal> {
        match outcome {
            Outcome::OtherNoCorrection => {
                if self.phase != Phase::AwaitingSupplement {
                    return Err(refuse(
                        seq,
                        "other.no_correction needs an outstanding 补正 request",
                        "未要求补正或已收到补正，不能以逾期不补正办结",
                    ));
                }
                return self.check_supplement_period_over(seq, on, cal);
            }
            Outcome::OtherFeeUnpaid => {
                if self.fee.is_none_or(|f| f.2.is_some()) {
                    return Err(refuse(
                        seq,
                        "other.fee_unpaid needs an outstanding fee notice",
                        "没有待缴费的收费通知，不能以逾期未缴费办结",
                    ));
                }
                return Ok(());
            }
            Outcome::UnableStillUnclear
                if self
                    .supplement
                    .as_ref()
                    .is_none_or(|s| s.received_on.is_none()) =>
            {
                return Err(refuse(
                    seq,
                    "unable.still_unclear needs a 补正 that was received",
                    "“补正后申请内容仍不明确”须先有补正",
                ));
            }
            _ => {}
        }
        if self.fee.is_some_and(|f| f.2.is_none()) {
            return Err(refuse(
                seq,
                "a fee notice is outstanding: record it paid or unpaid first",
                "收费通知尚未缴费，请先登记缴费情况",
            ));
        }
        if let Some(p) = self
            .pauses
            .iter()
            .find(|p| p.to.is_none() && p.consultation.is_some())
        {
            let (k, n) = p.consultation.as_ref().expect("filtered");
            return Err(refuse(
                seq,
                format!(
                    "the consultation of the {} {n} is still open: record its answer first",
                    k.key()
                ),
                format!("向{}{n}征求意见尚未结束，请先登记意见", k.label()),
            ));
        }
        Ok(())
    }
}
