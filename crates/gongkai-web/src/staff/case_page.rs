//! The case page (`/staff/cases/{number}`): the applicant (ID and phone masked unless the
//! full values were asked for, which is recorded), the request, the clock and its working,
//! the event timeline, the letters, and one form for each event the state allows now
//! (`gongkai_core::application::offered_forms`). A form that failed comes back with what was
//! typed and the Chinese reason (docs/back-office.md#the-case-page). The correction (更正) is
//! a form in two steps, the first a GET: pick the event and how to correct it (`?correct=N&as=…`),
//! then fill in the replacement's own fields (docs/back-office.md#corrections).

use super::common::{Opt, opts, render};
use super::event_fields::{correction_fields, form_view};
use super::{Staff, beijing};
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gongkai_app::application::online::issued_letters;
use gongkai_app::application::{
    AccessView, Case, FormFields, REPLACEMENT_PREFIX, RETRACT, event_fields, identity_accesses,
    mask_id, mask_phone, query_code_reissues, replacement_field, replacement_fields,
};
use gongkai_core::application::{
    Applicant, CorrectionTarget, Event, EventForm, EventKind, FieldError, FormErrors,
    correction_targets, offered_forms,
};
use gongkai_core::calendar::iso;
use gongkai_letters::LetterKind;
use time::Date;

/// A field of an event form.
pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    /// `date`, `number`, `text`, `textarea` or `select`.
    pub kind: &'static str,
    pub required: bool,
    pub value: String,
    pub options: Vec<Opt>,
    pub hint: &'static str,
    pub error: Option<String>,
}

/// One event form of the page.
pub struct FormView {
    pub key: &'static str,
    pub label: &'static str,
    pub fields: Vec<FieldView>,
    /// The state machine's reason when this form was refused.
    pub refusal: Option<String>,
    /// Whether this is the form that was just sent (it opens and keeps its values).
    pub active: bool,
    /// The correction's two steps, for [`EventForm::Correction`].
    pub correction: Option<CorrectionView>,
}

/// The correction asked for by the case page's GET parameters: `correct` (the event's number)
/// and `as` (`retract`, a form's key, or empty for the event's own kind).
#[derive(Debug, Clone, Default)]
pub struct Pick {
    pub target: String,
    pub with: String,
    /// Back to the first step with this choice selected (`change=1`).
    pub change: bool,
}

/// The correction form: the first step (which event, how) until both are chosen, then the
/// second (the replacement's fields, the correction's date and reason).
pub struct CorrectionView {
    /// The events a correction may name, by number and label.
    pub targets: Vec<Opt>,
    /// 更正内容 (the same kind), 撤销, or 改为 another kind.
    pub withs: Vec<Opt>,
    /// Why the choice could not be used.
    pub error: Option<String>,
    pub chosen: Option<Chosen>,
}

/// The second step of a correction.
pub struct Chosen {
    pub target: u32,
    /// The event as it stands: number, date, label and content.
    pub target_line: String,
    /// [`RETRACT`] or the replacement form's key.
    pub replace_with: String,
    pub with_label: String,
    /// The replacement's fields (named with [`REPLACEMENT_PREFIX`]); none for a retraction.
    pub replacement: Vec<FieldView>,
    /// The correction's own date and reason.
    pub own: Vec<FieldView>,
}

/// A form sent and not recorded: which, what was typed, and why.
pub struct Failed {
    pub form: EventForm,
    pub fields: FormFields,
    pub errors: FormErrors,
    pub refusal: Option<String>,
}

pub struct EventLine {
    pub seq: u32,
    pub on: String,
    pub label: String,
    pub detail: String,
    /// Which later correction replaced or retracted this event.
    pub note: String,
    pub actor: String,
    pub recorded_at: String,
}

pub struct LetterLine {
    pub key: &'static str,
    pub title: &'static str,
}

pub struct Identity {
    pub name: String,
    pub kind: &'static str,
    pub id_label: &'static str,
    pub id_value: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub contact_person: String,
}

#[derive(Template)]
#[template(path = "staff/case.html")]
struct CasePage {
    page: Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    number: String,
    agency: String,
    received_on: String,
    channel: &'static str,
    status: &'static str,
    outcome: Option<String>,
    closed_on: Option<String>,
    description: String,
    delivery: &'static str,
    who: Identity,
    revealed: bool,
    due: String,
    status_line: String,
    working: Vec<String>,
    attention: Vec<String>,
    events: Vec<EventLine>,
    letters: Vec<LetterLine>,
    forms: Vec<FormView>,
    can_write: bool,
    accesses: Vec<AccessView>,
    accesses_at: Vec<String>,
    /// Who re-issued the 查询码, and when.
    reissues: Vec<(String, String)>,
    done: Option<String>,
}

