//! The state machine over the event log: which events are possible when, and the state they
//! lead to. Impossible events are refused with a reason in English and Chinese.

use super::clock::{Pause, count_due};
use super::{ConsultKind, Event, EventKind, Outcome};
use crate::calendar::{Calendar, iso};
use time::Date;

/// Where the case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Being handled; the clock runs unless a consultation or fee notice is pending.
    Processing,
    /// A 补正 was requested and has not come back: the clock waits to restart.
    AwaitingSupplement,
    /// Decided (or closed as not supplemented / fee unpaid).
    Concluded,
    /// Withdrawn by the applicant.
    Withdrawn,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::Processing,
        Phase::AwaitingSupplement,
        Phase::Concluded,
        Phase::Withdrawn,
    ];

    /// The stable key the store keeps in `application.status`.
    pub fn key(self) -> &'static str {
        match self {
            Phase::Processing => "processing",
            Phase::AwaitingSupplement => "awaiting_supplement",
            Phase::Concluded => "concluded",
            Phase::Withdrawn => "withdrawn",
        }
    }

    /// The Chinese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Processing => "办理中",
            Phase::AwaitingSupplement => "待补正",
            Phase::Concluded => "已办结",
            Phase::Withdrawn => "已撤回",
        }
    }

    /// The phase for a key written by [`Phase::key`].
    pub fn from_key(key: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// An event that cannot happen now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {seq}: {en}")]
pub struct Refusal {
    /// The 1-based position of the refused event in the log (the new event when appending).
    pub seq: u32,
    pub en: String,
    pub zh: String,
}

/// The supplement request and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplement {
    pub requested_on: Date,
    pub items: Vec<String>,
    pub period_working_days: u32,
    pub received_on: Option<Date>,
}

/// The folded log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    /// 收到申请之日 (Art. 31).
    pub received_on: Date,
    /// The day the 20 working days count from: the receipt, or the day the supplement arrived.
    pub count_from: Date,
    pub phase: Phase,
    pub supplement: Option<Supplement>,
    /// (working days, approver, approved on).
    pub extension: Option<(u32, String, Date)>,
    /// Consultation and fee periods, closed or still open, in log order.
    pub pauses: Vec<Pause>,
    /// (amount in yuan, issued on, paid on).
    pub fee: Option<(u64, Date, Option<Date>)>,
    /// The table 三 outcome once concluded; a withdrawal counts as other.other **[U]**.
    pub outcome: Option<Outcome>,
    pub legal_basis: Option<String>,
    /// The day of the decision / closure / withdrawal (答复日期, decides the report year).
    pub concluded_on: Option<Date>,
    pub reply_delivered_on: Option<Date>,
    /// The date of the last event applied (events are chronological).
    pub last_on: Date,
}

pub(super) fn refuse(seq: u32, en: impl Into<String>, zh: impl Into<String>) -> Refusal {
    Refusal {
        seq,
        en: en.into(),
        zh: zh.into(),
    }
}

/// The log with corrections applied: each correction replaces (or retracts) its target; the
/// corrections themselves drop out. Returns the effective events with their original sequence
/// numbers.
pub fn effective_events(log: &[Event]) -> Result<Vec<(u32, Event)>, Refusal> {
    let mut out: Vec<(u32, Option<Event>)> = Vec::with_capacity(log.len());
    for (i, e) in log.iter().enumerate() {
        let seq = i as u32 + 1;
        match &e.kind {
            EventKind::Correction {
                target,
                reason,
                replacement,
            } => {
                if reason.trim().is_empty() {
                    return Err(refuse(seq, "a correction needs a reason", "更正须说明理由"));
                }
                let slot = out
                    .iter_mut()
                    .find(|(s, _)| s == target)
                    .filter(|_| !matches!(log[*target as usize - 1].kind, EventKind::Correction { .. }))
                    .ok_or_else(|| {
                        refuse(
                            seq,
                            format!("a correction must name an earlier event that is not a correction, not {target}"),
                            format!("更正对象须为此前的非更正事件，第{target}项不符合"),
                        )
                    })?;
                if let Some(r) = replacement
                    && matches!(r.kind, EventKind::Correction { .. })
                {
                    return Err(refuse(
                        seq,
                        "a correction cannot be replaced by a correction",
                        "不能以更正替换事件",
                    ));
                }
                slot.1 = replacement.as_deref().cloned();
            }
            _ => out.push((seq, Some(e.clone()))),
        }
    }
    Ok(out
        .into_iter()
        .filter_map(|(s, e)| e.map(|e| (s, e)))
        .collect())
}

/// Folds the whole log (corrections applied) from the receipt date; the first impossible
/// event is refused.
pub fn replay(received_on: Date, log: &[Event], cal: &Calendar) -> Result<CaseState, Refusal> {
    let mut state = CaseState::new(received_on);
    for (seq, e) in effective_events(log)? {
        state.apply(seq, &e, cal)?;
    }
    Ok(state)
}

