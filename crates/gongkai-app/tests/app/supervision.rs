//! Supervision on both backends (docs/supervision.md): units' reports imported or published,
//! the region's aggregate summed over the consistent ones, an inconsistent or other-layout
//! unit flagged and left out of the sums, review with reasons, and the region's bounds.

use gongkai_app::catalog::demo;
use gongkai_app::error::ErrorKind;
use gongkai_app::import::Options;
use gongkai_app::supervision::intake::{self, UnitFile};
use gongkai_app::supervision::review::{self, Decision, Reason};
use gongkai_app::supervision::rollup;
use gongkai_app::supervision::{Origin, UnitState};
use gongkai_app::{App, agency, user};
use gongkai_core::ids::RegionId;
use gongkai_core::report::json::{from_str, to_json};
use gongkai_core::report::keys::T4Outcome;
use gongkai_core::report::{
    AnnualReport, Cell, CellRef, Layout, T3Col, T3Row, T4Col, Value, check,
};
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use time::macros::datetime;

const T: OffsetDateTime = datetime!(2022-02-10 09:00 +08:00);
const SEED: &str = include_str!("../../../../examples/seed-2021.json");
/// Units known only by their reports, in 淄博市 (张店区, 淄川区) and in 济南市.
const UNITS: [(&str, &str); 3] = [
    ("山东省/淄博市/张店区", "张店区某街道办事处"),
    ("山东省/淄博市/淄川区", "淄川区某局"),
    ("山东省/淄博市/淄川区", "淄川区另一局"),
];
const JINAN: (&str, &str) = ("山东省/济南市/历下区", "历下区某局");

struct Setup {
    app: App,
    operator: Actor,
    zibo: Actor,
    jinan: Actor,
    _dir: tempfile::TempDir,
}

async fn setup(db: Db) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    let operator = user::actor(&app, Some("operator")).await.expect("operator");
    // The demo publishes the seed agency's 2021 report through gongkai's workflow.
    demo::load_demo(&app, &operator).await.expect("demo");
    for (region, name) in UNITS.into_iter().chain([JINAN]) {
        agency::add_agency(&app, &operator, region, name, None)
            .await
            .expect(name);
    }
    let mut supervisors = Vec::new();
    for (login, path) in [("zibo", "山东省/淄博市"), ("jinan", "山东省/济南市")] {
        let region = agency::regions(&app)
            .await
            .expect("regions")
            .into_iter()
            .find(|r| r.path.join("/") == path)
            .map(|r| r.id)
            .expect(path);
        supervisors.push(supervisor(&app, login, region).await);
    }
    let jinan = supervisors.pop().expect("jinan");
    let zibo = supervisors.pop().expect("zibo");
    Setup {
        app,
        operator,
        zibo,
        jinan,
        _dir: dir,
    }
}

async fn supervisor(app: &App, name: &str, region: RegionId) -> Actor {
    user::add(
        app,
        &gongkai_app::user::first_security(app)
            .await
            .expect("security"),
        user::NewUserInput {
            name: name.into(),
            display_name: None,
            roles: vec![Role::Supervise],
            agency: None,
            region: Some(region),
        },
    )
    .await
    .expect(name);
    user::actor(app, Some(name)).await.expect(name)
}

/// A consistent report for `agency`, different for every `k`: the seed's table 二 with every
/// count and amount times `k`; table 三 with k + i new applications in the i-th applicant
/// column, i % 2 carried over, k granted, i partly granted, the rest carried forward; table
/// 四 with k upheld and 1 corrected in each group. Every rule of the format holds.
fn scaled(agency: &str, k: u64) -> AnnualReport {
    let mut r = from_str(SEED).expect("seed");
    r.agency = agency.into();
    r.title = None;
    for at in r.cell_refs() {
        let v = match (at, r.cell(at).value.clone()) {
            (CellRef::T2(_), Value::Count(n)) => Value::Count(n * k),
            (CellRef::T2(_), Value::Amount(d)) => Value::Amount(d * Decimal::from(k)),
            (CellRef::T2(_), other) => other,
            (CellRef::T3(_, _) | CellRef::T4(_), _) => Value::Count(0),
        };
        r.set(at, Cell::new(v));
    }
    let cols: Vec<T3Col> = T3Col::ALL
        .into_iter()
        .filter(|c| *c != T3Col::Total)
        .collect();
    for row in [
        T3Row::NewReceived,
        T3Row::CarriedOver,
        T3Row::Granted,
        T3Row::Partial,
        T3Row::TotalProcessed,
        T3Row::CarriedForward,
    ] {
        let mut total = 0;
        for (i, col) in cols.iter().enumerate() {
            let i = i as u64;
            let n = match row {
                T3Row::NewReceived => k + i,
                T3Row::CarriedOver | T3Row::CarriedForward => i % 2,
                T3Row::Granted => k,
                T3Row::Partial => i,
                _ => k + i,
            };
            total += n;
            r.set(CellRef::T3(row, *col), Cell::new(Value::Count(n)));
        }
        r.set(
            CellRef::T3(row, T3Col::Total),
            Cell::new(Value::Count(total)),
        );
    }
    for col in T4Col::all() {
        let n = match col.outcome {
            T4Outcome::Upheld => k,
            T4Outcome::Corrected => 1,
            T4Outcome::Total => k + 1,
            T4Outcome::Other | T4Outcome::Pending => 0,
        };
        r.set(CellRef::T4(col), Cell::new(Value::Count(n)));
    }
    assert!(
        !check(&r, None).iter().any(|f| f.is_error_failure()),
        "consistent"
    );
    r
}

