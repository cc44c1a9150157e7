//! Online applications (网上申请, docs/online-applications.md). A citizen's form is stored the
//! moment it is submitted, under a 申请编号 from the applications' counter, with the 查询码's
//! digest and the form's idempotency key; the same form sent again (a double click, the back
//! button, a retry after a timeout) is the same submission. An online application counts as
//! received on the day both parties confirm it (条例 Art. 31), so it waits as "待确认" until a
//! clerk confirms it: that registers the application (channel 网络) under the same number and
//! code, arrived on the day it was submitted and received on the day it was confirmed, and
//! from then on the applicant sees the case and its clock. A submission that is no
//! application is rejected with a reason the applicant reads.

use super::{
    Case, Registration, RequestedInfo, case_from, insert_registered, intake_of, parse_events, show,
    to_json,
};
use crate::App;
use crate::agency::AgencyView;
use crate::error::{AppError, Result};
use crate::query_code;
use crate::secrets::{Keyring, Purpose};
use gongkai_core::application::{
    Applicant, Channel, EventKind, OnlineApplication, Provision, ReceiptFacts, effective_events,
};
use gongkai_core::calendar::{date_in_china, iso};
use gongkai_core::ids::AgencyId;
use gongkai_core::user::{Actor, Role};
use gongkai_letters::{Letter, LetterKind, compose};
use gongkai_store::StoreError;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::application as repo;
use gongkai_store::repo::online::{
    self as online_repo, Decision, ListFilter, NewSubmission, SubmissionRow,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// The request as a submission keeps it (the application row keeps the same request with the
/// receipt facts added once it is confirmed).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredRequest {
    request: RequestedInfo,
    provision: Provision,
}

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// 待确认: stored, the agency has not confirmed receipt yet; no clock runs (Art. 31).
    Pending,
    /// 已确认: registered as an application under the same number.
    Confirmed,
    /// 不予受理: not an application, with the reason.
    Rejected,
}

impl SubmissionStatus {
    pub fn key(self) -> &'static str {
        match self {
            SubmissionStatus::Pending => "pending",
            SubmissionStatus::Confirmed => "confirmed",
            SubmissionStatus::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SubmissionStatus::Pending => "待确认",
            SubmissionStatus::Confirmed => "已确认收到",
            SubmissionStatus::Rejected => "不作为政府信息公开申请处理",
        }
    }

    fn from_key(s: &str) -> Option<SubmissionStatus> {
        [
            SubmissionStatus::Pending,
            SubmissionStatus::Confirmed,
            SubmissionStatus::Rejected,
        ]
        .into_iter()
        .find(|k| k.key() == s)
    }
}

/// A submission as staff and the applicant see it (`application pending --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionView {
    /// 申请编号.
    pub number: String,
    /// The agency's name.
    pub agency: String,
    pub agency_id: AgencyId,
    pub status: SubmissionStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// The day in China it arrived.
    #[serde(with = "gongkai_core::application::iso_date")]
    pub submitted_on: Date,
    #[serde(with = "gongkai_core::application::iso_date_opt")]
    pub decided_on: Option<Date>,
    pub reject_reason: Option<String>,
    pub applicant: Applicant,
    pub request: RequestedInfo,
    pub provision: Provision,
}

/// What the citizen is shown after submitting.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// 申请编号.
    pub number: String,
    /// The 查询码, shown once: `None` when the same form had already been received (the
    /// code was shown on that first receipt and only its digest is kept).
    pub query_code: Option<String>,
    pub agency: AgencyView,
    pub submitted_at: OffsetDateTime,
}

impl Receipt {
    /// Whether this form had been received before (a resubmission).
    pub fn already_received(&self) -> bool {
        self.query_code.is_none()
    }
}

/// A key the form carries: 16 to 64 letters, digits, `-` or `_` (the web form's is 128 random
/// bits).
fn key_ok(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The submission's applicant, its sealed fields opened.
fn applicant_of(app: &App, row: &SubmissionRow) -> Result<Applicant> {
    crate::personal::open_applicant(&app.keys, &row.applicant).map_err(|e| AppError::Corrupt {
        number: row.number.clone(),
        seq: 0,
        message: format!("online submission applicant: {e}"),
    })
}

fn from_json<T: for<'de> Deserialize<'de>>(row: &SubmissionRow, what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| AppError::Corrupt {
        number: row.number.clone(),
        seq: 0,
        message: format!("online submission {what}: {e}"),
    })
}

