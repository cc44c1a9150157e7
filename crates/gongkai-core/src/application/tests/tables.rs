//! The key/label/ALL tables of the application enums: a new variant does not compile until it
//! has a position in the exhaustive matches below, and fails until `ALL` holds it there and its
//! key and label parse back — so no variant can silently fail to parse.

use super::super::*;
use std::collections::BTreeSet;
use std::fmt::Debug;

/// `all[position(v)] == v` for every `v` of `all`, `all` has exactly `count` entries, keys and
/// labels are unique, and `parse` reads each key and each label back.
fn check<T: Copy + Eq + Debug>(
    all: &[T],
    count: usize,
    position: impl Fn(T) -> usize,
    key: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    parse: impl Fn(&str) -> Option<T>,
) {
    assert_eq!(all.len(), count, "{all:?}");
    let keys: BTreeSet<_> = all.iter().map(|v| key(*v)).collect();
    let labels: BTreeSet<_> = all.iter().map(|v| label(*v)).collect();
    assert_eq!((keys.len(), labels.len()), (count, count), "{all:?}");
    for v in all {
        assert_eq!(
            all.get(position(*v)),
            Some(v),
            "{v:?} is not at its position"
        );
        assert_eq!(parse(key(*v)), Some(*v), "{v:?}: key {}", key(*v));
    }
}

#[test]
fn phase_table_is_complete() {
    let p = |v| match v {
        Phase::Processing => 0,
        Phase::AwaitingSupplement => 1,
        Phase::Concluded => 2,
        Phase::Withdrawn => 3,
    };
    check(&Phase::ALL, 4, p, Phase::key, Phase::label, Phase::from_key);
}

#[test]
fn channel_and_delivery_tables_are_complete() {
    let p = |v| match v {
        Channel::InPerson => 0,
        Channel::Mail => 1,
        Channel::OrdinaryLetter => 2,
        Channel::Online => 3,
        Channel::Fax => 4,
        Channel::Email => 5,
    };
    check(
        &Channel::ALL,
        6,
        p,
        Channel::key,
        Channel::label,
        Channel::parse,
    );
    let p = |v| match v {
        Delivery::Collect => 0,
        Delivery::Post => 1,
        Delivery::Express => 2,
        Delivery::Email => 3,
        Delivery::Fax => 4,
    };
    check(
        &Delivery::ALL,
        5,
        p,
        Delivery::key,
        Delivery::label,
        Delivery::parse,
    );
    let p = |v| match v {
        ServedBy::InPerson => 0,
        ServedBy::Post => 1,
        ServedBy::Express => 2,
        ServedBy::Email => 3,
        ServedBy::Fax => 4,
        ServedBy::Online => 5,
    };
    check(
        &ServedBy::ALL,
        6,
        p,
        ServedBy::key,
        ServedBy::label,
        ServedBy::parse,
    );
}

#[test]
fn applicant_tables_are_complete() {
    let p = |v| match v {
        IdType::ResidentIdCard => 0,
        IdType::ResidencePermit => 1,
        IdType::ForeignPermanentResidence => 2,
        IdType::Passport => 3,
        IdType::HkMacaoPermit => 4,
        IdType::TaiwanPermit => 5,
        IdType::Other => 6,
    };
    check(
        &IdType::ALL,
        7,
        p,
        IdType::key,
        IdType::label,
        IdType::parse,
    );
    let p = |v| match v {
        OrgKind::Commercial => 0,
        OrgKind::Research => 1,
        OrgKind::SocialWelfare => 2,
        OrgKind::LegalService => 3,
        OrgKind::Other => 4,
    };
    check(
        &OrgKind::ALL,
        5,
        p,
        OrgKind::key,
        OrgKind::label,
        OrgKind::parse,
    );
}

#[test]
fn consultation_tables_are_complete() {
    let p = |v| match v {
        ConsultKind::ThirdParty => 0,
        ConsultKind::CoMaker => 1,
    };
    check(
        &ConsultKind::ALL,
        2,
        p,
        ConsultKind::key,
        ConsultKind::label,
        ConsultKind::parse,
    );
    let p = |v| match v {
        ConsultAnswer::Consented => 0,
        ConsultAnswer::Objected => 1,
        ConsultAnswer::NoAnswer => 2,
    };
    check(
        &ConsultAnswer::ALL,
        3,
        p,
        ConsultAnswer::key,
        ConsultAnswer::label,
        ConsultAnswer::parse,
    );
}

#[test]
fn outcome_table_is_complete() {
    let p = |v| match v {
        Outcome::Granted => 0,
        Outcome::Partial => 1,
        Outcome::DeniedStateSecret => 2,
        Outcome::DeniedLawProhibited => 3,
        Outcome::DeniedSecurityStability => 4,
        Outcome::DeniedThirdParty => 5,
        Outcome::DeniedInternalAffairs => 6,
        Outcome::DeniedProcessInfo => 7,
        Outcome::DeniedEnforcementFile => 8,
        Outcome::DeniedAdminQuery => 9,
        Outcome::UnableNotHeld => 10,
        Outcome::UnableNeedsCreation => 11,
        Outcome::UnableStillUnclear => 12,
        Outcome::NotProcessedPetition => 13,
        Outcome::NotProcessedRepeat => 14,
        Outcome::NotProcessedPublication => 15,
        Outcome::NotProcessedMassRepeat => 16,
        Outcome::NotProcessedConfirmReissue => 17,
        Outcome::OtherNoCorrection => 18,
        Outcome::OtherFeeUnpaid => 19,
        Outcome::OtherOther => 20,
    };
    check(
        &Outcome::ALL,
        21,
        p,
        Outcome::key,
        Outcome::label,
        Outcome::from_key,
    );
}