fn json_file(r: &AnnualReport) -> Vec<u8> {
    serde_json::to_vec(&to_json(r, None)).expect("JSON")
}

async fn import(
    s: &Setup,
    by: &Actor,
    unit: &str,
    name: &str,
    bytes: &[u8],
    year: Option<i32>,
) -> gongkai_app::error::Result<intake::UnitImportView> {
    intake::import_unit_report(
        &s.app,
        by,
        unit,
        UnitFile { name, bytes, year },
        &Options::default(),
        T,
    )
    .await
}

fn cell(r: &AnnualReport, at: CellRef) -> Value {
    r.cell(at).value.clone()
}

db_test!(
    the_aggregate_sums_consistent_units_and_flags_the_others,
    |db| async move {
        let s = setup(db).await;
        // The demo agency's published report counts once, the units 3, 2 and 5 times.
        let seed = from_str(SEED).expect("seed");
        let sum_of = |parts: &[AnnualReport], at: CellRef| -> Value {
            let values: Vec<Value> = parts.iter().map(|p| cell(p, at)).collect();
            match values[0] {
                Value::Count(_) => Value::Count(
                    values
                        .iter()
                        .map(|v| match v {
                            Value::Count(n) => *n,
                            _ => 0,
                        })
                        .sum(),
                ),
                Value::Amount(_) => Value::Amount(
                    values
                        .iter()
                        .map(|v| match v {
                            Value::Amount(d) => *d,
                            _ => Decimal::ZERO,
                        })
                        .sum::<Decimal>()
                        .normalize(),
                ),
                ref other => other.clone(),
            }
        };
        // Two units imported as interchange JSON, one as the text of its printed report.
        let u2 = scaled(UNITS[1].1, 2);
        import(
            &s,
            &s.zibo,
            UNITS[0].1,
            "a.json",
            &json_file(&scaled(UNITS[0].1, 3)),
            None,
        )
        .await
        .expect("a");
        import(&s, &s.zibo, UNITS[1].1, "b.json", &json_file(&u2), None)
            .await
            .expect("b");
        let text = gongkai_report::render(
            &scaled(UNITS[2].1, 5),
            gongkai_report::DocFormat::Text,
            None,
        );
        let v = import(&s, &s.zibo, UNITS[2].1, "c.txt", text.as_bytes(), None)
            .await
            .expect("c");
        assert_eq!(
            (v.kind.as_str(), v.year, v.cells_read),
            ("txt", 2021, v.cells_total)
        );
        assert!(v.included && v.failed_rules.is_empty(), "{v:?}");

        let r = rollup::rollup(&s.app, &s.zibo, "山东省/淄博市", 2021)
            .await
            .expect("rollup");
        assert_eq!(r.path, "山东省/淄博市");
        assert_eq!(r.units.len(), 4, "the demo agency and three units");
        let demo = r
            .units
            .iter()
            .find(|u| u.agency == demo::DEMO_AGENCY)
            .expect("demo unit");
        assert_eq!(
            (demo.origin, demo.state, demo.workflow),
            (Some(Origin::Gongkai), UnitState::Pending, Some("已发布"))
        );
        assert!(r.units.iter().all(|u| u.included), "{:?}", r.units);
        // Every cell is the sum of the four reports, and the aggregate passes every rule.
        let parts = [
            seed.clone(),
            scaled(UNITS[0].1, 3),
            u2.clone(),
            scaled(UNITS[2].1, 5),
        ];
        for at in seed.cell_refs() {
            assert_eq!(cell(&r.report, at), sum_of(&parts, at), "{}", at.path());
        }
        assert_eq!(
            cell(&r.report, CellRef::T3(T3Row::NewReceived, T3Col::Total)),
            sum_of(&parts, CellRef::T3(T3Row::NewReceived, T3Col::Total))
        );
        assert_ne!(
            cell(&r.report, CellRef::T3(T3Row::NewReceived, T3Col::Total)),
            Value::Count(0),
            "the sums are not trivially zero"
        );
        let failing: Vec<_> = check(&r.report, None)
            .into_iter()
            .filter(|f| f.is_error_failure())
            .map(|f| f.rule.id.clone())
            .collect();
        assert!(failing.is_empty(), "{failing:?}");
        let doc = r.document();
        assert_eq!(doc["rollup"]["included"], 4);
        assert_eq!(doc["units"].as_array().map(Vec::len), Some(4));
        assert_eq!(doc["agency"], "淄博市");

        // An inconsistent report replaces unit b's: flagged with its rule, out of the sums.
        let mut bad = u2.clone();
        let at = CellRef::T3(T3Row::Granted, T3Col::Total);
        let granted = match cell(&bad, at) {
            Value::Count(n) => n,
            other => panic!("{other:?}"),
        };
        bad.set(at, Cell::new(Value::Count(granted + 1)));
        let v = import(&s, &s.zibo, UNITS[1].1, "b2.json", &json_file(&bad), None)
            .await
            .expect("b2");
        assert_eq!(v.replaces, 1);
        assert!(!v.included && !v.failed_rules.is_empty(), "{v:?}");
        let first_rule = v.failed_rules[0].clone();
        let r = rollup::rollup(&s.app, &s.zibo, "淄博市", 2021)
            .await
            .expect("rollup");
        let b = r.units.iter().find(|u| u.agency == UNITS[1].1).expect("b");
        assert!(!b.included);
        assert!(
            b.excluded_reason
                .as_deref()
                .is_some_and(|x| x.contains(&first_rule)),
            "{b:?}"
        );
        let without_b = [parts[0].clone(), parts[1].clone(), parts[3].clone()];
        assert_eq!(cell(&r.report, at), sum_of(&without_b, at));

        // The drill-down lists every unit's value, the excluded one marked.
        let d = rollup::drill(&s.app, &s.zibo, "淄博市", 2021, &at.path())
            .await
            .expect("drill");
        assert_eq!(d.entries.len(), 4);
        let b = d
            .entries
            .iter()
            .find(|e| e.agency == UNITS[1].1)
            .expect("b");
        assert_eq!(
            (b.included, b.value.clone()),
            (false, Some((granted + 1).to_string()))
        );

        // A report in the 2019 layout for 2021 is left out, with the layout named.
        let mut old = AnnualReport::new(UNITS[0].1, 2020);
        assert_eq!(old.layout, Layout::Y2019);
        for at in old.cell_refs() {
            old.set(at, Cell::new(Value::Count(0)));
        }
        old.year = 2021;
        let v = import(&s, &s.zibo, UNITS[0].1, "old.json", &json_file(&old), None)
            .await
            .expect("old layout");
        assert!(!v.included);
        assert!(
            v.excluded_reason
                .as_deref()
                .is_some_and(|x| x.contains("2019")),
            "{v:?}"
        );
    }
);

