//! The clock's working: how each date was found, in Chinese and English, one line per step
//! ("received 2021-09-30 (Thu); counting from …: day 1 = 2021-10-08 (Fri), the first working
//! day after 国庆节; 20 working days: due 2021-11-03 (Wed); …").

use super::Channel;
use super::clock::{Attention, ClockStatus, Due, Excluded, ExcludedReason, Line};
use super::law::SUPPLEMENT_NOTICE_DAYS;
use super::state::CaseState;
use crate::calendar::{Calendar, CalendarError, DayKind, iso, weekday_names};
use time::Date;

/// `("2021-09-30 (Thu)", "2021-09-30（周四）")`.
pub(super) fn day(d: Date) -> (String, String) {
    let (en, zh) = weekday_names(d);
    (format!("{} ({en})", iso(d)), format!("{}（{zh}）", iso(d)))
}

pub(super) fn no_calendar(year: i32) -> Line {
    Line {
        en: format!(
            "the calendar for {year} is not loaded: the due date cannot be computed and is not guessed"
        ),
        zh: format!("尚未载入{year}年节假日安排，无法计算期限（不作推测）"),
    }
}

pub(super) fn receipt(channel: Channel, received_on: Date) -> Line {
    let (en, zh) = day(received_on);
    Line {
        en: format!("received {en} by {} ({})", channel.label(), channel.key()),
        zh: format!(
            "{zh}收到申请（{}：{}）",
            channel.label(),
            channel.receipt_rule_zh()
        ),
    }
}

/// The 补正 notice limit, the request, and its answer.
pub(super) fn supplement(
    w: &mut Vec<Line>,
    state: &CaseState,
    notice_due: Due,
    supplement_due: Option<Due>,
) {
    let Some(s) = &state.supplement else {
        if let (Due::On(d), true) = (notice_due, state.is_open()) {
            w.push(Line {
                en: format!(
                    "a 补正 notice, if needed, is due by {} ({SUPPLEMENT_NOTICE_DAYS} working days, Art. 30)",
                    iso(d)
                ),
                zh: format!(
                    "如需补正，应于{}前一次性告知（{SUPPLEMENT_NOTICE_DAYS}个工作日，条例第三十条）",
                    iso(d)
                ),
            });
        }
        return;
    };
    let (q_en, q_zh) = day(s.requested_on);
    let late = notice_due.date().filter(|d| s.requested_on > *d);
    let (late_en, late_zh) = match late {
        Some(d) => (
            format!(
                ", after the {SUPPLEMENT_NOTICE_DAYS}-working-day limit {}",
                iso(d)
            ),
            format!(
                "，超过{SUPPLEMENT_NOTICE_DAYS}个工作日告知期限（{}）",
                iso(d)
            ),
        ),
        None => (String::new(), String::new()),
    };
    let (n, p) = (s.items.len(), s.period_working_days);
    w.push(Line {
        en: format!("补正 requested {q_en} ({n} item(s), {p} working days to supplement){late_en}"),
        zh: format!("{q_zh}告知补正（{n}项，补正期限{p}个工作日）{late_zh}"),
    });
    match (s.received_on, supplement_due) {
        (Some(r), _) => {
            let (a_en, a_zh) = day(r);
            w.push(Line {
                en: format!("补正 received {a_en}: the 20 working days start again"),
                zh: format!("{a_zh}收到补正，答复期限重新计算"),
            });
        }
        (None, Some(due)) => {
            let from = state.letter(s.letter).and_then(|l| l.received());
            w.extend(supplement_deadline(s.requested_on, from, p, due));
        }
        (None, None) => {}
    }
}

