//! The applicant (申请人): a natural person (自然人) or an organisation of one of the five
//! kinds of table 三 (法人或其他组织). The kind decides the table 三 column.

use crate::checksum::{CreditCodeError, IdNumberError, validate_credit_code, validate_id_number};
use crate::report::T3Col;
use serde::{Deserialize, Serialize};
use time::Date;

/// How to reach the applicant (Art. 29(一) 联系方式). At least one way is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
}

impl Contact {
    fn is_empty(&self) -> bool {
        [&self.phone, &self.email, &self.address]
            .iter()
            .all(|f| f.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// The identity document of a natural person (证件名称).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// 居民身份证 (GB 11643 number, check digit verified).
    ResidentIdCard,
    /// 港澳台居民居住证 (same 18-character layout, prefixes 81/82/83, check digit verified).
    ResidencePermit,
    /// 外国人永久居留身份证 (2023 layout, check digit verified).
    ForeignPermanentResidence,
    /// 护照.
    Passport,
    /// 港澳居民来往内地通行证.
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanPermit,
    /// 其他.
    Other,
}

impl IdType {
    pub const ALL: [IdType; 7] = [
        IdType::ResidentIdCard,
        IdType::ResidencePermit,
        IdType::ForeignPermanentResidence,
        IdType::Passport,
        IdType::HkMacaoPermit,
        IdType::TaiwanPermit,
        IdType::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            IdType::ResidentIdCard => "resident_id_card",
            IdType::ResidencePermit => "residence_permit",
            IdType::ForeignPermanentResidence => "foreign_permanent_residence",
            IdType::Passport => "passport",
            IdType::HkMacaoPermit => "hk_macao_permit",
            IdType::TaiwanPermit => "taiwan_permit",
            IdType::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdType::ResidentIdCard => "居民身份证",
            IdType::ResidencePermit => "港澳台居民居住证",
            IdType::ForeignPermanentResidence => "外国人永久居留身份证",
            IdType::Passport => "护照",
            IdType::HkMacaoPermit => "港澳居民来往内地通行证",
            IdType::TaiwanPermit => "台湾居民来往大陆通行证",
            IdType::Other => "其他",
        }
    }

    /// Accepts the key or the Chinese label.
    pub fn parse(s: &str) -> Option<IdType> {
        IdType::ALL
            .into_iter()
            .find(|t| t.key() == s || t.label() == s)
    }

    /// Whether numbers of this document carry the GB 11643 check digit.
    pub fn has_check_digit(self) -> bool {
        matches!(
            self,
            IdType::ResidentIdCard | IdType::ResidencePermit | IdType::ForeignPermanentResidence
        )
    }
}

/// The five organisation columns of table 三 (法人或其他组织).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 商业企业
    Commercial,
    /// 科研机构
    Research,
    /// 社会公益组织
    SocialWelfare,
    /// 法律服务机构
    LegalService,
    /// 其他
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Commercial,
        OrgKind::Research,
        OrgKind::SocialWelfare,
        OrgKind::LegalService,
        OrgKind::Other,
    ];

    pub fn t3_col(self) -> T3Col {
        match self {
            OrgKind::Commercial => T3Col::Commercial,
            OrgKind::Research => T3Col::Research,
            OrgKind::SocialWelfare => T3Col::SocialWelfare,
            OrgKind::LegalService => T3Col::LegalService,
            OrgKind::Other => T3Col::OtherOrg,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            OrgKind::Commercial => "commercial",
            OrgKind::Research => "research",
            OrgKind::SocialWelfare => "social_welfare",
            OrgKind::LegalService => "legal_service",
            OrgKind::Other => "other",
        }
    }

    /// The table 三 column label (`商业企业`, …).
    pub fn label(self) -> &'static str {
        self.t3_col().label()
    }

    /// Accepts the key or the Chinese label.
    pub fn parse(s: &str) -> Option<OrgKind> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.key() == s || k.label() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaturalPerson {
    pub name: String,
    pub id_type: IdType,
    /// Normalised (checked and uppercased for the check-digit documents).
    pub id_number: String,
    pub contact: Contact,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub kind: OrgKind,
    /// 统一社会信用代码, normalised and checked.
    pub credit_code: String,
    /// 联系人
    pub contact_person: String,
    pub contact: Contact,
}

