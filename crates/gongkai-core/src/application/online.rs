//! The online application form (网上申请, docs/online-applications.md): the fields of a
//! 政府信息公开申请表 (Art. 29: name, proof of identity, contact, a description of the
//! information, the form and way of delivery) as a citizen types them, checked field by field
//! with a Chinese message for each, and turned into the [`Applicant`] and request the office
//! records. Nothing here is stored or sent: the form's raw text goes in, either a complete
//! [`OnlineApplication`] or every field's error comes out.

use super::applicant::{Applicant, Contact, IdType, OrgKind};
use super::channel::Delivery;
use crate::checksum::{
    CreditCodeError, IdNumberError, fold_width, validate_credit_code, validate_id_number,
};
use serde::{Deserialize, Serialize};
use time::Date;

/// Who applies: a natural person (自然人) or an organisation of one of the five kinds of table
/// 三, which decides the column the case is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicantType {
    Person,
    Organisation(OrgKind),
}

impl ApplicantType {
    pub const ALL: [ApplicantType; 6] = [
        ApplicantType::Person,
        ApplicantType::Organisation(OrgKind::Commercial),
        ApplicantType::Organisation(OrgKind::Research),
        ApplicantType::Organisation(OrgKind::SocialWelfare),
        ApplicantType::Organisation(OrgKind::LegalService),
        ApplicantType::Organisation(OrgKind::Other),
    ];

    /// The form value: `natural_person` or the organisation kind's key.
    pub fn key(self) -> &'static str {
        match self {
            ApplicantType::Person => "natural_person",
            ApplicantType::Organisation(k) => k.key(),
        }
    }

    /// The label on the form (the table 三 column, `其他` said as `其他组织`).
    pub fn label(self) -> &'static str {
        match self {
            ApplicantType::Person => "自然人",
            ApplicantType::Organisation(OrgKind::Other) => "其他组织",
            ApplicantType::Organisation(k) => k.label(),
        }
    }

    pub fn parse(s: &str) -> Option<ApplicantType> {
        ApplicantType::ALL.into_iter().find(|t| t.key() == s)
    }
}

/// 所需信息的指定提供方式 (the form of the information; several may be ticked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    /// 纸面
    Paper,
    /// 电子邮件
    Email,
    /// 光盘
    Disc,
    /// 磁盘
    Disk,
}

impl Medium {
    pub const ALL: [Medium; 4] = [Medium::Paper, Medium::Email, Medium::Disc, Medium::Disk];

    pub fn key(self) -> &'static str {
        match self {
            Medium::Paper => "paper",
            Medium::Email => "email",
            Medium::Disc => "disc",
            Medium::Disk => "disk",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Medium::Paper => "纸面",
            Medium::Email => "电子邮件",
            Medium::Disc => "光盘",
            Medium::Disk => "磁盘",
        }
    }

    pub fn parse(s: &str) -> Option<Medium> {
        Medium::ALL.into_iter().find(|m| m.key() == s)
    }
}

/// The form in which the applicant wants the information (Art. 29(三) 形式要求).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    /// In the order of [`Medium::ALL`], each once.
    pub media: Vec<Medium>,
    /// 若本机关无法按照指定方式提供所需信息，也可接受其他方式.
    pub accept_other: bool,
}

impl Provision {
    /// `纸面、电子邮件（也可接受其他方式）`.
    pub fn label(&self) -> String {
        let media: Vec<&str> = self.media.iter().map(|m| m.label()).collect();
        let mut s = media.join("、");
        if self.accept_other {
            s.push_str("（也可接受其他方式）");
        }
        s
    }
}

/// The form's field names (the HTML `name`s; errors are keyed by them).
pub mod field {
    pub const APPLICANT_TYPE: &str = "applicant_type";
    pub const NAME: &str = "name";
    pub const ID_TYPE: &str = "id_type";
    pub const ID_NUMBER: &str = "id_number";
    pub const ORG_NAME: &str = "org_name";
    pub const CREDIT_CODE: &str = "credit_code";
    pub const CONTACT_PERSON: &str = "contact_person";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
    pub const ADDRESS: &str = "address";
    pub const POSTCODE: &str = "postcode";
    /// The group "at least one way to reach the applicant".
    pub const CONTACT: &str = "contact";
    pub const DESCRIPTION: &str = "description";
    pub const DELIVERY: &str = "delivery";
    pub const MEDIA: &str = "media";
    pub const ACCEPT_OTHER: &str = "accept_other";
}

