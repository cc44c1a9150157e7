//! The event forms of the case page, parsed into an [`Event`]: one parser for the web pages
//! and the API, with a Chinese message per field. What a field cannot say by itself (a period
//! that has not passed, a second extension) is left to the state machine, which refuses with
//! its own reason (docs/back-office.md#recording-events).
//!
//! A correction (更正) names the event it replaces and either retracts it or gives the
//! replacement in the fields of the replacement's own form, each name with [`REPLACEMENT_PREFIX`]
//! before it (docs/back-office.md#corrections); the API may still give the replacement as one
//! event in JSON.

use gongkai_core::application::{
    ConsultAnswer, ConsultKind, Delivery, Event, EventForm, EventKind, FieldError, FormErrors,
    Outcome, ServedBy, Service,
};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::fee::FeeBasis;
use time::Date;

/// The most characters of a free-text field of an event (a party, a reason, a legal basis).
pub const MAX_TEXT_CHARS: usize = 500;

/// A submitted form: name–value pairs; the first value of a name counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field (ticked boxes), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

struct Check<'a> {
    f: &'a FormFields,
    errors: Vec<FieldError>,
}

impl Check<'_> {
    fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field,
            message: message.into(),
        });
    }

    fn date(&mut self, field: &'static str, what: &str, required: bool) -> Option<Date> {
        let v = self.f.get(field).trim();
        if v.is_empty() {
            if required {
                self.fail(field, format!("请填写{what}"));
            }
            return None;
        }
        let d = parse_iso_date(v);
        if d.is_none() {
            self.fail(field, format!("{what}应为日期，格式如2024-05-06"));
        }
        d
    }

    fn number(&mut self, field: &'static str, what: &str) -> Option<u32> {
        let v = self.f.get(field).trim();
        if v.is_empty() {
            self.fail(field, format!("请填写{what}"));
            return None;
        }
        match v.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.fail(field, format!("{what}应为正整数"));
                None
            }
        }
    }

    fn text(&mut self, field: &'static str, what: &str, required: bool) -> String {
        let v = self.f.get(field).trim();
        if v.is_empty() && required {
            self.fail(field, format!("请填写{what}"));
        } else if v.chars().count() > MAX_TEXT_CHARS {
            self.fail(field, format!("{what}不能超过{MAX_TEXT_CHARS}字"));
        } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
            self.fail(field, format!("{what}含有不可见的控制字符"));
        }
        v.to_string()
    }

    fn service(&mut self) -> Service {
        let by = match self.f.get(field::SENT_BY).trim() {
            "" => ServedBy::InPerson,
            s => ServedBy::parse(s).unwrap_or_else(|| {
                self.fail(field::SENT_BY, "请选择送达方式");
                ServedBy::InPerson
            }),
        };
        Service {
            by,
            received_on: self.date(field::RECEIVED, "送达日期", false),
        }
    }

    fn consult_kind(&mut self) -> ConsultKind {
        ConsultKind::parse(self.f.get(field::CONSULT_KIND).trim()).unwrap_or_else(|| {
            self.fail(
                field::CONSULT_KIND,
                "请选择征求意见对象类别：第三方或共同制作机关",
            );
            ConsultKind::ThirdParty
        })
    }
}

/// Field names of the event forms.
pub mod field {
    pub const ON: &str = "on";
    pub const ITEMS: &str = "items";
    pub const PERIOD: &str = "period";
    pub const DAYS: &str = "days";
    pub const APPROVER: &str = "approver";
    pub const PARTY: &str = "party";
    pub const ANSWER: &str = "answer";
    pub const FEE_BASIS: &str = "fee_basis";
    pub const PRIOR: &str = "prior";
    pub const ITEM_COUNT: &str = "item_count";
    pub const PAGES: &str = "pages";
    pub const TARGET: &str = "target";
    pub const OUTCOME: &str = "outcome";
    pub const LEGAL_BASIS: &str = "legal_basis";
    pub const REASON: &str = "reason";
    pub const METHOD: &str = "method";
    pub const SENT_BY: &str = "sent_by";
    pub const RECEIVED: &str = "received";
    pub const CONSULT_KIND: &str = "consult_kind";
    /// A correction's replacement as one event in JSON (the API's way).
    pub const REPLACEMENT: &str = "replacement";
    /// A correction's choice: [`super::RETRACT`], or the key of the replacement's form, whose
    /// fields follow with [`super::REPLACEMENT_PREFIX`].
    pub const REPLACE_WITH: &str = "replace_with";
}

