use super::*;
use crate::report::keys::{CellRef, T4Col, T4Group, T4Outcome};
use crate::report::{AnnualReport, Source, Value, check};
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2025 - 06 - 30);

fn col(group: T4Group, outcome: T4Outcome) -> T4Col {
    T4Col { group, outcome }
}

fn case(
    number: &str,
    kind: RemedyKind,
    filed_on: Date,
    decided: Option<(Date, RemedyOutcome)>,
) -> Table4Case {
    Table4Case {
        number: number.into(),
        kind,
        filed_on,
        decided,
    }
}

fn records(t: &crate::report::Table4, c: T4Col) -> Vec<String> {
    match &t.get(c).source {
        Some(Source::Computed { records }) => records.clone(),
        other => panic!("{}: {other:?}", c.key()),
    }
}

fn count(t: &crate::report::Table4, c: T4Col) -> u64 {
    match t.get(c).value {
        Value::Count(n) => n,
        ref v => panic!("{}: {v:?}", c.key()),
    }
}

#[test]
fn kinds_and_outcomes_parse_by_key_argument_and_label() {
    for k in RemedyKind::ALL {
        assert_eq!(RemedyKind::parse(k.key()), Some(k));
        assert_eq!(RemedyKind::parse(k.arg()), Some(k));
        assert_eq!(RemedyKind::parse(&k.arg().replace('-', "_")), Some(k));
        assert_eq!(RemedyKind::parse(k.label()), Some(k));
        assert_eq!(RemedyKind::parse(k.short_label()), Some(k));
        assert_eq!(k.t4_group().key(), k.key());
        assert_eq!(k.short_label(), k.t4_group().label());
    }
    assert_eq!(RemedyKind::parse("appeal"), None);
    for o in RemedyOutcome::ALL {
        assert_eq!(RemedyOutcome::parse(o.key()), Some(o));
        assert_eq!(RemedyOutcome::parse(o.short_label()), Some(o));
        let c = col(T4Group::Review, o.t4_outcome());
        assert_eq!(c.label(), o.label());
    }
    assert_eq!(RemedyOutcome::parse("pending"), None);
    assert_eq!(outcome_label(None), "尚未审结");
    assert_eq!(col(T4Group::Review, T4Outcome::Pending).label(), "尚未审结");
}

/// A worked example: cases of 2024 and around it.
#[test]
fn table4_counts_the_filing_year_with_the_decision_known_at_its_end() {
    let cases = vec![
        case(
            "复议-2024-0001",
            RemedyKind::Review,
            date!(2024 - 03 - 01),
            Some((date!(2024 - 05 - 10), RemedyOutcome::Upheld)),
        ),
        // Filed in December, decided in January: pending in 2024, absent from 2025.
        case(
            "复议-2024-0002",
            RemedyKind::Review,
            date!(2024 - 12 - 20),
            Some((date!(2025 - 01 - 10), RemedyOutcome::Upheld)),
        ),
        case(
            "诉讼-2024-0001",
            RemedyKind::LitigationDirect,
            date!(2024 - 06 - 01),
            None,
        ),
        case(
            "诉讼-2024-0002",
            RemedyKind::LitigationAfterReview,
            date!(2024 - 07 - 01),
            Some((date!(2024 - 12 - 31), RemedyOutcome::Corrected)),
        ),
        // Filed in 2023: counted in 2023 only, whenever decided.
        case(
            "复议-2023-0001",
            RemedyKind::Review,
            date!(2023 - 11 - 01),
            Some((date!(2024 - 02 - 01), RemedyOutcome::Other)),
        ),
    ];
    let t = count_table4(&cases, 2024);
    assert_eq!(count(&t, col(T4Group::Review, T4Outcome::Upheld)), 1);
    assert_eq!(count(&t, col(T4Group::Review, T4Outcome::Other)), 0);
    assert_eq!(
        records(&t, col(T4Group::Review, T4Outcome::Pending)),
        ["复议-2024-0002"]
    );
    assert_eq!(
        records(&t, col(T4Group::Review, T4Outcome::Total)),
        ["复议-2024-0001", "复议-2024-0002"]
    );
    assert_eq!(
        records(&t, col(T4Group::LitigationDirect, T4Outcome::Pending)),
        ["诉讼-2024-0001"]
    );
    assert_eq!(
        records(
            &t,
            col(T4Group::LitigationAfterReview, T4Outcome::Corrected)
        ),
        ["诉讼-2024-0002"]
    );
    assert_eq!(
        count(&t, col(T4Group::LitigationAfterReview, T4Outcome::Total)),
        1
    );

    let next = count_table4(&cases, 2025);
    for c in T4Col::all() {
        assert_eq!(count(&next, c), 0, "{}", c.key());
    }
    let before = count_table4(&cases, 2023);
    assert_eq!(
        records(&before, col(T4Group::Review, T4Outcome::Pending)),
        ["复议-2023-0001"]
    );
}