/// The applicant's deadline for a pending 补正: the date, or why it is not known (a missing
/// calendar year is said, never guessed).
fn supplement_deadline(
    requested_on: Date,
    received: Option<Date>,
    period: u32,
    due: Due,
) -> Option<Line> {
    // Counted from the day the applicant received the notice; said so when that is not the
    // day it was sent.
    let q = match received {
        Some(r) if r != requested_on => iso(r),
        _ => iso(requested_on),
    };
    match due {
        Due::On(d) => {
            let (d_en, d_zh) = day(d);
            Some(Line {
                en: format!(
                    "the applicant may supplement until {d_en} ({period} working days after {q})"
                ),
                zh: format!("申请人应于{d_zh}前补正（自{q}起{period}个工作日）"),
            })
        }
        Due::NoCalendar { year } => Some(Line {
            en: format!(
                "the applicant's deadline to supplement ({period} working days after {q}) needs the calendar for {year}, which is not loaded: not guessed"
            ),
            zh: format!(
                "申请人补正期限（自{q}起{period}个工作日）需按{year}年节假日安排计算，该年安排尚未载入，不作推测"
            ),
        }),
        Due::ReceiptUnknown => Some(Line {
            en: format!(
                "the applicant's {period} working days to supplement run from the receipt of the notice, which is not recorded yet"
            ),
            zh: format!("申请人补正期限{period}个工作日自收到补正通知之日起计算，送达日期尚未登记"),
        }),
        Due::Paused { .. } | Due::AwaitingSupplement => None,
    }
}

/// One excluded period, with the other party's deadline while it is open.
pub(super) fn excluded(x: &Excluded, days: u32) -> Line {
    let (what_en, what_zh) = match &x.reason {
        ExcludedReason::Consultation { kind, party } => (
            format!(
                "consultation of the {} {party}",
                kind.key().replace('_', " ")
            ),
            format!("向{}{party}征求意见", kind.label()),
        ),
        ExcludedReason::Fee => (
            "fee notice to payment".to_string(),
            "收费通知至缴费".to_string(),
        ),
        ExcludedReason::Reasons => (
            "request for reasons (Art. 35) to their arrival".to_string(),
            "要求说明理由至收到理由说明（条例第三十五条）".to_string(),
        ),
    };
    let (f_en, f_zh) = day(x.from);
    match (x.to, x.working_days) {
        (Some(t), Some(n)) => Line {
            en: format!(
                "{what_en} {f_en} – {}: {n} working day(s) not counted",
                iso(t)
            ),
            zh: format!("{what_zh}（{f_zh}至{}）：{n}个工作日不计入期限", iso(t)),
        },
        (Some(t), None) => Line {
            en: format!("{what_en} {f_en} – {}: not counted", iso(t)),
            zh: format!("{what_zh}（{f_zh}至{}）不计入期限", iso(t)),
        },
        (None, _) => {
            let (who_en, who_zh) = match x.reason {
                ExcludedReason::Consultation { .. } => ("the party has", "对方应"),
                ExcludedReason::Fee => ("the applicant has", "申请人应"),
                ExcludedReason::Reasons => ("the applicant has", "申请人应"),
            };
            let (act_en, act_zh) = match x.reason {
                ExcludedReason::Consultation { .. } => ("to answer", "提出意见"),
                ExcludedReason::Fee => ("to pay", "缴纳费用"),
                ExcludedReason::Reasons => ("to state reasons", "说明理由"),
            };
            let (by_en, by_zh) = match (x.period_end, x.letter_received_on) {
                (Due::On(d), Some(r)) => (
                    format!(
                        "; {who_en} {days} working days from receiving the letter ({}) {act_en}: until {}",
                        iso(r),
                        day(d).0
                    ),
                    format!(
                        "；{who_zh}自收到文书之日（{}）起{days}个工作日内{act_zh}，至{}",
                        iso(r),
                        day(d).1
                    ),
                ),
                (Due::NoCalendar { year }, _) => (
                    format!(
                        "; {who_en} {days} working days from receiving the letter {act_en}: the end needs the calendar for {year}, which is not loaded"
                    ),
                    format!(
                        "；{who_zh}自收到文书之日起{days}个工作日内{act_zh}，届满日需按{year}年节假日安排计算，该年安排尚未载入"
                    ),
                ),
                _ => (
                    format!(
                        "; {who_en} {days} working days from receiving the letter {act_en}: its receipt is not recorded yet"
                    ),
                    format!("；{who_zh}自收到文书之日起{days}个工作日内{act_zh}，送达日期尚未登记"),
                ),
            };
            Line {
                en: format!("{what_en} since {f_en}: the clock is stopped{by_en}"),
                zh: format!("{what_zh}（自{f_zh}起）期间暂停计算{by_zh}"),
            }
        }
    }
}

