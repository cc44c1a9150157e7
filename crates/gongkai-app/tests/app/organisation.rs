//! The organisation of the disclosure work on SQLite and PostgreSQL (docs/organisation.md): the
//! 领导小组 and staff responsible, and the assessment of sections, write section 一's sentences;
//! bad input is refused with nothing stored; users of another agency or a region's supervisor
//! record nothing; the demo's records give the seed agency's 2021 sentences.

use crate::work::{OTHER, setup};
use gongkai_app::catalog::demo;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::organisation::{self, AppointmentInput, RoundInput};
use gongkai_core::organisation::Duty;
use gongkai_store::db_test;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2022-12-20 10:00 +08:00);
const TODAY: Date = date!(2022 - 12 - 20);

/// An appointment at 淄川区某局 (the demo agency has its own records from 2019 on).
fn appt(duty: Duty, name: &str, post: &str, from: Date, until: Option<Date>) -> AppointmentInput {
    AppointmentInput {
        agency: OTHER.into(),
        duty,
        name: name.into(),
        post: post.into(),
        section: (duty == Duty::Officer).then(|| "办公室".to_string()),
        from,
        until,
    }
}

db_test!(
    appointments_and_assessments_write_section_one,
    |db| async move {
        let s = setup(db).await;
        let (app, clerk) = (&s.app, &s.other);
        let leader = organisation::appoint(
            app,
            clerk,
            &appt(
                Duty::Leader,
                "张三",
                "中心主任",
                date!(2019 - 03 - 01),
                None,
            ),
            TODAY,
            NOW,
        )
        .await
        .expect("leader");
        for a in [
            appt(
                Duty::Leader,
                "李四",
                "中心主任",
                date!(2022 - 05 - 01),
                None,
            ),
            appt(Duty::Deputy, "王五", "副主任", date!(2019 - 03 - 01), None),
            appt(Duty::Member, "赵六", "科长", date!(2019 - 03 - 01), None),
            appt(
                Duty::InCharge,
                "王五",
                "副主任",
                date!(2019 - 03 - 01),
                None,
            ),
            appt(Duty::Officer, "孙八", "科员", date!(2020 - 01 - 01), None),
        ] {
            organisation::appoint(app, clerk, &a, TODAY, NOW)
                .await
                .expect("appoint");
        }
        let ended = organisation::end(app, clerk, leader.id, date!(2022 - 04 - 30), TODAY, NOW)
            .await
            .expect("end");
        assert_eq!(ended.until.as_deref(), Some("2022-04-30"));
        let err = organisation::end(app, clerk, leader.id, date!(2022 - 05 - 30), TODAY, NOW)
            .await
            .expect_err("ended once");
        assert_eq!(err.kind(), ErrorKind::Conflict);

        let round = organisation::add_round(
            app,
            clerk,
            &RoundInput {
                agency: OTHER.into(),
                on: date!(2022 - 06 - 30),
                title: "上半年政务公开工作考核".into(),
                results: "办公室 95\n财务科 88 栏目更新不及时".into(),
            },
            TODAY,
            NOW,
        )
        .await
        .expect("round");
        assert_eq!(round.results.len(), 2);
        let clean = &round.results[0];
        let err = organisation::rectify(app, clerk, clean.id, date!(2022 - 07 - 15), TODAY, NOW)
            .await
            .expect_err("nothing to rectify");
        assert_eq!(err.zh(), "办公室在该次考核中没有发现问题，无需整改");
        let found = &round.results[1];
        let err = organisation::rectify(app, clerk, found.id, date!(2022 - 06 - 01), TODAY, NOW)
            .await
            .expect_err("before the round");
        assert_eq!(err.zh(), "整改日期2022-06-01早于考核日期2022-06-30");

        let report = gongkai_app::report::compute(app, OTHER, 2022)
            .await
            .expect("compute");
        let overview = report.sections.overview.clone().unwrap_or_default();
        assert!(
            overview.contains(
                "加强组织领导。调整淄川区某局政务公开工作领导小组，由中心主任李四任组长，副主任王五任副组长，成员1人。由副主任王五分管政务公开工作，明确办公室孙八负责政府信息公开日常工作，做到有领导分管、专人负责。"
            ),
            "{overview}"
        );
        assert!(
            overview.contains("工作考核情况。2022年开展政务公开工作考核1次，对2个科室进行考核，发现问题1个，已整改0个，其余正在整改。"),
            "{overview}"
        );
        organisation::rectify(app, clerk, found.id, date!(2022 - 07 - 15), TODAY, NOW)
            .await
            .expect("rectify");
        let err = organisation::rectify(app, clerk, found.id, date!(2022 - 07 - 16), TODAY, NOW)
            .await
            .expect_err("once");
        assert_eq!(err.kind(), ErrorKind::Conflict);
        let report = gongkai_app::report::compute(app, OTHER, 2022)
            .await
            .expect("compute");
        let overview = report.sections.overview.unwrap_or_default();
        assert!(overview.contains("发现问题1个，已全部整改。"), "{overview}");
        // The assessment closes the （五）监督保障情况 paragraph the work records open.
        let at_work = overview
            .find("（五）监督保障情况。")
            .expect("work paragraph");
        assert!(overview[at_work..].contains("工作考核情况。"));
    }
);

