//! Staff passwords, sign-in, sessions and the lockout on both backends (docs/security.md).
//! Test names carry the RELIABILITY ids they check (DB-IA-*, AS-*).

use gongkai_app::auth::{self, Attempt, Denied, StaffSession};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::{App, user};
use gongkai_core::user::{Actor, Role};
use gongkai_store::{Db, db_test};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = datetime!(2024-05-06 09:00 +08:00);
const PW: &str = "Zhangdian-2024";

/// An app whose 安全管理员 `security` (returned) has added 录入 `zhangwei` with a password.
async fn setup(db: Db) -> (App, Actor, Actor) {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::with_db(dir.path(), db).expect("app");
    user::first_admin(&app, "operator", None)
        .await
        .expect("operator");
    let security = user::first_security(&app).await.expect("security");
    user::add(
        &app,
        &security,
        user::NewUserInput {
            name: "zhangwei".into(),
            display_name: Some("张伟".into()),
            roles: vec![Role::Entry],
            agency: None,
            region: None,
        },
    )
    .await
    .expect("user");
    let zhang = user::actor(&app, Some("zhangwei")).await.expect("actor");
    let view = auth::set_password(&app, &security, "zhangwei", PW, T0)
        .await
        .expect("password");
    assert!(view.password_set);
    (app, security, zhang)
}

async fn sign_in(app: &App, name: &str, pw: &str, client: &str, at: OffsetDateTime) -> Attempt {
    auth::sign_in(app, name, pw, client, at)
        .await
        .expect("sign-in runs")
}

fn signed_in(a: Attempt) -> (String, StaffSession) {
    match a {
        Attempt::SignedIn(s) => (s.token, s.session),
        Attempt::Denied(d) => panic!("denied: {}", d.en()),
        Attempt::SecondFactor(_) => panic!("a second factor was asked for"),
    }
}

db_test!(
    db_ia_1_passwords_are_set_by_oneself_or_an_administrator,
    |db| async move {
        let (app, security, zhang) = setup(db).await;
        // Oneself, with the policy's message in Chinese.
        let weak = auth::set_password(&app, &zhang, "zhangwei", "1234567890", T0)
            .await
            .expect_err("weak");
        assert_eq!(weak.kind(), ErrorKind::Invalid);
        assert!(weak.zh().contains("数字"), "{}", weak.zh());
        auth::set_password(&app, &zhang, "zhangwei", "Another-pass-9", T0)
            .await
            .expect("own password");
        // Not another user's, unless an administrator.
        let other = auth::set_password(&app, &zhang, "operator", "Another-pass-9", T0)
            .await
            .expect_err("someone else's");
        assert_eq!(other.kind(), ErrorKind::Forbidden);
        assert!(
            !user::list(&app).await.expect("users")[0].password_set,
            "the operator still has none"
        );
        // A disabled user gets none.
        user::disable(&app, &security, "zhangwei")
            .await
            .expect("disable");
        let off = auth::set_password(&app, &security, "zhangwei", "Third-pass-77", T0)
            .await
            .expect_err("disabled");
        assert_eq!(off.kind(), ErrorKind::Refused);
        // Unknown names are named.
        let none = auth::set_password(&app, &security, "nobody", "Third-pass-77", T0)
            .await
            .expect_err("unknown");
        assert_eq!(none.kind(), ErrorKind::Invalid);
    }
);

db_test!(
    as_7_2_sign_in_creates_a_session_that_signing_out_ends,
    |db| async move {
        let (app, _, zhang) = setup(db).await;
        let (token, s) = signed_in(sign_in(&app, " zhangwei ", PW, "192.0.2.1", T0).await);
        assert_eq!(s.actor, zhang);
        assert_eq!(s.csrf_secret.len(), 64);
        assert_eq!(s.expires_at, T0 + Duration::hours(8));
        assert_eq!(s.idle_expires_at, T0 + Duration::minutes(15));
        let again = auth::session(&app, &token, T0 + Duration::minutes(5))
            .await
            .expect("look-up")
            .expect("active");
        assert_eq!(again.actor.id, zhang.id);
        assert_eq!(again.csrf_secret, s.csrf_secret);
        assert_eq!(again.idle_expires_at, T0 + Duration::minutes(20));
        // A second sign-in is a second session with a new token.
        let (other, _) = signed_in(sign_in(&app, "zhangwei", PW, "192.0.2.1", T0).await);
        assert_ne!(other, token);
        assert!(auth::sign_out(&app, &token).await.expect("out"));
        assert!(!auth::sign_out(&app, &token).await.expect("again"));
        assert_eq!(
            auth::session(&app, &token, T0).await.expect("look-up"),
            None
        );
        assert!(
            auth::session(&app, &other, T0)
                .await
                .expect("look-up")
                .is_some()
        );
        for forged in ["", "x", &"0".repeat(64), &token.to_uppercase()] {
            assert_eq!(
                auth::session(&app, forged, T0).await.expect("look-up"),
                None
            );
        }
    }
);

