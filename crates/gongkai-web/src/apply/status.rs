//! The status page found with 申请编号 + 查询码, and the letters downloaded with both.

use super::*;

#[derive(Template)]
#[template(path = "apply/lookup.html")]
pub(super) struct LookupPage {
    page: Page,
    message: Option<String>,
    /// The form's anti-forgery token; `None` shows a link to the form instead of the form
    /// (the answer to a wrong pair carries nothing that differs between two answers).
    csrf: Option<String>,
}

pub(super) fn lookup_page(
    headers: &HeaderMap,
    message: Option<String>,
    csrf: Option<String>,
) -> LookupPage {
    LookupPage {
        page: Page::new("申请办理进度查询", "/status", headers)
            .crumb("申请办理进度查询", "/status"),
        message,
        csrf,
    }
}

pub(super) async fn status_form(State(s): State<WebState>, headers: HeaderMap) -> Result<Response> {
    let t = form_token(&s, &headers)?;
    let page = lookup_page(&headers, None, Some(t.token));
    Ok(form_response(StatusCode::OK, render(&page)?, t.set_cookie))
}

/// One line of the log as the applicant reads it.
pub(super) struct EventLine {
    on: String,
    label: String,
}

pub(super) struct LetterLine {
    kind: &'static str,
    title: &'static str,
}

#[derive(Template)]
#[template(path = "apply/status.html")]
pub(super) struct StatusPage {
    page: Page,
    number: String,
    /// Kept in the letter forms, so a download is authorised like the look-up.
    code: String,
    /// The letter forms' anti-forgery token.
    csrf: String,
    agency: String,
    applicant: String,
    description: String,
    delivery: String,
    provision: String,
    /// `pending`, `rejected` or `case`.
    state: &'static str,
    submitted_at: String,
    decided_on: String,
    reject_reason: String,
    channel: String,
    received_on: String,
    receipt_rule: String,
    status_line: String,
    due: String,
    working: Vec<String>,
    events: Vec<EventLine>,
    letters: Vec<LetterLine>,
}

/// A person's name with all but the first character masked (the page is found with a code
/// alone, which is never the only key to personal data: RL-6); an organisation's in full.
pub(super) fn masked_name(a: &Applicant) -> String {
    match a {
        Applicant::Person(p) => {
            let mut c = p.name.chars();
            let first: String = c.next().into_iter().collect();
            first + &"*".repeat(c.count())
        }
        Applicant::Organisation(o) => o.name.clone(),
    }
}

pub(super) fn day_zh(d: time::Date) -> String {
    format!("{}（{}）", iso(d), weekday_names(d).1)
}

pub(super) fn due_zh(d: Due) -> String {
    match d {
        Due::On(d) => day_zh(d),
        Due::Paused { remaining } => {
            format!("计时暂停（恢复计时后尚余{remaining}个工作日）")
        }
        Due::AwaitingSupplement => "等待申请人补正，收到补正后重新计算".into(),
        Due::NoCalendar { year } => format!("暂无法计算（尚未载入{year}年节假日安排）"),
        Due::ReceiptUnknown => "待有关文书送达后确定".into(),
    }
}

pub(super) fn letter_title(k: LetterKind) -> &'static str {
    match k {
        LetterKind::Receipt => "政府信息公开申请接收回执",
        LetterKind::Supplement => "补正告知书",
        LetterKind::Reasons => "说明理由告知书",
        LetterKind::Extension => "延期答复告知书",
        LetterKind::ConsultThirdParty | LetterKind::ConsultCoMaker => "征求意见书",
        LetterKind::ConsultNotice => "征求意见告知书",
        LetterKind::Fee => "收费通知书",
        LetterKind::Reply => "政府信息公开申请答复书",
    }
}

pub(super) fn event_label(k: &EventKind) -> String {
    match k {
        EventKind::Decided { outcome, .. } => format!("{}：{}", k.label(), outcome.label()),
        EventKind::ExtensionApproved { working_days, .. } => {
            format!("{}（延长{working_days}个工作日）", k.label())
        }
        EventKind::Correction { target, .. } => format!("{}（第{target}项）", k.label()),
        _ => k.label().to_string(),
    }
}

/// What every status page shows: the pair asked with and the letter forms' token.
pub(super) struct Asked<'a> {
    code: &'a str,
    csrf: String,
    headers: &'a HeaderMap,
}

pub(super) fn blank_status(number: &str, asked: &Asked<'_>, state: &'static str) -> StatusPage {
    StatusPage {
        page: Page::new("申请办理进度", "/status", asked.headers)
            .crumb("申请办理进度查询", "/status"),
        number: number.to_string(),
        code: asked.code.to_string(),
        csrf: asked.csrf.clone(),
        agency: String::new(),
        applicant: String::new(),
        description: String::new(),
        delivery: String::new(),
        provision: String::new(),
        state,
        submitted_at: String::new(),
        decided_on: String::new(),
        reject_reason: String::new(),
        channel: String::new(),
        received_on: String::new(),
        receipt_rule: String::new(),
        status_line: String::new(),
        due: String::new(),
        working: Vec::new(),
        events: Vec::new(),
        letters: Vec::new(),
    }
}