db_test!(review_returns_with_reasons_and_accepts, |db| async move {
    let s = setup(db).await;
    let unit = UNITS[0].1;
    import(
        &s,
        &s.zibo,
        unit,
        "a.json",
        &json_file(&scaled(unit, 1)),
        None,
    )
    .await
    .expect("import");
    // Reasons are checked: a cell of the layout, a rule of the catalogue, some text.
    for bad in [
        vec![],
        vec![Reason {
            cell: Some("table3.nope".into()),
            rule: None,
            text: "x".into(),
        }],
        vec![Reason {
            cell: None,
            rule: Some("T9-9".into()),
            text: "x".into(),
        }],
        vec![Reason {
            cell: None,
            rule: None,
            text: "  ".into(),
        }],
    ] {
        let e = review::review(&s.app, &s.zibo, unit, 2021, Decision::Return, &bad, T)
            .await
            .expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    }
    assert!(
        review::history(&s.app, &s.zibo, unit, 2021)
            .await
            .expect("h")
            .is_empty()
    );
    let reasons = [
        Reason {
            cell: Some("table3.granted.total".into()),
            rule: None,
            text: "与申请台账不符".into(),
        },
        Reason {
            cell: None,
            rule: Some("T3-1".into()),
            text: "请复核".into(),
        },
    ];
    let state = review::review(&s.app, &s.zibo, unit, 2021, Decision::Return, &reasons, T)
        .await
        .expect("return");
    assert_eq!(state, UnitState::Returned);
    let h = review::history(&s.app, &s.zibo, unit, 2021)
        .await
        .expect("history");
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].action.as_str(), h[0].current), ("return", true));
    assert_eq!(h[0].reasons, reasons);
    // The unit's corrected report is pending again; the return stays in the history.
    import(
        &s,
        &s.zibo,
        unit,
        "a2.json",
        &json_file(&scaled(unit, 2)),
        None,
    )
    .await
    .expect("again");
    let r = rollup::rollup(&s.app, &s.zibo, "淄博市", 2021)
        .await
        .expect("rollup");
    let u = r.units.iter().find(|u| u.agency == unit).expect("unit");
    assert_eq!(u.state, UnitState::Pending);
    let h = review::history(&s.app, &s.zibo, unit, 2021)
        .await
        .expect("history");
    assert!(!h[0].current);
    review::review(&s.app, &s.zibo, unit, 2021, Decision::Accept, &[], T)
        .await
        .expect("accept");
    let e = review::review(&s.app, &s.zibo, unit, 2021, Decision::Accept, &[], T)
        .await
        .expect_err("twice");
    assert_eq!(e.kind(), ErrorKind::Conflict);
    // An accepted year takes no other import, and nothing is stored by the refusal.
    let e = import(
        &s,
        &s.zibo,
        unit,
        "a3.json",
        &json_file(&scaled(unit, 4)),
        None,
    )
    .await
    .expect_err("accepted");
    assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
    let r = rollup::rollup(&s.app, &s.zibo, "淄博市", 2021)
        .await
        .expect("rollup");
    let u = r.units.iter().find(|u| u.agency == unit).expect("unit");
    assert_eq!(u.state, UnitState::Accepted);
});