db_test!(
    db_ia_2_unknown_user_and_wrong_password_get_the_same_answer,
    |db| async move {
        let (app, security, _) = setup(db).await;
        let wrong = sign_in(&app, "zhangwei", "Wrong-pass-123", "c", T0).await;
        let unknown = sign_in(&app, "lisi", "Wrong-pass-123", "c", T0).await;
        let no_password = sign_in(&app, "operator", "Wrong-pass-123", "c", T0).await;
        assert_eq!(wrong, Attempt::Denied(Denied::Credentials));
        assert_eq!(unknown, wrong);
        assert_eq!(no_password, wrong);
        assert_eq!(
            sign_in(&app, "", PW, "c", T0).await,
            Attempt::Denied(Denied::Credentials)
        );
        // A disabled user with the right password is told so; their sessions ended (ASVS 7.4.2).
        let (token, _) = signed_in(sign_in(&app, "zhangwei", PW, "c", T0).await);
        user::disable(&app, &security, "zhangwei")
            .await
            .expect("disable");
        assert_eq!(auth::session(&app, &token, T0).await.expect("look"), None);
        assert_eq!(
            sign_in(&app, "zhangwei", PW, "c", T0).await,
            Attempt::Denied(Denied::Disabled)
        );
        assert_eq!(
            sign_in(&app, "zhangwei", "Wrong-pass-123", "c", T0).await,
            Attempt::Denied(Denied::Credentials)
        );
    }
);

db_test!(
    db_ia_2_five_failures_lock_even_the_right_password_then_unlock,
    |db| async move {
        let (app, _, _) = setup(db).await;
        for i in 0..5 {
            let at = T0 + Duration::minutes(i);
            assert_eq!(
                sign_in(&app, "zhangwei", "Wrong-pass-123", "192.0.2.1", at).await,
                Attempt::Denied(Denied::Credentials),
                "failure {i}"
            );
        }
        let locked = sign_in(&app, "zhangwei", PW, "192.0.2.1", T0 + Duration::minutes(5)).await;
        let until = T0 + Duration::minutes(4 + 15);
        assert_eq!(locked, Attempt::Denied(Denied::Locked { until }));
        if let Attempt::Denied(d) = &locked {
            assert!(d.zh().contains("09:19"), "{}", d.zh());
        }
        // An unknown name is locked the same way: the lockout says nothing about existence.
        for i in 0..5 {
            sign_in(
                &app,
                "lisi",
                "Wrong-pass-123",
                "192.0.2.1",
                T0 + Duration::minutes(i),
            )
            .await;
        }
        assert_eq!(
            sign_in(&app, "lisi", PW, "192.0.2.1", T0 + Duration::minutes(5)).await,
            Attempt::Denied(Denied::Locked { until })
        );
        // FG-17: the user signs in from another client meanwhile.
        signed_in(
            sign_in(
                &app,
                "zhangwei",
                PW,
                "198.51.100.7",
                T0 + Duration::minutes(6),
            )
            .await,
        );
        // After the lockout, the right password works again and clears the count.
        signed_in(sign_in(&app, "zhangwei", PW, "192.0.2.1", until).await);
        assert_eq!(
            sign_in(&app, "zhangwei", "Wrong-pass-123", "192.0.2.1", until).await,
            Attempt::Denied(Denied::Credentials)
        );
        signed_in(sign_in(&app, "zhangwei", PW, "192.0.2.1", until).await);
    }
);