/// The most characters (Unicode scalar values) a field takes; the form's `maxlength` is the
/// same number, so the browser and the server count alike.
pub fn max_chars(name: &str) -> usize {
    match name {
        field::NAME | field::CONTACT_PERSON => 64,
        field::ID_NUMBER | field::CREDIT_CODE | field::PHONE => 32,
        field::ORG_NAME => 100,
        field::EMAIL => 254,
        field::ADDRESS => 200,
        field::POSTCODE => 10,
        field::DESCRIPTION => 2000,
        _ => 64,
    }
}

/// The form as typed. Every text is taken as it came; [`OnlineForm::parse`] decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnlineForm {
    /// [`ApplicantType::key`].
    pub applicant_type: String,
    /// A natural person's name (自然人 only).
    pub name: String,
    /// [`IdType::key`].
    pub id_type: String,
    pub id_number: String,
    /// An organisation's name (法人或其他组织 only).
    pub org_name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    /// 所需信息的内容描述.
    pub description: String,
    /// [`Delivery::key`].
    pub delivery: String,
    /// [`Medium::key`]s.
    pub media: Vec<String>,
    pub accept_other: bool,
}

/// What is wrong with one field, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// A name of [`field`].
    pub field: &'static str,
    pub message: String,
}

/// Every field's error, in the order of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    /// The message for a field, if it has one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A complete, checked online application. Only [`OnlineForm::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineApplication {
    applicant: Applicant,
    description: String,
    delivery: Delivery,
    provision: Provision,
}

impl OnlineApplication {
    pub fn applicant(&self) -> &Applicant {
        &self.applicant
    }

    /// 所需信息的内容描述, trimmed, line ends as `\n`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// 获取信息的方式.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// 所需信息的指定提供方式.
    pub fn provision(&self) -> &Provision {
        &self.provision
    }
}

fn forbidden(c: char, multi_line: bool) -> bool {
    crate::text::forbidden_char(c, multi_line)
}

struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        if self.errors.iter().all(|e| e.field != field) {
            self.errors.push(FieldError {
                field,
                message: message.into(),
            });
        }
    }

    /// A text field: at most [`max_chars`], no forbidden character, trimmed (also the
    /// ideographic space); `None` when wrong (the error recorded), `Some("")` when empty and
    /// optional.
    fn text(
        &mut self,
        name: &'static str,
        label: &str,
        value: &str,
        required: bool,
        multi_line: bool,
    ) -> Option<String> {
        let max = max_chars(name);
        let n = value.chars().count();
        if n > max {
            self.fail(name, format!("{label}不能超过{max}个字（现有{n}个）"));
            return None;
        }
        if value.chars().any(|c| forbidden(c, multi_line)) {
            let what = if multi_line {
                "不可见的控制字符"
            } else {
                "换行或不可见的控制字符"
            };
            self.fail(name, format!("{label}含有{what}，请删除后重新填写"));
            return None;
        }
        // Only spaces or zero-width characters is nothing (BI-U-2).
        let t = crate::text::trim_invisible(value);
        if required && t.is_empty() {
            self.fail(name, format!("请填写{label}"));
            return None;
        }
        Some(if multi_line {
            t.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            t.to_string()
        })
    }

    /// A name (of a person, an organisation, a contact): a text field that also takes no
    /// zero-width character inside, where it would make two names that look alike differ
    /// (BI-U-2; at either end [`Check::text`] already trims it).
    fn name(&mut self, name: &'static str, label: &str, value: &str) -> Option<String> {
        let t = self.text(name, label, value, true, false)?;
        if t.chars()
            .any(|c| crate::text::is_invisible(c) && !c.is_whitespace())
        {
            self.fail(
                name,
                format!("{label}含有不可见的字符（如零宽空格），请删除后重新填写"),
            );
            return None;
        }
        Some(t)
    }
}