db_test!(
    a_supervisor_sees_nothing_outside_the_region,
    |db| async move {
        let s = setup(db).await;
        let file = json_file(&scaled(UNITS[0].1, 1));
        let e = import(&s, &s.jinan, UNITS[0].1, "a.json", &file, None)
            .await
            .expect_err("outside");
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        let e = rollup::rollup(&s.app, &s.jinan, "山东省/淄博市", 2021)
            .await
            .expect_err("outside");
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        let e = review::history(&s.app, &s.jinan, UNITS[0].1, 2021)
            .await
            .expect_err("outside");
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        // 济南's own unit is within reach; 淄博's roll-up does not count it.
        import(
            &s,
            &s.jinan,
            JINAN.1,
            "j.json",
            &json_file(&scaled(JINAN.1, 7)),
            None,
        )
        .await
        .expect("own unit");
        let r = rollup::rollup(&s.app, &s.zibo, "淄博市", 2021)
            .await
            .expect("rollup");
        assert!(r.units.iter().all(|u| u.agency != JINAN.1));
        // The province's supervisor (no role stands in for 监督, not even 系统管理员).
        let shandong = gongkai_app::agency::regions(&s.app)
            .await
            .expect("regions")
            .into_iter()
            .find(|r| r.path.join("/") == "山东省")
            .expect("province")
            .id;
        let province = supervisor(&s.app, "province", shandong).await;
        assert_eq!(
            rollup::rollup(&s.app, &s.operator, "山东省", 2021)
                .await
                .expect_err("the system administrator supervises nothing")
                .kind(),
            gongkai_app::error::ErrorKind::Forbidden
        );
        let r = rollup::rollup(&s.app, &province, "山东省", 2021)
            .await
            .expect("province");
        assert!(r.units.iter().any(|u| u.agency == JINAN.1));
        // A user of one agency supervises nothing.
        let wang = user::actor(&s.app, Some("wangming"))
            .await
            .expect("wangming");
        let e = rollup::rollup(&s.app, &wang, "淄博市", 2021)
            .await
            .expect_err("agency user");
        assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    }
);