#[test]
fn no_cases_is_fifteen_zeros_not_blanks() {
    let t = count_table4(&[], 2024);
    let mut report = AnnualReport::new("某局", 2024);
    report.table4 = t;
    for c in T4Col::all() {
        assert_eq!(report.table4.get(c).value, Value::Count(0), "{}", c.key());
        assert_eq!(records(&report.table4, c), Vec::<String>::new());
    }
    for f in check(&report, None) {
        if f.rule.id.starts_with("T4") {
            assert_eq!(f.status, crate::report::Status::Pass, "{}", f.rule.id);
        }
    }
    assert!(matches!(
        report
            .cell(CellRef::T4(col(T4Group::Review, T4Outcome::Total)))
            .value,
        Value::Count(0)
    ));
}

fn application(outcome: Option<(Outcome, Date)>) -> ApplicationFacts {
    ApplicationFacts {
        number: "2023-000007".into(),
        received_on: date!(2023 - 09 - 01),
        answered: outcome,
    }
}

fn new(kind: RemedyKind, filed_on: Date) -> NewRemedy {
    NewRemedy {
        kind,
        filed_on,
        body: "淄博市张店区人民政府".into(),
        case_number: None,
        application: None,
        subject: Some("对主动公开内容的投诉".into()),
        after_review: None,
        court_accepted_direct: false,
        override_note: None,
        note: None,
    }
}

#[test]
fn review_first_applies_to_direct_suits_against_refusals_from_2024() {
    let denied = Some((Outcome::DeniedProcessInfo, date!(2023 - 10 - 10)));
    let direct = |filed_on, answered| NewRemedy {
        application: Some(application(answered)),
        subject: None,
        body: "淄博市张店区人民法院".into(),
        ..new(RemedyKind::LitigationDirect, filed_on)
    };
    // Filed on 2024-01-01 against 不予公开: refused, with what to do.
    let err = validate(&direct(date!(2024 - 01 - 01), denied), TODAY).expect_err("review first");
    assert!(matches!(err, RemedyError::ReviewFirst { .. }), "{err}");
    assert!(err.to_string().contains("Art. 23(4)"), "{err}");
    assert!(
        err.zh().contains("第二十三条第一款第（四）项"),
        "{}",
        err.zh()
    );
    assert!(err.zh().contains("复议后起诉"), "{}", err.zh());
    assert!(err.zh().contains("--court-accepted-direct"), "{}", err.zh());
    // With the override: accepted and kept.
    let mut over = direct(date!(2024 - 01 - 01), denied);
    over.court_accepted_direct = true;
    over.override_note = Some(" 法院受理通知书（2024）鲁0303行初1号 ".into());
    let v = validate(&over, TODAY).expect("override");
    assert!(v.court_accepted_direct);
    assert_eq!(
        v.override_note.as_deref(),
        Some("法院受理通知书（2024）鲁0303行初1号")
    );
    assert_eq!(v.application.as_deref(), Some("2023-000007"));
    // Before 2024: a direct suit is fine.
    validate(&direct(date!(2023 - 12 - 31), denied), TODAY).expect("before 2024");
    // Every denied.* outcome, and only those.
    for o in Outcome::ALL {
        let r = validate(
            &direct(date!(2024 - 03 - 01), Some((o, date!(2023 - 10 - 10)))),
            TODAY,
        );
        assert_eq!(
            r.is_err(),
            o.key().starts_with("denied."),
            "{}: {r:?}",
            o.key()
        );
    }
    // Not yet answered, or answered after the suit: not a suit against the refusal.
    validate(&direct(date!(2024 - 03 - 01), None), TODAY).expect("unanswered");
    validate(
        &direct(
            date!(2024 - 03 - 01),
            Some((Outcome::DeniedThirdParty, date!(2024 - 03 - 05))),
        ),
        TODAY,
    )
    .expect("answered later");
    // A review or a suit after review is what the rule asks for.
    let review = NewRemedy {
        kind: RemedyKind::Review,
        ..direct(date!(2024 - 03 - 01), denied)
    };
    validate(&review, TODAY).expect("review");
    // The override where the rule does not refuse is an error, not silently recorded.
    let mut needless = direct(date!(2023 - 12 - 31), denied);
    needless.court_accepted_direct = true;
    assert_eq!(
        validate(&needless, TODAY),
        Err(RemedyError::OverrideNotApplicable)
    );
}