/// Stores an online application (docs/online-applications.md). It is committed before the
/// receipt is returned. The same `idempotency_key` with the same content returns the first
/// receipt without its 查询码 and stores nothing; with other content it is refused.
pub async fn submit_online(
    app: &App,
    agency: AgencyId,
    idempotency_key: &str,
    form: &OnlineApplication,
    at: OffsetDateTime,
) -> Result<Receipt> {
    if !key_ok(idempotency_key) {
        return Err(AppError::invalid(
            "the form's idempotency key is missing or malformed: open the form again",
            "申请表已失效，请重新打开申请表填写",
        ));
    }
    let agency = agency_repo::find_agency(&app.db, agency.get()).await?;
    let plain_applicant = to_json(form.applicant())?;
    let (applicant, _) = crate::personal::seal_applicant(&app.keys, form.applicant())?;
    let request = to_json(&StoredRequest {
        request: RequestedInfo {
            description: form.description().to_string(),
            delivery: form.delivery(),
        },
        provision: form.provision().clone(),
    })?;
    // What was submitted, keyed (the applicant's personal data is part of it).
    let agency_id = agency.id.to_string();
    let parts: [&[u8]; 3] = [
        agency_id.as_bytes(),
        plain_applicant.as_bytes(),
        request.as_bytes(),
    ];
    let fingerprint = app.keys.mac(Purpose::Fingerprint, &parts);
    let same_content = |row: &SubmissionRow| {
        if Keyring::is_mac(&row.fingerprint) {
            app.keys
                .verify_mac(Purpose::Fingerprint, &parts, &row.fingerprint)
                .unwrap_or(false)
        } else {
            row.fingerprint == legacy_fingerprint(&agency_id, &plain_applicant, &request)
        }
    };
    if let Some(row) = online_repo::find_by_key(&app.db, idempotency_key).await? {
        let same = same_content(&row);
        return resubmitted(app, row, same).await;
    }
    let code = query_code::generate().map_err(|e| {
        AppError::internal(
            "no random numbers available",
            std::io::Error::other(e.to_string()),
        )
    })?;
    let submitted_on = date_in_china(at);
    let mut tx = app.db.begin().await?;
    let number = repo::next_number(&mut tx, submitted_on).await?;
    let new = NewSubmission {
        agency_id: agency.id,
        query_code_hash: query_code::digest(&app.keys, &number, &code),
        number,
        idempotency_key: idempotency_key.to_string(),
        fingerprint: fingerprint.clone(),
        applicant_kind: form.applicant().t3_col().key().to_string(),
        applicant,
        request: request.clone(),
        submitted_at: at,
        submitted_on,
    };
    match online_repo::insert(&mut tx, &new).await? {
        Some(row) => {
            tx.commit().await?;
            Ok(Receipt {
                number: row.number,
                query_code: Some(code),
                agency: agency.into(),
                submitted_at: row.submitted_at,
            })
        }
        None => {
            // A concurrent request with the same key won: give back its number unspent.
            tx.rollback().await?;
            let row = online_repo::find_by_key(&app.db, idempotency_key)
                .await?
                .ok_or_else(|| {
                    AppError::internal(
                        "an online submission vanished",
                        std::io::Error::other(idempotency_key.to_string()),
                    )
                })?;
            let same = same_content(&row);
            resubmitted(app, row, same).await
        }
    }
}

/// The unkeyed fingerprint of earlier versions.
fn legacy_fingerprint(agency_id: &str, applicant: &str, request: &str) -> String {
    let mut h = Sha256::new();
    for part in ["gongkai-online-submission", agency_id, applicant, request] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    hex(&h.finalize())
}

/// The receipt of a form received before, when the content is the same (RL-4).
async fn resubmitted(app: &App, row: SubmissionRow, same: bool) -> Result<Receipt> {
    if !same {
        let when = beijing_time(row.submitted_at);
        return Err(AppError::invalid(
            format!(
                "this form was already submitted as {} with other content: a new application needs a new form",
                row.number
            ),
            format!(
                "这份申请表已于{when}提交（申请编号{}），本次内容与之不同。如需另行申请，请在重新打开的申请表中填写后提交。",
                row.number
            ),
        ));
    }
    let agency = agency_repo::find_agency(&app.db, row.agency_id).await?;
    Ok(Receipt {
        number: row.number,
        query_code: None,
        agency: agency.into(),
        submitted_at: row.submitted_at,
    })
}