db_test!(bad_unit_files_store_nothing, |db| async move {
    let s = setup(db).await;
    let unit = UNITS[0].1;
    let e = import(&s, &s.zibo, unit, "x.txt", "这不是年报".as_bytes(), None)
        .await
        .expect_err("not a report");
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    assert!(e.to_string().contains("x.txt"), "{e}");
    // A year neither printed nor given is refused; given, it is taken; a given year that
    // is not the file's is refused.
    let mut no_year = scaled(unit, 1);
    no_year.year = gongkai_core::report::YEAR_UNKNOWN;
    no_year.gaps.push(gongkai_core::report::Gap {
        of: gongkai_core::report::GapOf::Year,
        label: "年度".into(),
        message: "年度: not found".into(),
        near: None,
    });
    let e = import(&s, &s.zibo, unit, "y.json", &json_file(&no_year), None)
        .await
        .expect_err("no year");
    assert!(e.to_string().contains("--year"), "{e}");
    let e = import(
        &s,
        &s.zibo,
        unit,
        "a.json",
        &json_file(&scaled(unit, 1)),
        Some(2020),
    )
    .await
    .expect_err("wrong year");
    assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    let r = rollup::rollup(&s.app, &s.zibo, "淄博市", 2021)
        .await
        .expect("rollup");
    let u = r.units.iter().find(|u| u.agency == unit).expect("unit");
    assert_eq!(
        (u.state, u.origin),
        (UnitState::Missing, None),
        "nothing stored"
    );
    let v = import(
        &s,
        &s.zibo,
        unit,
        "y.json",
        &json_file(&no_year),
        Some(2021),
    )
    .await
    .expect("year given");
    assert_eq!(v.year, 2021);
    // The demo agency publishes on gongkai: an import for it is refused.
    let e = import(
        &s,
        &s.zibo,
        demo::DEMO_AGENCY,
        "d.json",
        &json_file(&scaled("x", 1)),
        None,
    )
    .await
    .expect_err("published on gongkai");
    assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
});

/// `r` moved to `year`, with one more application carried over into it (and out of it, so
/// the report still adds up).
fn next_year(mut r: AnnualReport, year: i32, extra_carried_over: u64) -> AnnualReport {
    r.year = year;
    for row in [T3Row::CarriedOver, T3Row::CarriedForward] {
        for col in [T3Col::NaturalPerson, T3Col::Total] {
            let at = CellRef::T3(row, col);
            if let Value::Count(n) = cell(&r, at) {
                r.set(at, Cell::new(Value::Count(n + extra_carried_over)));
            }
        }
    }
    assert!(
        !check(&r, None).iter().any(|f| f.is_error_failure()),
        "consistent"
    );
    r
}

db_test!(cross_year_anomalies_are_listed, |db| async move {
    let s = setup(db).await;
    let (a, b) = (UNITS[0].1, UNITS[1].1);
    for (unit, k) in [(a, 1), (b, 1)] {
        import(
            &s,
            &s.zibo,
            unit,
            "2021.json",
            &json_file(&scaled(unit, k)),
            None,
        )
        .await
        .expect("2021");
    }
    // a: received jumps from 21 to 255 (beyond 50 %); b: one more carried over than 2021
    // carried forward (T3-X).
    import(
        &s,
        &s.zibo,
        a,
        "2022.json",
        &json_file(&next_year(scaled(a, 40), 2022, 0)),
        None,
    )
    .await
    .expect("a 2022");
    import(
        &s,
        &s.zibo,
        b,
        "2022.json",
        &json_file(&next_year(scaled(b, 1), 2022, 1)),
        None,
    )
    .await
    .expect("b 2022");
    let r = rollup::rollup(&s.app, &s.zibo, "淄博市", 2022)
        .await
        .expect("rollup");
    let of = |name: &str| {
        r.units
            .iter()
            .find(|u| u.agency == name)
            .map(|u| u.anomalies.clone())
            .expect(name)
    };
    assert!(
        of(a).len() == 1 && of(a)[0].contains("变化超过50%"),
        "{:?}",
        of(a)
    );
    assert!(
        of(b).len() == 1 && of(b)[0].starts_with("T3-X"),
        "{:?}",
        of(b)
    );
    assert!(
        r.units
            .iter()
            .filter(|u| u.agency != a && u.agency != b)
            .all(|u| u.anomalies.is_empty())
    );
    // The export: a row per unit, a column per cell, numbers as printed.
    let region = gongkai_app::supervision::find_region(&s.app, "淄博市")
        .await
        .expect("region");
    let table = gongkai_app::supervision::export::units_table(&s.app, &region, 2022)
        .await
        .expect("table");
    assert_eq!(table.rows.len(), r.units.len());
    let csv = table.csv();
    assert!(csv.starts_with("\u{feff}单位,组织机构代码,所属地区,来源,状态,计入汇总,未计入原因,"));
    let col = table
        .header
        .iter()
        .position(|h| h.ends_with("（table3.new_received.total）"))
        .expect("column");
    let row = table
        .rows
        .iter()
        .find(|r| r[0] == gongkai_export::TableCell::Text(a.into()))
        .expect("row");
    assert_eq!(row[col], gongkai_export::TableCell::Number("255".into()));
    assert!(table.xlsx("各单位数据").expect("xlsx").starts_with(b"PK"));
});