db_test!(bad_appointments_and_rounds_store_nothing, |db| async move {
    let s = setup(db).await;
    let (app, clerk) = (&s.app, &s.other);
    let err = organisation::appoint(
        app,
        clerk,
        &appt(
            Duty::Leader,
            "张三",
            "中心主任",
            date!(2022 - 05 - 01),
            Some(date!(2022 - 04 - 30)),
        ),
        TODAY,
        NOW,
    )
    .await
    .expect_err("ends before it starts");
    assert_eq!(err.zh(), "离任日期2022-04-30早于任职日期2022-05-01");
    let err = organisation::appoint(
        app,
        clerk,
        &appt(
            Duty::Member,
            "\u{200b} ",
            "科长",
            date!(2022 - 05 - 01),
            None,
        ),
        TODAY,
        NOW,
    )
    .await
    .expect_err("no name");
    assert_eq!(err.zh(), "姓名不能为空");
    let err = organisation::appoint(
        app,
        &s.supervisor,
        &appt(Duty::Member, "赵六", "科长", date!(2022 - 05 - 01), None),
        TODAY,
        NOW,
    )
    .await
    .expect_err("a supervisor reads only");
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    let err = organisation::appoint(
        app,
        &s.wang,
        &appt(Duty::Member, "赵六", "科长", date!(2022 - 05 - 01), None),
        TODAY,
        NOW,
    )
    .await
    .expect_err("another agency");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        organisation::appointments(app, clerk, OTHER)
            .await
            .expect("list")
            .is_empty()
    );
    let round = |results: &str| RoundInput {
        agency: OTHER.into(),
        on: date!(2022 - 06 - 30),
        title: "考核".into(),
        results: results.into(),
    };
    let err = organisation::add_round(app, clerk, &round("办公室 95\n财务科 101"), TODAY, NOW)
        .await
        .expect_err("score");
    assert_eq!(err.zh(), "第2行：分数101应在0至100之间");
    let err = organisation::add_round(app, clerk, &round("办公室\n办公室"), TODAY, NOW)
        .await
        .expect_err("twice");
    assert_eq!(err.zh(), "第2行：“办公室”重复");
    let mut later = round("办公室");
    later.on = date!(2022 - 12 - 21);
    let err = organisation::add_round(app, clerk, &later, TODAY, NOW)
        .await
        .expect_err("future");
    assert!(
        err.zh().starts_with("考核日期2022-12-21有误"),
        "{}",
        err.zh()
    );
    assert!(
        organisation::rounds(app, clerk, OTHER, 2022)
            .await
            .expect("rounds")
            .is_empty()
    );
    let report = gongkai_app::report::compute(app, OTHER, 2022)
        .await
        .expect("compute");
    let overview = report.sections.overview.unwrap_or_default();
    assert!(!overview.contains("工作考核情况"), "{overview}");
    assert!(!overview.contains("加强组织领导"), "{overview}");
});

/// The seed's section 一 (三) "一是加强组织领导" paragraph, as published.
const SEED_TEXT: &str =
    include_str!("../../../../testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.txt");

db_test!(
    the_demo_records_write_the_seed_agencys_sentences,
    |db| async move {
        let s = setup(db).await;
        let (app, wang) = (&s.app, &s.wang);
        let all = organisation::appointments(app, wang, demo::DEMO_AGENCY)
            .await
            .expect("appointments");
        assert_eq!(all.len(), 9);
        assert_eq!(all.iter().filter(|a| a.until.is_some()).count(), 2);
        assert!(all.iter().all(|a| a.recorded_by == "王明"));
        let rounds = organisation::rounds(app, wang, demo::DEMO_AGENCY, 2021)
            .await
            .expect("rounds");
        assert_eq!(rounds.len(), 2);
        let agency = gongkai_app::agency::find(app, demo::DEMO_AGENCY)
            .await
            .expect("agency")
            .id
            .get();
        let y = organisation::year_of(app, agency, 2021)
            .await
            .expect("2021");
        // The seed: 「调整淄博市张店区机关事务服务中心政务信息公开工作领导小组，明确专人负责政府信息公开的
        // 日常工作，做到有领导分管、专人负责、专人管理」 — the records name who.
        let sentence = y.organisation.clone().expect("a sentence");
        assert_eq!(
            sentence,
            "加强组织领导。调整淄博市张店区机关事务服务中心政务公开工作领导小组，由中心主任陈立新任组长，\
             副主任赵强任副组长，成员3人。由副主任赵强分管政务公开工作，明确办公室王明负责政府信息公开\
             日常工作，做到有领导分管、专人负责。"
        );
        let seed = SEED_TEXT.replace([' ', '\n'], "");
        for part in [
            "加强组织领导",
            "调整淄博市张店区机关事务服务中心政务",
            "做到有领导分管、专人负责",
        ] {
            assert!(seed.contains(part) && sentence.contains(part), "{part}");
        }
        // 「制定政务公开考核机制，由中心办公室定期对各科室……进行督查」.
        assert_eq!(
            y.assessment_sentence().as_deref(),
            Some(
                "工作考核情况。2021年开展政务公开工作考核2次，对5个科室进行考核，发现问题2个，已全部整改。"
            )
        );
        // The group as it stood on: unchanged in 2022, not yet there in 2018.
        let next = organisation::year_of(app, agency, 2022)
            .await
            .expect("2022");
        assert!(
            next.organisation
                .as_deref()
                .is_some_and(|t| t.starts_with("加强组织领导。健全")),
            "{:?}",
            next.organisation
        );
        assert_eq!(next.assessment_sentence(), None);
        let before = organisation::year_of(app, agency, 2018)
            .await
            .expect("2018");
        assert_eq!(before.organisation, None);
        // The published 2021 report keeps the agency's own text.
        let report = gongkai_app::report::compute(app, demo::DEMO_AGENCY, 2021)
            .await
            .expect("compute");
        let overview = report.sections.overview.unwrap_or_default();
        assert!(overview.contains("一是加强组织领导"), "{overview}");
    }
);