/// `2026-03-02 09:15`, Beijing time.
pub fn beijing_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(gongkai_core::calendar::BEIJING);
    format!("{} {:02}:{:02}", iso(t.date()), t.hour(), t.minute())
}

/// What an applicant's look-up found.
#[derive(Debug, Clone)]
pub enum Tracked {
    /// Submitted online, not confirmed yet: no clock runs.
    Pending(SubmissionView),
    /// Submitted online and not taken as an application, with the reason.
    Rejected(SubmissionView),
    /// A registered application (confirmed online, or registered by the office).
    Case(Box<Case>),
}

/// A 申请编号 as people type it: full-width digits and dash look-alikes folded, spaces
/// dropped.
pub(super) fn normalize_number(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '－' | '‐' | '‑' | '–' | '—' | '―' | '−' => '-',
            c => c,
        })
        .collect()
}

/// `YYYY-NNNNNN` (the sequence may outgrow six digits).
fn number_shape(s: &str) -> bool {
    let b = s.as_bytes();
    (11..=14).contains(&b.len())
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// The applicant's look-up with 申请编号 and 查询码, for online submissions and registered
/// applications alike. An unknown number and a wrong code give the same error after the same
/// work (two reads and one digest), so the answer does not tell which numbers exist.
pub async fn track(app: &App, number: &str, code: &str, today: Date) -> Result<Tracked> {
    let not_found = || AppError::not_found("application with this query code", "");
    if number.chars().count() > 40 || code.chars().count() > 40 {
        return Err(not_found());
    }
    let number = normalize_number(number);
    if !number_shape(&number) {
        let _ = query_code::verify(&app.keys, &number, code, None);
        return Err(not_found());
    }
    let case = match repo::find_by_number(&app.db, &number).await {
        Ok(row) => Some(row),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let submission = online_repo::find_by_number(&app.db, &number).await?;
    let stored = case
        .as_ref()
        .map(|r| r.query_code_hash.as_str())
        .or(submission.as_ref().map(|s| s.query_code_hash.as_str()));
    if !query_code::verify(&app.keys, &number, code, stored) {
        return Err(not_found());
    }
    if let Some(row) = case {
        let events = parse_events(&row, repo::events(&app.db, row.id).await?)?;
        return Ok(Tracked::Case(Box::new(
            case_from(app, row, events, today).await?,
        )));
    }
    let Some(row) = submission else {
        return Err(not_found());
    };
    let view = view_of(app, &row, &mut HashMap::new()).await?;
    Ok(match view.status {
        SubmissionStatus::Rejected => Tracked::Rejected(view),
        SubmissionStatus::Pending => Tracked::Pending(view),
        SubmissionStatus::Confirmed => {
            return Err(AppError::Corrupt {
                number: row.number,
                seq: 0,
                message: "a confirmed online submission without its application".into(),
            });
        }
    })
}

async fn view_of(
    app: &App,
    row: &SubmissionRow,
    agencies: &mut HashMap<i64, String>,
) -> Result<SubmissionView> {
    let agency = match agencies.get(&row.agency_id) {
        Some(a) => a.clone(),
        None => {
            let a = agency_repo::find_agency(&app.db, row.agency_id).await?.name;
            agencies.insert(row.agency_id, a.clone());
            a
        }
    };
    let stored: StoredRequest = from_json(row, "request", &row.request)?;
    let status = SubmissionStatus::from_key(&row.status).ok_or_else(|| AppError::Corrupt {
        number: row.number.clone(),
        seq: 0,
        message: format!("unknown online submission status {}", row.status),
    })?;
    Ok(SubmissionView {
        number: row.number.clone(),
        agency,
        agency_id: AgencyId::new(row.agency_id),
        status,
        submitted_at: row.submitted_at,
        submitted_on: row.submitted_on,
        decided_on: row.decided_on,
        reject_reason: row.reject_reason.clone(),
        applicant: applicant_of(app, row)?,
        request: stored.request,
        provision: stored.provision,
    })
}

/// A user of one agency acts on that agency's submissions only.
fn in_scope(actor: &Actor, agency_id: i64) -> Result<()> {
    match actor.agency {
        Some(a) if a.get() != agency_id => Err(AppError::forbidden(
            format!(
                "{} works for agency {a}, not for agency {agency_id}",
                actor.name
            ),
            format!("{}无权处理其他机关的网上申请", actor.display_name),
        )),
        _ => Ok(()),
    }
}

/// The pending submission `number`, locked in `tx`, for a change `what` by `actor`: another
/// agency's submission is not found, a missing role or a region's supervisor (who reads, never
/// writes) is refused, as for every write to a case (docs/back-office.md#scope).
async fn pending_in(
    app: &App,
    tx: &mut gongkai_store::Tx,
    actor: &Actor,
    number: &str,
    what: (Role, &str, &str),
) -> Result<SubmissionRow> {
    let row = online_repo::lock_by_number(tx, &normalize_number(number)).await?;
    crate::access::require_write(app, actor, row.agency_id, &row.number, what).await?;
    if row.status != SubmissionStatus::Pending.key() {
        let done = SubmissionStatus::from_key(&row.status).map_or("已处理", |s| s.label());
        return Err(AppError::refused(
            format!("online submission {} is already {}", row.number, row.status),
            format!("网上申请{}已处理（{done}），不能再次处理", row.number),
        ));
    }
    Ok(row)
}

const ENTRY_CONFIRM: (Role, &str, &str) =
    (Role::Entry, "confirm online applications", "确认网上申请");
const ENTRY_REJECT: (Role, &str, &str) = (Role::Entry, "reject online submissions", "处理网上申请");

/// Confirms receipt of an online application (Art. 31: received on the day both parties
/// confirm): registers it — channel 网络, arrived on the day it was submitted, received on
/// `confirmed_on` — under the submission's 申请编号 and 查询码, in one transaction with the
/// submission's decision. Needs the 录入 role and write scope over the submission's agency
/// ([`crate::access::require_write`]: another agency's submission is not found, a region's
/// supervisor is refused).
pub async fn confirm_online(
    app: &App,
    actor: &Actor,
    number: &str,
    confirmed_on: Date,
    today: Date,
) -> Result<Case> {
    let (role, en, zh) = ENTRY_CONFIRM;
    crate::access::require(actor, role, en, zh)?;
    let mut tx = app.db.begin().await?;
    let sub = pending_in(app, &mut tx, actor, number, ENTRY_CONFIRM).await?;
    let agency = agency_repo::find_agency(&app.db, sub.agency_id).await?;
    let stored: StoredRequest = from_json(&sub, "request", &sub.request)?;
    let reg = Registration {
        agency: agency.name,
        channel: Channel::Online,
        receipt: ReceiptFacts {
            arrived_on: sub.submitted_on,
            confirmed_on: Some(confirmed_on),
        },
        applicant: applicant_of(app, &sub)?,
        request: stored.request,
    };
    let (received_on, intake) = intake_of(&reg, Some(stored.provision), today)?;
    let row = insert_registered(
        app,
        &mut tx,
        sub.agency_id,
        sub.number.clone(),
        sub.query_code_hash.clone(),
        &reg,
        received_on,
        &intake,
    )
    .await?;
    online_repo::decide(
        &mut tx,
        sub.id,
        &Decision::Confirmed {
            application_id: row.id,
        },
        confirmed_on,
        actor.id.get(),
    )
    .await?;
    tx.commit().await?;
    show(app, &sub.number, today).await
}

/// The most characters of a rejection's reason.
pub const MAX_REASON_CHARS: usize = 500;

/// Records that a submission is not an application (an advertisement, a complaint, a letter
/// meant for another office …), with the reason the applicant reads on the status page.
/// Needs the 录入 role and write scope over the submission's agency, as [`confirm_online`].
pub async fn reject_online(
    app: &App,
    actor: &Actor,
    number: &str,
    reason: &str,
    on: Date,
    today: Date,
) -> Result<SubmissionView> {
    let (role, en, zh) = ENTRY_REJECT;
    crate::access::require(actor, role, en, zh)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::invalid(
            format!("give a reason of 1 to {MAX_REASON_CHARS} characters"),
            format!("请填写不作为政府信息公开申请处理的理由（不超过{MAX_REASON_CHARS}字）"),
        ));
    }
    if reason.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid(
            "the reason contains control characters",
            "理由含有不可见的控制字符",
        ));
    }
    if on > today {
        return Err(AppError::invalid(
            format!("{} is in the future", iso(on)),
            format!("日期{}尚未到来", iso(on)),
        ));
    }
    let mut tx = app.db.begin().await?;
    let sub = pending_in(app, &mut tx, actor, number, ENTRY_REJECT).await?;
    if on < sub.submitted_on {
        return Err(AppError::invalid(
            format!(
                "{} is before the submission ({})",
                iso(on),
                iso(sub.submitted_on)
            ),
            format!("日期{}早于提交日期{}", iso(on), iso(sub.submitted_on)),
        ));
    }
    let row = online_repo::decide(
        &mut tx,
        sub.id,
        &Decision::Rejected {
            reason: reason.to_string(),
        },
        on,
        actor.id.get(),
    )
    .await?;
    tx.commit().await?;
    view_of(app, &row, &mut HashMap::new()).await
}

