//! The online application form: shown, read, checked field by field, submitted.

use super::*;

pub(super) struct Input {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    error: Option<String>,
    max: usize,
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
}

pub(super) struct Choice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "apply/form.html")]
pub(super) struct FormPage {
    page: Page,
    agency: AgencyView,
    section: String,
    key: String,
    /// The anti-forgery token (`csrf.rs`).
    csrf: String,
    notice: Option<String>,
    errors: FormErrors,
    types: Vec<Choice>,
    name: Input,
    id_types: Vec<Choice>,
    id_number: Input,
    org_name: Input,
    credit_code: Input,
    contact_person: Input,
    contact_error: Option<String>,
    contact: Vec<Input>,
    description: Input,
    deliveries: Vec<Choice>,
    media: Vec<Choice>,
    accept_other: bool,
}

impl FormPage {
    /// The message of a choice group (applicant type, ID type, delivery, media).
    fn error_of(&self, name: &str) -> Option<String> {
        self.errors.get(name).map(str::to_string)
    }
}

pub(super) fn input(
    f: &OnlineForm,
    errors: &FormErrors,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
) -> Input {
    let value = match name {
        field::NAME => &f.name,
        field::ID_NUMBER => &f.id_number,
        field::ORG_NAME => &f.org_name,
        field::CREDIT_CODE => &f.credit_code,
        field::CONTACT_PERSON => &f.contact_person,
        field::PHONE => &f.phone,
        field::EMAIL => &f.email,
        field::ADDRESS => &f.address,
        field::POSTCODE => &f.postcode,
        _ => &f.description,
    };
    Input {
        name,
        label,
        hint,
        // What was typed comes back as typed, cut to the field's length.
        value: value.chars().take(max_chars(name)).collect(),
        error: errors.get(name).map(str::to_string),
        max: max_chars(name),
        kind,
        autocomplete,
        required: name == field::DESCRIPTION,
    }
}

pub(super) fn form_page(
    agency: AgencyView,
    headers: &HeaderMap,
    f: &OnlineForm,
    errors: FormErrors,
    key: String,
    csrf: String,
    notice: Option<String>,
) -> FormPage {
    let path = format!("/agencies/{}/apply/online", agency.id);
    let page = Page::new(format!("网上申请 - {}", agency.name), &path, headers)
        .crumb(agency.name.clone(), format!("/agencies/{}", agency.id))
        .crumb("依申请公开", format!("/agencies/{}/apply", agency.id))
        .crumb("网上申请", path.clone());
    let id_type = if f.id_type.is_empty() {
        IdType::ResidentIdCard.key()
    } else {
        f.id_type.as_str()
    };
    FormPage {
        page,
        section: "apply".into(),
        key,
        csrf,
        notice,
        types: ApplicantType::ALL
            .iter()
            .map(|t| Choice {
                value: t.key(),
                label: t.label(),
                checked: f.applicant_type == t.key(),
            })
            .collect(),
        name: input(
            f,
            &errors,
            field::NAME,
            "姓名",
            "与证件上的姓名一致。",
            "text",
            "name",
        ),
        id_types: IdType::ALL
            .iter()
            .map(|t| Choice {
                value: t.key(),
                label: t.label(),
                checked: id_type == t.key(),
            })
            .collect(),
        id_number: input(
            f,
            &errors,
            field::ID_NUMBER,
            "证件号码",
            "居民身份证号码为18位，最后一位可能是X；本站会核对校验位。",
            "text",
            "off",
        ),
        org_name: input(
            f,
            &errors,
            field::ORG_NAME,
            "名称",
            "与营业执照或登记证书上的名称一致。",
            "text",
            "organization",
        ),
        credit_code: input(
            f,
            &errors,
            field::CREDIT_CODE,
            "统一社会信用代码",
            "18位，由数字和大写字母组成；本站会核对校验位。",
            "text",
            "off",
        ),
        contact_person: input(
            f,
            &errors,
            field::CONTACT_PERSON,
            "联系人姓名",
            "办理本申请的联系人。",
            "text",
            "name",
        ),
        contact_error: errors.get(field::CONTACT).map(str::to_string),
        contact: vec![
            input(
                f,
                &errors,
                field::PHONE,
                "联系电话",
                "手机号码，或带区号的固定电话；选择传真获取时填写传真号码。",
                "tel",
                "tel",
            ),
            input(
                f,
                &errors,
                field::EMAIL,
                "电子邮箱",
                "选择以电子邮件获取信息时必填。",
                "email",
                "email",
            ),
            input(
                f,
                &errors,
                field::ADDRESS,
                "通信地址",
                "选择邮寄或快递获取信息时必填。",
                "text",
                "street-address",
            ),
            input(
                f,
                &errors,
                field::POSTCODE,
                "邮政编码",
                "6位数字。",
                "text",
                "postal-code",
            ),
        ],
        description: input(
            f,
            &errors,
            field::DESCRIPTION,
            "所需信息的内容描述",
            "写明所需政府信息的名称、文号，或者便于本机关查询的其他特征性描述（条例第二十九条）。",
            "text",
            "off",
        ),
        deliveries: Delivery::ALL
            .iter()
            .map(|d| Choice {
                value: d.key(),
                label: d.label(),
                checked: f.delivery == d.key(),
            })
            .collect(),
        media: Medium::ALL
            .iter()
            .map(|m| Choice {
                value: m.key(),
                label: m.label(),
                checked: f.media.iter().any(|x| x == m.key()),
            })
            .collect(),
        accept_other: f.accept_other,
        errors,
        agency,
    }
}