/// The middle dots of names of ethnic minorities and foreigners (`阿依古丽·买买提`) as one
/// character, U+00B7, whichever look-alike was typed.
fn normalise_name(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2022}' | '\u{30FB}' | '\u{FF0E}' | '\u{2027}' | '\u{FF65}' => '\u{00B7}',
            c => c,
        })
        .collect()
}

fn id_number_zh(e: &IdNumberError) -> String {
    match e {
        IdNumberError::Empty => "请填写证件号码".into(),
        IdNumberError::Length(n) => format!("证件号码应为18位，您填写了{n}位"),
        IdNumberError::Legacy15 => "15位的第一代居民身份证号码已停止使用，请填写18位号码".into(),
        IdNumberError::Format { position, .. } => format!(
            "证件号码第{position}位不符合要求：前17位应为数字，最后一位为数字或X，中间不能有空格或其他符号"
        ),
        IdNumberError::BirthDate(d) => format!("证件号码中的出生日期{d}不是有效的日期"),
        IdNumberError::Region(r) => format!(
            "证件号码前两位{}不是有效的省级行政区划代码",
            r.get(..2).unwrap_or(r)
        ),
        IdNumberError::Checksum { .. } => {
            "证件号码未通过校验（最后一位校验码不符），请逐位核对是否输错或颠倒了数字".into()
        }
    }
}

fn credit_code_zh(e: &CreditCodeError) -> String {
    match e {
        CreditCodeError::Empty => "请填写统一社会信用代码".into(),
        CreditCodeError::Length(n) => format!("统一社会信用代码应为18位，您填写了{n}位"),
        CreditCodeError::Legacy(_, what) => {
            format!("您填写的是旧的{what}，请填写18位统一社会信用代码")
        }
        CreditCodeError::Charset { position, .. } => format!(
            "统一社会信用代码第{position}位不符合要求：只用数字和大写字母（不用I、O、Z、S、V），中间不能有空格"
        ),
        CreditCodeError::Semantic(s) => {
            format!("统一社会信用代码前两位{s}不是有效的登记管理部门和机构类别代码")
        }
        CreditCodeError::Division(_) => "统一社会信用代码第3至8位应为行政区划代码".into(),
        CreditCodeError::Checksum { .. } => {
            "统一社会信用代码未通过校验（最后一位校验码不符），请逐位核对".into()
        }
    }
}

/// A mobile or fixed-line number, possibly with a country code, area code, hyphens, spaces,
/// brackets and an extension (`转123`): 7 to 20 digits, a `+` only in front. A mainland mobile
/// number — a `1` first, once `+86`, `0086` or `86` is taken off — has 11 digits, the second 3
/// to 9 (BI-PH-3, BI-PH-4); a landline (`0…`) and a number abroad (`+852 …`) are only counted.
fn phone_check(s: &str) -> Result<(), String> {
    let s = fold_width(s);
    let format =
        || "联系电话格式有误：请填写手机号码或带区号的固定电话（可含“-”和分机号）".to_string();
    let mut digits = String::new();
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '(' | ')' | '（' | '）' | '转' => {}
            _ => return Err(format()),
        }
    }
    if !(7..=20).contains(&digits.len()) {
        return Err(format());
    }
    // The number within the mainland, and whether it came with the country code (then
    // Beijing's landlines start `10`, their trunk `0` dropped); none for a number abroad.
    let national = if s.starts_with('+') {
        digits.strip_prefix("86").map(|d| (d, true))
    } else if let Some(d) = digits.strip_prefix("0086") {
        Some((d, true))
    } else if digits.starts_with("00") {
        None
    } else if digits.len() == 13 && digits.starts_with("861") {
        Some((&digits[2..], true))
    } else {
        Some((digits.as_str(), false))
    };
    if let Some((n, international)) = national
        && n.starts_with('1')
        && !(international && n.starts_with("10"))
        && !s.contains('转')
    {
        if n.len() != 11 {
            return Err(format!("手机号码应为11位数字，您填写了{}位", n.len()));
        }
        if !matches!(n.as_bytes()[1], b'3'..=b'9') {
            return Err(format!("“{n}”不是有效的手机号码：第二位应为3至9，请核对"));
        }
    }
    Ok(())
}

fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| {
            c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '"' | '\\' | '(' | ')')
        })
}

impl OnlineForm {
    /// Checks every field and returns the application, or each wrong field's message (all of
    /// them, not the first only). `today` bounds the birth date in an ID number.
    pub fn parse(&self, today: Date) -> Result<OnlineApplication, FormErrors> {
        let mut c = Check { errors: Vec::new() };
        let kind = ApplicantType::parse(self.applicant_type.trim());
        if kind.is_none() {
            c.fail(
                field::APPLICANT_TYPE,
                "请选择申请人类型：自然人，或法人或者其他组织的类别",
            );
        }

        // The applicant's identity: only the part of the chosen type is read.
        let mut identity: Option<(String, IdType, String)> = None;
        let mut organisation: Option<(String, OrgKind, String, String)> = None;
        match kind {
            Some(ApplicantType::Person) => {
                let name = c.name(field::NAME, "姓名", &self.name);
                let id_type = IdType::parse(self.id_type.trim());
                if id_type.is_none() {
                    c.fail(field::ID_TYPE, "请选择证件类型");
                }
                let number = c.text(field::ID_NUMBER, "证件号码", &self.id_number, true, false);
                let number = match (id_type, number) {
                    (Some(t), Some(n)) if t.has_check_digit() => {
                        match validate_id_number(&n, today) {
                            Ok(n) => Some(n),
                            Err(e) => {
                                c.fail(field::ID_NUMBER, id_number_zh(&e));
                                None
                            }
                        }
                    }
                    (_, n) => n,
                };
                if let (Some(name), Some(t), Some(n)) = (name, id_type, number) {
                    identity = Some((normalise_name(&name), t, n));
                }
            }
            Some(ApplicantType::Organisation(k)) => {
                let name = c.name(field::ORG_NAME, "法人或者其他组织名称", &self.org_name);
                let code = c
                    .text(
                        field::CREDIT_CODE,
                        "统一社会信用代码",
                        &self.credit_code,
                        true,
                        false,
                    )
                    .and_then(|s| match validate_credit_code(&s) {
                        Ok(s) => Some(s),
                        Err(e) => {
                            c.fail(field::CREDIT_CODE, credit_code_zh(&e));
                            None
                        }
                    });
                let person = c.name(field::CONTACT_PERSON, "联系人姓名", &self.contact_person);
                if let (Some(n), Some(code), Some(p)) = (name, code, person) {
                    organisation = Some((n, k, code, normalise_name(&p)));
                }
            }
            None => {}
        }

        // How to reach the applicant.
        let phone = c
            .text(field::PHONE, "联系电话", &self.phone, false, false)
            .filter(|p| match phone_check(p) {
                _ if p.is_empty() => true,
                Ok(()) => true,
                Err(message) => {
                    c.fail(field::PHONE, message);
                    false
                }
            });
        let email = c
            .text(field::EMAIL, "电子邮箱", &self.email, false, false)
            .map(|e| fold_width(&e))
            .filter(|e| {
                let ok = e.is_empty() || email_ok(e);
                if !ok {
                    c.fail(field::EMAIL, "电子邮箱格式有误，例如 zhangsan@example.com");
                }
                ok
            });
        let address = c.text(field::ADDRESS, "通信地址", &self.address, false, false);
        let postcode = c
            .text(field::POSTCODE, "邮政编码", &self.postcode, false, false)
            .map(|p| fold_width(&p))
            .filter(|p| {
                let ok = p.is_empty() || (p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    c.fail(field::POSTCODE, "邮政编码应为6位数字");
                }
                ok
            });
        let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        let any_valid = given(&phone) || given(&email) || given(&address);
        let any_typed = [&self.phone, &self.email, &self.address]
            .iter()
            .any(|s| !s.trim().is_empty());
        if !any_valid && !any_typed {
            c.fail(
                field::CONTACT,
                "请至少填写一种联系方式：联系电话、电子邮箱或通信地址",
            );
        }

        // What is asked for and how it is to be provided.
        let description = c.text(
            field::DESCRIPTION,
            "所需信息的内容描述",
            &self.description,
            true,
            true,
        );
        let delivery = Delivery::parse(self.delivery.trim());
        match delivery {
            None => c.fail(field::DELIVERY, "请选择获取信息的方式"),
            Some(Delivery::Email) if !given(&email) && self.email.trim().is_empty() => {
                c.fail(field::EMAIL, "选择以电子邮件获取信息时，请填写电子邮箱")
            }
            Some(Delivery::Post | Delivery::Express)
                if !given(&address) && self.address.trim().is_empty() =>
            {
                c.fail(field::ADDRESS, "选择邮寄或快递获取信息时，请填写通信地址")
            }
            Some(Delivery::Fax) if !given(&phone) && self.phone.trim().is_empty() => c.fail(
                field::PHONE,
                "选择以传真获取信息时，请在联系电话中填写传真号码",
            ),
            Some(_) => {}
        }
        let mut media = Vec::new();
        for m in &self.media {
            match Medium::parse(m.trim()) {
                Some(m) => media.push(m),
                None => c.fail(field::MEDIA, "所需信息的指定提供方式中有无效的选项"),
            }
        }
        media.sort();
        media.dedup();
        if media.is_empty() {
            c.fail(field::MEDIA, "请至少选择一种所需信息的指定提供方式");
        }

        let opt = |v: Option<String>| v.filter(|s| !s.is_empty());
        let contact = Contact {
            phone: opt(phone),
            email: opt(email),
            address: opt(address),
            postcode: opt(postcode),
        };
        let applicant = match (identity, organisation) {
            (Some((name, t, n)), _) => Applicant::person(&name, t, &n, contact, today).ok(),
            (_, Some((name, k, code, person))) => {
                Applicant::organisation(&name, k, &code, &person, contact).ok()
            }
            _ => None,
        };
        c.errors
            .sort_by_key(|e| FIELD_ORDER.iter().position(|f| *f == e.field));
        match (applicant, description, delivery, c.errors.is_empty()) {
            (Some(applicant), Some(description), Some(delivery), true) => Ok(OnlineApplication {
                applicant,
                description,
                delivery,
                provision: Provision {
                    media,
                    accept_other: self.accept_other,
                },
            }),
            _ => {
                if c.errors.is_empty() {
                    // Every field passed but the applicant did not (cannot happen while the
                    // checks above cover the constructors'): say so rather than accept.
                    c.fail(field::APPLICANT_TYPE, "申请人信息不完整，请核对");
                }
                Err(FormErrors(c.errors))
            }
        }
    }
}