#[test]
fn bi_f_2_subject_or_application_and_body_are_required() {
    let mut n = new(RemedyKind::Review, date!(2024 - 03 - 01));
    n.subject = Some(" \u{3000} ".into());
    assert_eq!(validate(&n, TODAY), Err(RemedyError::SubjectRequired));
    assert!(RemedyError::SubjectRequired.zh().contains("案由"));
    let mut n = new(RemedyKind::LitigationDirect, date!(2024 - 03 - 01));
    n.body = "  ".into();
    let err = validate(&n, TODAY).expect_err("body");
    assert_eq!(err.zh(), "请填写受理的人民法院");
}

#[test]
fn bi_f_1_long_texts_are_refused_by_length() {
    let mut n = new(RemedyKind::Review, date!(2024 - 03 - 01));
    n.case_number = Some("号".repeat(MAX_NAME_CHARS + 1));
    let err = validate(&n, TODAY).expect_err("long");
    assert!(err.zh().contains("案号"), "{}", err.zh());
    n.case_number = Some("号".repeat(MAX_NAME_CHARS));
    validate(&n, TODAY).expect("at the bound");
}

#[test]
fn dates_and_links_are_checked() {
    let n = new(RemedyKind::Review, date!(2025 - 07 - 01));
    assert!(matches!(
        validate(&n, TODAY),
        Err(RemedyError::FiledInFuture(_))
    ));
    let mut n = new(RemedyKind::Review, date!(2023 - 08 - 01));
    n.application = Some(application(None));
    assert!(matches!(
        validate(&n, TODAY),
        Err(RemedyError::FiledBeforeApplication { .. })
    ));
    let review = ReviewFacts {
        number: "复议-2024-0001".into(),
        kind: RemedyKind::Review,
        filed_on: date!(2024 - 02 - 01),
        application: Some("2023-000007".into()),
    };
    // A direct suit names no review.
    let mut n = new(RemedyKind::LitigationDirect, date!(2024 - 05 - 01));
    n.after_review = Some(review.clone());
    assert_eq!(validate(&n, TODAY), Err(RemedyError::AfterReviewNotAllowed));
    // A suit after review takes the review's application.
    let mut n = new(RemedyKind::LitigationAfterReview, date!(2024 - 05 - 01));
    n.subject = None;
    n.after_review = Some(review.clone());
    let v = validate(&n, TODAY).expect("after review");
    assert_eq!(v.application.as_deref(), Some("2023-000007"));
    assert_eq!(v.after_review.as_deref(), Some("复议-2024-0001"));
    // Not before the review, not a suit, not another application.
    n.filed_on = date!(2024 - 01 - 15);
    assert!(matches!(
        validate(&n, TODAY),
        Err(RemedyError::BeforeReview { .. })
    ));
    n.filed_on = date!(2024 - 05 - 01);
    n.after_review = Some(ReviewFacts {
        kind: RemedyKind::LitigationDirect,
        ..review.clone()
    });
    assert!(matches!(
        validate(&n, TODAY),
        Err(RemedyError::NotAReview { .. })
    ));
    n.after_review = Some(review);
    n.application = Some(ApplicationFacts {
        number: "2023-000008".into(),
        ..application(None)
    });
    assert!(matches!(
        validate(&n, TODAY),
        Err(RemedyError::OtherApplication { .. })
    ));
}