/// What the staff must do although the clock is stopped.
pub(super) fn attention(a: &Attention) -> Line {
    match a {
        Attention::SupplementLapsed { until } => Line {
            en: format!(
                "needs action: the applicant's period to supplement ended on {}: record the supplement received, or close the case as not supplemented (Art. 30)",
                iso(*until)
            ),
            zh: format!(
                "待处理：申请人补正期限已于{}届满，请登记收到补正或逾期未补正（视为放弃申请，条例第三十条）",
                iso(*until)
            ),
        },
        Attention::FeeLapsed { until } => Line {
            en: format!(
                "needs action: the payment period ended on {}: record the payment, or that the fee was not paid",
                iso(*until)
            ),
            zh: format!(
                "待处理：缴费期限已于{}届满，请登记缴费或逾期未缴费",
                iso(*until)
            ),
        },
        Attention::ConsultationLapsed { kind, party, until } => Line {
            en: format!(
                "needs action: the {} {party} had until {} to answer (Art. 32): record its answer or that none came, and decide",
                kind.key().replace('_', " "),
                iso(*until)
            ),
            zh: format!(
                "待处理：{}{party}答复期限已于{}届满（条例第三十二条），请登记其意见或逾期未提出意见，并依法作出决定",
                kind.label(),
                iso(*until)
            ),
        },
        Attention::ReasonsLapsed { until } => Line {
            en: format!(
                "needs action: the applicant's period to state reasons ended on {} (Art. 35): record the reasons received or not received",
                iso(*until)
            ),
            zh: format!(
                "待处理：申请人说明理由期限已于{}届满（条例第三十五条），请登记收到理由说明或逾期未说明",
                iso(*until)
            ),
        },
        Attention::ReceiptUnknown { letter } => Line {
            en: format!(
                "needs action: letter {letter} was sent by post or courier; record the day it was received (letter_received), from which its period runs"
            ),
            zh: format!(
                "待处理：第{letter}项文书以邮寄或快递方式送达，请登记送达日期（期限自送达之日起计算）"
            ),
        },
    }
}

/// The reply period an agency set under Art. 35.
pub(super) fn reasonable_period(w: &mut Vec<Line>, state: &CaseState, due: Option<Due>) {
    let (Some((n, on)), Some(due)) = (state.reasonable_period, due) else {
        return;
    };
    let (o_en, o_zh) = day(on);
    w.push(match due {
        Due::On(d) => Line {
            en: format!(
                "reasonable reply period of {n} working days set {o_en} (Art. 35): due {}",
                day(d).0
            ),
            zh: format!(
                "{o_zh}确定延迟答复的合理期限{n}个工作日（条例第三十五条）：应于{}前答复",
                day(d).1
            ),
        },
        _ => Line {
            en: format!("reasonable reply period of {n} working days set {o_en} (Art. 35)"),
            zh: format!("{o_zh}确定延迟答复的合理期限{n}个工作日（条例第三十五条）"),
        },
    });
}

/// Why day 1 is where it is: the holidays (or weekend) between the trigger and day 1.
fn skipped(cal: &Calendar, from: Date, day1: Date) -> (String, String) {
    let mut names: Vec<&str> = Vec::new();
    let mut weekend = false;
    let mut d = from;
    while let Some(n) = d.next_day().filter(|n| *n < day1) {
        d = n;
        match cal.day_kind(d) {
            Ok(DayKind::Holiday(name)) if !names.contains(&name) => names.push(name),
            Ok(DayKind::Weekend) => weekend = true,
            _ => {}
        }
    }
    if !names.is_empty() {
        let n = names.join("、");
        (
            format!("the first working day after {n}"),
            format!("{n}后第一个工作日"),
        )
    } else if weekend {
        (
            "the first working day after the weekend".into(),
            "周末后第一个工作日".into(),
        )
    } else {
        ("the next working day".into(), "次日".into())
    }
}