/// The submissions waiting for confirmation, oldest first, of one agency (its name or
/// organisation code) or of all; a user of one agency sees that agency's only, a user of a
/// region those of the agencies in and below it. Needs the 录入 role (they carry personal
/// information).
pub async fn pending(
    app: &App,
    actor: &Actor,
    agency: Option<&str>,
) -> Result<Vec<SubmissionView>> {
    crate::access::require(
        actor,
        Role::Entry,
        "list online submissions",
        "查看网上申请",
    )?;
    let requested = match agency {
        Some(key) => Some(agency_repo::find_agency_by_key(&app.db, key).await?.id),
        None => None,
    };
    let agency_id = match (actor.agency, requested) {
        (Some(own), Some(r)) => {
            in_scope(actor, r)?;
            Some(own.get())
        }
        (Some(own), None) => Some(own.get()),
        (None, r) => r,
    };
    let rows = online_repo::list(
        &app.db,
        &ListFilter {
            agency_id,
            status: Some(SubmissionStatus::Pending.key().to_string()),
        },
    )
    .await?;
    let mut agencies = HashMap::new();
    let mut seen: HashMap<i64, bool> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let sees = match seen.get(&row.agency_id) {
            Some(s) => *s,
            None => {
                let s = crate::access::sees_agency(app, actor, row.agency_id).await?;
                seen.insert(row.agency_id, s);
                s
            }
        };
        if sees {
            out.push(view_of(app, row, &mut agencies).await?);
        }
    }
    Ok(out)
}