db_test!(
    a_return_reaches_the_unit_on_gongkai_and_its_correction_is_pending_again,
    |db| async move {
        use gongkai_app::report::workflow::{self, StepInput};
        use gongkai_core::report::workflow::Action;
        let s = setup(db).await;
        let unit = demo::DEMO_AGENCY;
        let reasons = [Reason {
            cell: None,
            rule: None,
            text: "第六部分未写明信息处理费".into(),
        }];
        review::review(&s.app, &s.zibo, unit, 2021, Decision::Return, &reasons, T)
            .await
            .expect("return");
        // The unit's own clerk sees the return with its reason.
        let wang = user::actor(&s.app, Some("wangming"))
            .await
            .expect("wangming");
        let v = workflow::status(&s.app, &wang, unit, 2021)
            .await
            .expect("status");
        assert_eq!(v.supervision.len(), 1);
        assert_eq!(
            (v.supervision[0].action.as_str(), v.supervision[0].current),
            ("return", true)
        );
        assert_eq!(v.supervision[0].reasons, reasons);
        // The unit corrects and publishes version 2: pending again, the return kept.
        let zhao = user::actor(&s.app, Some("zhaoqiang"))
            .await
            .expect("zhaoqiang");
        workflow::act(
            &s.app,
            &wang,
            unit,
            2021,
            Action::Correct,
            StepInput {
                reason: Some("按上级意见补充第六部分"),
            },
            T,
        )
        .await
        .expect("correct");
        gongkai_app::report::narrative::set(
            &s.app,
            &wang,
            unit,
            2021,
            "六",
            Some("本年度未收取信息处理费。"),
            T,
        )
        .await
        .expect("section 六");
        for (who, action, reason) in [
            (&wang, Action::Submit, None),
            (&zhao, Action::Approve, None),
            (&zhao, Action::Publish, None),
        ] {
            workflow::act(&s.app, who, unit, 2021, action, StepInput { reason }, T)
                .await
                .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        }
        let r = rollup::rollup(&s.app, &s.zibo, "淄博市", 2021)
            .await
            .expect("rollup");
        let u = r.units.iter().find(|u| u.agency == unit).expect("unit");
        assert_eq!(
            (u.state, u.origin),
            (UnitState::Pending, Some(Origin::Gongkai))
        );
        let v = workflow::status(&s.app, &wang, unit, 2021)
            .await
            .expect("status");
        assert!(!v.supervision[0].current, "the return judged version 1");
    }
);

db_test!(
    compute_region_sums_every_table_from_the_data,
    |db| async move {
        let s = setup(db).await;
        // A second agency on gongkai in the district with three counts of table 二 entered
        // and its fees left blank: that sum stays blank, never guessed.
        let second = agency::add_agency(
            &s.app,
            &s.operator,
            "山东省/淄博市/张店区",
            "张店区某新设局",
            Some("TEST370303XSJ"),
        )
        .await
        .expect("second agency");
        for (cell, value) in [
            ("art20_5.admin_license.decisions", "12"),
            ("art20_6.admin_penalty.decisions", "3"),
            ("art20_6.admin_coercion.decisions", "0"),
        ] {
            gongkai_app::catalog::enter_table2(
                &s.app,
                &s.operator,
                &gongkai_app::catalog::Table2Input {
                    agency: second.id,
                    year: 2021,
                    cell: cell.into(),
                    value: value.into(),
                    note: None,
                },
            )
            .await
            .expect(cell);
        }
        let region = gongkai_app::report::compute_region_path(&s.app, "山东省/淄博市/张店区", 2021)
            .await
            .expect("region");
        // Table 二: each cell the sum of the computed reports of the agencies on gongkai.
        let mut parts = Vec::new();
        for a in agency::list(&s.app).await.expect("agencies") {
            if a.region_path.join("/") == "山东省/淄博市/张店区" && a.agency.org_code.is_some()
            {
                parts.push(
                    gongkai_app::report::compute(&s.app, a.agency.key(), 2021)
                        .await
                        .expect("agency"),
                );
            }
        }
        assert!(parts.len() >= 2, "the demo agency and its district");
        let mut numbers = 0;
        for at in region
            .cell_refs()
            .into_iter()
            .filter(|c| matches!(c, CellRef::T2(_)))
        {
            let expected = parts[1..]
                .iter()
                .fold(cell(&parts[0], at), |sum, p| sum.plus(&cell(p, at)));
            assert_eq!(cell(&region, at), expected, "{}", at.path());
            if matches!(expected, Value::Count(n) if n > 0) {
                numbers += 1;
            }
        }
        assert_eq!(numbers, 2, "the entered counts are summed");
        let at = |path: &str| {
            region
                .cell_refs()
                .into_iter()
                .find(|c| c.path() == path)
                .expect(path)
        };
        assert_eq!(
            cell(&region, at("table2.art20_5.admin_license.decisions")),
            Value::Count(12)
        );
        assert_eq!(
            cell(&region, at("table2.art20_8.admin_fees.fee_amount")),
            Value::Blank,
            "one agency has not entered its fees"
        );
    }
);

