//! The catalogue back office over HTTP, on both backends (docs/back-office.md): an item from
//! draft to the public portal through three people, return with a reason, separation of
//! duties, the approval form, withdrawal (the public page answers 410), agency scope (another
//! agency's item is 404) and CSRF. The editor and attachments: `catalog_input.rs`.

use super::office_kit::{Browser, Site, act, draft, hidden};
use axum::http::{StatusCode, header};
use gongkai_store::db_test;

db_test!(
    an_item_goes_from_draft_to_the_portal_through_three_people,
    |db| async move {
        let site = Site::new(db).await;
        let mut luru = site.signed_in("luru").await;
        let item = draft(&site, &mut luru, "关于做好2024年政务公开工作的通知").await;
        let page = site.get(&mut luru, &item).await;
        assert!(page.body.contains("拟稿"), "{}", page.body);
        assert!(
            page.body.contains("value=\"submit\""),
            "the drafter may submit"
        );
        assert!(!page.body.contains("value=\"clear_secrecy\""));
        // The 文号 in square brackets is normalised.
        assert!(page.body.contains("张政办发〔2024〕3号"), "{}", page.body);
        let sent = act(&site, &mut luru, &item, "submit", "").await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

        // 保密审查 by another user: the queue shows the item, the step clears it.
        let mut baomi = site.signed_in("baomi").await;
        let queue = site
            .get(&mut baomi, "/staff/catalog/review?stage=secrecy_review")
            .await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(
            queue.body.contains("关于做好2024年政务公开工作的通知"),
            "{}",
            queue.body
        );
        assert!(queue.body.contains("李录"));
        let cleared = act(&site, &mut baomi, &item, "clear_secrecy", "不涉密").await;
        assert_eq!(cleared.status, StatusCode::SEE_OTHER, "{}", cleared.body);

        // 审核 and 发布 by a third.
        let mut shenhe = site.signed_in("shenhe").await;
        let queue = site
            .get(&mut shenhe, "/staff/catalog/review?stage=review")
            .await;
        assert!(queue.body.contains("关于做好2024年政务公开工作的通知"));
        assert_eq!(
            act(&site, &mut shenhe, &item, "approve", "同意发布")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            act(&site, &mut shenhe, &item, "publish", "").await.status,
            StatusCode::SEE_OTHER
        );
        let page = site.get(&mut shenhe, &item).await;
        assert!(page.body.contains("已发布"), "{}", page.body);
        assert!(page.body.contains("000000009/2024-00001"), "{}", page.body);
        for who in ["李录", "王保", "赵审", "不涉密", "同意发布"] {
            assert!(page.body.contains(who), "history names {who}");
        }

        // On the public portal.
        let id = item.rsplit('/').next().expect("id");
        let mut citizen = Browser::default();
        let public = site.get(&mut citizen, &format!("/items/{id}")).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(public.body.contains("关于做好2024年政务公开工作的通知"));

        // The approval form, printable and as DOCX.
        let form = site.get(&mut shenhe, &format!("{item}/form")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("政府信息公开发布审批表"),
            "{}",
            form.body
        );
        assert!(form.body.contains("王保"));
        let docx = site.get(&mut shenhe, &format!("{item}/form.docx")).await;
        assert_eq!(docx.status, StatusCode::OK);
        assert_eq!(
            docx.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert!(docx.bytes.starts_with(b"PK\x03\x04"));

        // Withdrawal needs a reason, then the public page is gone (410).
        let bare = act(&site, &mut shenhe, &item, "withdraw", "").await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST, "{}", bare.body);
        assert!(bare.body.contains("“撤回”须填写理由"), "{}", bare.body);
        let gone = act(&site, &mut shenhe, &item, "withdraw", "内容已过时").await;
        assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
        let public = site.get(&mut citizen, &format!("/items/{id}")).await;
        assert_eq!(public.status, StatusCode::GONE);
    }
);