pub(super) async fn load_agency(state: &WebState, id: &str) -> Result<AgencyView> {
    let id: AgencyId = id
        .parse()
        .map_err(|_| WebError::bad_request(format!("地址中的编号“{id}”有误")))?;
    Ok(gongkai_app::portal::agency(&state.app, id).await?)
}

pub(super) async fn show_form(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let agency = load_agency(&s, &id).await?;
    let f = OnlineForm {
        accept_other: true,
        ..OnlineForm::default()
    };
    let t = form_token(&s, &headers)?;
    let page = form_page(
        agency,
        &headers,
        &f,
        FormErrors::default(),
        random_token()?,
        t.token,
        None,
    );
    Ok(form_response(StatusCode::OK, render(&page)?, t.set_cookie))
}

pub(super) fn read_form(pairs: &[(String, String)]) -> OnlineForm {
    OnlineForm {
        applicant_type: first(pairs, field::APPLICANT_TYPE).into(),
        name: first(pairs, field::NAME).into(),
        id_type: first(pairs, field::ID_TYPE).into(),
        id_number: first(pairs, field::ID_NUMBER).into(),
        org_name: first(pairs, field::ORG_NAME).into(),
        credit_code: first(pairs, field::CREDIT_CODE).into(),
        contact_person: first(pairs, field::CONTACT_PERSON).into(),
        phone: first(pairs, field::PHONE).into(),
        email: first(pairs, field::EMAIL).into(),
        address: first(pairs, field::ADDRESS).into(),
        postcode: first(pairs, field::POSTCODE).into(),
        description: first(pairs, field::DESCRIPTION).into(),
        delivery: first(pairs, field::DELIVERY).into(),
        media: pairs
            .iter()
            .filter(|(k, _)| k == field::MEDIA)
            .map(|(_, v)| v.clone())
            .collect(),
        accept_other: !first(pairs, field::ACCEPT_OTHER).is_empty(),
    }
}

/// What an applicant reads when the database cannot store the application (RL-9).
const NOT_SAVED: &str = "系统暂时无法保存申请，本次提交没有保存，也没有生成申请编号。您填写的内容仍在下方，请稍后重新提交；同一份申请表再次提交不会重复登记。";
/// Seconds to wait before sending again, as `Retry-After` says.
const RETRY_AFTER: &str = "30";

/// The answer to a submission when not even the form can be shown again (the database is
/// unreachable): 503, nothing stored.
fn not_saved() -> WebError {
    WebError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "申请未能提交",
        "系统暂时无法保存申请，本次提交没有保存，也没有生成申请编号。请稍后返回上一页重新提交；同一份申请表再次提交不会重复登记。",
    )
}

pub(super) async fn submit_form(
    State(s): State<WebState>,
    Path(id): Path<String>,
    axum::Extension(receipts): axum::Extension<Arc<Receipts>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let pairs = form_pairs(&headers, body)?;
    verify_form(&s, &headers, &pairs)?;
    let agency = match load_agency(&s, &id).await {
        Err(e) if e.status == StatusCode::SERVICE_UNAVAILABLE => return Err(not_saved()),
        agency => agency?,
    };
    let f = read_form(&pairs);
    let key = first(&pairs, "idempotency_key").to_string();
    let today = date_in_china(s.clock.now());
    let parsed = match f.parse(today) {
        Ok(p) => p,
        Err(errors) => {
            // Nothing was stored: the same key may be sent again once corrected.
            let key = if key.is_empty() { random_token()? } else { key };
            let t = form_token(&s, &headers)?;
            let page = form_page(agency, &headers, &f, errors, key, t.token, None);
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page)?,
            ));
        }
    };
    let receipt = match online::submit_online(&s.app, agency.id, &key, &parsed, s.clock.now()).await
    {
        Ok(r) => r,
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict) => {
            // A key used for other content, or a missing key: a fresh form, values kept.
            use gongkai_app::error::Localized;
            let t = form_token(&s, &headers)?;
            let page = form_page(
                agency,
                &headers,
                &f,
                FormErrors::default(),
                random_token()?,
                t.token,
                Some(e.zh()),
            );
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page)?,
            ));
        }
        Err(e) if e.kind() == ErrorKind::Unavailable => {
            // The database is down, full or unwritable: nothing was stored and no receipt is
            // given; the form comes back as typed, with the same key, so sending it again
            // later is the same application even if this attempt was in fact committed
            // (docs/online-applications.md#when-the-database-is-unavailable-rl-9).
            eprintln!("gongkai-web: an online application was not stored: {e:#}");
            let t = form_token(&s, &headers)?;
            let page = form_page(
                agency,
                &headers,
                &f,
                FormErrors::default(),
                key,
                t.token,
                Some(NOT_SAVED.to_string()),
            );
            let mut r = with_status(StatusCode::SERVICE_UNAVAILABLE, render(&page)?);
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
            return Ok(r);
        }
        Err(e) => return Err(e.into()),
    };
    let ticket = receipts.ticket_for(Ticket {
        number: receipt.number.clone(),
        code: receipt.query_code.clone(),
        agency: receipt.agency.name.clone(),
        agency_id: receipt.agency.id,
        submitted_at: receipt.submitted_at,
        resubmitted: receipt.already_received(),
        created: Instant::now(),
    })?;
    Ok(Redirect::to(&format!("/apply/receipt/{ticket}")).into_response())
}