/// The value of [`field::REPLACE_WITH`] that retracts the corrected event.
pub const RETRACT: &str = "retract";

/// What comes before each field name of a correction's replacement (`new_on`, `new_days` …).
pub const REPLACEMENT_PREFIX: &str = "new_";

/// Every field name the event forms use, and the same with [`REPLACEMENT_PREFIX`].
const EVENT_FIELDS: [(&str, &str); 19] = [
    (field::ON, "new_on"),
    (field::ITEMS, "new_items"),
    (field::PERIOD, "new_period"),
    (field::DAYS, "new_days"),
    (field::APPROVER, "new_approver"),
    (field::PARTY, "new_party"),
    (field::ANSWER, "new_answer"),
    (field::FEE_BASIS, "new_fee_basis"),
    (field::PRIOR, "new_prior"),
    (field::ITEM_COUNT, "new_item_count"),
    (field::PAGES, "new_pages"),
    (field::TARGET, "new_target"),
    (field::OUTCOME, "new_outcome"),
    (field::LEGAL_BASIS, "new_legal_basis"),
    (field::REASON, "new_reason"),
    (field::METHOD, "new_method"),
    (field::SENT_BY, "new_sent_by"),
    (field::RECEIVED, "new_received"),
    (field::CONSULT_KIND, "new_consult_kind"),
];

/// The name of event field `name` as a correction's replacement field (`days` → `new_days`).
pub fn replacement_field(name: &str) -> &'static str {
    EVENT_FIELDS
        .iter()
        .find(|(f, _)| *f == name)
        .map_or(field::REPLACE_WITH, |(_, r)| r)
}

/// The replacement's fields of a correction form, with [`REPLACEMENT_PREFIX`] taken off.
pub fn replacement_fields(f: &FormFields) -> FormFields {
    FormFields(
        f.0.iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(REPLACEMENT_PREFIX)
                    .map(|k| (k.to_string(), v.clone()))
            })
            .collect(),
    )
}