fn identity(a: &Applicant, revealed: bool) -> Identity {
    let phone = |p: &Option<String>| {
        let p = p.as_deref().unwrap_or("");
        if revealed {
            p.to_string()
        } else {
            mask_phone(p)
        }
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    match a {
        Applicant::Person(p) => Identity {
            name: p.name.clone(),
            kind: "自然人",
            id_label: p.id_type.label(),
            id_value: if revealed {
                p.id_number.clone()
            } else {
                mask_id(&p.id_number)
            },
            phone: phone(&p.contact.phone),
            email: opt(&p.contact.email),
            address: opt(&p.contact.address),
            contact_person: String::new(),
        },
        Applicant::Organisation(o) => Identity {
            name: o.name.clone(),
            kind: o.kind.label(),
            id_label: "统一社会信用代码",
            id_value: o.credit_code.clone(),
            phone: phone(&o.contact.phone),
            email: opt(&o.contact.email),
            address: opt(&o.contact.address),
            contact_person: o.contact_person.clone(),
        },
    }
}

fn detail(k: &EventKind) -> String {
    match k {
        EventKind::SupplementRequested {
            items,
            period_working_days,
            ..
        } => format!(
            "补正事项：{}；期限{period_working_days}个工作日",
            items.join("；")
        ),
        EventKind::ExtensionApproved {
            working_days,
            approver,
        } => format!("延长{working_days}个工作日，经{approver}同意"),
        EventKind::ConsultationOpened { kind, party, .. } => format!("{}：{party}", kind.label()),
        EventKind::ConsultationAnswered { party, answer, .. } => {
            format!("{party}：{}", answer.label())
        }
        EventKind::FeeNoticeIssued { amount_yuan, .. } => format!("{amount_yuan}元"),
        EventKind::LetterReceived {
            target,
            received_on,
        } => format!("第{target}项文书于{}送达", iso(*received_on)),
        EventKind::ReasonsRequested {
            period_working_days,
            ..
        } => format!("期限{period_working_days}个工作日"),
        EventKind::ReplyPeriodSet { working_days } => format!("{working_days}个工作日"),
        EventKind::Decided {
            outcome,
            legal_basis,
        } => format!(
            "{}{}；依据：{legal_basis}",
            outcome.group_label().unwrap_or(""),
            outcome.label()
        ),
        EventKind::Withdrawn { reason } => reason.clone().unwrap_or_default(),
        EventKind::ReplyDelivered { method } => method.label().to_string(),
        EventKind::Correction {
            target,
            reason,
            replacement,
        } => match replacement {
            Some(r) => {
                let d = detail(&r.kind);
                format!(
                    "将第{target}项更正为：{}（{}）{}{d}；理由：{reason}",
                    r.kind.label(),
                    iso(r.on),
                    if d.is_empty() { "" } else { "，" },
                )
            }
            None => format!("撤销第{target}项；理由：{reason}"),
        },
        _ => String::new(),
    }
}

/// A line naming an event a correction may target, as it stands now.
fn target_line(t: &CorrectionTarget) -> String {
    let e = t.current.as_ref().unwrap_or(&t.recorded);
    let d = detail(&e.kind);
    let mut s = format!("第{}项 {} {}", t.seq, iso(e.on), e.kind.label());
    if !d.is_empty() {
        s.push('：');
        s.push_str(&d);
    }
    match &t.current {
        None => s.push_str("（已撤销）"),
        Some(c) if *c != t.recorded => s.push_str("（已更正）"),
        Some(_) => {}
    }
    s
}

/// The correction form for `case`: from the correction that failed (its fields as typed), else
/// from the GET parameters' choice, else the first step. The flag says the choice was unusable.
fn correction_view(
    case: &Case,
    failed: Option<&Failed>,
    pick: Option<&Pick>,
    today: Date,
) -> (CorrectionView, bool) {
    let log: Vec<Event> = case.events.iter().map(|r| r.event.clone()).collect();
    let targets = correction_targets(&log);
    let (target, with) = match (failed, pick) {
        (Some(x), _) => (x.fields.get("target"), x.fields.get("replace_with")),
        (None, Some(p)) => (p.target.as_str(), p.with.as_str()),
        (None, None) => ("", ""),
    };
    let (target, with) = (target.trim(), with.trim());
    let mut withs: Vec<(&str, String)> = vec![
        ("", "更正内容（事项类别不变）".into()),
        (RETRACT, "撤销该事项（视为未登记）".into()),
    ];
    withs.extend(
        EventForm::ALL
            .iter()
            .filter(|f| **f != EventForm::Correction)
            .map(|f| (f.key(), format!("改为：{}", f.label()))),
    );
    let mut view = CorrectionView {
        targets: targets
            .iter()
            .map(|t| Opt {
                value: t.seq.to_string(),
                label: target_line(t),
                selected: t.seq.to_string() == target,
            })
            .collect(),
        withs: opts(withs.iter().map(|(k, l)| (*k, l.as_str())), with),
        error: None,
        chosen: None,
    };
    if failed.is_none() && pick.is_none_or(|p| p.change) {
        return (view, false);
    }
    let errors = failed.map(|x| &x.errors);
    let Some(t) = target
        .parse::<u32>()
        .ok()
        .and_then(|n| targets.iter().find(|t| t.seq == n))
    else {
        view.error = Some(
            errors
                .and_then(|e| e.get("target"))
                .unwrap_or("请选择被更正的事项：本申请办理记录中的一项（更正记录本身不能再更正）")
                .to_string(),
        );
        return (view, true);
    };
    let base = t.current.as_ref().unwrap_or(&t.recorded);
    let form = match with {
        "" => Some(EventForm::of(&base.kind)),
        RETRACT => None,
        k => match EventForm::parse(k).filter(|f| *f != EventForm::Correction) {
            Some(f) => Some(f),
            None => {
                view.error = Some(
                    errors
                        .and_then(|e| e.get("replace_with"))
                        .unwrap_or("请选择更正方式：更正内容、撤销该事项，或改为某一类事项")
                        .to_string(),
                );
                return (view, true);
            }
        },
    };
    let replacement = match form {
        None => Vec::new(),
        Some(form) => {
            let (values, errs) = match failed {
                Some(x) => (
                    replacement_fields(&x.fields),
                    FormErrors(
                        x.errors
                            .0
                            .iter()
                            .filter_map(|e| {
                                e.field
                                    .strip_prefix(REPLACEMENT_PREFIX)
                                    .map(|field| FieldError {
                                        field,
                                        message: e.message.clone(),
                                    })
                            })
                            .collect(),
                    ),
                ),
                // The event as it stands, to be changed; another kind starts from its date.
                None if form == EventForm::of(&base.kind) => {
                    (event_fields(base), FormErrors::default())
                }
                None => (
                    FormFields(vec![("on".into(), iso(base.on))]),
                    FormErrors::default(),
                ),
            };
            let mut v = form_view(form, &values, &errs, today);
            for x in &mut v.fields {
                if x.name == "on" {
                    x.label = "事项日期";
                }
                x.name = replacement_field(x.name);
            }
            v.fields
        }
    };
    let empty = FormFields::default();
    let none = FormErrors::default();
    view.chosen = Some(Chosen {
        target: t.seq,
        target_line: target_line(t),
        replace_with: form.map_or(RETRACT, EventForm::key).to_string(),
        with_label: match form {
            None => "撤销该事项（视为未登记）".to_string(),
            Some(f) => format!("替换为“{}”", f.label()),
        },
        replacement,
        own: correction_fields(
            failed.map_or(&empty, |x| &x.fields),
            errors.unwrap_or(&none),
            today,
        ),
    });
    (view, false)
}

pub fn letter_title(k: LetterKind) -> &'static str {
    match k {
        LetterKind::Receipt => "政府信息公开申请接收回执",
        LetterKind::Supplement => "政府信息公开申请补正告知书",
        LetterKind::Reasons => "政府信息公开申请说明理由告知书",
        LetterKind::Extension => "政府信息公开申请延期答复告知书",
        LetterKind::ConsultThirdParty => "政府信息公开申请征求意见书（给第三方）",
        LetterKind::ConsultCoMaker => "政府信息公开申请征求意见书（给共同制作机关）",
        LetterKind::ConsultNotice => "政府信息公开申请征求意见告知书（给申请人）",
        LetterKind::Fee => "政府信息公开申请收费通知书（给申请人）",
        LetterKind::Reply => "答复书",
    }
}