/// Who applied. Build it with [`Applicant::person`] or [`Applicant::organisation`], which
/// validate; the serde form is for stored, already validated data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Applicant {
    Person(NaturalPerson),
    Organisation(Organisation),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicantError {
    #[error("{0} is required")]
    Required(&'static str),
    #[error("{0} contains a line break or an invisible control character")]
    Control(&'static str),
    #[error("ID number: {0}")]
    IdNumber(#[from] IdNumberError),
    #[error("unified social credit code: {0}")]
    CreditCode(#[from] CreditCodeError),
}

impl ApplicantError {
    /// The Chinese message for forms.
    pub fn message_zh(&self) -> String {
        match self {
            ApplicantError::Required(what) => format!("请填写{}", field_zh(what)),
            ApplicantError::Control(what) => {
                format!(
                    "{}含有换行或不可见的控制字符，请删除后重新填写",
                    field_zh(what)
                )
            }
            ApplicantError::IdNumber(IdNumberError::Checksum { expected, found }) => {
                format!("证件号码校验位错误：应为 {expected}，实际为 {found}")
            }
            ApplicantError::IdNumber(e) => format!("证件号码无效（{}）", e.code()),
            ApplicantError::CreditCode(CreditCodeError::Checksum { expected, found }) => {
                format!("统一社会信用代码校验位错误：应为 {expected}，实际为 {found}")
            }
            ApplicantError::CreditCode(e) => format!("统一社会信用代码无效（{}）", e.code()),
        }
    }
}

fn field_zh(what: &str) -> &'static str {
    match what {
        "name" => "姓名或名称",
        "id number" => "证件号码",
        "contact person" => "联系人",
        _ => "联系方式",
    }
}

fn required(s: &str, what: &'static str) -> Result<String, ApplicantError> {
    if crate::text::has_forbidden(s, false) {
        return Err(ApplicantError::Control(what));
    }
    // Only spaces or zero-width characters is nothing (BI-U-2).
    let t = crate::text::trim_invisible(s);
    if t.is_empty() {
        Err(ApplicantError::Required(what))
    } else {
        Ok(t.to_string())
    }
}

impl Applicant {
    /// A natural person; `today` bounds the birth date in a GB 11643 number.
    pub fn person(
        name: &str,
        id_type: IdType,
        id_number: &str,
        contact: Contact,
        today: Date,
    ) -> Result<Applicant, ApplicantError> {
        let name = required(name, "name")?;
        let id_number = if id_type.has_check_digit() {
            validate_id_number(id_number, today)?
        } else {
            required(id_number, "id number")?
        };
        if contact.is_empty() {
            return Err(ApplicantError::Required("contact"));
        }
        Ok(Applicant::Person(NaturalPerson {
            name,
            id_type,
            id_number,
            contact,
        }))
    }

    /// An organisation with its unified social credit code (checked).
    pub fn organisation(
        name: &str,
        kind: OrgKind,
        credit_code: &str,
        contact_person: &str,
        contact: Contact,
    ) -> Result<Applicant, ApplicantError> {
        let name = required(name, "name")?;
        let credit_code = validate_credit_code(credit_code)?;
        let contact_person = required(contact_person, "contact person")?;
        if contact.is_empty() {
            return Err(ApplicantError::Required("contact"));
        }
        Ok(Applicant::Organisation(Organisation {
            name,
            kind,
            credit_code,
            contact_person,
            contact,
        }))
    }

    /// The table 三 column this applicant is counted in.
    pub fn t3_col(&self) -> T3Col {
        match self {
            Applicant::Person(_) => T3Col::NaturalPerson,
            Applicant::Organisation(o) => o.kind.t3_col(),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Applicant::Person(p) => &p.name,
            Applicant::Organisation(o) => &o.name,
        }
    }

    pub fn contact(&self) -> &Contact {
        match self {
            Applicant::Person(p) => &p.contact,
            Applicant::Organisation(o) => &o.contact,
        }
    }
}
