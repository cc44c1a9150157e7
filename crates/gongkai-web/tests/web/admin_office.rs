//! The administrators' pages over HTTP, on both backends (docs/back-office.md): users with
//! roles and scope, passwords, agencies and regions, 栏目 and the 索引号 pattern; 403 for a
//! user who is not the administrator a page belongs to (三权分立).

use super::office_kit::{Browser, Site, hidden};
use axum::http::StatusCode;
use gongkai_app::catalog;
use gongkai_core::ids::AgencyId;
use gongkai_store::db_test;

db_test!(
    an_administrator_adds_a_user_who_signs_in_once_a_password_is_set,
    |db| async move {
        let site = Site::new(db).await;
        let mut anquan = site.signed_in("anquan").await;
        let page = site.get(&mut anquan, "/staff/admin/users").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for label in [
            "<label for=\"name\">用户名</label>",
            "<legend>角色</legend>",
            "<label for=\"agency\">所属机关</label>",
        ] {
            assert!(page.body.contains(label), "{label}");
        }
        let token = hidden(&page.body, "csrf_token");
        let added = site
            .post(
                &mut anquan,
                "/staff/admin/users",
                &[
                    ("csrf_token", &token),
                    ("name", "xinren"),
                    ("display_name", "吴新"),
                    ("role", "entry"),
                    ("role", "review"),
                    ("agency", "000000009"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let page = site.get(&mut anquan, "/staff/admin/users?ok=added").await;
        assert!(page.body.contains("吴新"));
        assert!(page.body.contains("录入、审核"), "{}", page.body);

        // No password yet: cannot sign in.
        let mut b = Browser::default();
        let form = site.get(&mut b, "/staff/signin").await;
        let t = hidden(&form.body, "csrf_token");
        let refused = site
            .post(
                &mut b,
                "/staff/signin",
                &[
                    ("csrf_token", &t),
                    ("name", "xinren"),
                    ("password", "Xinren-Pass-2024"),
                    ("next", "/staff"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

        // A weak password is refused in Chinese; two different ones too.
        let weak = site
            .post(
                &mut anquan,
                "/staff/admin/users/xinren/password",
                &[
                    ("csrf_token", &token),
                    ("password", "123"),
                    ("confirm", "123"),
                ],
            )
            .await;
        assert_eq!(
            weak.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            weak.body
        );
        let differ = site
            .post(
                &mut anquan,
                "/staff/admin/users/xinren/password",
                &[
                    ("csrf_token", &token),
                    ("password", "Qingyun-Road-88"),
                    ("confirm", "Qingyun-Road-89"),
                ],
            )
            .await;
        assert!(differ.body.contains("两次输入的密码不一致"));
        let set = site
            .post(
                &mut anquan,
                "/staff/admin/users/xinren/password",
                &[
                    ("csrf_token", &token),
                    ("password", "Qingyun-Road-88"),
                    ("confirm", "Qingyun-Road-88"),
                ],
            )
            .await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        let mut xinren = site.signed_in_with("xinren", "Qingyun-Road-88").await;
        let home = site.get(&mut xinren, "/staff").await;
        assert!(home.body.contains("吴新"));

        // Disabled: the session ends.
        let off = site
            .post(
                &mut anquan,
                "/staff/admin/users/xinren/disable",
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
        let after = site.get(&mut xinren, "/staff").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER);
    }
);

db_test!(admin_pages_need_the_administrator_role, |db| async move {
    let site = Site::new(db).await;
    let mut luru = site.signed_in("luru").await;
    for path in [
        "/staff/admin/users",
        "/staff/admin/agencies",
        "/staff/admin/settings",
    ] {
        let got = site.get(&mut luru, path).await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{path}");
        assert!(got.body.contains("管理员"), "{}", got.body);
    }
    let token = site.token(&mut luru).await;
    let got = site
        .post(
            &mut luru,
            "/staff/admin/users",
            &[("csrf_token", &token), ("name", "x"), ("role", "admin")],
        )
        .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    // Without a token, 403 before anything else.
    let mut guanli = site.signed_in("guanli").await;
    let got = site
        .post(
            &mut guanli,
            "/staff/admin/agencies",
            &[("region", "山东省/淄博市/周村区")],
        )
        .await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
});

db_test!(
    agencies_regions_columns_and_the_index_pattern,
    |db| async move {
        let site = Site::new(db).await;
        let mut guanli = site.signed_in("guanli").await;
        let page = site.get(&mut guanli, "/staff/admin/agencies").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("淄川区某局"));
        let token = hidden(&page.body, "csrf_token");
        let bad = site
            .post(
                &mut guanli,
                "/staff/admin/agencies",
                &[
                    ("csrf_token", &token),
                    ("region", "山东省/淄博市/周村区"),
                    ("name", "周村区某局"),
                    ("org_code", "91370303MA3C00000X"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("统一社会信用代码"), "{}", bad.body);
        let ok = site
            .post(
                &mut guanli,
                "/staff/admin/agencies",
                &[
                    ("csrf_token", &token),
                    ("region", "山东省/淄博市/周村区"),
                    ("name", "周村区某局"),
                    ("org_code", "000000025"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let region = site
            .post(
                &mut guanli,
                "/staff/admin/agencies",
                &[("csrf_token", &token), ("region", "山东省/淄博市/博山区")],
            )
            .await;
        assert_eq!(region.status, StatusCode::SEE_OTHER, "{}", region.body);
        let page = site.get(&mut guanli, "/staff/admin/agencies").await;
        assert!(page.body.contains("周村区某局"));
        assert!(page.body.contains("山东省/淄博市/博山区"));

        // Settings of 张店区某局: a pattern without a running number is refused in Chinese.
        let page = site
            .get(&mut guanli, "/staff/admin/settings?agency=1")
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("{org_code}/{year}-{seq:05}"));
        let bad = site
            .post(
                &mut guanli,
                "/staff/admin/settings",
                &[
                    ("csrf_token", &token),
                    ("agency", "1"),
                    ("columns", "政策文件\n政策解读"),
                    ("index_pattern", "{org_code}/{year}"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains("索引号规则“{org_code}/{year}”有误"),
            "{}",
            bad.body
        );
        let dropped = site
            .post(
                &mut guanli,
                "/staff/admin/settings",
                &[
                    ("csrf_token", &token),
                    ("agency", "1"),
                    ("columns", "政策文件\n政策文件"),
                    ("index_pattern", "{org_code}/{year}-{seq:05}"),
                ],
            )
            .await;
        assert_eq!(dropped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            dropped.body.contains("栏目“政策文件”重复"),
            "{}",
            dropped.body
        );
        let ok = site
            .post(
                &mut guanli,
                "/staff/admin/settings",
                &[
                    ("csrf_token", &token),
                    ("agency", "1"),
                    ("columns", "政策文件\n政策解读\n\n新栏目"),
                    ("index_pattern", "{org_code}/{year}{month}-{seq:04}"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let cfg = catalog::config(&site.app, AgencyId::new(1))
            .await
            .expect("config");
        assert_eq!(cfg.columns, ["政策文件", "政策解读", "新栏目"]);
        assert_eq!(cfg.index_pattern, "{org_code}/{year}{month}-{seq:04}");
        // Another agency's settings are not touched.
        let other = catalog::config(&site.app, AgencyId::new(2))
            .await
            .expect("config");
        assert_eq!(other.index_pattern, "{org_code}/{year}-{seq:05}");
    }
);

db_test!(
    db_au_1_requests_are_recorded_and_the_administrator_reads_the_chain,
    |db| async move {
        let site = Site::new(db).await;
        // A refused sign-in: anonymous, refused, the name typed kept in the detail.
        let mut stranger = crate::office_kit::Browser::default();
        let form = site.get(&mut stranger, "/staff/signin").await;
        let token = hidden(&form.body, "csrf_token");
        let refused = site
            .post(
                &mut stranger,
                "/staff/signin",
                &[
                    ("csrf_token", &token),
                    ("next", "/staff"),
                    ("name", "nobody"),
                    ("password", "wrong password"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        let mut anquan = site.signed_in("anquan").await;
        let token = site.token(&mut anquan).await;
        let added = site
            .post(
                &mut anquan,
                "/staff/admin/users",
                &[
                    ("csrf_token", &token),
                    ("name", "jilu"),
                    ("display_name", "郑记"),
                    ("role", "entry"),
                    ("agency", "000000009"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        // Only the 审计管理员 reads the log; the refusals are recorded too.
        let mut luru = site.signed_in("luru").await;
        let denied = site.get(&mut luru, "/staff/audit-log").await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);

        for other in [&mut anquan, &mut site.signed_in("guanli").await] {
            let no = site.get(other, "/staff/audit-log").await;
            assert_eq!(no.status, StatusCode::FORBIDDEN);
        }
        let mut shenji = site.signed_in("shenji").await;
        let page = site.get(&mut shenji, "/staff/audit-log").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("哈希链校验通过"), "{}", page.body);
        for row in [
            "<td>吴安</td><td>192.0.2.1</td>\n    <td><code>POST /staff/admin/users</code></td>",
            "<td>anonymous</td><td>192.0.2.1</td>\n    <td><code>POST /staff/signin</code></td><td><code>/staff/signin</code></td><td>被拒绝</td><td>401 user name &#34;nobody&#34;</td>",
            "<td>李录</td><td>192.0.2.1</td>\n    <td><code>GET /staff/audit-log</code></td><td><code>/staff/audit-log</code></td><td>被拒绝</td><td>403</td>",
            "<td>吴安</td><td>192.0.2.1</td>\n    <td><code>POST /staff/signin</code></td><td><code>/staff/signin</code></td><td>成功</td><td>303</td>",
        ] {
            assert!(page.body.contains(row), "{row}\n{}", page.body);
        }
        // A search narrows the list; no password or form content is ever in it.
        let found = site
            .get(&mut shenji, "/staff/audit-log?q=admin%2Fusers")
            .await;
        assert!(found.body.contains("1 条"), "{}", found.body);
        assert!(
            !page.body.contains("wrong password") && !page.body.contains(crate::office_kit::PW)
        );
        let v = gongkai_app::audit_log::verify(&site.app)
            .await
            .expect("verify");
        assert!(v.ok() && v.entries >= 6, "{v:?}");
    }
);