/// The order of the fields on the form, for listing errors.
const FIELD_ORDER: [&str; 16] = [
    field::APPLICANT_TYPE,
    field::NAME,
    field::ID_TYPE,
    field::ID_NUMBER,
    field::ORG_NAME,
    field::CREDIT_CODE,
    field::CONTACT_PERSON,
    field::CONTACT,
    field::PHONE,
    field::EMAIL,
    field::ADDRESS,
    field::POSTCODE,
    field::DESCRIPTION,
    field::DELIVERY,
    field::MEDIA,
    field::ACCEPT_OTHER,
];

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 02);

    fn person() -> OnlineForm {
        OnlineForm {
            applicant_type: "natural_person".into(),
            name: "张三".into(),
            id_type: "resident_id_card".into(),
            id_number: "11010519491231002X".into(),
            phone: "13800000000".into(),
            description: "2025年部门预算".into(),
            delivery: "email".into(),
            email: "zhangsan@example.com".into(),
            media: vec!["email".into()],
            ..OnlineForm::default()
        }
    }

    fn errors(f: &OnlineForm) -> FormErrors {
        f.parse(TODAY).expect_err("refused")
    }

    #[test]
    fn a_complete_person_form_parses() {
        let a = person().parse(TODAY).expect("valid");
        assert_eq!(a.applicant().name(), "张三");
        assert_eq!(a.delivery(), Delivery::Email);
        assert_eq!(a.provision().media, vec![Medium::Email]);
        assert_eq!(a.applicant().t3_col(), crate::report::T3Col::NaturalPerson);
    }

    #[test]
    fn an_organisation_form_decides_the_column() {
        let f = OnlineForm {
            applicant_type: "research".into(),
            org_name: "某某研究院".into(),
            credit_code: "91350100M000100Y43".into(),
            contact_person: "李四".into(),
            ..person()
        };
        let a = f.parse(TODAY).expect("valid");
        assert_eq!(a.applicant().t3_col(), OrgKind::Research.t3_col());
    }

    #[test]
    fn bi_id_3_a_wrong_check_digit_is_refused_with_a_chinese_message() {
        let f = OnlineForm {
            id_number: "110105194912310021".into(),
            ..person()
        };
        let e = errors(&f);
        assert!(e.get(field::ID_NUMBER).expect("msg").contains("校验"));
        assert_eq!(e.0.len(), 1);
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let f = OnlineForm {
            applicant_type: "natural_person".into(),
            name: " \u{3000}".into(),
            id_number: "123".into(),
            id_type: "resident_id_card".into(),
            phone: "abc".into(),
            email: "no-at-sign".into(),
            postcode: "12".into(),
            description: String::new(),
            delivery: "pigeon".into(),
            media: vec!["tape".into()],
            ..OnlineForm::default()
        };
        let e = errors(&f);
        for name in [
            field::NAME,
            field::ID_NUMBER,
            field::PHONE,
            field::EMAIL,
            field::POSTCODE,
            field::DESCRIPTION,
            field::DELIVERY,
            field::MEDIA,
        ] {
            let m = e.get(name).unwrap_or_else(|| panic!("{name}: {e:?}"));
            assert!(m.chars().any(|c| c > '\u{2e80}'), "{name}: {m}");
        }
        assert_eq!(e.get(field::NAME), Some("请填写姓名"));
    }

    #[test]
    fn bi_ph_a_mainland_mobile_number_has_11_digits_and_a_known_second_digit() {
        for ok in [
            "13812345678",
            "+86 138 1234 5678",
            "0086-138-1234-5678",
            "8613812345678",
            "１３８１２３４５６７８",
            "010-12345678",
            "(0755)1234567",
            "021-12345678转123",
            "+852 9123 4567",
            "+1 202 555 0100",
            "+86 10 1234 5678",
            "0086-10-12345678",
        ] {
            assert_eq!(phone_check(ok), Ok(()), "{ok}");
        }
        for (bad, message) in [
            ("1381234567", "手机号码应为11位数字，您填写了10位"),
            ("138123456789", "手机号码应为11位数字，您填写了12位"),
            ("+86 138123456", "手机号码应为11位数字，您填写了9位"),
            ("12812345678", "“12812345678”不是有效的手机号码"),
            ("10086000000", "“10086000000”不是有效的手机号码"),
            ("+86+8613812345678", "联系电话格式有误"),
            ("138\u{200B}1234\u{200B}5678", "联系电话格式有误"),
            ("138abcd5678", "联系电话格式有误"),
        ] {
            let e = phone_check(bad).expect_err(bad);
            assert!(e.starts_with(message), "{bad}: {e}");
        }
    }

    #[test]
    fn bi_u_2_a_zero_width_character_inside_a_name_is_refused() {
        let e = errors(&OnlineForm {
            name: "张\u{200B}三".into(),
            ..person()
        });
        assert!(
            e.get(field::NAME).expect("name").contains("不可见的字符"),
            "{e:?}"
        );
        // At either end it is trimmed; a space inside a foreign name stays.
        let a = OnlineForm {
            name: "\u{200B}John Smith\u{FEFF}".into(),
            ..person()
        };
        assert!(
            a.parse(TODAY).is_err(),
            "a byte-order mark is refused outright"
        );
        let a = OnlineForm {
            name: "\u{200B}John Smith".into(),
            ..person()
        }
        .parse(TODAY)
        .expect("valid");
        assert_eq!(a.applicant().name(), "John Smith");
    }

    #[test]
    fn bi_f_1_a_field_over_its_length_is_refused_before_parsing() {
        let f = OnlineForm {
            id_number: "1".repeat(10_000),
            description: "字".repeat(2001),
            ..person()
        };
        let e = errors(&f);
        assert!(
            e.get(field::ID_NUMBER)
                .expect("id")
                .contains("不能超过32个字")
        );
        assert!(
            e.get(field::DESCRIPTION)
                .expect("d")
                .contains("不能超过2000个字")
        );
        // Exactly at the limit is fine (counted in characters, not bytes).
        let ok = OnlineForm {
            description: "𠮷".repeat(2000),
            ..person()
        };
        assert!(ok.parse(TODAY).is_ok());
    }

    #[test]
    fn bi_f_4_control_characters_are_refused_and_script_is_just_text() {
        for bad in ["张\u{0}三", "张\u{202E}三", "张\n三", "张\u{2028}三"] {
            let f = OnlineForm {
                name: bad.into(),
                ..person()
            };
            assert!(errors(&f).get(field::NAME).is_some(), "{bad:?}");
        }
        let f = OnlineForm {
            description: "<script>alert(1)</script>\r\n第二行".into(),
            ..person()
        };
        let a = f.parse(TODAY).expect("script is text");
        assert_eq!(a.description(), "<script>alert(1)</script>\n第二行");
    }

    #[test]
    fn bi_f_2_zero_width_only_fields_are_empty() {
        for blank in [
            "\u{200B}\u{200B}",
            "\u{3000}\u{200C}\u{200D}",
            "\u{00A0}\u{2060}",
        ] {
            let f = OnlineForm {
                name: blank.into(),
                description: blank.into(),
                ..person()
            };
            let e = errors(&f);
            assert!(
                e.get(field::NAME).is_some_and(|m| m.contains("请填写")),
                "{blank:?}: {e:?}"
            );
            assert!(
                e.get(field::DESCRIPTION)
                    .is_some_and(|m| m.contains("请填写")),
                "{blank:?}: {e:?}"
            );
        }
        let f = OnlineForm {
            description: "\u{200B}2021年预算\u{200B}".into(),
            ..person()
        };
        assert_eq!(f.parse(TODAY).expect("text").description(), "2021年预算");
    }

    #[test]
    fn contact_and_delivery_go_together() {
        let f = OnlineForm {
            phone: String::new(),
            email: String::new(),
            delivery: "collect".into(),
            ..person()
        };
        let e = errors(&f);
        assert!(e.get(field::CONTACT).is_some());
        assert_eq!(e.0.len(), 1, "{e:?}");
        let f = OnlineForm {
            email: String::new(),
            ..person()
        };
        assert!(
            errors(&f)
                .get(field::EMAIL)
                .expect("email")
                .contains("电子邮件")
        );
        let f = OnlineForm {
            delivery: "post".into(),
            ..person()
        };
        assert!(errors(&f).get(field::ADDRESS).is_some());
    }

    #[test]
    fn names_keep_one_middle_dot_and_other_fields_normalise() {
        let f = OnlineForm {
            name: "阿依古丽•买买提".into(),
            id_number: " １１０１０５１９４９１２３１００２ｘ ".into(),
            postcode: "２５５０００".into(),
            media: vec!["paper".into(), "email".into(), "paper".into()],
            ..person()
        };
        let a = f.parse(TODAY).expect("valid");
        assert_eq!(a.applicant().name(), "阿依古丽·买买提");
        match a.applicant() {
            Applicant::Person(p) => assert_eq!(p.id_number, "11010519491231002X"),
            other => panic!("{other:?}"),
        }
        assert_eq!(a.applicant().contact().postcode.as_deref(), Some("255000"));
        assert_eq!(a.provision().media, vec![Medium::Paper, Medium::Email]);
    }

    #[test]
    fn a_wrong_credit_code_is_refused() {
        let f = OnlineForm {
            applicant_type: "commercial".into(),
            org_name: "某某公司".into(),
            credit_code: "91350100M000100Y44".into(),
            contact_person: "李四".into(),
            ..person()
        };
        assert!(
            errors(&f)
                .get(field::CREDIT_CODE)
                .expect("code")
                .contains("校验")
        );
    }
}