db_test!(
    as_7_3_sessions_end_when_idle_and_at_the_absolute_limit,
    |db| async move {
        let (app, security, _) = setup(db).await;
        // Idle: 15 minutes without a request.
        let (idle, _) = signed_in(sign_in(&app, "zhangwei", PW, "c", T0).await);
        assert!(
            auth::session(&app, &idle, T0 + Duration::minutes(14))
                .await
                .expect("look")
                .is_some()
        );
        assert!(
            auth::session(&app, &idle, T0 + Duration::minutes(28))
                .await
                .expect("look")
                .is_some(),
            "used at minute 14, so alive until 29"
        );
        assert_eq!(
            auth::session(&app, &idle, T0 + Duration::minutes(43))
                .await
                .expect("look"),
            None
        );
        assert_eq!(
            auth::session(&app, &idle, T0 + Duration::minutes(30))
                .await
                .expect("look"),
            None,
            "an ended session is deleted, not revived"
        );
        // Absolute: 8 hours however busy.
        let (busy, _) = signed_in(sign_in(&app, "zhangwei", PW, "c", T0).await);
        let mut at = T0;
        while at < T0 + Duration::hours(8) - Duration::minutes(10) {
            at += Duration::minutes(10);
            assert!(
                auth::session(&app, &busy, at)
                    .await
                    .expect("look")
                    .is_some(),
                "{at}"
            );
        }
        assert_eq!(
            auth::session(&app, &busy, T0 + Duration::hours(8))
                .await
                .expect("look"),
            None
        );
        // A new password ends every session of the user.
        let (before, _) = signed_in(sign_in(&app, "zhangwei", PW, "c", T0).await);
        auth::set_password(&app, &security, "zhangwei", "Changed-pass-42", T0)
            .await
            .expect("new password");
        assert_eq!(auth::session(&app, &before, T0).await.expect("look"), None);
        assert_eq!(
            sign_in(&app, "zhangwei", PW, "c", T0).await,
            Attempt::Denied(Denied::Credentials)
        );
        signed_in(sign_in(&app, "zhangwei", "Changed-pass-42", "c", T0).await);
    }
);

db_test!(the_profile_names_the_agency_and_region, |db| async move {
    let (app, security, zhang) = setup(db).await;
    let p = auth::profile(&app, &zhang).await.expect("profile");
    assert_eq!(
        (p.name.as_str(), p.display_name.as_str()),
        ("zhangwei", "张伟")
    );
    assert_eq!(p.roles_zh, ["录入"]);
    assert_eq!(p.agency, None);
    assert!(p.region_path.is_empty());
    let operator = user::actor(&app, Some("operator")).await.expect("operator");
    gongkai_app::agency::add_agency(
        &app,
        &operator,
        "山东省/淄博市/张店区",
        "张店区某局",
        Some("000000009"),
    )
    .await
    .expect("agency");
    user::add(
        &app,
        &security,
        user::NewUserInput {
            name: "wang".into(),
            display_name: None,
            roles: vec![Role::Review],
            agency: Some("张店区某局".into()),
            region: None,
        },
    )
    .await
    .expect("user");
    let wang = user::actor(&app, Some("wang")).await.expect("wang");
    let p = auth::profile(&app, &wang).await.expect("profile");
    assert_eq!(p.agency.as_deref(), Some("张店区某局"));
    assert_eq!(p.region_path, ["山东省", "淄博市", "张店区"]);
});

/// `[auth]` in `gongkai.toml` is read when the data directory is opened; a value that would
/// switch a protection off, or an unknown key, is refused with the file named.
#[tokio::test]
async fn auth_settings_are_read_from_gongkai_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = App::init(&data, None).await.expect("init");
    assert_eq!(app.settings.auth, auth::AuthSettings::default());
    app.db.close().await;
    let toml = data.join("gongkai.toml");
    let base = std::fs::read_to_string(&toml).expect("settings");
    assert!(!base.contains("[auth]"), "defaults are not written out");
    let with = |extra: &str| {
        std::fs::write(&toml, format!("{base}\n[auth]\n{extra}\n")).expect("write");
    };
    with(
        "idle_minutes = 30\nabsolute_hours = 12\nsecure_cookie = true\ntrusted_proxies = [\"127.0.0.1\"]",
    );
    let app = App::open(&data).await.expect("open");
    let s = &app.settings.auth;
    assert_eq!((s.idle_minutes, s.absolute_hours), (30, 12));
    assert!(s.secure_cookie);
    assert_eq!(
        s.trusted_proxies,
        ["127.0.0.1".parse::<std::net::IpAddr>().expect("ip")]
    );
    assert_eq!(s.lockout_failures, 5, "the rest keep their defaults");
    app.db.close().await;
    for bad in [
        "lockout_failures = 0",
        "password_min_length = 4",
        "lockout = 3",
    ] {
        with(bad);
        let e = App::open(&data).await.err().expect(bad);
        assert_eq!(e.kind(), ErrorKind::Invalid, "{bad}");
        assert!(e.zh().contains("gongkai.toml"), "{bad}: {}", e.zh());
    }
}