/// The letters to the applicant a case has issued so far, in the order they are sent: the
/// receipt, then those the log records (补正, reasons, extension, the consultation notice,
/// the fee notice, the reply once decided). Letters to third parties are not the
/// applicant's. A letter whose facts are not known yet (a due date in a year whose holiday
/// notice is not loaded) is left out until it can be written in full.
pub fn issued_letters(case: &Case, today: Date) -> Vec<LetterKind> {
    let log: Vec<_> = case.events.iter().map(|r| r.event.clone()).collect();
    let recorded: Vec<LetterKind> = effective_events(&log)
        .unwrap_or_default()
        .iter()
        .filter_map(|(_, e)| match e.kind {
            EventKind::SupplementRequested { .. } => Some(LetterKind::Supplement),
            EventKind::ReasonsRequested { .. } => Some(LetterKind::Reasons),
            EventKind::ExtensionApproved { .. } => Some(LetterKind::Extension),
            EventKind::ConsultationOpened { .. } => Some(LetterKind::ConsultNotice),
            EventKind::FeeNoticeIssued { .. } => Some(LetterKind::Fee),
            EventKind::Decided { .. } => Some(LetterKind::Reply),
            _ => None,
        })
        .collect();
    [
        LetterKind::Receipt,
        LetterKind::Supplement,
        LetterKind::Reasons,
        LetterKind::Extension,
        LetterKind::ConsultNotice,
        LetterKind::Fee,
        LetterKind::Reply,
    ]
    .into_iter()
    .filter(|k| *k == LetterKind::Receipt || recorded.contains(k))
    .filter(|k| compose(*k, &crate::letters::letter_data(case, *k, today)).is_ok())
    .collect()
}

/// A letter of the applicant's case, for the applicant: authorised by the same 申请编号 and
/// 查询码 as the look-up, and only a letter the case has issued.
pub async fn tracked_letter(
    app: &App,
    number: &str,
    code: &str,
    kind: LetterKind,
    today: Date,
) -> Result<Letter> {
    let Tracked::Case(case) = track(app, number, code, today).await? else {
        return Err(AppError::not_found("letter", kind.key()));
    };
    if !issued_letters(&case, today).contains(&kind) {
        return Err(AppError::not_found("letter", kind.key()));
    }
    Ok(compose(
        kind,
        &crate::letters::letter_data(&case, kind, today),
    )?)
}
