//! `/api/v1/cases…`: the applications (依申请公开) of the caller's scope — the list with the
//! page's filters, registering one that came on paper, the case with its clock and events
//! (identity masked; the full one through `reveal`, which is recorded), and recording an event
//! with the case page's form fields (docs/api.md#cases).

use super::caller::Caller;
use super::problem::{ApiError, ApiResult, Problem};
use crate::WebState;
use crate::staff::cases::{ListQuery, parse_filter};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use gongkai_app::application::{
    self, Case, CaseListView, FormFields, parse_event_form, parse_registration_form,
};
use gongkai_core::application::{EventForm, field};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A case as JSON with the applicant's ID and phone numbers masked (as in the lists).
pub(super) fn masked(case: &Case) -> ApiResult<Value> {
    serde_json::to_value(case.view())
        .map_err(|e| ApiError::from(gongkai_app::AppError::internal("case to JSON", e)))
}

/// The cases the caller may see that pass the filters, 50 a page, newest receipt first; ID and
/// phone numbers masked.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListQuery),
    responses(
        (status = 200, description = "A page of the list: rows, total, page, pages", body = Object),
        (status = 400, description = "A filter that cannot be read", body = Problem),
        (status = 401, description = "No session or token", body = Problem),
    ))]
pub async fn list(
    State(s): State<WebState>,
    caller: Caller,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<CaseListView>> {
    let Query(q) = q?;
    let filter = parse_filter(&q)?;
    Ok(Json(
        application::list_cases(&s.app, &caller.actor, &filter, s.today()).await?,
    ))
}

/// An application that came on paper, by post, by fax or by e-mail, with the fields of the
/// back office's registration form (the same checks and Chinese messages).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationBody {
    /// The agency's name or organisation code.
    pub agency: String,
    /// 申请方式: `in_person`, `mail`, `ordinary_letter`, `fax` or `email` (online applications come through the form).
    pub channel: String,
    /// The day it arrived, `YYYY-MM-DD`.
    pub arrived_on: String,
    /// For post and fax: the day receipt was confirmed (Art. 31), when not the arrival.
    pub confirmed_on: String,
    /// `natural_person` or an organisation kind (`legal_person`, `other_org` …).
    pub applicant_type: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub org_name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    /// 所需信息的内容描述.
    pub description: String,
    /// 获取信息的方式 key.
    pub delivery: String,
    /// 指定提供载体形式 keys.
    pub media: Vec<String>,
    /// Whether other forms are acceptable.
    pub accept_other: bool,
}

impl RegistrationBody {
    fn fields(self) -> FormFields {
        let mut f: Vec<(String, String)> = [
            ("agency", self.agency),
            ("channel", self.channel),
            ("arrived_on", self.arrived_on),
            ("confirmed_on", self.confirmed_on),
            (field::APPLICANT_TYPE, self.applicant_type),
            (field::NAME, self.name),
            (field::ID_TYPE, self.id_type),
            (field::ID_NUMBER, self.id_number),
            (field::ORG_NAME, self.org_name),
            (field::CREDIT_CODE, self.credit_code),
            (field::CONTACT_PERSON, self.contact_person),
            (field::PHONE, self.phone),
            (field::EMAIL, self.email),
            (field::ADDRESS, self.address),
            (field::POSTCODE, self.postcode),
            (field::DESCRIPTION, self.description),
            (field::DELIVERY, self.delivery),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        f.extend(
            self.media
                .into_iter()
                .map(|m| (field::MEDIA.to_string(), m)),
        );
        if self.accept_other {
            f.push((field::ACCEPT_OTHER.to_string(), "1".into()));
        }
        FormFields(f)
    }
}

/// The receipt of a registration: the 查询码 appears this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub number: String,
    pub query_code: String,
    /// 收到申请之日, `YYYY-MM-DD`.
    pub received_on: String,
    pub agency: String,
}

/// Registers an application (录入 of the agency); 201 with the 申请编号 and the 查询码.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = RegistrationBody,
    responses(
        (status = 201, description = "Registered", body = Registered),
        (status = 422, description = "Fields that failed, each with its Chinese message", body = Problem),
        (status = 403, description = "Not a 录入 of the agency, or a region's supervisor", body = Problem),
        (status = 404, description = "An agency out of the caller's scope", body = Problem),
    ))]
