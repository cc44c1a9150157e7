//! Supervision over HTTP, on both backends (docs/supervision.md): a region's supervisor lists
//! the units, imports a unit's published report, reads it, returns it with reasons (a return
//! without one is refused and keeps what was typed), reads the aggregate whose cells link to
//! each unit's value; a user of one agency is kept out; a file that is no report stores
//! nothing.

use super::office_kit::{PW, Site, T0, hidden};
use axum::http::StatusCode;
use gongkai_app::{agency, auth, user};
use gongkai_core::user::Role;
use gongkai_store::db_test;

const UNIT: &str = "张店区某街道办事处";
const SEED: &[u8] = include_bytes!("../../../../examples/seed-2021.json");

async fn supervised(site: &Site) -> (i64, i64) {
    let unit = agency::add_agency(&site.app, &site.admin, "山东省/淄博市/张店区", UNIT, None)
        .await
        .expect("unit");
    let zibo = agency::regions(&site.app)
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.path.join("/") == "山东省/淄博市")
        .expect("淄博市")
        .id;
    user::add(
        &site.app,
        &site.security,
        user::NewUserInput {
            name: "jiandu".into(),
            display_name: Some("吴监".into()),
            roles: vec![Role::Supervise],
            agency: None,
            region: Some(zibo),
        },
    )
    .await
    .expect("supervisor");
    auth::set_password(&site.app, &site.security, "jiandu", PW, T0)
        .await
        .expect("password");
    (unit.id.get(), zibo.get())
}