/// Day 1, the 20-day due date and the extension.
pub(super) fn count(
    w: &mut Vec<Line>,
    cal: &Calendar,
    state: &CaseState,
    reply_due: Due,
    extended_due: Option<Due>,
    any_excluded: bool,
) {
    let (c_en, c_zh) = day(state.count_from);
    match cal.next_working_day(state.count_from) {
        Ok(d1) => {
            let (why_en, why_zh) = skipped(cal, state.count_from, d1);
            let (d_en, d_zh) = day(d1);
            w.push(Line {
                en: format!("counting from {c_en}: day 1 = {d_en}, {why_en}"),
                zh: format!("自{c_zh}起算：第1个工作日为{d_zh}（{why_zh}）"),
            });
        }
        Err(CalendarError::NoData { year, .. }) => w.push(no_calendar(year)),
        Err(CalendarError::Parse(_)) => {}
    }
    let (skip_en, skip_zh) = if any_excluded {
        (", excluded days skipped", "，扣除不计入的期间")
    } else {
        ("", "")
    };
    match reply_due {
        Due::On(d) => {
            let (d_en, d_zh) = day(d);
            w.push(Line {
                en: format!("20 working days{skip_en}: due {d_en}"),
                zh: format!("20个工作日{skip_zh}：应于{d_zh}前答复"),
            });
        }
        Due::Paused { remaining } => w.push(Line {
            en: format!("{remaining} of the 20 working days remain when the clock runs again"),
            zh: format!("恢复计算后尚余{remaining}个工作日"),
        }),
        Due::NoCalendar { year } => w.push(no_calendar(year)),
        Due::AwaitingSupplement | Due::ReceiptUnknown => {}
    }
    if let (Some((n, who, on)), Some(ext)) = (&state.extension, extended_due) {
        let (o_en, o_zh) = day(*on);
        w.push(match ext {
            Due::On(d) => Line {
                en: format!(
                    "extension of {n} working days approved {o_en} by {who}: due {}",
                    day(d).0
                ),
                zh: format!("{o_zh}经{who}同意延期{n}个工作日：应于{}前答复", day(d).1),
            },
            _ => Line {
                en: format!("extension of {n} working days approved {o_en} by {who}"),
                zh: format!("{o_zh}经{who}同意延期{n}个工作日"),
            },
        });
    }
}

/// Where the case stands today.
pub(super) fn status(status: ClockStatus, today: Date) -> Line {
    let (t_en, t_zh) = day(today);
    match status {
        ClockStatus::OnTime { remaining: 0, .. } => Line {
            en: format!("today {t_en}: due today"),
            zh: format!("今天{t_zh}：今日到期"),
        },
        ClockStatus::OnTime { remaining, .. } => Line {
            en: format!("today {t_en}: due in {remaining} working day(s)"),
            zh: format!("今天{t_zh}：还有{remaining}个工作日到期"),
        },
        ClockStatus::Overdue { by: Some(by), .. } => Line {
            en: format!("today {t_en}: overdue by {by} working day(s)"),
            zh: format!("今天{t_zh}：已超期{by}个工作日"),
        },
        ClockStatus::Overdue { due, by: None } => Line {
            en: format!(
                "today {t_en}: overdue since {} (the working days cannot be counted: this year's calendar is not loaded)",
                iso(due)
            ),
            zh: format!(
                "今天{t_zh}：已于{}到期，已超期（本年节假日安排尚未载入，超期工作日数无法计算）",
                iso(due)
            ),
        },
        ClockStatus::Paused { .. } => Line {
            en: format!("today {t_en}: the clock is stopped"),
            zh: format!("今天{t_zh}：期限暂停计算"),
        },
        ClockStatus::AwaitingSupplement { .. } => Line {
            en: format!("today {t_en}: waiting for the 补正"),
            zh: format!("今天{t_zh}：等待申请人补正"),
        },
        ClockStatus::Concluded { on, late_by: 0 } => Line {
            en: format!("concluded {}: on time", day(on).0),
            zh: format!("{}办结，未超期", day(on).1),
        },
        ClockStatus::Concluded { on, late_by } => Line {
            en: format!("concluded {}: {late_by} working day(s) late", day(on).0),
            zh: format!("{}办结，超期{late_by}个工作日", day(on).1),
        },
        ClockStatus::Unknown { year } => no_calendar(year),
    }
}
