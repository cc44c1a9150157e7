//! The state machine over the event log: which events are possible when, and the state they
//! lead to. Impossible events are refused with a reason in English and Chinese.

use super::clock::{ExcludedReason, Pause, count_due};
use super::law::{
    Law, MAX_APPLICANT_PERIOD_DAYS, MAX_EXTENSION_DAYS, MAX_REASONABLE_PERIOD_DAYS, REPLY_DAYS,
};
use super::{ConsultKind, Event, EventKind, Outcome, Served, Service};
use crate::calendar::{CalendarError, iso};
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
    /// The notice (its sequence number in the log; see [`CaseState::letter`]).
    pub letter: u32,
    pub received_on: Option<Date>,
}

/// The fee notice and its payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fee {
    pub amount_yuan: u64,
    pub issued_on: Date,
    pub letter: u32,
    pub paid_on: Option<Date>,
}

/// Art. 35: the request for reasons and its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reasons {
    pub requested_on: Date,
    pub period_working_days: u32,
    pub letter: u32,
    /// The day the reasons arrived (`Some(true)`) or were recorded as not given (`Some(false)`).
    pub answered: Option<(Date, bool)>,
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
    /// Consultation, fee and reasons periods, closed or still open, in log order.
    pub pauses: Vec<Pause>,
    pub fee: Option<Fee>,
    pub reasons: Option<Reasons>,
    /// Art. 35: the reply period the agency set, in working days, and the day it was set.
    pub reasonable_period: Option<(u32, Date)>,
    /// The letters that start another party's period, in log order.
    pub letters: Vec<Served>,
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
pub fn replay(received_on: Date, log: &[Event], law: Law<'_>) -> Result<CaseState, Refusal> {
    let mut state = CaseState::new(received_on);
    for (seq, e) in effective_events(log)? {
        state.apply(seq, &e, law)?;
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
            reasons: None,
            reasonable_period: None,
            letters: Vec::new(),
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

    /// The letter sent by event `seq`.
    pub fn letter(&self, seq: u32) -> Option<&Served> {
        self.letters.iter().find(|l| l.seq == seq)
    }

    /// Checks that `new` may be appended to `log` (today bounds its dates) and returns the
    /// state after it. This is what the store calls before writing an event.
    pub fn check_append(
        received_on: Date,
        log: &[Event],
        new: &Event,
        law: Law<'_>,
        today: Date,
    ) -> Result<CaseState, Refusal> {
        let seq = log.len() as u32 + 1;
        for d in std::iter::once(new.on).chain(new.kind.receipt_date()) {
            if d > today {
                return Err(refuse(
                    seq,
                    format!("{} is in the future", iso(d)),
                    format!("{}尚未到来，不能登记", iso(d)),
                ));
            }
        }
        let mut all = log.to_vec();
        all.push(new.clone());
        replay(received_on, &all, law)
    }

    fn open_consultation(&self, kind: ConsultKind, party: &str) -> Option<usize> {
        self.pauses.iter().position(|p| {
            p.to.is_none()
                && matches!(&p.reason, ExcludedReason::Consultation { kind: k, party: n }
                    if *k == kind && n == party)
        })
    }

    fn open_pause(&self, reason: fn(&ExcludedReason) -> bool) -> Option<usize> {
        self.pauses
            .iter()
            .position(|p| p.to.is_none() && reason(&p.reason))
    }

    /// The pending fee notice, if any.
    pub fn fee_pending(&self) -> bool {
        self.fee.is_some_and(|f| f.paid_on.is_none())
    }

    fn conclude(&mut self, on: Date, outcome: Outcome, phase: Phase) {
        self.phase = phase;
        self.outcome = Some(outcome);
        self.concluded_on = Some(on);
    }

    /// The reply due date in force: the Art. 35 period when one was set, else 20 working days
    /// plus the extension; `Ok(None)` while an open pause stops the count.
    pub fn due_in_force(&self, law: Law<'_>) -> Result<Option<Date>, CalendarError> {
        let days = match self.reasonable_period {
            Some((n, _)) => n,
            None => REPLY_DAYS + self.extension.as_ref().map_or(0, |e| e.0),
        };
        count_due(law.calendar, self.count_from, days, &self.pauses)
    }

    fn add_letter(&mut self, seq: u32, on: Date, service: Service) -> Result<u32, Refusal> {
        if let Some(r) = service.received_on
            && r < on
        {
            return Err(refuse(
                seq,
                format!(
                    "a letter sent on {} cannot be received on {}",
                    iso(on),
                    iso(r)
                ),
                format!("{}发出的文书不能早于发出日（{}）送达", iso(on), iso(r)),
            ));
        }
        self.letters.push(Served::new(seq, on, service));
        Ok(seq)
    }

    /// Applies one event (already correction-resolved) or refuses it.
    pub fn apply(&mut self, seq: u32, e: &Event, law: Law<'_>) -> Result<(), Refusal> {
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
                service,
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
                check_applicant_period(seq, *period_working_days, "补正", "补正期限")?;
                if self.fee_pending() || self.pauses.iter().any(|p| p.to.is_none()) {
                    return Err(refuse(
                        seq,
                        "a 补正 cannot be requested while a consultation, fee notice or request for reasons is pending",
                        "征求意见、收费或要求说明理由期间不能要求补正",
                    ));
                }
                self.check_before_reply_due(seq, on, law, "a 补正 notice", "补正告知")?;
                let letter = self.add_letter(seq, on, *service)?;
                self.supplement = Some(Supplement {
                    requested_on: on,
                    items: items.clone(),
                    period_working_days: *period_working_days,
                    letter,
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
                self.check_supplement_period_over(seq, on, law)?;
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
                if !(1..=MAX_EXTENSION_DAYS).contains(working_days) {
                    return Err(refuse(
                        seq,
                        format!(
                            "an extension is 1 to {MAX_EXTENSION_DAYS} working days, not {working_days} (Art. 33)"
                        ),
                        format!(
                            "延长答复期限最长不得超过{MAX_EXTENSION_DAYS}个工作日，不能为{working_days}个（条例第三十三条）"
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
                if let Ok(Some(due)) =
                    count_due(law.calendar, self.count_from, REPLY_DAYS, &self.pauses)
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
            EventKind::ConsultationOpened {
                kind,
                party,
                service,
            } => {
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
                let letter = self.add_letter(seq, on, *service)?;
                self.pauses.push(Pause {
                    from: on,
                    to: None,
                    reason: ExcludedReason::Consultation {
                        kind: *kind,
                        party: party.trim().to_string(),
                    },
                    letter,
                });
            }
            EventKind::ConsultationAnswered {
                kind,
                party,
                answer,
            } => {
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
                if *answer == super::ConsultAnswer::NoAnswer {
                    self.check_period_over(
                        seq,
                        on,
                        law,
                        self.pauses[i].letter,
                        super::law::CONSULTATION_DAYS,
                        ("the consulted party's", "征求意见对象的答复期限"),
                    )?;
                }
                self.pauses[i].to = Some(on);
            }
            EventKind::FeeNoticeIssued {
                amount_yuan,
                basis,
                service,
            } => {
                if let Some(f) = self.fee {
                    return Err(refuse(
                        seq,
                        format!(
                            "a fee notice was already issued on {}: one per application",
                            iso(f.issued_on)
                        ),
                        format!("已于{}发出收费通知，每件申请只能收费一次", iso(f.issued_on)),
                    ));
                }
                basis.check().map_err(|(en, zh)| refuse(seq, en, zh))?;
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
                let letter = self.add_letter(seq, on, *service)?;
                self.fee = Some(Fee {
                    amount_yuan: *amount_yuan,
                    issued_on: on,
                    letter,
                    paid_on: None,
                });
                self.pauses.push(Pause {
                    from: on,
                    to: None,
                    reason: ExcludedReason::Fee,
                    letter,
                });
            }
            EventKind::FeePaid => {
                self.close_pause(on, |r| matches!(r, ExcludedReason::Fee));
                if let Some(f) = &mut self.fee {
                    f.paid_on = Some(on);
                }
            }
            EventKind::FeeUnpaid => {
                self.check_fee_period_over(seq, on, law)?;
                self.close_pause(on, |r| matches!(r, ExcludedReason::Fee));
                self.conclude(on, Outcome::OtherFeeUnpaid, Phase::Concluded);
            }
            EventKind::LetterReceived {
                target,
                received_on,
            } => self.record_receipt(seq, on, *target, *received_on)?,
            EventKind::ReasonsRequested {
                period_working_days,
                service,
            } => {
                if let Some(r) = &self.reasons {
                    return Err(refuse(
                        seq,
                        format!(
                            "reasons were already asked for on {}: once per application",
                            iso(r.requested_on)
                        ),
                        format!("已于{}要求说明理由，不得重复要求", iso(r.requested_on)),
                    ));
                }
                check_applicant_period(seq, *period_working_days, "reasons", "说明理由期限")?;
                self.check_before_reply_due(seq, on, law, "a request for reasons", "要求说明理由")?;
                let letter = self.add_letter(seq, on, *service)?;
                self.reasons = Some(Reasons {
                    requested_on: on,
                    period_working_days: *period_working_days,
                    letter,
                    answered: None,
                });
                self.pauses.push(Pause {
                    from: on,
                    to: None,
                    reason: ExcludedReason::Reasons,
                    letter,
                });
            }
            EventKind::ReasonsReceived | EventKind::ReasonsNotReceived => {
                let given = matches!(e.kind, EventKind::ReasonsReceived);
                let Some(r) = self.reasons.filter(|r| r.answered.is_none()) else {
                    return Err(refuse(
                        seq,
                        "no request for reasons is outstanding",
                        "没有待答复的说明理由告知",
                    ));
                };
                if !given {
                    self.check_period_over(
                        seq,
                        on,
                        law,
                        r.letter,
                        r.period_working_days,
                        ("the applicant's reasons", "申请人说明理由的期限"),
                    )?;
                }
                self.close_pause(on, |r| matches!(r, ExcludedReason::Reasons));
                if let Some(r) = &mut self.reasons {
                    r.answered = Some((on, given));
                }
            }
            EventKind::ReplyPeriodSet { working_days } => {
                self.set_reasonable_period(seq, on, *working_days, law)?;
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
                self.check_decision(seq, on, *outcome, law)?;
                if matches!(outcome, Outcome::OtherFeeUnpaid) {
                    self.close_pause(on, |r| matches!(r, ExcludedReason::Fee));
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

    fn close_pause(&mut self, on: Date, reason: fn(&ExcludedReason) -> bool) {
        if let Some(i) = self.open_pause(reason) {
            self.pauses[i].to = Some(on);
        }
    }

    /// `letter_received`: the return receipt of letter `target`.
    fn record_receipt(
        &mut self,
        seq: u32,
        on: Date,
        target: u32,
        received_on: Date,
    ) -> Result<(), Refusal> {
        let pending = self
            .pauses
            .iter()
            .any(|p| p.letter == target && p.to.is_none())
            || self.supplement.as_ref().is_some_and(|s| {
                s.letter == target
                    && s.received_on.is_none()
                    && self.phase == Phase::AwaitingSupplement
            });
        let known = self.letter(target).is_some();
        if known && !pending {
            // What followed (a supplement, an answer, a payment) may have depended on the day
            // the period ran from: it is not moved afterwards (a correction can still fix it).
            return Err(refuse(
                seq,
                format!(
                    "what letter {target} asked for has already been recorded: its receipt can no longer change its period"
                ),
                format!("第{target}项文书所涉事项已办结，不能再登记其送达日期"),
            ));
        }
        let Some(letter) = self.letters.iter_mut().find(|l| l.seq == target) else {
            return Err(refuse(
                seq,
                format!(
                    "event {target} is not a letter with a period (补正, consultation, fee or reasons)"
                ),
                format!("第{target}项不是设有期限的告知文书（补正、征求意见、收费或说明理由）"),
            ));
        };
        if let Some(r) = letter.received_on {
            return Err(refuse(
                seq,
                format!(
                    "letter {target} was already recorded as received on {}",
                    iso(r)
                ),
                format!("第{target}项文书已登记于{}送达", iso(r)),
            ));
        }
        if received_on < letter.sent_on || received_on > on {
            return Err(refuse(
                seq,
                format!(
                    "letter {target} was sent on {}: it is received on or after that day and on or before the day this is recorded ({}), not {}",
                    iso(letter.sent_on),
                    iso(on),
                    iso(received_on)
                ),
                format!(
                    "第{target}项文书于{}发出，送达日期应在发出之日至登记之日（{}）之间，不能为{}",
                    iso(letter.sent_on),
                    iso(on),
                    iso(received_on)
                ),
            ));
        }
        letter.received_on = Some(received_on);
        Ok(())
    }

    /// Art. 35: a reasonable reply period, once the reasons given were found reasonable.
    fn set_reasonable_period(
        &mut self,
        seq: u32,
        on: Date,
        working_days: u32,
        law: Law<'_>,
    ) -> Result<(), Refusal> {
        if !self
            .reasons
            .is_some_and(|r| matches!(r.answered, Some((_, true))))
        {
            return Err(refuse(
                seq,
                "a reasonable reply period (Art. 35) is set after the applicant's reasons have arrived",
                "确定延迟答复的合理期限，须在收到申请人的理由说明之后（条例第三十五条）",
            ));
        }
        if let Some((n, when)) = self.reasonable_period {
            return Err(refuse(
                seq,
                format!(
                    "a reply period of {n} working days was already set on {}",
                    iso(when)
                ),
                format!("已于{}确定答复期限{n}个工作日，不得重复确定", iso(when)),
            ));
        }
        let floor = REPLY_DAYS + self.extension.as_ref().map_or(0, |e| e.0);
        if working_days <= floor || working_days > MAX_REASONABLE_PERIOD_DAYS {
            return Err(refuse(
                seq,
                format!(
                    "the reasonable period must be longer than the {floor} working days already allowed and at most {MAX_REASONABLE_PERIOD_DAYS}, not {working_days}"
                ),
                format!(
                    "延迟答复的合理期限应超过现有的{floor}个工作日且不超过{MAX_REASONABLE_PERIOD_DAYS}个工作日，不能为{working_days}个"
                ),
            ));
        }
        self.check_before_reply_due(
            seq,
            on,
            law,
            "a reasonable reply period",
            "确定延迟答复期限",
        )?;
        self.reasonable_period = Some((working_days, on));
        Ok(())
    }
}

/// A period given to the applicant: 1 to [`MAX_APPLICANT_PERIOD_DAYS`] working days.
fn check_applicant_period(seq: u32, days: u32, en: &str, zh: &str) -> Result<(), Refusal> {
    if (1..=MAX_APPLICANT_PERIOD_DAYS).contains(&days) {
        return Ok(());
    }
    Err(refuse(
        seq,
        format!(
            "the {en} period must be 1 to {MAX_APPLICANT_PERIOD_DAYS} working days, not {days}"
        ),
        format!("{zh}应为1至{MAX_APPLICANT_PERIOD_DAYS}个工作日，不能为{days}个"),
    ))
}
