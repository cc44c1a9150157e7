//! The preconditions of events: which phase allows which event, when another party's period
//! is over, and what a decision needs (`docs/rules/deadlines.md`).

use super::clock::ExcludedReason;
use super::law::Law;
use super::state::{CaseState, Phase, Refusal, refuse};
use super::{EventKind, Outcome};
use crate::calendar::{CalendarError, iso};
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
                        | EventKind::LetterReceived { .. }
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
                    && !self.fee_pending() =>
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

    /// Whether the period of `days` working days that letter `letter` gave its recipient is
    /// over on `on`: refused while it runs, and while its end cannot be shown (the receipt of a
    /// posted letter not recorded, or the calendar of its end not loaded).
    pub(super) fn check_period_over(
        &self,
        seq: u32,
        on: Date,
        law: Law<'_>,
        letter: u32,
        days: u32,
        (what_en, what_zh): (&str, &str),
    ) -> Result<(), Refusal> {
        let Some(received) = self.letter(letter).and_then(|l| l.received()) else {
            return Err(refuse(
                seq,
                format!(
                    "{what_en} period counts from the receipt of letter {letter}, which is not recorded: record it (letter_received) first"
                ),
                format!(
                    "{what_zh}自文书送达之日起计算，第{letter}项文书的送达日期尚未登记，请先登记送达"
                ),
            ));
        };
        match law.calendar.add_working_days(received, days) {
            Ok(end) if on > end => Ok(()),
            Ok(end) => Err(refuse(
                seq,
                format!(
                    "{what_en} period runs until {}: it can be recorded as passed from {}",
                    iso(end),
                    iso(end.next_day().unwrap_or(end))
                ),
                format!(
                    "{what_zh}至{}届满，{}起方可登记逾期",
                    iso(end),
                    iso(end.next_day().unwrap_or(end))
                ),
            )),
            Err(CalendarError::NoData { year, .. }) => Err(refuse(
                seq,
                format!(
                    "{what_en} period ({days} working days from {}) needs the calendar for {year}, which is not loaded: it cannot be shown to have passed",
                    iso(received)
                ),
                format!(
                    "{what_zh}（自{}起{days}个工作日）需按{year}年节假日安排计算，该年安排尚未载入，无法确认已届满",
                    iso(received)
                ),
            )),
            Err(e) => Err(refuse(seq, e.to_string(), format!("日历数据有误：{e}"))),
        }
    }

    pub(super) fn check_supplement_period_over(
        &self,
        seq: u32,
        on: Date,
        law: Law<'_>,
    ) -> Result<(), Refusal> {
        match &self.supplement {
            Some(s) => self.check_period_over(
                seq,
                on,
                law,
                s.letter,
                s.period_working_days,
                ("the 补正", "补正期限"),
            ),
            None => Ok(()),
        }
    }

    /// 「逾期未按收费通知要求缴纳费用」 needs the payment period to have run out.
    pub(super) fn check_fee_period_over(
        &self,
        seq: u32,
        on: Date,
        law: Law<'_>,
    ) -> Result<(), Refusal> {
        match self.fee {
            Some(f) => self.check_period_over(
                seq,
                on,
                law,
                f.letter,
                law.periods.fee_payment_days,
                ("the payment", "缴费期限"),
            ),
            None => Ok(()),
        }
    }

    /// A letter that would stop or restart the clock cannot be sent once the reply is due.
    pub(super) fn check_before_reply_due(
        &self,
        seq: u32,
        on: Date,
        law: Law<'_>,
        what_en: &str,
        what_zh: &str,
    ) -> Result<(), Refusal> {
        if let Ok(Some(due)) = self.due_in_force(law)
            && on > due
        {
            return Err(refuse(
                seq,
                format!(
                    "the reply was due on {}: {what_en} can no longer be sent on {}; reply instead",
                    iso(due),
                    iso(on)
                ),
                format!(
                    "答复期限已于{}届满，{}不能再{what_zh}，应作出答复",
                    iso(due),
                    iso(on)
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn check_decision(
        &self,
        seq: u32,
        on: Date,
        outcome: Outcome,
        law: Law<'_>,
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
                return self.check_supplement_period_over(seq, on, law);
            }
            Outcome::OtherFeeUnpaid => {
                if !self.fee_pending() {
                    return Err(refuse(
                        seq,
                        "other.fee_unpaid needs an outstanding fee notice",
                        "没有待缴费的收费通知，不能以逾期未缴费办结",
                    ));
                }
                return self.check_fee_period_over(seq, on, law);
            }
            Outcome::NotProcessedMassRepeat
                if self.reasons.is_none_or(|r| r.answered.is_none()) =>
            {
                return Err(refuse(
                    seq,
                    "not_processed.mass_repeat follows a request for reasons (Art. 35) that was answered or whose period passed",
                    "以“申请人无正当理由大量、反复申请”不予处理，须先要求申请人说明理由，并登记其说明或逾期未说明（条例第三十五条）",
                ));
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
        if self.fee_pending() {
            return Err(refuse(
                seq,
                "a fee notice is outstanding: record it paid or unpaid first",
                "收费通知尚未缴费，请先登记缴费情况",
            ));
        }
        for p in self.pauses.iter().filter(|p| p.to.is_none()) {
            match &p.reason {
                ExcludedReason::Consultation { kind, party } => {
                    return Err(refuse(
                        seq,
                        format!(
                            "the consultation of the {} {party} is still open: record its answer first",
                            kind.key()
                        ),
                        format!("向{}{party}征求意见尚未结束，请先登记意见", kind.label()),
                    ));
                }
                ExcludedReason::Reasons => {
                    return Err(refuse(
                        seq,
                        "the request for reasons is outstanding: record the reasons received or not received first",
                        "要求说明理由尚无结果，请先登记收到理由说明或逾期未说明",
                    ));
                }
                ExcludedReason::Fee => {}
            }
        }
        Ok(())
    }
}