impl CaseState {
    pub fn new(received_on: Date) -> CaseState {
        CaseState {
            received_on,
            count_from: received_on,
            phase: Phase::Processing,
            supplement: None,
            extension: None,
            pauses: Vec::new(),
            fee: None,
            outcome: None,
            legal_basis: None,
            concluded_on: None,
            reply_delivered_on: None,
            last_on: received_on,
        }
    }

    /// Whether the case still counts as pending (结转 when the year ends).
    pub fn is_open(&self) -> bool {
        matches!(self.phase, Phase::Processing | Phase::AwaitingSupplement)
    }

    /// Checks that `new` may be appended to `log` (today bounds its date) and returns the state
    /// after it. This is what the store calls before writing an event.
    pub fn check_append(
        received_on: Date,
        log: &[Event],
        new: &Event,
        cal: &Calendar,
        today: Date,
    ) -> Result<CaseState, Refusal> {
        let seq = log.len() as u32 + 1;
        if new.on > today {
            return Err(refuse(
                seq,
                format!("{} is in the future", iso(new.on)),
                format!("{}尚未到来，不能登记", iso(new.on)),
            ));
        }
        let mut all = log.to_vec();
        all.push(new.clone());
        replay(received_on, &all, cal)
    }

    fn open_consultation(&self, kind: ConsultKind, party: &str) -> Option<usize> {
        self.pauses.iter().position(|p| {
            p.to.is_none()
                && p.consultation
                    .as_ref()
                    .is_some_and(|(k, n)| *k == kind && n == party)
        })
    }

    fn conclude(&mut self, on: Date, outcome: Outcome, phase: Phase) {
        self.phase = phase;
        self.outcome = Some(outcome);
        self.concluded_on = Some(on);
    }