db_test!(
    a_returned_item_shows_the_reason_to_the_drafter,
    |db| async move {
        let site = Site::new(db).await;
        let mut luru = site.signed_in("luru").await;
        let item = draft(&site, &mut luru, "退回的通知").await;
        act(&site, &mut luru, &item, "submit", "").await;
        let mut baomi = site.signed_in("baomi").await;
        let back = act(
            &site,
            &mut baomi,
            &item,
            "return",
            "附件含内部审批意见，请删除",
        )
        .await;
        assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
        let page = site.get(&mut luru, &item).await;
        assert!(
            page.body.contains("附件含内部审批意见，请删除"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<strong>拟稿</strong>"));
        // Back in draft: the drafter edits it again.
        let edit = site.get(&mut luru, &format!("{item}/edit")).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(edit.body.contains("退回的通知"));
        let token = hidden(&edit.body, "csrf_token");
        let saved = site
            .post(
                &mut luru,
                &format!("{item}/edit"),
                &[
                    ("csrf_token", &token),
                    ("op", "save"),
                    ("title", "退回后修改的通知"),
                    ("publisher", "张店区某局"),
                    ("column", "政策文件"),
                    ("formed_on", "2024-05-06"),
                    ("summary", "修改后的概述。"),
                    ("body_html", "<p>已删除内部意见。</p>"),
                    ("note", "按退回意见修改"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = site.get(&mut luru, &item).await;
        assert!(page.body.contains("退回后修改的通知"));
        assert!(page.body.contains("按退回意见修改"));
    }
);

db_test!(the_drafter_cannot_clear_their_own_draft, |db| async move {
    let site = Site::new(db).await;
    let mut shuang = site.signed_in("shuang").await;
    let item = draft(&site, &mut shuang, "本人拟稿的通知").await;
    act(&site, &mut shuang, &item, "submit", "").await;
    // Their queue leaves it out and the item page offers no decision …
    let queue = site
        .get(&mut shuang, "/staff/catalog/review?stage=secrecy_review")
        .await;
    assert!(!queue.body.contains("本人拟稿的通知"), "{}", queue.body);
    let page = site.get(&mut shuang, &item).await;
    assert!(!page.body.contains("value=\"clear_secrecy\""));
    // … and a forged step is refused with the reason, changing nothing.
    let token = site.token(&mut shuang).await;
    let own = site
        .post(
            &mut shuang,
            &format!("{item}/act"),
            &[
                ("csrf_token", &token),
                ("action", "clear_secrecy"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);
    assert!(
        own.body
            .contains("拟稿人不能对本人拟稿的信息进行“保密审查通过”"),
        "{}",
        own.body
    );
    let page = site.get(&mut shuang, &item).await;
    assert!(
        page.body.contains("<strong>保密审查</strong>"),
        "{}",
        page.body
    );
    // Someone without the role gets 403.
    let mut luru = site.signed_in("luru").await;
    let token = site.token(&mut luru).await;
    let no_role = site
        .post(
            &mut luru,
            &format!("{item}/act"),
            &[
                ("csrf_token", &token),
                ("action", "clear_secrecy"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(no_role.status, StatusCode::FORBIDDEN, "{}", no_role.body);
});

db_test!(
    another_agencys_item_is_not_found_and_a_post_needs_its_token,
    |db| async move {
        let site = Site::new(db).await;
        let mut luru = site.signed_in("luru").await;
        let item = draft(&site, &mut luru, "张店区的通知").await;
        let mut qita = site.signed_in("qita").await;
        for path in [
            item.clone(),
            format!("{item}/edit"),
            format!("{item}/form"),
            format!("{item}/form.docx"),
        ] {
            let got = site.get(&mut qita, &path).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        }
        let token = site.token(&mut qita).await;
        let got = site
            .post(
                &mut qita,
                &format!("{item}/act"),
                &[("csrf_token", &token), ("action", "submit")],
            )
            .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND);
        let list = site.get(&mut qita, "/staff/catalog/items").await;
        assert!(!list.body.contains("张店区的通知"));
        // ?agency= cannot reach another agency either.
        let list = site.get(&mut qita, "/staff/catalog/items?agency=1").await;
        assert!(!list.body.contains("张店区的通知"));

        // Missing or forged CSRF token: 403, nothing done.
        let missing = site
            .post(&mut luru, &format!("{item}/act"), &[("action", "submit")])
            .await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        let forged = site
            .post(
                &mut luru,
                &format!("{item}/act"),
                &[("csrf_token", "abc"), ("action", "submit")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let page = site.get(&mut luru, &item).await;
        assert!(page.body.contains("<strong>拟稿</strong>"));
    }
);
