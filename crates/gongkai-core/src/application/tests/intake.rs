use super::super::*;
use crate::report::{T3Col, T3Row};
use time::macros::date;

#[test]
fn outcomes_map_to_the_21_leaf_rows() {
    let rows: std::collections::BTreeSet<T3Row> = Outcome::ALL.iter().map(|o| o.t3_row()).collect();
    assert_eq!(rows.len(), 21);
    for o in Outcome::ALL {
        assert_eq!(Outcome::from_key(o.key()), Some(o));
        assert_eq!(Outcome::from_t3_row(o.t3_row()), Some(o));
    }
    assert_eq!(
        Outcome::Partial.label(),
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    );
    assert_eq!(
        Outcome::DeniedThirdParty.group_label(),
        Some("（三）不予公开")
    );
    assert_eq!(Outcome::from_t3_row(T3Row::NewReceived), None);
}

#[test]
fn applicant_columns_and_validation() {
    let contact = Contact {
        phone: Some("13800000000".into()),
        ..Contact::default()
    };
    let today = date!(2026 - 11 - 28);
    let p = Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        "11010519491231002x",
        contact.clone(),
        today,
    )
    .expect("valid");
    assert_eq!(p.t3_col(), T3Col::NaturalPerson);
    let Applicant::Person(pp) = &p else {
        panic!("person")
    };
    assert_eq!(pp.id_number, "11010519491231002X");
    let e = Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        "110105194912310021",
        contact.clone(),
        today,
    )
    .expect_err("bad");
    assert_eq!(e.message_zh(), "证件号码校验位错误：应为 X，实际为 1");
    assert!(
        Applicant::person(
            "张三",
            IdType::Passport,
            "E12345678",
            contact.clone(),
            today
        )
        .is_ok()
    );
    assert!(Applicant::person("张三", IdType::Passport, "E1", Contact::default(), today).is_err());
    let o = Applicant::organisation(
        "某律师事务所",
        OrgKind::LegalService,
        "91110108MA0000001D",
        "李四",
        contact.clone(),
    )
    .expect("valid");
    assert_eq!(o.t3_col(), T3Col::LegalService);
    for k in OrgKind::ALL {
        assert_eq!(OrgKind::parse(k.label()), Some(k));
    }
    assert_eq!(OrgKind::Other.label(), "其他");
    assert!(
        Applicant::organisation(
            "某公司",
            OrgKind::Commercial,
            "91110108MA0000001E",
            "李四",
            contact
        )
        .is_err()
    );
}

#[test]
fn receipt_dates_follow_article_31() {
    let arrived = date!(2021 - 09 - 28);
    let confirmed = date!(2021 - 09 - 30);
    let facts = ReceiptFacts {
        arrived_on: arrived,
        confirmed_on: Some(confirmed),
    };
    assert_eq!(Channel::InPerson.receipt_date(facts), Ok(arrived));
    assert_eq!(Channel::Mail.receipt_date(facts), Ok(arrived));
    assert_eq!(Channel::Email.receipt_date(facts), Ok(arrived));
    assert_eq!(Channel::OrdinaryLetter.receipt_date(facts), Ok(confirmed));
    assert_eq!(Channel::Online.receipt_date(facts), Ok(confirmed));
    assert_eq!(Channel::Fax.receipt_date(facts), Ok(confirmed));
    let unconfirmed = ReceiptFacts {
        arrived_on: arrived,
        confirmed_on: None,
    };
    assert!(matches!(
        Channel::Online.receipt_date(unconfirmed),
        Err(ReceiptError::NotConfirmed { .. })
    ));
    let backwards = ReceiptFacts {
        arrived_on: confirmed,
        confirmed_on: Some(arrived),
    };
    assert!(Channel::InPerson.receipt_date(backwards).is_err());
    for c in Channel::ALL {
        assert_eq!(Channel::parse(c.label()), Some(c));
    }
}