    /// Applies one event (already correction-resolved) or refuses it.
    pub fn apply(&mut self, seq: u32, e: &Event, cal: &Calendar) -> Result<(), Refusal> {
        let on = e.on;
        if on < self.received_on {
            return Err(refuse(
                seq,
                format!(
                    "{} is before the receipt date {}",
                    iso(on),
                    iso(self.received_on)
                ),
                format!("{}早于收到申请之日{}", iso(on), iso(self.received_on)),
            ));
        }
        if on < self.last_on {
            return Err(refuse(
                seq,
                format!(
                    "{} is before the previous event ({})",
                    iso(on),
                    iso(self.last_on)
                ),
                format!("{}早于上一事件日期{}", iso(on), iso(self.last_on)),
            ));
        }
        self.check_phase(seq, &e.kind)?;
        match &e.kind {
            EventKind::SupplementRequested {
                items,
                period_working_days,
            } => {
                if self.supplement.is_some() {
                    return Err(refuse(
                        seq,
                        "a 补正 may be requested only once, listing everything (Art. 30 一次性告知)",
                        "补正应一次性告知，不得再次要求补正（条例第三十条）",
                    ));
                }
                if items.is_empty() || items.iter().any(|i| i.trim().is_empty()) {
                    return Err(refuse(
                        seq,
                        "a 补正 request must list the items to supplement",
                        "补正告知须列明需要补正的事项",
                    ));
                }
                if *period_working_days == 0 {
                    return Err(refuse(
                        seq,
                        "a 补正 request needs a period of at least one working day",
                        "补正期限至少为一个工作日",
                    ));
                }
                if self.fee.is_some_and(|f| f.2.is_none())
                    || self.pauses.iter().any(|p| p.to.is_none())
                {
                    return Err(refuse(
                        seq,
                        "a 补正 cannot be requested while a consultation or fee notice is pending",
                        "征求意见或收费期间不能要求补正",
                    ));
                }
                self.supplement = Some(Supplement {
                    requested_on: on,
                    items: items.clone(),
                    period_working_days: *period_working_days,
                    received_on: None,
                });
                self.phase = Phase::AwaitingSupplement;
            }
            EventKind::SupplementReceived => {
                if let Some(s) = &mut self.supplement {
                    s.received_on = Some(on);
                }
                self.count_from = on;
                self.phase = Phase::Processing;
            }
            EventKind::SupplementNotReceived => {
                self.check_supplement_period_over(seq, on, cal)?;
                self.conclude(on, Outcome::OtherNoCorrection, Phase::Concluded);
            }
            EventKind::ExtensionApproved {
                working_days,
                approver,
            } => {
                if let Some((d, _, when)) = &self.extension {
                    return Err(refuse(
                        seq,
                        format!(
                            "an extension ({d} working days) was already approved on {}: only one is allowed",
                            iso(*when)
                        ),
                        format!("已于{}延期{}个工作日，不得再次延期", iso(*when), d),
                    ));
                }
                if !(1..=20).contains(working_days) {
                    return Err(refuse(
                        seq,
                        format!(
                            "an extension is 1 to 20 working days, not {working_days} (Art. 33)"
                        ),
                        format!(
                            "延长答复期限最长不得超过20个工作日，不能为{working_days}个（条例第三十三条）"
                        ),
                    ));
                }
                if approver.trim().is_empty() {
                    return Err(refuse(
                        seq,
                        "an extension needs the approval of the head of the disclosure office",
                        "延期答复须经政府信息公开工作机构负责人同意",
                    ));
                }
                if let Ok(Some(due)) = count_due(cal, self.count_from, 20, &self.pauses)
                    && on > due
                {
                    return Err(refuse(
                        seq,
                        format!(
                            "the reply period ended on {}: an extension must be approved before",
                            iso(due)
                        ),
                        format!("答复期限已于{}届满，延期须在期限内决定", iso(due)),
                    ));
                }
                self.extension = Some((*working_days, approver.trim().to_string(), on));
            }
            EventKind::ConsultationOpened { kind, party } => {
                if party.trim().is_empty() {
                    return Err(refuse(
                        seq,
                        "name the party consulted",
                        "请填写征求意见对象",
                    ));
                }
                if self.open_consultation(*kind, party.trim()).is_some() {
                    return Err(refuse(
                        seq,
                        format!("a consultation with {} is already open", party.trim()),
                        format!("向{}征求意见尚未结束", party.trim()),
                    ));
                }
                self.pauses.push(Pause {
                    from: on,
                    to: None,
                    consultation: Some((*kind, party.trim().to_string())),
                });
            }
            EventKind::ConsultationAnswered { kind, party, .. } => {
                let i = self.open_consultation(*kind, party.trim()).ok_or_else(|| {
                    refuse(
                        seq,
                        format!(
                            "no open consultation of the {} {}",
                            kind.key(),
                            party.trim()
                        ),
                        format!("没有向{}{}征求意见的记录", kind.label(), party.trim()),
                    )
                })?;
                self.pauses[i].to = Some(on);
            }
            EventKind::FeeNoticeIssued { amount_yuan, basis } => {
                if let Some((_, issued, _)) = self.fee {
                    return Err(refuse(
                        seq,
                        format!(
                            "a fee notice was already issued on {}: one per application",
                            iso(issued)
                        ),
                        format!("已于{}发出收费通知，每件申请只能收费一次", iso(issued)),
                    ));
                }
                let expected = basis.fee();
                if expected == 0 {
                    return Err(refuse(
                        seq,
                        "the fee for this basis is 0 yuan: no notice is due",
                        "按此标准应收费用为0元，无需发出收费通知",
                    ));
                }
                if *amount_yuan != expected {
                    return Err(refuse(
                        seq,
                        format!(
                            "the fee {} is {expected} yuan, not {amount_yuan}",
                            basis.label()
                        ),
                        format!("{}应收{expected}元，不是{amount_yuan}元", basis.label()),
                    ));
                }
                self.fee = Some((*amount_yuan, on, None));
                self.pauses.push(Pause {
                    from: on,
                    to: None,
                    consultation: None,
                });
            }
            EventKind::FeePaid => {
                self.close_fee_pause(on);
                if let Some(f) = &mut self.fee {
                    f.2 = Some(on);
                }
            }
            EventKind::FeeUnpaid => {
                self.close_fee_pause(on);
                self.conclude(on, Outcome::OtherFeeUnpaid, Phase::Concluded);
            }
            EventKind::Decided {
                outcome,
                legal_basis,
            } => {
                if legal_basis.trim().is_empty() {
                    return Err(refuse(
                        seq,
                        "a decision needs its legal basis",
                        "答复须写明法律依据",
                    ));
                }
                self.check_decision(seq, on, *outcome, cal)?;
                if matches!(outcome, Outcome::OtherFeeUnpaid) {
                    self.close_fee_pause(on);
                }
                self.legal_basis = Some(legal_basis.trim().to_string());
                self.conclude(on, *outcome, Phase::Concluded);
            }
            EventKind::Withdrawn { .. } => {
                for p in self.pauses.iter_mut().filter(|p| p.to.is_none()) {
                    p.to = Some(on);
                }
                self.conclude(on, Outcome::OtherOther, Phase::Withdrawn);
            }
            EventKind::ReplyDelivered { .. } => {
                if let Some(d) = self.reply_delivered_on {
                    return Err(refuse(
                        seq,
                        format!("the reply was already delivered on {}", iso(d)),
                        format!("答复已于{}送达", iso(d)),
                    ));
                }
                self.reply_delivered_on = Some(on);
            }
            EventKind::Correction { .. } => {
                return Err(refuse(
                    seq,
                    "corrections are resolved before replay",
                    "更正应先行处理",
                ));
            }
        }
        self.last_on = on;
        Ok(())
    }

    fn close_fee_pause(&mut self, on: Date) {
        if let Some(p) = self
            .pauses
            .iter_mut()
            .find(|p| p.to.is_none() && p.consultation.is_none())
        {
            p.to = Some(on);
        }
    }
}
