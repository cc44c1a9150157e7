//! The back office's registration form for an application that came on paper, by post, by
//! fax or by e-mail: the fields of the online form (checked by the same rules, with the same
//! Chinese messages) plus the channel and the days of arrival and confirmation (Art. 31;
//! docs/rules/deadlines.md#receipt-date-收到申请之日).

use super::event_form::FormFields;
use super::{Registration, RequestedInfo};
use gongkai_core::application::{
    Channel, FieldError, FormErrors, OnlineForm, Provision, ReceiptFacts, field,
};
use gongkai_core::calendar::parse_iso_date;
use time::Date;

/// Field names of the registration form beyond the online form's.
pub mod reg_field {
    pub const CHANNEL: &str = "channel";
    pub const ARRIVED_ON: &str = "arrived_on";
    pub const CONFIRMED_ON: &str = "confirmed_on";
}

/// A checked registration, ready for [`super::register_with_provision`].
#[derive(Debug, Clone)]
pub struct RegistrationForm {
    pub registration: Registration,
    pub provision: Provision,
}

/// The online form's fields as submitted.
pub fn online_form(f: &FormFields) -> OnlineForm {
    OnlineForm {
        applicant_type: f.get(field::APPLICANT_TYPE).to_string(),
        name: f.get(field::NAME).to_string(),
        id_type: f.get(field::ID_TYPE).to_string(),
        id_number: f.get(field::ID_NUMBER).to_string(),
        org_name: f.get(field::ORG_NAME).to_string(),
        credit_code: f.get(field::CREDIT_CODE).to_string(),
        contact_person: f.get(field::CONTACT_PERSON).to_string(),
        phone: f.get(field::PHONE).to_string(),
        email: f.get(field::EMAIL).to_string(),
        address: f.get(field::ADDRESS).to_string(),
        postcode: f.get(field::POSTCODE).to_string(),
        description: f.get(field::DESCRIPTION).to_string(),
        delivery: f.get(field::DELIVERY).to_string(),
        media: f.all(field::MEDIA),
        accept_other: !f.get(field::ACCEPT_OTHER).is_empty(),
    }
}

/// Parses the registration form of `agency` (its name or code): every field's error in
/// Chinese, or the registration. The receipt date's own rules (not in the future, not before
/// the arrival) are checked when it is registered.
pub fn parse_registration_form(
    f: &FormFields,
    agency: &str,
    today: Date,
) -> Result<RegistrationForm, FormErrors> {
    use reg_field::*;
    let mut errors: Vec<FieldError> = Vec::new();
    let channel = match Channel::parse(f.get(CHANNEL).trim()) {
        Some(Channel::Online) => {
            errors.push(FieldError {
                field: CHANNEL,
                message: "网上申请由申请人在线提交，请在“网上申请”中确认".into(),
            });
            None
        }
        None => {
            errors.push(FieldError {
                field: CHANNEL,
                message: "请选择申请方式".into(),
            });
            None
        }
        c => c,
    };
    let mut date = |name: &'static str, what: &str, required: bool| {
        let v = f.get(name).trim();
        if v.is_empty() {
            if required {
                errors.push(FieldError {
                    field: name,
                    message: format!("请填写{what}"),
                });
            }
            return None;
        }
        let d = parse_iso_date(v);
        if d.is_none() {
            errors.push(FieldError {
                field: name,
                message: format!("{what}应为日期，格式如2024-05-06"),
            });
        }
        d
    };
    let arrived_on = date(ARRIVED_ON, "收到（签收）日期", true);
    let needs = channel.is_some_and(Channel::needs_confirmation);
    let confirmed_on = date(CONFIRMED_ON, "确认日期", needs);
    let parsed = online_form(f).parse(today);
    if let Err(e) = &parsed {
        errors.extend(e.0.iter().cloned());
    }
    match (channel, arrived_on, parsed) {
        (Some(channel), Some(arrived_on), Ok(app)) if errors.is_empty() => Ok(RegistrationForm {
            registration: Registration {
                agency: agency.to_string(),
                channel,
                receipt: ReceiptFacts {
                    arrived_on,
                    confirmed_on,
                },
                applicant: app.applicant().clone(),
                request: RequestedInfo {
                    description: app.description().to_string(),
                    delivery: app.delivery(),
                },
            },
            provision: app.provision().clone(),
        }),
        _ => Err(FormErrors(errors)),
    }
}