pub(super) fn submission_status(v: SubmissionView, asked: &Asked<'_>) -> StatusPage {
    let state = if v.reject_reason.is_some() {
        "rejected"
    } else {
        "pending"
    };
    StatusPage {
        agency: v.agency.clone(),
        applicant: masked_name(&v.applicant),
        description: v.request.description.clone(),
        delivery: v.request.delivery.label().into(),
        provision: v.provision.label(),
        submitted_at: beijing_time(v.submitted_at),
        decided_on: v.decided_on.map(day_zh).unwrap_or_default(),
        reject_reason: v.reject_reason.clone().unwrap_or_default(),
        ..blank_status(&v.number, asked, state)
    }
}

pub(super) fn case_status(c: &Case, today: time::Date, asked: &Asked<'_>) -> StatusPage {
    StatusPage {
        agency: c.agency.name.clone(),
        applicant: masked_name(&c.applicant),
        description: c.intake.request.description.clone(),
        delivery: c.intake.request.delivery.label().into(),
        provision: c
            .intake
            .provision
            .as_ref()
            .map(|p| p.label())
            .unwrap_or_default(),
        channel: c.channel.label().into(),
        received_on: day_zh(c.received_on),
        receipt_rule: c.channel.receipt_rule_zh().into(),
        status_line: c.clock.status_line.zh.clone(),
        due: due_zh(c.clock.due),
        working: c.clock.working.iter().map(|l| l.zh.clone()).collect(),
        events: c
            .events
            .iter()
            .map(|e| EventLine {
                on: day_zh(e.event.on),
                label: event_label(&e.event.kind),
            })
            .collect(),
        letters: issued_letters(c, today)
            .into_iter()
            .map(|k| LetterLine {
                kind: k.key(),
                title: letter_title(k),
            })
            .collect(),
        ..blank_status(&c.number, asked, "case")
    }
}

/// The answer to a number and code that do not match a case: always the same page, status
/// and bytes, whether the number exists or not.
pub(super) fn no_match(headers: &HeaderMap) -> Result<Response> {
    let page = lookup_page(
        headers,
        Some("未找到与该申请编号和查询码相符的申请。请核对后重新输入（查询码不区分大小写，可省略连字符）。".into()),
        None,
    );
    Ok(with_status(StatusCode::NOT_FOUND, render(&page)?))
}

pub(super) async fn status_lookup(
    State(s): State<WebState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let (number, code) = (first(&pairs, "number"), first(&pairs, "code"));
    if number.trim().is_empty() || code.trim().is_empty() {
        let t = form_token(&s, &headers)?;
        let page = lookup_page(
            &headers,
            Some("请填写申请编号和查询码。".into()),
            Some(t.token),
        );
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page)?,
        ));
    }
    let today = date_in_china(s.clock.now());
    let tracked = online::track(&s.app, number, code, today).await;
    let asked = |s: &WebState| -> Result<Asked<'_>> {
        Ok(Asked {
            code,
            csrf: form_token(s, &headers)?.token,
            headers: &headers,
        })
    };
    let page = match tracked {
        Ok(Tracked::Pending(v)) | Ok(Tracked::Rejected(v)) => submission_status(v, &asked(&s)?),
        Ok(Tracked::Case(c)) => case_status(&c, today, &asked(&s)?),
        Err(e) if e.kind() == ErrorKind::NotFound => return no_match(&headers),
        Err(e) => return Err(e.into()),
    };
    Ok(no_store(render(&page)?))
}

pub(super) async fn download_letter(
    State(s): State<WebState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let (number, code) = (first(&pairs, "number"), first(&pairs, "code"));
    let kind = LetterKind::parse(first(&pairs, "kind"))
        .ok_or_else(|| WebError::bad_request("文书种类有误"))?;
    let format = first(&pairs, "format");
    if !matches!(format, "html" | "docx") {
        return Err(WebError::bad_request("文书格式有误"));
    }
    let letter = match online::tracked_letter(
        &s.app,
        number,
        code,
        kind,
        date_in_china(s.clock.now()),
    )
    .await
    {
        Ok(l) => l,
        Err(e) if e.kind() == ErrorKind::NotFound => return no_match(&headers),
        Err(e) => return Err(e.into()),
    };
    let (bytes, ctype) = if format == "html" {
        (
            gongkai_letters::to_html(&letter).into_bytes(),
            "text/html; charset=utf-8",
        )
    } else {
        (
            gongkai_letters::to_docx(&letter).map_err(|e| {
                WebError::from(AppError::internal("cannot write the DOCX letter", e))
            })?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    };
    let name = format!("{}-{}.{format}", normalized_number(number), kind.key());
    let mut r = (
        [
            (header::CONTENT_TYPE, ctype.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response();
    r = no_store(r);
    Ok(r)
}

/// The number for a file name: digits and `-` only.
pub(super) fn normalized_number(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .take(20)
        .collect()
}
