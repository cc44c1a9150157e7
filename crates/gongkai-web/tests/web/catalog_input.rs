//! The item editor and attachments over HTTP, on both backends (docs/back-office.md): the
//! body sanitised and previewed with its personal-information warnings, fields that cannot
//! be read, and attachments within the type and size limits (a refused one is not stored).

use super::office_kit::{Browser, Site, draft, hidden};
use axum::http::StatusCode;
use gongkai_app::catalog;
use gongkai_core::ids::AgencyId;
use gongkai_store::db_test;

const BODY: &str = "<p onclick=\"steal()\">第一条 为规范政府信息公开工作。</p><script>alert('x')</script><p>联系人身份证号11010519491231002X</p>";

db_test!(
    attachments_are_checked_and_a_refused_one_is_not_stored,
    |db| async move {
        let site = Site::new(db).await;
        catalog::set_config(
            &site.app,
            &site.admin,
            AgencyId::new(1),
            r#"{"attachments": {"max_bytes": 3145728}}"#,
        )
        .await
        .expect("limits");
        let mut luru = site.signed_in("luru").await;
        let item = draft(&site, &mut luru, "带附件的通知").await;
        let page = site.get(&mut luru, &item).await;
        assert!(page.body.contains("enctype=\"multipart/form-data\""));
        assert!(page.body.contains("<label for=\"file\">上传附件</label>"));
        let token = hidden(&page.body, "csrf_token");
        let path = format!("{item}/attachments");

        let exe = site
            .upload(
                &mut luru,
                &path,
                &[("csrf_token", &token)],
                ("setup.exe", b"MZ\x90\x00"),
            )
            .await;
        assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", exe.body);
        assert!(
            exe.body.contains("附件“setup.exe”的文件类型不允许上传"),
            "{}",
            exe.body
        );

        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(3145728 + 100, b'0');
        let large = site
            .upload(
                &mut luru,
                &path,
                &[("csrf_token", &token)],
                ("大文件.pdf", &big),
            )
            .await;
        assert_eq!(
            large.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            large.body
        );
        assert!(
            large.body.contains("附件“大文件.pdf”超过大小限制（3 MB）"),
            "{}",
            large.body
        );

        let renamed = site
            .upload(
                &mut luru,
                &path,
                &[("csrf_token", &token)],
                ("假的.pdf", b"not a pdf"),
            )
            .await;
        assert_eq!(renamed.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Without the token nothing is read.
        let forged = site
            .upload(&mut luru, &path, &[], ("a.pdf", b"%PDF-1.4\n"))
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        let id = item.rsplit('/').next().expect("id").parse().expect("id");
        let today = time::macros::date!(2024 - 05 - 06);
        let stored = catalog::show(&site.app, id, today).await.expect("item");
        assert!(
            stored.item.attachments.is_empty(),
            "{:?}",
            stored.item.attachments
        );

        let ok = site
            .upload(
                &mut luru,
                &path,
                &[("csrf_token", &token)],
                ("通知.pdf", b"%PDF-1.4\n%%EOF\n"),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = site.get(&mut luru, &item).await;
        assert!(page.body.contains("通知.pdf"));
        // Above axum's default body limit (2 MB), within the agency's (3 MB): stored.
        let mut within = b"%PDF-1.4\n".to_vec();
        within.resize(2_500_000, b'0');
        let ok = site
            .upload(
                &mut luru,
                &path,
                &[("csrf_token", &token)],
                ("大报告.pdf", &within),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert!(
            site.get(&mut luru, &item)
                .await
                .body
                .contains("大报告.pdf（2.4 MB）")
        );
    }
);

db_test!(
    script_in_the_body_is_removed_and_the_preview_warns_of_personal_data,
    |db| async move {
        let site = Site::new(db).await;
        let mut luru = site.signed_in("luru").await;
        let form = site.get(&mut luru, "/staff/catalog/items/new").await;
        let token = hidden(&form.body, "csrf_token");
        let fields = |op: &'static str| {
            vec![
                ("op", op),
                ("title", "含脚本的通知"),
                ("publisher", "张店区某局"),
                ("column", "政策文件"),
                ("formed_on", "2024-05-06"),
                ("summary", "概述。"),
                ("body_html", BODY),
            ]
        };
        let mut preview = fields("preview");
        preview.push(("csrf_token", &token));
        let shown = site.post(&mut luru, "/staff/catalog/items", &preview).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(shown.body.contains("预览"));
        assert!(
            shown.body.contains("疑似包含公民身份号码"),
            "{}",
            shown.body
        );
        assert!(
            !shown.body.contains("<script>alert"),
            "the preview shows the clean body"
        );
        assert!(!shown.body.contains("onclick=\"steal"));
        assert!(
            shown
                .body
                .contains("<p>第一条 为规范政府信息公开工作。</p>"),
            "{}",
            shown.body
        );
        // Nothing was stored by the preview.
        let list = site.get(&mut luru, "/staff/catalog/items").await;
        assert!(!list.body.contains("含脚本的通知"));

        let mut save = fields("save");
        save.push(("csrf_token", &token));
        let saved = site.post(&mut luru, "/staff/catalog/items", &save).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = site.get(&mut luru, saved.location()).await;
        assert!(!page.body.contains("<script>alert"));
        assert!(!page.body.contains("steal()"));
        assert!(
            page.body.contains("疑似包含公民身份号码"),
            "the item page flags it too"
        );

        // A missing required field: the form again with the reason, 422, nothing stored.
        let bad = site
            .post(
                &mut luru,
                "/staff/catalog/items",
                &[
                    ("csrf_token", &token),
                    ("op", "save"),
                    ("title", "缺日期"),
                    ("column", "政策文件"),
                    ("formed_on", "2024-13-45"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains("成文日期“2024-13-45”不是有效日期"),
            "{}",
            bad.body
        );
    }
);

db_test!(
    validity_of_a_normative_document_and_the_guide_are_edited_on_the_web,
    |db| async move {
        let site = Site::new(db).await;
        let mut luru = site.signed_in("luru").await;
        let form = site.get(&mut luru, "/staff/catalog/items/new").await;
        let token = hidden(&form.body, "csrf_token");
        let saved = site
            .post(
                &mut luru,
                "/staff/catalog/items",
                &[
                    ("csrf_token", &token),
                    ("op", "save"),
                    ("title", "张店区某局行政规范性文件管理办法"),
                    ("publisher", "张店区某局"),
                    ("column", "政策文件"),
                    ("formed_on", "2024-05-06"),
                    ("summary", "管理办法。"),
                    ("body_html", "<p>第一条</p>"),
                    ("normative", "normative_docs"),
                    ("status", "valid"),
                    ("effective_on", "2024-06-01"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let item = saved.location().to_string();
        let page = site.get(&mut luru, &item).await;
        assert!(page.body.contains("行政规范性文件"));
        assert!(page.body.contains("<label for=\"status\">有效性</label>"));
        let token = hidden(&page.body, "csrf_token");
        let path = format!("{item}/validity");
        let no_reason = site
            .post(
                &mut luru,
                &path,
                &[
                    ("csrf_token", &token),
                    ("status", "repealed"),
                    ("ends_on", "2024-12-31"),
                ],
            )
            .await;
        assert!(no_reason.status.is_client_error(), "{}", no_reason.body);
        let repealed = site
            .post(
                &mut luru,
                &path,
                &[
                    ("csrf_token", &token),
                    ("status", "repealed"),
                    ("effective_on", "2024-06-01"),
                    ("ends_on", "2024-12-31"),
                    ("reason", "被新办法替代"),
                ],
            )
            .await;
        assert_eq!(repealed.status, StatusCode::SEE_OTHER, "{}", repealed.body);
        let page = site.get(&mut luru, &item).await;
        assert!(page.body.contains("<td>废止</td>"), "{}", page.body);
        assert!(page.body.contains("被新办法替代"));

        // The 指南: a new version, sanitised, on the portal.
        let list = site.get(&mut luru, "/staff/catalog/documents").await;
        assert_eq!(list.status, StatusCode::OK);
        let edit = site
            .get(&mut luru, "/staff/catalog/documents/edit?kind=guide")
            .await;
        assert!(edit.body.contains("<label for=\"title\">标题</label>"));
        let token = hidden(&edit.body, "csrf_token");
        let put = site
            .post(
                &mut luru,
                "/staff/catalog/documents",
                &[
                    ("csrf_token", &token),
                    ("agency", "1"),
                    ("kind", "guide"),
                    ("title", "张店区某局政府信息公开指南"),
                    ("body_html", "<h2>一、主动公开</h2><script>x()</script>"),
                ],
            )
            .await;
        assert_eq!(put.status, StatusCode::SEE_OTHER, "{}", put.body);
        let list = site.get(&mut luru, "/staff/catalog/documents").await;
        assert!(list.body.contains("张店区某局政府信息公开指南"));
        let mut citizen = Browser::default();
        let public = site.get(&mut citizen, "/agencies/1/guide").await;
        assert!(public.body.contains("一、主动公开"), "{}", public.body);
        assert!(!public.body.contains("<script>x()"));
    }
);