db_test!(
    a_supervisor_imports_reviews_and_drills_down,
    |db| async move {
        let site = Site::new(db).await;
        let (unit, zibo) = supervised(&site).await;
        let mut b = site.signed_in("jiandu").await;
        let list = site.get(&mut b, "/staff/supervision?year=2021").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains(">监督汇总<"), "the navigation links it");
        for name in ["张店区某局", "淄川区某局", UNIT] {
            assert!(list.body.contains(name), "{name}");
        }
        assert!(
            list.body
                .contains("<th scope=\"row\">未报送</th><td>3个</td>")
        );
        let token = hidden(&list.body, "csrf_token");

        let got = site
            .upload(
                &mut b,
                "/staff/supervision/import",
                &[("csrf_token", &token), ("agency", UNIT), ("year", "")],
                ("seed-2021.json", SEED),
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let page = format!("/staff/supervision/units/{unit}/2021");
        assert_eq!(got.location(), format!("{page}?done=imported"));
        let shown = site.get(&mut b, &page).await;
        assert!(
            shown.body.contains("<td id=\"unit-state\">待审核</td>"),
            "{}",
            shown.body
        );
        assert!(shown.body.contains("计入汇总") && shown.body.contains("seed-2021.json"));
        assert!(shown.body.contains("<article class=\"report\">"));

        // A return without a reason is refused and writes nothing.
        let review = format!("{page}/review");
        let got = site
            .post(
                &mut b,
                &review,
                &[
                    ("csrf_token", &token),
                    ("decision", "return"),
                    ("reasons", "  "),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{}", got.body);
        assert!(got.body.contains("退回须至少说明一条理由"));
        let got = site
            .post(
                &mut b,
                &review,
                &[
                    ("csrf_token", &token),
                    ("decision", "return"),
                    (
                        "reasons",
                        "T3-2：合计不符\ntable3.granted.total：与台账不符\n请核对后重新报送",
                    ),
                ],
            )
            .await;
        assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.body);
        let shown = site.get(&mut b, &page).await;
        assert!(shown.body.contains("<td id=\"unit-state\">已退回</td>"));
        assert!(shown.body.contains("T3-2：合计不符"), "{}", shown.body);
        assert!(
            shown
                .body
                .contains("<code>table3.granted.total</code>：与台账不符")
        );
        // A forged review (no token) changes nothing.
        let got = site.post(&mut b, &review, &[("decision", "accept")]).await;
        assert_eq!(got.status, StatusCode::FORBIDDEN);

        // The aggregate: each number links to the units' values of that cell.
        let rollup = site
            .get(
                &mut b,
                &format!("/staff/supervision/rollup?region={zibo}&year=2021"),
            )
            .await;
        assert_eq!(rollup.status, StatusCode::OK, "{}", rollup.body);
        let link = format!(
            "href=\"/staff/supervision/cell?region={zibo}&amp;year=2021&amp;cell=table3.granted.total\""
        );
        assert!(rollup.body.contains(&link), "{}", rollup.body);
        let cell = site
            .get(
                &mut b,
                &format!(
                    "/staff/supervision/cell?region={zibo}&year=2021&cell=table3.granted.total"
                ),
            )
            .await;
        assert_eq!(cell.status, StatusCode::OK, "{}", cell.body);
        assert!(cell.body.contains(UNIT) && cell.body.contains("计入"));
        // Each unit's value, and every cell of the unit's report, links to where it came from.
        let traced = format!("/staff/supervision/units/{unit}/2021/cell?cell=table3.granted.total");
        let href = format!("href=\"{traced}\"");
        assert!(cell.body.contains(&href), "{}", cell.body);
        assert!(site.get(&mut b, &page).await.body.contains(&href));
        let got = site.get(&mut b, &traced).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.body);
        assert!(
            got.body.contains("<td id=\"cell-value\">0</td>"),
            "{}",
            got.body
        );
        assert!(got.body.contains("（一）予以公开"), "{}", got.body);
        let bad = site
            .get(
                &mut b,
                &format!("/staff/supervision/cell?region={zibo}&year=2021&cell=nope"),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        // Not a report: refused with the file named, nothing stored.
        let got = site
            .upload(
                &mut b,
                "/staff/supervision/import",
                &[
                    ("csrf_token", &token),
                    ("agency", "淄川区某局"),
                    ("year", "2021"),
                ],
                ("note.txt", "这不是年报".as_bytes()),
            )
            .await;
        assert_eq!(got.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.body);
        assert!(got.body.contains("note.txt"), "{}", got.body);
        let list = site.get(&mut b, "/staff/supervision?year=2021").await;
        assert!(
            list.body
                .contains("<th scope=\"row\">未报送</th><td>2个</td>")
        );
    }
);

db_test!(a_user_of_one_agency_is_kept_out, |db| async move {
    let site = Site::new(db).await;
    let (unit, zibo) = supervised(&site).await;
    let mut b = site.signed_in("qita").await;
    for path in [
        "/staff/supervision".to_string(),
        format!("/staff/supervision/rollup?region={zibo}&year=2021"),
        format!("/staff/supervision/units/{unit}/2021"),
        format!("/staff/supervision/units/{unit}/2021/cell?cell=table3.granted.total"),
    ] {
        let got = site.get(&mut b, &path).await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{path}");
    }
    let home = site.get(&mut b, "/staff").await;
    assert!(!home.body.contains(">监督汇总<"));
});

db_test!(
    the_api_gives_the_units_the_rollup_and_a_cell,
    |db| async move {
        let site = Site::new(db).await;
        let (unit, zibo) = supervised(&site).await;
        let zibo_actor = user::actor(&site.app, Some("jiandu"))
            .await
            .expect("jiandu");
        gongkai_app::supervision::intake::import_unit_report(
            &site.app,
            &zibo_actor,
            UNIT,
            gongkai_app::supervision::intake::UnitFile {
                name: "seed.json",
                bytes: SEED,
                year: None,
            },
            &gongkai_app::import::Options::default(),
            T0,
        )
        .await
        .expect("import");
        let token =
            gongkai_app::api_token::issue(&site.app, &site.security, "jiandu", "省平台", None, T0)
                .await
                .expect("token")
                .token;
        let get = |path: String| {
            let token = token.clone();
            let site = &site;
            async move {
                let r = axum::http::Request::builder()
                    .uri(path)
                    .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"));
                let got = site
                    .send(
                        &mut crate::office_kit::Browser::default(),
                        r,
                        axum::body::Body::empty(),
                    )
                    .await;
                let v: serde_json::Value = serde_json::from_slice(&got.bytes).unwrap_or_default();
                (got.status, v)
            }
        };
        let (status, v) = get(format!("/api/v1/regions/{zibo}/units?year=2021")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["counts"]["units"], 3);
        assert_eq!(v["counts"]["pending"], 1);
        let (status, v) = get(format!("/api/v1/regions/{zibo}/rollup?year=2021")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(
            (v["agency"].clone(), v["rollup"]["included"].clone()),
            ("淄博市".into(), 1.into())
        );
        let (status, v) = get(format!(
            "/api/v1/regions/{zibo}/cells/table3.granted.total?year=2021"
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["entries"][0]["agency"], UNIT);
        let (status, v) = get(format!(
            "/api/v1/units/{unit}/2021/cells/table3.granted.total"
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(
            (v["agency"].clone(), v["value"].clone()),
            (UNIT.into(), "0".into())
        );
        assert!(v["origin"]["kind"].is_string(), "{v}");
        let (status, _) = get("/api/v1/units/999999/2021/cells/table3.granted.total".into()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // The province is above the supervisor's region: not found.
        let province = agency::regions(&site.app)
            .await
            .expect("regions")
            .into_iter()
            .find(|r| r.path.len() == 1)
            .expect("province")
            .id;
        let (status, _) = get(format!("/api/v1/regions/{province}/rollup?year=2021")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, v) = get(format!("/api/v1/regions/{zibo}/rollup")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    }
);
