//! The case page (`/staff/cases/{number}`): the applicant (ID and phone masked unless the
//! full values were asked for, which is recorded), the request, the clock and its working,
//! the event timeline, the letters, and one form for each event the state allows now
//! (`gongkai_core::application::offered_forms`). A form that failed comes back with what was
//! typed and the Chinese reason (docs/back-office.md#the-case-page).

use super::common::{Opt, opts, render};
use super::event_fields::form_view;
use super::{Staff, beijing};
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gongkai_app::application::online::issued_letters;
use gongkai_app::application::{
    AccessView, Case, FormFields, identity_accesses, mask_id, mask_phone,
};
use gongkai_core::application::{Applicant, EventForm, EventKind, FormErrors, offered_forms};
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
        } => format!(
            "{}第{target}项：{reason}",
            if replacement.is_some() {
                "替换"
            } else {
                "撤销"
            }
        ),
        _ => String::new(),
    }
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
    status: StatusCode,
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
    let forms = offered
        .into_iter()
        .map(|f| {
            let failed = shown.failed.as_ref().filter(|x| x.form == f);
            let (values, errors) = failed.map_or((&empty, &none), |x| (&x.fields, &x.errors));
            let mut v = form_view(f, values, errors, shown.today);
            v.refusal = failed.and_then(|x| x.refusal.clone());
            v.active = failed.is_some();
            v
        })
        .collect();
    let accesses = identity_accesses(&s.app, actor, &case.number).await?;
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
        done: shown.done,
    };
    render(status, &page)
}

/// `opts` re-exported for the field definitions.
pub fn choice<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, current: &str) -> Vec<Opt> {
    opts(items, current)
}