/// What the page needs besides the case.
pub struct Shown<'a> {
    pub revealed: bool,
    pub failed: Option<Failed>,
    /// The correction chosen on the page's first step.
    pub pick: Option<Pick>,
    pub done: Option<String>,
    pub today: Date,
    pub headers: &'a HeaderMap,
}

/// Renders the case page for `staff` with `status`.
pub async fn case_page(
    s: &WebState,
    staff: &Staff,
    case: &Case,
    shown: Shown<'_>,
    mut status: StatusCode,
) -> Result<Response, WebError> {
    let actor = staff.actor();
    let can_write = gongkai_app::access::require_write(
        &s.app,
        actor,
        case.agency.id.get(),
        &case.number,
        (
            gongkai_core::user::Role::Entry,
            "record events",
            "登记办理事项",
        ),
    )
    .await
    .is_ok();
    let mut offered = if can_write {
        offered_forms(&case.clock.state, case.events.len())
    } else {
        Vec::new()
    };
    // A refused form comes back even when the state no longer offers it, with its reason.
    if let Some(f) = &shown.failed
        && !offered.contains(&f.form)
    {
        offered.insert(0, f.form);
    }
    let empty = FormFields::default();
    let none = FormErrors::default();
    let mut bad_pick = false;
    let forms = offered
        .into_iter()
        .map(|f| {
            let failed = shown.failed.as_ref().filter(|x| x.form == f);
            let (values, errors) = failed.map_or((&empty, &none), |x| (&x.fields, &x.errors));
            let mut v = form_view(f, values, errors, shown.today);
            v.refusal = failed.and_then(|x| x.refusal.clone());
            v.active = failed.is_some();
            if f == EventForm::Correction {
                let pick = shown.pick.as_ref();
                let (c, bad) = correction_view(case, failed, pick, shown.today);
                bad_pick = bad && failed.is_none();
                v.active |= pick.is_some();
                v.correction = Some(c);
            }
            v
        })
        .collect();
    // A choice of correction that cannot be used: the first step again, with why.
    if bad_pick && status == StatusCode::OK {
        status = StatusCode::BAD_REQUEST;
    }
    let accesses = identity_accesses(&s.app, actor, &case.number).await?;
    let reissues = query_code_reissues(&s.app, actor, &case.number)
        .await?
        .into_iter()
        .map(|r| (r.actor, beijing(r.at)))
        .collect();
    let path = format!("/staff/cases/{}", case.number);
    let page = CasePage {
        nav: crate::staff::nav::StaffNav::new(staff, crate::staff::nav::Section::Cases, &path)?,
        page: Page::new(format!("申请{}", case.number), &path, shown.headers)
            .crumb("工作台", "/staff")
            .crumb("依申请公开", "/staff/cases")
            .crumb(case.number.clone(), path.clone()),
        csrf: staff.csrf_token()?,
        number: case.number.clone(),
        agency: case.agency.name.clone(),
        received_on: iso(case.received_on),
        channel: case.channel.label(),
        status: case.status.label(),
        outcome: case
            .outcome
            .map(|o| format!("{}{}", o.group_label().unwrap_or(""), o.label())),
        closed_on: case.closed_on.map(iso),
        description: case.intake.request.description.clone(),
        delivery: case.intake.request.delivery.label(),
        who: identity(&case.applicant, shown.revealed),
        revealed: shown.revealed,
        due: gongkai_app::application::due_zh(case.clock.due),
        status_line: case.clock.status_line.zh.clone(),
        working: case.clock.working.iter().map(|l| l.zh.clone()).collect(),
        attention: case.clock.attention.iter().map(|a| a.line().zh).collect(),
        events: case
            .events
            .iter()
            .map(|r| EventLine {
                seq: r.seq,
                on: iso(r.event.on),
                label: r.event.kind.label().to_string(),
                detail: detail(&r.event.kind),
                note: case
                    .events
                    .iter()
                    .rev()
                    .find_map(|c| match &c.event.kind {
                        EventKind::Correction {
                            target,
                            replacement,
                            ..
                        } if *target == r.seq => Some(format!(
                            "已由第{}项{}",
                            c.seq,
                            if replacement.is_some() {
                                "更正"
                            } else {
                                "撤销"
                            }
                        )),
                        _ => None,
                    })
                    .unwrap_or_default(),
                actor: r.actor.clone().unwrap_or_default(),
                recorded_at: beijing(r.recorded_at),
            })
            .collect(),
        letters: issued_letters(case, shown.today)
            .into_iter()
            .map(|k| LetterLine {
                key: k.key(),
                title: letter_title(k),
            })
            .collect(),
        forms,
        can_write,
        accesses_at: accesses.iter().map(|a| beijing(a.at)).collect(),
        accesses,
        reissues,
        done: shown.done,
    };
    render(status, &page)
}

/// `opts` re-exported for the field definitions.
pub fn choice<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, current: &str) -> Vec<Opt> {
    opts(items, current)
}