#[test]
fn a_decided_case_changes_only_by_a_correction_with_a_reason() {
    let filed = date!(2024 - 12 - 20);
    let upheld = Decision {
        on: date!(2025 - 01 - 10),
        outcome: RemedyOutcome::Upheld,
    };
    assert_eq!(
        validate_decision("复议-2024-0001", filed, None, upheld, None, TODAY),
        Ok(DecisionChange::Decided)
    );
    let early = Decision {
        on: date!(2024 - 12 - 19),
        ..upheld
    };
    assert!(matches!(
        validate_decision("复议-2024-0001", filed, None, early, None, TODAY),
        Err(RemedyError::DecidedBeforeFiled { .. })
    ));
    let late = Decision {
        on: date!(2025 - 07 - 01),
        ..upheld
    };
    assert!(matches!(
        validate_decision("复议-2024-0001", filed, None, late, None, TODAY),
        Err(RemedyError::DecidedInFuture(_))
    ));
    let corrected = Decision {
        outcome: RemedyOutcome::Corrected,
        ..upheld
    };
    let err = validate_decision(
        "复议-2024-0001",
        filed,
        Some(upheld),
        corrected,
        None,
        TODAY,
    )
    .expect_err("needs a reason");
    assert!(err.zh().contains("须说明理由"), "{}", err.zh());
    assert!(matches!(
        validate_decision(
            "复议-2024-0001",
            filed,
            Some(upheld),
            corrected,
            Some("  "),
            TODAY
        ),
        Err(RemedyError::CorrectionNeedsReason { .. })
    ));
    assert_eq!(
        validate_decision(
            "复议-2024-0001",
            filed,
            Some(upheld),
            corrected,
            Some("录入错误，复议决定书为撤销"),
            TODAY
        ),
        Ok(DecisionChange::Corrected { previous: upheld })
    );
    assert!(matches!(
        validate_decision(
            "复议-2024-0001",
            filed,
            Some(upheld),
            upheld,
            Some("x"),
            TODAY
        ),
        Err(RemedyError::Unchanged { .. })
    ));
}

fn kinds() -> impl Strategy<Value = RemedyKind> {
    prop::sample::select(RemedyKind::ALL.to_vec())
}

fn outcomes() -> impl Strategy<Value = RemedyOutcome> {
    prop::sample::select(RemedyOutcome::ALL.to_vec())
}

/// A case filed between 2022 and 2025, decided 0–500 days later or not at all.
fn cases() -> impl Strategy<Value = Vec<Table4Case>> {
    prop::collection::vec(
        (
            kinds(),
            0..(4 * 365i64),
            prop::option::of((0..500i64, outcomes())),
        ),
        0..60,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (kind, day, decided))| {
                let filed_on = date!(2022 - 01 - 01) + time::Duration::days(day);
                Table4Case {
                    number: format!("{}-{}-{i:04}", kind.number_prefix(), filed_on.year()),
                    kind,
                    filed_on,
                    decided: decided.map(|(d, o)| (filed_on + time::Duration::days(d), o)),
                }
            })
            .collect()
    })
}

proptest! {
    /// T4-1..T4-4 hold on every computed table, and every case filed in the year is counted
    /// once in its group's columns and once in its total.
    #[test]
    fn t4_rules_hold_by_construction(cases in cases(), year in 2022..2026i32) {
        let mut report = AnnualReport::new("某局", year);
        report.table4 = count_table4(&cases, year);
        for f in check(&report, None) {
            if f.rule.id.starts_with("T4") {
                prop_assert_eq!(f.status, crate::report::Status::Pass, "{} fails", f.rule.id);
            }
        }
        let filed = cases.iter().filter(|c| c.filed_on.year() == year).count();
        let totals: u64 = T4Group::ALL
            .iter()
            .map(|&g| count(&report.table4, col(g, T4Outcome::Total)))
            .sum();
        prop_assert_eq!(totals as usize, filed);
        for g in T4Group::ALL {
            let mut parts: Vec<String> = T4Outcome::ALL[..4]
                .iter()
                .flat_map(|&o| records(&report.table4, col(g, o)))
                .collect();
            let mut total = records(&report.table4, col(g, T4Outcome::Total));
            parts.sort();
            total.sort();
            prop_assert_eq!(parts, total);
        }
        // A case decided after its filing year is pending in that year.
        for c in &cases {
            if c.filed_on.year() == year
                && c.decided.is_none_or(|(on, _)| on.year() > year)
            {
                let pending = records(&report.table4, col(c.kind.t4_group(), T4Outcome::Pending));
                prop_assert!(pending.contains(&c.number));
            }
        }
    }
}