pub async fn register(
    State(s): State<WebState>,
    caller: Caller,
    body: Result<Json<RegistrationBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    application::may_register(&caller.actor)?;
    let Json(body) = body?;
    let agency = body.agency.trim().to_string();
    let today = s.today();
    let parsed =
        parse_registration_form(&body.fields(), &agency, today).map_err(ApiError::fields)?;
    let r = application::register_with_provision(
        &s.app,
        &caller.actor,
        parsed.registration,
        Some(parsed.provision),
        today,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            number: r.number,
            query_code: r.query_code,
            received_on: gongkai_core::calendar::iso(r.received_on),
            agency: r.agency.name,
        }),
    ))
}

/// The case: its applicant (numbers masked), request, status, outcome, clock and events.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "cases",
    params(("number" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "The case", body = Object),
        (status = 404, description = "No such case in the caller's scope", body = Problem),
    ))]
pub async fn show(
    State(s): State<WebState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<Value>> {
    let case = application::show_as(&s.app, &caller.actor, &number, s.today()).await?;
    Ok(Json(masked(&case)?))
}

/// The case with the applicant's full ID and phone numbers; the access is recorded (who, when)
/// before it is answered, as on the case page.
#[utoipa::path(post, path = "/api/v1/cases/{number}/reveal", tag = "cases",
    params(("number" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "The case, unmasked", body = Object),
        (status = 404, description = "No such case in the caller's scope", body = Problem),
    ))]
pub async fn reveal(
    State(s): State<WebState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<Value>> {
    let case =
        application::reveal_identity(&s.app, &caller.actor, &number, s.clock.now(), s.today())
            .await?;
    serde_json::to_value(case.view_full())
        .map(Json)
        .map_err(|e| gongkai_app::AppError::internal("case to JSON", e).into())
}

/// Records an event with the fields of the case page's form `form` (`supplement-requested`,
/// `decided` …, docs/back-office.md#recording-events); the state machine accepts it (201,
/// the case as it now is) or refuses it with its reason (409), and a refusal writes nothing.
#[utoipa::path(post, path = "/api/v1/cases/{number}/events/{form}", tag = "cases",
    params(
        ("number" = String, Path, description = "申请编号"),
        ("form" = String, Path, description = "The event form's key"),
    ),
    request_body(content = BTreeMap<String, String>, description = "The form's fields by name"),
    responses(
        (status = 201, description = "Recorded; the case", body = Object),
        (status = 409, description = "Refused by the state machine, with its reason", body = Problem),
        (status = 422, description = "Fields that failed", body = Problem),
        (status = 404, description = "No such case or form", body = Problem),
    ))]
pub async fn record(
    State(s): State<WebState>,
    caller: Caller,
    Path((number, form)): Path<(String, String)>,
    body: Result<Json<BTreeMap<String, String>>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let Json(body) = body?;
    let form = EventForm::parse(&form).ok_or_else(ApiError::not_found)?;
    let today = s.today();
    // Scope first: another agency's case does not exist, whatever the body says.
    let case = application::show_as(&s.app, &caller.actor, &number, today).await?;
    application::may_record_events(&caller.actor)?;
    let fields = FormFields(body.into_iter().collect());
    let event = parse_event_form(form, &fields).map_err(ApiError::fields)?;
    let case = application::record_event(&s.app, &caller.actor, &case.number, event, today).await?;
    Ok((StatusCode::CREATED, Json(masked(&case)?)))
}

/// A new 查询码 for an applicant who lost theirs.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewCode {
    pub number: String,
    /// Shown this once; the old code no longer works.
    pub query_code: String,
    /// The online submission still awaits confirmation.
    pub awaiting_confirmation: bool,
}

/// Re-issues the 查询码 of a case or of an online submission awaiting confirmation (录入 of
/// the agency); the act is recorded and the old code stops working.
#[utoipa::path(post, path = "/api/v1/cases/{number}/query-code", tag = "cases",
    params(("number" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "The new code", body = NewCode),
        (status = 403, description = "Not a 录入 of the agency, or a region's supervisor", body = Problem),
        (status = 404, description = "No such case in the caller's scope", body = Problem),
        (status = 409, description = "A rejected submission", body = Problem),
    ))]
pub async fn reissue(
    State(s): State<WebState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<NewCode>> {
    let r = application::reissue_query_code(&s.app, &caller.actor, &number, s.clock.now()).await?;
    Ok(Json(NewCode {
        number: r.number,
        query_code: r.query_code,
        awaiting_confirmation: r.awaiting_confirmation,
    }))
}