db_test!(
    units_of_the_same_name_are_told_apart_by_their_region,
    |db| async move {
        let s = setup(db).await;
        // A second 淄川区某局, in 张店区, also without a code.
        agency::add_agency(
            &s.app,
            &s.operator,
            "山东省/淄博市/张店区",
            UNITS[1].1,
            None,
        )
        .await
        .expect("same name, another county");
        let file = json_file(&scaled(UNITS[1].1, 1));
        let e = import(&s, &s.zibo, UNITS[1].1, "b.json", &file, None)
            .await
            .expect_err("ambiguous");
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
        assert!(e.to_string().contains("region path"), "{e}");
        let path = format!("山东省/淄博市/淄川区/{}", UNITS[1].1);
        let v = import(&s, &s.zibo, &path, "b.json", &file, None)
            .await
            .expect("by path");
        assert_eq!(
            gongkai_app::supervision::unit_key(&s.app, v.agency_id)
                .await
                .expect("key"),
            path
        );
        let e = import(
            &s,
            &s.zibo,
            "山东省/淄博市/淄川区/没有的局",
            "b.json",
            &file,
            None,
        )
        .await
        .expect_err("no such unit");
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    }
);

db_test!(
    the_league_of_late_replies_counts_the_case_records,
    |db| async move {
        use time::macros::date;
        let s = setup(db).await;
        let unit = "张店区某办案局";
        agency::add_agency(
            &s.app,
            &s.operator,
            "山东省/淄博市/张店区",
            unit,
            Some("TEST370303BAJ"),
        )
        .await
        .expect("agency");
        // Ten cases received 1 March 2021 (due 29 March): three answered in May.
        let received = date!(2021 - 03 - 01);
        let mut numbers = Vec::new();
        for i in 0..10 {
            let on = if i < 3 {
                date!(2021 - 05 - 20)
            } else {
                date!(2021 - 03 - 10)
            };
            numbers.push(granted_case(&s, unit, received, on).await);
        }
        // The clock of each case says the same as the league.
        let mut late = 0;
        for n in &numbers {
            let case = gongkai_app::application::show(&s.app, n, date!(2021 - 12 - 31))
                .await
                .expect("show");
            if matches!(case.clock.status, gongkai_core::application::ClockStatus::Concluded { late_by, .. } if late_by > 0)
            {
                late += 1;
            }
        }
        assert_eq!(late, 3);
        let region = gongkai_app::supervision::find_region(&s.app, "山东省/淄博市")
            .await
            .expect("region");
        let (_, units) = rollup::units_of(&s.app, &region, 2021)
            .await
            .expect("units");
        let leagues = gongkai_app::supervision::unit::leagues(&s.app, &region, 2021, &units)
            .await
            .expect("leagues");
        let place = leagues
            .late
            .iter()
            .find(|p| p.agency == unit)
            .expect("ranked");
        assert_eq!(place.figure, "30.0%（3/10）");
        // Another region's supervisor does not see it: its league has no such unit.
        let jinan = gongkai_app::supervision::find_region(&s.app, "山东省/济南市")
            .await
            .expect("region");
        let (_, units) = rollup::units_of(&s.app, &jinan, 2021).await.expect("units");
        let leagues = gongkai_app::supervision::unit::leagues(&s.app, &jinan, 2021, &units)
            .await
            .expect("leagues");
        assert!(leagues.late.iter().all(|p| p.agency != unit));
    }
);

