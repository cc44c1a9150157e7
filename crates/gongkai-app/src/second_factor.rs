//! The staff's second factor (docs/security.md#second-factor; RELIABILITY DB-IA-4): a TOTP
//! code (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, one step of clock drift either way)
//! from an authenticator app.
//!
//! - **Enrolment**: a user is offered a fresh 160-bit secret (as a QR code and as text), sealed
//!   with the data directory's key and bound to the user; it is stored only once a code made
//!   from it is typed back, so a mistyped scan never locks anyone out.
//! - **Use**: each code is accepted once (the last accepted step is kept, §5.2), so a code
//!   seen over a shoulder cannot be replayed in the same half-minute.
//! - **Required**: in the level-3 profile (`[auth] level = 3`) for every staff sign-in; in
//!   level 2 for the users who enrolled.
//! - **Reset**: the 安全管理员 removes a lost factor (`gongkai user totp-reset`, or the users
//!   page); the user's sessions and pending sign-ins end, and they enrol again.

use crate::App;
use crate::error::{AppError, Result};
use crate::secrets::{Keyring, Purpose};
use gongkai_core::ids::UserId;
use gongkai_core::user::Actor;
use gongkai_store::repo::second_factor as repo;
use time::OffsetDateTime;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// The name authenticator apps show above the code.
pub const ISSUER: &str = "gongkai";

/// Bytes of a new secret (RFC 4226 §4 recommends 160 bits).
const SECRET_BYTES: usize = 20;

/// A secret offered for enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The secret in base32, grouped by four for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` address the QR code carries.
    pub uri: String,
    /// The secret sealed for this user: the enrolment form posts it back.
    pub sealed: String,
}

fn totp(secret: &[u8]) -> Result<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .build()
        .map_err(|e| AppError::internal("a second-factor secret is unusable", e))
}

/// The step a code is valid for at `now`, if it is one of the current step or its neighbours.
pub fn check_code(secret: &[u8], code: &str, now: OffsetDateTime) -> Result<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let Ok(secs) = u64::try_from(now.unix_timestamp()) else {
        return Ok(None);
    };
    Ok(totp(secret)?
        .check(&code, secs)
        .and_then(|s| i64::try_from(s).ok()))
}

/// The code of `secret` at `now` (tests, and the CLI's own checks).
pub fn code_at(secret: &[u8], now: OffsetDateTime) -> Result<String> {
    let secs = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    Ok(totp(secret)?.generate(secs).to_string())
}

/// The code at `now` of a secret as the enrolment page shows it (base32, grouped): what the
/// user's app would show (tests, and a clerk checking a phone's clock).
pub fn code_of(shown: &str, now: OffsetDateTime) -> Result<String> {
    let b32: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    let secret = Secret::try_from_base32(&b32)
        .map_err(|_| AppError::invalid("not a base32 secret", "密钥格式不正确"))?;
    code_at(secret.as_ref(), now)
}

/// What the sealed value holds: the user it was offered to and the secret.
fn seal_for(keys: &Keyring, user: UserId, secret: &[u8]) -> Result<String> {
    let b32 = Secret::from(secret.to_vec()).to_base32();
    keys.seal(Purpose::SecondFactor, &format!("u{}:{b32}", user.get()))
        .map_err(|e| AppError::internal("cannot seal a second-factor secret", e))
}

/// The secret of a sealed value, if it was sealed for `user`.
pub(crate) fn open_for(keys: &Keyring, user: UserId, sealed: &str) -> Option<Vec<u8>> {
    let plain = keys.open(Purpose::SecondFactor, sealed).ok()?;
    if !Keyring::is_sealed(sealed) {
        return None;
    }
    let (who, b32) = plain.split_once(':')?;
    if who != format!("u{}", user.get()) {
        return None;
    }
    Secret::try_from_base32(b32)
        .ok()
        .map(|s| s.as_ref().to_vec())
}

/// A fresh secret for `user`.
pub fn offer(app: &App, user: &Actor) -> Result<Offer> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::internal("the system has no random numbers", e))?;
    let sealed = seal_for(&app.keys, user.id, &bytes)?;
    Ok(described(user, &bytes, sealed))
}

/// The offer of `secret` to `user`, sealed as `sealed`.
pub(crate) fn described(user: &Actor, secret: &[u8], sealed: String) -> Offer {
    let b32 = Secret::from(secret.to_vec()).to_base32();
    let grouped = b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let label = format!("{ISSUER}:{}", user.name);
    let uri = format!(
        "otpauth://totp/{}?secret={b32}&issuer={ISSUER}&algorithm=SHA1&digits=6&period=30",
        percent(&label)
    );
    Offer {
        secret: grouped,
        uri,
        sealed,
    }
}

/// The offer a form posted back (`sealed`), shown again after a wrong code; `None` when it
/// was not sealed for `user`.
pub fn reoffer(app: &App, user: &Actor, sealed: &str) -> Option<Offer> {
    open_for(&app.keys, user.id, sealed).map(|secret| described(user, &secret, sealed.to_string()))
}

/// RFC 3986 percent-encoding of everything but unreserved characters and the label's colon.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// When `user` enrolled, if they have.
pub async fn enrolled_at(app: &App, user: UserId) -> Result<Option<OffsetDateTime>> {
    Ok(repo::find(&app.db, user).await?.map(|e| e.enrolled_at))
}