/// The fields of the form that records `e` (see [`EventForm::of`]) as a clerk would have
/// typed them: what a correction's form starts from. [`parse_event_form`] reads them back as
/// `e`.
pub fn event_fields(e: &Event) -> FormFields {
    use field::*;
    let mut out: Vec<(&str, String)> = vec![(ON, iso(e.on))];
    let service = |out: &mut Vec<(&str, String)>, s: &Service| {
        out.push((SENT_BY, s.by.key().to_string()));
        out.push((RECEIVED, s.received_on.map(iso).unwrap_or_default()));
    };
    match &e.kind {
        EventKind::SupplementRequested {
            items,
            period_working_days,
            service: s,
        } => {
            out.push((ITEMS, items.join("\n")));
            out.push((PERIOD, period_working_days.to_string()));
            service(&mut out, s);
        }
        EventKind::ExtensionApproved {
            working_days,
            approver,
        } => {
            out.push((DAYS, working_days.to_string()));
            out.push((APPROVER, approver.clone()));
        }
        EventKind::ConsultationOpened {
            kind,
            party,
            service: s,
        } => {
            out.push((CONSULT_KIND, kind.key().to_string()));
            out.push((PARTY, party.clone()));
            service(&mut out, s);
        }
        EventKind::ConsultationAnswered {
            kind,
            party,
            answer,
        } => {
            out.push((CONSULT_KIND, kind.key().to_string()));
            out.push((PARTY, party.clone()));
            out.push((ANSWER, answer.key().to_string()));
        }
        EventKind::FeeNoticeIssued {
            basis, service: s, ..
        } => {
            match basis {
                FeeBasis::PerItem { prior, items } => {
                    out.push((FEE_BASIS, "per_item".into()));
                    out.push((ITEM_COUNT, items.to_string()));
                    out.push((PRIOR, prior.to_string()));
                }
                FeeBasis::PerVolume { pages } => {
                    out.push((FEE_BASIS, "per_volume".into()));
                    out.push((PAGES, pages.to_string()));
                }
            }
            service(&mut out, s);
        }
        EventKind::LetterReceived {
            target,
            received_on,
        } => {
            out.push((TARGET, target.to_string()));
            out.push((RECEIVED, iso(*received_on)));
        }
        EventKind::ReasonsRequested {
            period_working_days,
            service: s,
        } => {
            out.push((PERIOD, period_working_days.to_string()));
            service(&mut out, s);
        }
        EventKind::ReplyPeriodSet { working_days } => out.push((DAYS, working_days.to_string())),
        EventKind::Decided {
            outcome,
            legal_basis,
        } => {
            out.push((OUTCOME, outcome.key().to_string()));
            out.push((LEGAL_BASIS, legal_basis.clone()));
        }
        EventKind::Withdrawn { reason } => out.push((REASON, reason.clone().unwrap_or_default())),
        EventKind::ReplyDelivered { method } => out.push((METHOD, method.key().to_string())),
        EventKind::Correction { .. }
        | EventKind::SupplementReceived
        | EventKind::SupplementNotReceived
        | EventKind::FeePaid
        | EventKind::FeeUnpaid
        | EventKind::ReasonsReceived
        | EventKind::ReasonsNotReceived => {}
    }
    FormFields(out.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Parses the form `form` of the case page into an event, or every field's error.
pub fn parse_event_form(form: EventForm, f: &FormFields) -> Result<Event, FormErrors> {
    use field::*;
    let mut c = Check {
        f,
        errors: Vec::new(),
    };
    let on = c.date(ON, "日期", true);
    let kind = match form {
        EventForm::SupplementRequested => {
            let items: Vec<String> = f
                .get(ITEMS)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            if items.is_empty() {
                c.fail(ITEMS, "请列明需要补正的事项，每行一项");
            } else if items.iter().any(|i| i.chars().count() > MAX_TEXT_CHARS) {
                c.fail(ITEMS, format!("每项补正事项不能超过{MAX_TEXT_CHARS}字"));
            }
            let period = c.number(PERIOD, "补正期限（工作日）");
            let service = c.service();
            EventKind::SupplementRequested {
                items,
                period_working_days: period.unwrap_or(0),
                service,
            }
        }
        EventForm::SupplementReceived => EventKind::SupplementReceived,
        EventForm::SupplementNotReceived => EventKind::SupplementNotReceived,
        EventForm::ExtensionApproved => {
            let days = c.number(DAYS, "延长的工作日数");
            let approver = c.text(APPROVER, "同意延期的负责人", true);
            EventKind::ExtensionApproved {
                working_days: days.unwrap_or(0),
                approver,
            }
        }
        EventForm::ConsultationOpened => {
            let kind = c.consult_kind();
            let party = c.text(PARTY, "征求意见对象", true);
            let service = c.service();
            EventKind::ConsultationOpened {
                kind,
                party,
                service,
            }
        }
        EventForm::ConsultationAnswered => {
            let kind = c.consult_kind();
            let party = c.text(PARTY, "征求意见对象", true);
            let answer = ConsultAnswer::parse(f.get(ANSWER).trim()).unwrap_or_else(|| {
                c.fail(ANSWER, "请选择意见：同意公开、不同意公开或逾期未提出意见");
                ConsultAnswer::NoAnswer
            });
            EventKind::ConsultationAnswered {
                kind,
                party,
                answer,
            }
        }
        EventForm::FeeNoticeIssued => {
            let basis = match f.get(FEE_BASIS).trim() {
                "per_item" => {
                    let items = c.number(ITEM_COUNT, "本次申请的件数");
                    let prior = match f.get(PRIOR).trim() {
                        "" => Some(0),
                        _ => c.number(PRIOR, "本月此前已申请的件数"),
                    };
                    items
                        .zip(prior)
                        .map(|(items, prior)| FeeBasis::PerItem { prior, items })
                }
                "per_volume" => c
                    .number(PAGES, "页数")
                    .map(|pages| FeeBasis::PerVolume { pages }),
                _ => {
                    c.fail(FEE_BASIS, "请选择计收方式：按件计收或按量计收");
                    None
                }
            };
            if let Some(Err((_, zh))) = basis.map(FeeBasis::check) {
                let at = if matches!(basis, Some(FeeBasis::PerVolume { .. })) {
                    PAGES
                } else {
                    ITEM_COUNT
                };
                c.fail(at, zh);
            }
            let service = c.service();
            let basis = basis.unwrap_or(FeeBasis::PerVolume { pages: 0 });
            EventKind::FeeNoticeIssued {
                amount_yuan: basis.fee(),
                basis,
                service,
            }
        }
        EventForm::FeePaid => EventKind::FeePaid,
        EventForm::FeeUnpaid => EventKind::FeeUnpaid,
        EventForm::LetterReceived => {
            let target = c.number(TARGET, "文书的事项序号");
            let received = c.date(RECEIVED, "送达日期", true);
            EventKind::LetterReceived {
                target: target.unwrap_or(0),
                received_on: received.or(on).unwrap_or(Date::MIN),
            }
        }
        EventForm::ReasonsRequested => {
            let period = c.number(PERIOD, "说明理由期限（工作日）");
            let service = c.service();
            EventKind::ReasonsRequested {
                period_working_days: period.unwrap_or(0),
                service,
            }
        }
        EventForm::ReasonsReceived => EventKind::ReasonsReceived,
        EventForm::ReasonsNotReceived => EventKind::ReasonsNotReceived,
        EventForm::ReplyPeriodSet => EventKind::ReplyPeriodSet {
            working_days: c.number(DAYS, "答复期限（工作日）").unwrap_or(0),
        },
        EventForm::Decided => {
            let outcome = Outcome::from_key(f.get(OUTCOME).trim()).unwrap_or_else(|| {
                c.fail(OUTCOME, "请选择答复结果（年度报告表三所列情形之一）");
                Outcome::Granted
            });
            let legal_basis = c.text(LEGAL_BASIS, "法律依据", true);
            EventKind::Decided {
                outcome,
                legal_basis,
            }
        }
        EventForm::Withdrawn => {
            let r = c.text(REASON, "撤回理由", false);
            EventKind::Withdrawn {
                reason: (!r.is_empty()).then_some(r),
            }
        }
        EventForm::ReplyDelivered => {
            let method = Delivery::parse(f.get(METHOD).trim()).unwrap_or_else(|| {
                c.fail(METHOD, "请选择送达答复的方式");
                Delivery::Post
            });
            EventKind::ReplyDelivered { method }
        }
        EventForm::Correction => {
            let target = c.number(TARGET, "被更正事项的序号");
            let reason = c.text(REASON, "更正理由", true);
            let replacement = match (f.get(REPLACE_WITH).trim(), f.get(REPLACEMENT).trim()) {
                (RETRACT, _) => None,
                ("", "") => None,
                ("", json) => match serde_json::from_str::<Event>(json) {
                    Ok(e) => Some(Box::new(e)),
                    Err(_) => {
                        c.fail(
                            REPLACEMENT,
                            "替换内容应为一个事项的 JSON，如 {\"on\":\"2024-05-06\",\"type\":\"supplement_received\"}；留空则撤销该事项",
                        );
                        None
                    }
                },
                (key, _) => match EventForm::parse(key).filter(|k| *k != EventForm::Correction) {
                    None => {
                        c.fail(
                            REPLACE_WITH,
                            "请选择更正方式：撤销该事项，或替换为某一类事项",
                        );
                        None
                    }
                    Some(form) => match parse_event_form(form, &replacement_fields(f)) {
                        Ok(e) => Some(Box::new(e)),
                        Err(errors) => {
                            for e in errors.0 {
                                c.fail(replacement_field(e.field), e.message);
                            }
                            None
                        }
                    },
                },
            };
            EventKind::Correction {
                target: target.unwrap_or(0),
                reason,
                replacement,
            }
        }
    };
    match on {
        Some(on) if c.errors.is_empty() => Ok(Event { on, kind }),
        _ => Err(FormErrors(c.errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormFields {
        FormFields(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_supplement_request_lists_one_item_a_line() {
        let e = parse_event_form(
            EventForm::SupplementRequested,
            &form(&[
                ("on", "2024-05-07"),
                ("items", "文件名称\n\n 文号 \n"),
                ("period", "10"),
                ("sent_by", "post"),
            ]),
        )
        .expect("parsed");
        assert_eq!(
            e.kind,
            EventKind::SupplementRequested {
                items: vec!["文件名称".into(), "文号".into()],
                period_working_days: 10,
                service: Service {
                    by: ServedBy::Post,
                    received_on: None
                },
            }
        );
    }

    #[test]
    fn each_bad_field_gets_its_chinese_message() {
        let errs = parse_event_form(
            EventForm::Decided,
            &form(&[("on", "2024-13-01"), ("outcome", "maybe")]),
        )
        .expect_err("refused");
        assert!(errs.get("on").expect("on").contains("日期"));
        assert!(errs.get("outcome").expect("outcome").contains("答复结果"));
        assert_eq!(errs.get("legal_basis"), Some("请填写法律依据"));
        let errs = parse_event_form(
            EventForm::ExtensionApproved,
            &form(&[("on", "2024-05-07"), ("days", "二十")]),
        )
        .expect_err("refused");
        assert_eq!(errs.get("days"), Some("延长的工作日数应为正整数"));
        assert_eq!(errs.get("approver"), Some("请填写同意延期的负责人"));
    }

    #[test]
    fn a_fee_notice_is_computed_and_bounded() {
        let e = parse_event_form(
            EventForm::FeeNoticeIssued,
            &form(&[
                ("on", "2024-05-07"),
                ("fee_basis", "per_volume"),
                ("pages", "200"),
            ]),
        )
        .expect("parsed");
        let EventKind::FeeNoticeIssued {
            amount_yuan, basis, ..
        } = e.kind
        else {
            panic!("{e:?}")
        };
        assert_eq!(basis, FeeBasis::PerVolume { pages: 200 });
        assert_eq!(amount_yuan, basis.fee());
        let errs = parse_event_form(
            EventForm::FeeNoticeIssued,
            &form(&[
                ("on", "2024-05-07"),
                ("fee_basis", "per_volume"),
                ("pages", "99999999"),
            ]),
        )
        .expect_err("too many");
        assert!(errs.get("pages").is_some(), "{errs:?}");
    }

    #[test]
    fn every_form_parses_with_its_fields() {
        let full = form(&[
            ("on", "2024-05-07"),
            ("items", "文号"),
            ("period", "10"),
            ("days", "10"),
            ("approver", "李主任"),
            ("consult_kind", "third_party"),
            ("party", "某公司"),
            ("answer", "consented"),
            ("fee_basis", "per_item"),
            ("item_count", "12"),
            ("target", "1"),
            ("received", "2024-05-07"),
            ("outcome", "partial"),
            ("legal_basis", "条例第三十七条"),
            ("reason", "录入有误"),
            ("method", "post"),
        ]);
        for f in EventForm::ALL {
            let e = parse_event_form(f, &full).unwrap_or_else(|e| panic!("{f:?}: {e:?}"));
            assert_eq!(e.kind.key().replace('_', "-"), f.key(), "{f:?}");
        }
    }

    fn samples() -> Vec<Event> {
        let on = time::macros::date!(2024 - 05 - 07);
        let got = time::macros::date!(2024 - 05 - 09);
        let post = Service {
            by: ServedBy::Post,
            received_on: Some(got),
        };
        [
            EventKind::SupplementRequested {
                items: vec!["文件名称".into(), "文号".into()],
                period_working_days: 10,
                service: post,
            },
            EventKind::SupplementReceived,
            EventKind::SupplementNotReceived,
            EventKind::ExtensionApproved {
                working_days: 20,
                approver: "李主任".into(),
            },
            EventKind::ConsultationOpened {
                kind: ConsultKind::CoMaker,
                party: "某局".into(),
                service: Service::default(),
            },
            EventKind::ConsultationAnswered {
                kind: ConsultKind::ThirdParty,
                party: "某公司".into(),
                answer: ConsultAnswer::Objected,
            },
            EventKind::FeeNoticeIssued {
                amount_yuan: FeeBasis::PerItem {
                    prior: 10,
                    items: 6,
                }
                .fee(),
                basis: FeeBasis::PerItem {
                    prior: 10,
                    items: 6,
                },
                service: post,
            },
            EventKind::FeeNoticeIssued {
                amount_yuan: FeeBasis::PerVolume { pages: 120 }.fee(),
                basis: FeeBasis::PerVolume { pages: 120 },
                service: Service::default(),
            },
            EventKind::FeePaid,
            EventKind::FeeUnpaid,
            EventKind::LetterReceived {
                target: 2,
                received_on: got,
            },
            EventKind::ReasonsRequested {
                period_working_days: 15,
                service: post,
            },
            EventKind::ReasonsReceived,
            EventKind::ReasonsNotReceived,
            EventKind::ReplyPeriodSet { working_days: 60 },
            EventKind::Decided {
                outcome: Outcome::Partial,
                legal_basis: "条例第三十七条".into(),
            },
            EventKind::Withdrawn { reason: None },
            EventKind::Withdrawn {
                reason: Some("申请人书面撤回".into()),
            },
            EventKind::ReplyDelivered {
                method: Delivery::Express,
            },
        ]
        .into_iter()
        .map(|kind| Event { on, kind })
        .collect()
    }

    #[test]
    fn an_event_read_back_from_its_own_fields_is_the_same_event() {
        for e in samples() {
            let form = EventForm::of(&e.kind);
            let back = parse_event_form(form, &event_fields(&e))
                .unwrap_or_else(|errs| panic!("{e:?}: {errs:?}"));
            assert_eq!(back, e);
        }
    }

    #[test]
    fn a_correction_takes_its_replacement_from_the_prefixed_fields() {
        let e = parse_event_form(
            EventForm::Correction,
            &form(&[
                ("on", "2024-05-10"),
                ("target", "2"),
                ("reason", "延长天数登记有误"),
                ("replace_with", "extension-approved"),
                ("new_on", "2024-05-07"),
                ("new_days", "15"),
                ("new_approver", "王主任"),
                // The correction's own fields do not leak into the replacement.
                ("days", "3"),
            ]),
        )
        .expect("parsed");
        assert_eq!(
            e,
            Event {
                on: time::macros::date!(2024 - 05 - 10),
                kind: EventKind::Correction {
                    target: 2,
                    reason: "延长天数登记有误".into(),
                    replacement: Some(Box::new(Event {
                        on: time::macros::date!(2024 - 05 - 07),
                        kind: EventKind::ExtensionApproved {
                            working_days: 15,
                            approver: "王主任".into(),
                        },
                    })),
                },
            }
        );
        let retract = parse_event_form(
            EventForm::Correction,
            &form(&[
                ("on", "2024-05-10"),
                ("target", "2"),
                ("reason", "误登记"),
                ("replace_with", "retract"),
                ("new_days", "nonsense"),
            ]),
        )
        .expect("parsed");
        assert!(matches!(
            retract.kind,
            EventKind::Correction {
                replacement: None,
                ..
            }
        ));
        // The replacement's field errors come back under its prefixed names, in Chinese.
        let errs = parse_event_form(
            EventForm::Correction,
            &form(&[
                ("on", "2024-05-10"),
                ("target", "2"),
                ("replace_with", "extension-approved"),
                ("new_on", "2024-05-07"),
                ("new_days", "二十"),
            ]),
        )
        .expect_err("refused");
        assert_eq!(errs.get("new_days"), Some("延长的工作日数应为正整数"));
        assert_eq!(errs.get("new_approver"), Some("请填写同意延期的负责人"));
        assert_eq!(errs.get("reason"), Some("请填写更正理由"));
        assert_eq!(errs.get("days"), None);
        for bad in ["correction", "nonsense"] {
            let errs = parse_event_form(
                EventForm::Correction,
                &form(&[
                    ("on", "2024-05-10"),
                    ("target", "2"),
                    ("reason", "r"),
                    ("replace_with", bad),
                ]),
            )
            .expect_err("refused");
            assert!(errs.get("replace_with").is_some(), "{bad}");
        }
    }
}