/// Registers an application to `agency` received on `received` and grants it on `on`; its
/// 申请编号.
async fn granted_case(s: &Setup, agency: &str, received: time::Date, on: time::Date) -> String {
    use gongkai_app::application::{self, Registration, RequestedInfo};
    use gongkai_core::application::{
        Applicant, Channel, Contact, Delivery, Event, EventKind, IdType, Outcome, ReceiptFacts,
    };
    let applicant = Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        "11010519491231002X",
        Contact {
            phone: Some("13800000000".into()),
            ..Contact::default()
        },
        time::macros::date!(2026 - 01 - 01),
    )
    .expect("applicant");
    let number = application::register(
        &s.app,
        &s.operator,
        Registration {
            agency: agency.into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: received,
                confirmed_on: None,
            },
            applicant,
            request: RequestedInfo {
                description: "2021年部门预算".into(),
                delivery: Delivery::Email,
            },
        },
        received,
    )
    .await
    .expect("register")
    .number;
    let event = Event {
        on,
        kind: EventKind::Decided {
            outcome: Outcome::Granted,
            legal_basis: "《中华人民共和国政府信息公开条例》第三十六条".into(),
        },
    };
    application::record_event(&s.app, &s.operator, &number, event, on)
        .await
        .expect("decide");
    number
}

db_test!(
    a_cell_of_a_unit_on_gongkai_drills_down_to_its_records,
    |db| async move {
        use gongkai_app::report::workflow::{self, StepInput};
        use gongkai_app::supervision::records::{CellOrigin, unit_cell};
        use gongkai_core::report::workflow::Action;
        use time::macros::date;
        let s = setup(db).await;
        let unit = demo::DEMO_AGENCY;
        // Two applications answered in 2021; the unit corrects its published report, which
        // now counts them.
        let mut numbers = vec![
            granted_case(&s, unit, date!(2021 - 03 - 01), date!(2021 - 03 - 10)).await,
            granted_case(&s, unit, date!(2021 - 04 - 01), date!(2021 - 04 - 08)).await,
        ];
        numbers.sort();
        let wang = user::actor(&s.app, Some("wangming"))
            .await
            .expect("wangming");
        let zhao = user::actor(&s.app, Some("zhaoqiang"))
            .await
            .expect("zhaoqiang");
        for (who, action, reason) in [
            (&wang, Action::Correct, Some("补录两件依申请公开")),
            (&wang, Action::Submit, None),
            (&zhao, Action::Approve, None),
            (&zhao, Action::Publish, None),
        ] {
            workflow::act(&s.app, who, unit, 2021, action, StepInput { reason }, T)
                .await
                .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        }
        let c = unit_cell(&s.app, &s.zibo, unit, 2021, "table3.granted.total")
            .await
            .expect("cell");
        assert_eq!(c.value.as_deref(), Some("2"));
        let CellOrigin::Computed { records } = &c.origin else {
            panic!("{:?}", c.origin)
        };
        let shown: Vec<String> = records.iter().map(|r| r.number.clone()).collect();
        assert_eq!(shown, numbers);
        for r in records {
            assert!(!r.missing, "{r:?}");
            assert!(
                r.facts.iter().any(|f| f.ends_with("答复：（一）予以公开")),
                "{r:?}"
            );
            assert!(r.facts.contains(&"按期答复".to_string()), "{r:?}");
            // No personal data of the applicant.
            assert!(
                r.facts
                    .iter()
                    .all(|f| !f.contains("张三") && !f.contains("1381"))
            );
        }
        // A figure entered by staff names who entered it.
        let c = unit_cell(
            &s.app,
            &s.zibo,
            unit,
            2021,
            "table2.art20_5.admin_license.decisions",
        )
        .await
        .expect("entered cell");
        assert!(
            matches!(c.origin, CellOrigin::Entered { .. }),
            "{:?}",
            c.origin
        );
        // A year without a report: the cell is named, and said to have none.
        let c = unit_cell(&s.app, &s.zibo, unit, 2019, "table3.granted.total")
            .await
            .expect("no report");
        assert_eq!((c.value, c.origin), (None, CellOrigin::NoReport));
        // Outside the supervisor's region, and not a cell.
        let e = unit_cell(&s.app, &s.jinan, unit, 2021, "table3.granted.total")
            .await
            .expect_err("outside");
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        let e = unit_cell(&s.app, &s.zibo, unit, 2021, "table3.nothing.total")
            .await
            .expect_err("no such cell");
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e}");
    }
);