/// Why a code was refused.
fn wrong_code() -> AppError {
    AppError::invalid(
        "the code is wrong or was already used: type the code the app shows now",
        "动态验证码不正确或已使用，请输入验证器当前显示的6位数字",
    )
}

/// Enrols `user` with the secret offered to them (`sealed`), once `code` proves their app has
/// it. Replaces an earlier factor.
pub async fn enrol(
    app: &App,
    user: &Actor,
    sealed: &str,
    code: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let secret = open_for(&app.keys, user.id, sealed).ok_or_else(|| {
        AppError::invalid(
            "this enrolment form is not for this user or was damaged: start again",
            "绑定信息无效，请重新打开绑定页面",
        )
    })?;
    let step = check_code(&secret, code, now)?.ok_or_else(wrong_code)?;
    let mut tx = app.db.begin().await?;
    repo::enrol(&mut tx, user.id, sealed, now, step).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks `code` against `user`'s enrolled secret inside `tx`, using it up; `Ok(false)` when
/// it is wrong or already used.
pub(crate) async fn use_code(
    app: &App,
    tx: &mut gongkai_store::Tx,
    user: UserId,
    code: &str,
    now: OffsetDateTime,
) -> Result<bool> {
    let Some(enrolled) = repo::find(&app.db, user).await? else {
        return Ok(false);
    };
    let Some(secret) = open_for(&app.keys, user, &enrolled.secret) else {
        return Err(AppError::internal(
            "a stored second-factor secret does not open",
            crate::secrets::KeyError::Damaged,
        ));
    };
    let Some(step) = check_code(&secret, code, now)? else {
        return Ok(false);
    };
    Ok(repo::use_step(tx, user, step).await?)
}

/// Removes the second factor of the user named `name` (the 安全管理员 does, for a lost phone);
/// their sessions and pending sign-ins end. Whether there was one.
pub async fn reset(app: &App, actor: &Actor, name: &str) -> Result<bool> {
    let user = crate::user::managed(app, actor, name).await?;
    let mut tx = app.db.begin().await?;
    let had = repo::remove(&mut tx, user.id).await?;
    repo::end_challenges_of(&mut tx, user.id).await?;
    gongkai_store::repo::session::delete_for_user(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(had)
}

/// Re-seals every enrolled secret under the current key (`gongkai key rotate`).
pub async fn reseal_all(db: &gongkai_store::Db, keys: &Keyring) -> Result<usize> {
    let mut tx = db.begin().await?;
    let all = repo::all_secrets(&mut tx).await?;
    for (user, sealed) in &all {
        let id = UserId::new(*user);
        let secret = open_for(keys, id, sealed).ok_or_else(|| {
            AppError::internal(
                "a stored second-factor secret does not open",
                crate::secrets::KeyError::Damaged,
            )
        })?;
        repo::reseal(&mut tx, *user, &seal_for(keys, id, &secret)?).await?;
    }
    tx.commit().await?;
    Ok(all.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::KeyOrigin;
    use time::macros::datetime;

    #[test]
    fn db_ia_4_codes_follow_rfc_6238_and_drift_one_step() {
        // RFC 6238 Appendix B, SHA-1 secret "12345678901234567890", last six digits.
        let secret = b"12345678901234567890";
        let at = |t: i64| OffsetDateTime::from_unix_timestamp(t).expect("time");
        assert_eq!(code_at(secret, at(59)).expect("code"), "287082");
        assert_eq!(code_at(secret, at(1_111_111_109)).expect("code"), "081804");
        assert_eq!(code_at(secret, at(1_234_567_890)).expect("code"), "005924");
        assert_eq!(
            check_code(secret, "081 804", at(1_111_111_109)).expect("check"),
            Some(1_111_111_109 / 30)
        );
        // One step either side is accepted; two are not.
        assert!(
            check_code(secret, "081804", at(1_111_111_109 + 30))
                .expect("c")
                .is_some()
        );
        assert!(
            check_code(secret, "081804", at(1_111_111_109 + 61))
                .expect("c")
                .is_none()
        );
        for bad in ["", "08180", "0818045", "abcdef", "０８１８０４"] {
            assert_eq!(check_code(secret, bad, at(1_111_111_109)).expect("c"), None);
        }
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_user() {
        let keys = Keyring::generate(KeyOrigin::Memory).expect("keys");
        let sealed = seal_for(&keys, UserId::new(7), b"abcdefghijklmnopqrst").expect("seal");
        assert!(Keyring::is_sealed(&sealed));
        assert_eq!(
            open_for(&keys, UserId::new(7), &sealed).as_deref(),
            Some(&b"abcdefghijklmnopqrst"[..])
        );
        assert_eq!(open_for(&keys, UserId::new(8), &sealed), None);
        assert_eq!(
            open_for(&keys, UserId::new(7), "u7:MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"),
            None
        );
        let at = datetime!(2026-12-06 10:00 UTC);
        assert_eq!(code_at(b"abcdefghijklmnopqrst", at).expect("c").len(), 6);
    }

    #[test]
    fn the_address_names_the_issuer_and_user() {
        assert_eq!(percent("gongkai:张三 x"), "gongkai:%E5%BC%A0%E4%B8%89%20x");
    }
}
