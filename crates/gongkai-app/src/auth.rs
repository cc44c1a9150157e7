//! Staff sign-in (docs/security.md): passwords hashed with Argon2id, sessions kept in the
//! database, and a lockout after repeated failures.
//!
//! - **Passwords** are checked against a policy ([`check_password`]: length, character
//!   classes, no user name, not a well-known password; RELIABILITY DB-IA-1) and stored as
//!   Argon2id PHC strings, hashed and verified on the blocking pool, a few at a time.
//! - **Sign-in** answers an unknown user name, a user without a password and a wrong password
//!   alike, after the same work (one Argon2id verification with the same parameters).
//! - **Lockout** (DB-IA-2, ASVS 6.1.1): failures are counted per user name as typed and per
//!   client; too many within `[auth] lockout_window_minutes` refuse sign-in, even with the
//!   right password, for `lockout_minutes`. The count per (name, client) is the low one, so one
//!   client cannot lock a user out everywhere; per name from any client and per client for
//!   any name the limits are higher (a spread-out guesser, one guessing many names).
//! - **Sessions** (ASVS 7.2–7.4): a 256-bit random token in the cookie, only its SHA-256 in
//!   the database; refused once idle for `idle_minutes` or older than `absolute_hours`; ended
//!   by signing out, a new password, or disabling the user.
//!
//! Every function takes the time (`now`) from its caller, so tests can move it.

use crate::App;
use crate::error::{AppError, Localized, Result};
use crate::second_factor;
use crate::user::UserView;
use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, Params, PasswordHasher, PasswordVerifier};
use gongkai_core::calendar::BEIJING;
use gongkai_core::ids::UserId;
use gongkai_core::user::Actor;
use gongkai_store::repo::second_factor::{self as factors, Challenge};
use gongkai_store::repo::session::{self as sessions, Failure, Session};
use gongkai_store::repo::user as users;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::LazyLock;
use time::{Duration, OffsetDateTime};
use tokio::sync::Semaphore;

/// `[auth]` in `gongkai.toml`: sessions, lockout, the password policy and the cookie. The
/// defaults are RELIABILITY DB-IA-2's (15 minutes idle, 8 hours at most, 5 failures lock for
/// 15 minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// The 等保 profile (GB/T 22239-2019): 2 or 3. Level 3 asks every staff sign-in for a
    /// second factor (TOTP, DB-IA-4) and keeps the system administrator apart from an
    /// office's roles (docs/security.md#profiles).
    pub level: u8,
    /// A session unused for this long is ended.
    pub idle_minutes: u32,
    /// A session ends this long after sign-in, however busy.
    pub absolute_hours: u32,
    /// Failures of one user name from one client that lock it there.
    pub lockout_failures: u32,
    /// Failures of one user name from any clients that lock it everywhere.
    pub lockout_failures_per_name: u32,
    /// Failures from one client, whatever the names, that lock that client out.
    pub lockout_failures_per_client: u32,
    /// The failures counted are those within this many minutes of each other.
    pub lockout_window_minutes: u32,
    /// How long a lockout lasts after the failure that caused it.
    pub lockout_minutes: u32,
    /// The shortest password, in characters.
    pub password_min_length: u32,
    /// How many of the four classes (lower-case, upper-case, digits, anything else) a
    /// password mixes: 3 by default, as 等保 evaluators expect; 1 turns composition rules
    /// off (ASVS 6.2.5).
    pub password_min_classes: u32,
    /// Sends the session cookie with `Secure` and the `__Host-` prefix: set it when the site
    /// is served over HTTPS (it must be, outside a test machine: DB-IA-3).
    pub secure_cookie: bool,
    /// Proxies whose `X-Forwarded-For` names the client (ASVS 15.3.4); from anyone else the
    /// header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for AuthSettings {
    fn default() -> AuthSettings {
        AuthSettings {
            level: 2,
            idle_minutes: 15,
            absolute_hours: 8,
            lockout_failures: 5,
            lockout_failures_per_name: 20,
            lockout_failures_per_client: 50,
            lockout_window_minutes: 15,
            lockout_minutes: 15,
            password_min_length: 10,
            password_min_classes: 3,
            secure_cookie: false,
            trusted_proxies: Vec::new(),
        }
    }
}

impl AuthSettings {
    /// Refuses settings that would switch a protection off.
    pub fn check(&self) -> std::result::Result<(), String> {
        let positive = [
            ("idle_minutes", self.idle_minutes),
            ("absolute_hours", self.absolute_hours),
            ("lockout_failures", self.lockout_failures),
            ("lockout_failures_per_name", self.lockout_failures_per_name),
            (
                "lockout_failures_per_client",
                self.lockout_failures_per_client,
            ),
            ("lockout_window_minutes", self.lockout_window_minutes),
            ("lockout_minutes", self.lockout_minutes),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, v)| *v == 0) {
            return Err(format!("auth.{name} must be at least 1"));
        }
        if !(2..=3).contains(&self.level) {
            return Err("auth.level must be 2 or 3 (the 等保 level of the system)".into());
        }
        if !(8..=64).contains(&self.password_min_length) {
            return Err("auth.password_min_length must be between 8 and 64".into());
        }
        if !(1..=4).contains(&self.password_min_classes) {
            return Err("auth.password_min_classes must be between 1 and 4".into());
        }
        if u64::from(self.idle_minutes) > u64::from(self.absolute_hours) * 60 {
            return Err("auth.idle_minutes must not exceed auth.absolute_hours".into());
        }
        Ok(())
    }

    /// Whether every staff sign-in needs the second factor (level 3).
    pub fn second_factor_required(&self) -> bool {
        self.level >= 3
    }

    /// Whether the system administrator stands alone, without an office's roles (level 3).
    pub fn admins_stand_alone(&self) -> bool {
        self.level >= 3
    }

    pub fn idle(&self) -> Duration {
        Duration::minutes(self.idle_minutes.into())
    }

    pub fn absolute(&self) -> Duration {
        Duration::hours(self.absolute_hours.into())
    }

    fn window(&self) -> Duration {
        Duration::minutes(self.lockout_window_minutes.into())
    }

    fn lockout(&self) -> Duration {
        Duration::minutes(self.lockout_minutes.into())
    }
}

/// The longest user name sign-in looks up.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest password accepted (ASVS 6.2.9 asks for at least 64).
pub const MAX_PASSWORD_CHARS: usize = 128;
/// `last_seen_at` is written at most this often, so browsing does not write on every page;
/// the idle limit is therefore counted from up to a minute before the last request.
const TOUCH_EVERY: Duration = Duration::minutes(1);
/// The most failures read to decide a lockout (more are never needed: none is recorded while
/// locked, so each key holds about its limit).
const FAILURES_READ: i64 = 500;

// ---------------------------------------------------------------------------------------
// Passwords

/// Well-known passwords long enough to pass the length rule (compared ignoring case). A
/// short list of the commonest; the length and class rules stop the rest of the usual lists.
const COMMON: &[&str] = &[
    "1234567890",
    "0123456789",
    "9876543210",
    "1111111111",
    "qwertyuiop",
    "1qaz2wsx3edc",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5",
    "qwer1234!@#$",
    "1qaz@wsx#edc",
    "zaq12wsxcde3",
    "password123",
    "password1234",
    "password@123",
    "p@ssw0rd123",
    "passw0rd!@#",
    "admin@12345",
    "admin@123456",
    "admin123456",
    "root@123456",
    "abc123456789",
    "abcd1234!@#$",
    "a123456789",
    "aa123456789",
    "abc@123456",
    "huawei@123",
    "huawei@1234",
    "woaini1314",
    "woaini1314520",
    "5201314520",
    "iloveyou123",
    "zxcvbnm123",
    "qazwsx123456",
    "welcome@123",
    "gongkai@123",
    "gongkai123456",
];

/// Whether a password may be set for `user` under the settings' policy; the first rule it
/// breaks, in Chinese and English, otherwise.
pub fn check_password(s: &AuthSettings, user: &Actor, password: &str) -> Result<()> {
    let invalid = |en: String, zh: String| Err(AppError::invalid(en, zh));
    let chars: Vec<char> = password.chars().collect();
    let min = s.password_min_length as usize;
    if chars.len() < min {
        return invalid(
            format!("the password must have at least {min} characters"),
            format!("密码至少需要{min}个字符"),
        );
    }
    if chars.len() > MAX_PASSWORD_CHARS {
        return invalid(
            format!("the password must have at most {MAX_PASSWORD_CHARS} characters"),
            format!("密码不能超过{MAX_PASSWORD_CHARS}个字符"),
        );
    }
    if chars.iter().any(|c| c.is_control()) {
        return invalid(
            "the password must not contain control characters (a line break, a tab)".into(),
            "密码不能包含换行、制表符等控制字符".into(),
        );
    }
    if chars.iter().all(char::is_ascii_digit) {
        return invalid(
            "the password must not be digits only".into(),
            "密码不能全为数字".into(),
        );
    }
    let classes = [
        chars.iter().any(char::is_ascii_lowercase),
        chars.iter().any(char::is_ascii_uppercase),
        chars.iter().any(char::is_ascii_digit),
        chars.iter().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    let need = s.password_min_classes as usize;
    if classes < need {
        return invalid(
            format!(
                "the password must mix at least {need} of: lower-case letters, upper-case letters, digits, other characters"
            ),
            format!("密码须包含小写字母、大写字母、数字、其他字符中的至少{need}类"),
        );
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    if steps.iter().all(|d| *d == 0)
        || steps.iter().all(|d| *d == 1)
        || steps.iter().all(|d| *d == -1)
    {
        return invalid(
            "the password must not be one character repeated or a run such as abcdef".into(),
            "密码不能是同一字符重复或连续字符（如 abcdef）".into(),
        );
    }
    let lower = password.to_lowercase();
    let name = user.name.trim().to_lowercase();
    let display = user.display_name.trim().to_lowercase();
    if (name.chars().count() >= 3 && lower.contains(&name))
        || (display.chars().count() >= 2 && lower.contains(&display))
    {
        return invalid(
            "the password must not contain the user name or the display name".into(),
            "密码不能包含用户名或显示名称".into(),
        );
    }
    if COMMON.contains(&lower.as_str()) {
        return invalid(
            "this password is one of the best known: choose another".into(),
            "该密码过于常见，请另选一个".into(),
        );
    }
    Ok(())
}

/// A PHC string with the current parameters that no password matches, verified in place of a
/// missing hash so that an unknown user costs the same as a known one.
const NO_PASSWORD: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$Z29uZ2thaS1ub25l$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// At most this many hashes at once (each takes 19 MiB and a core for tens of milliseconds).
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// The hasher: Argon2id v19 with the crate's defaults, RFC 9106's and OWASP's minimum (m =
/// 19 MiB, t = 2, p = 1).
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

/// Runs `f` on the blocking pool once a hashing slot is free.
async fn hashing<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _slot = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::internal("password hashing is shut down", e))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::internal("password hashing failed", e))
}

/// The Argon2id PHC string of a password (a fresh random salt).
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_string();
    hashing(move || {
        hasher()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await?
    .map_err(|e| AppError::internal("cannot hash the password", e))
}

/// Whether `password` matches the PHC string (with the parameters the string names).
pub async fn verify_password(password: &str, phc: &str) -> Result<bool> {
    let (password, phc) = (password.to_string(), phc.to_string());
    match hashing(move || hasher().verify_password(password.as_bytes(), phc.as_str())).await? {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(AppError::internal(
            "a stored password hash cannot be read",
            e,
        )),
    }
}

/// Whether a stored hash was made with other parameters than today's, and should be replaced
/// at the next sign-in.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return true;
    };
    let current = Params::default();
    hash.algorithm.as_str() != "argon2id"
        || hash.version != Some(19)
        || Params::try_from(&hash).map_or(true, |p| {
            (p.m_cost(), p.t_cost(), p.p_cost())
                != (current.m_cost(), current.t_cost(), current.p_cost())
        })
}

/// Sets the password of the user named `name`: the user themself, or an administrator for
/// anyone. Every session of that user ends (they sign in again with the new password).
pub async fn set_password(
    app: &App,
    actor: &Actor,
    name: &str,
    password: &str,
    now: OffsetDateTime,
) -> Result<UserView> {
    let user = crate::user::find_named(app, name).await?;
    if user.actor.id != actor.id {
        // Another user's password is the 安全管理员's to set, within their agency.
        crate::user::managed(app, actor, name).await.map_err(|_| {
            AppError::forbidden(
                format!(
                    "{} may set only their own password: another user's is set by the security administrator",
                    actor.name
                ),
                format!(
                    "{}只能修改自己的密码，他人的密码由安全管理员设置",
                    actor.display_name
                ),
            )
        })?;
    }
    if !user.active {
        return Err(AppError::refused(
            format!("user {} is disabled", user.actor.name),
            format!("用户{}已停用，不能设置密码", user.actor.display_name),
        ));
    }
    check_password(&app.settings.auth, &user.actor, password)?;
    let phc = hash_password(password).await?;
    let mut tx = app.db.begin().await?;
    users::set_password_hash(&mut tx, user.actor.id, &phc, now).await?;
    sessions::delete_for_user(&mut tx, user.actor.id).await?;
    factors::end_challenges_of(&mut tx, user.actor.id).await?;
    tx.commit().await?;
    Ok(users::find(&app.db, user.actor.id).await?.into())
}

// ---------------------------------------------------------------------------------------
// Sign-in

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// An unknown user name, a user without a password, or a wrong password: one answer.
    Credentials,
    /// Too many failures: no password is checked before `until`.
    Locked { until: OffsetDateTime },
    /// The password was right, but the user is disabled.
    Disabled,
    /// The second factor's code is wrong or used; `left` more tries on this sign-in.
    WrongCode { left: u32 },
    /// The sign-in waiting for a code has ended (too slow, too many wrong codes, another
    /// client): start again with the password.
    ChallengeEnded,
}

impl Localized for Denied {
    fn zh(&self) -> String {
        match self {
            Denied::Credentials => "用户名或密码不正确".into(),
            Denied::Locked { until } => {
                let t = until.to_offset(BEIJING);
                format!(
                    "登录失败次数过多，已暂时锁定，请于{:02}:{:02}（北京时间）后再试",
                    t.hour(),
                    t.minute()
                )
            }
            Denied::Disabled => "该账号已停用，请联系管理员".into(),
            Denied::WrongCode { left } => {
                format!("动态验证码不正确或已使用，还可尝试{left}次")
            }
            Denied::ChallengeEnded => {
                "登录已超时或验证码错误次数过多，请重新输入用户名和密码".into()
            }
        }
    }

    fn en(&self) -> String {
        match self {
            Denied::Credentials => "the user name or the password is wrong".into(),
            Denied::Locked { until } => {
                let t = until.to_offset(BEIJING);
                format!(
                    "too many failed sign-ins: try again after {:02}:{:02} (Beijing time)",
                    t.hour(),
                    t.minute()
                )
            }
            Denied::Disabled => "this account is disabled: ask an administrator".into(),
            Denied::WrongCode { left } => {
                format!("the code is wrong or already used: {left} more tries")
            }
            Denied::ChallengeEnded => {
                "the sign-in ended (too slow or too many wrong codes): start again".into()
            }
        }
    }
}

/// A signed-in user's session, as a front end needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub actor: Actor,
    /// The secret of the session's anti-forgery tokens (64 hex digits).
    pub csrf_secret: String,
    pub created_at: OffsetDateTime,
    /// When the session ends unless used again.
    pub idle_expires_at: OffsetDateTime,
    /// When the session ends however busy (the absolute limit).
    pub expires_at: OffsetDateTime,
}

/// A new session: the token for the cookie (shown only here) and the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub token: String,
    pub session: StaffSession,
}

/// A sign-in whose password was right and that waits for the second factor's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The ticket the browser posts back with the code (shown only here).
    pub ticket: String,
    /// A secret to enrol first, when the level-3 profile asks a user who has none.
    pub enrol: Option<crate::second_factor::Offer>,
    pub expires_at: OffsetDateTime,
}

/// What a sign-in came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    SignedIn(SignedIn),
    /// The password was right; now the code (docs/security.md#second-factor).
    SecondFactor(Pending),
    Denied(Denied),
}

/// How long a sign-in waits for its code.
const CHALLENGE_LIFETIME: Duration = Duration::minutes(5);
/// Wrong codes that end a sign-in (and count as one failed sign-in for the lockout).
const CHALLENGE_TRIES: i32 = 5;

/// 32 bytes from the operating system's CSPRNG, as 64 lower-case hex digits: session tokens,
/// anti-forgery secrets and their masks.
pub fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::internal("the system has no random numbers", e))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database keeps of a session token.
fn token_hash(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"gongkai-staff-session\0");
    h.update(token.as_bytes());
    hex(&h.finalize())
}

/// Whether `token` has the form of one this module makes (so nothing else is looked up).
fn well_formed(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Which failures one limit counts.
type Counts<'a> = dyn Fn(&Failure) -> bool + 'a;

/// Until when the failures lock `name` out from `client`, if they do: a lockout starts at the
/// failure that completes a run of too many within the window, and lasts
/// `lockout_minutes`. `failures` are oldest first.
pub fn locked_until(
    failures: &[Failure],
    name: &str,
    client: &str,
    s: &AuthSettings,
) -> Option<OffsetDateTime> {
    let limits: [(u32, &Counts<'_>); 3] = [
        (s.lockout_failures, &|f: &Failure| {
            f.name == name && f.client == client
        }),
        (s.lockout_failures_per_name, &|f: &Failure| f.name == name),
        (s.lockout_failures_per_client, &|f: &Failure| {
            f.client == client
        }),
    ];
    let mut until: Option<OffsetDateTime> = None;
    for (limit, counts) in limits {
        let times: Vec<OffsetDateTime> = failures
            .iter()
            .filter(|f| counts(f))
            .map(|f| f.at)
            .collect();
        let n = limit.max(1) as usize;
        for run in times.windows(n) {
            if let (Some(first), Some(last)) = (run.first(), run.last())
                && *last - *first <= s.window()
            {
                let end = *last + s.lockout();
                until = Some(until.map_or(end, |u| u.max(end)));
            }
        }
    }
    until
}

/// Signs in the user named `name` with `password` from `client` (an address, as the front end
/// determined it) at `now`.
pub async fn sign_in(
    app: &App,
    name: &str,
    password: &str,
    client: &str,
    now: OffsetDateTime,
) -> Result<Attempt> {
    let s = &app.settings.auth;
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || password.is_empty()
        || password.chars().count() > MAX_PASSWORD_CHARS
    {
        return Ok(Attempt::Denied(Denied::Credentials));
    }
    let since = now - s.window() - s.lockout();
    let recent = sessions::failures(&app.db, name, client, since, FAILURES_READ).await?;
    if let Some(until) = locked_until(&recent, name, client, s)
        && until > now
    {
        return Ok(Attempt::Denied(Denied::Locked { until }));
    }
    let found = users::credentials_by_name(&app.db, name).await?;
    let stored = found.as_ref().and_then(|c| c.password_hash.clone());
    let matches = verify_password(password, stored.as_deref().unwrap_or(NO_PASSWORD)).await?;
    let (Some(found), Some(stored), true) = (found, stored, matches) else {
        let mut tx = app.db.begin().await?;
        sessions::record_failure(&mut tx, name, client, now).await?;
        sessions::prune_failures(&mut tx, since).await?;
        tx.commit().await?;
        return Ok(Attempt::Denied(Denied::Credentials));
    };
    if !found.user.active {
        return Ok(Attempt::Denied(Denied::Disabled));
    }
    let upgraded = if needs_rehash(&stored) {
        Some(hash_password(password).await?)
    } else {
        None
    };
    let actor = found.user.actor;
    let enrolled = second_factor::enrolled_at(app, actor.id).await?.is_some();
    let mut tx = app.db.begin().await?;
    if let Some(new_hash) = &upgraded {
        users::upgrade_password_hash(&mut tx, actor.id, &stored, new_hash).await?;
    }
    if enrolled || s.second_factor_required() {
        let enrol = if enrolled {
            None
        } else {
            Some(second_factor::offer(app, &actor)?)
        };
        let ticket = random_hex()?;
        let challenge = Challenge {
            token_hash: token_hash(&ticket),
            user_id: actor.id.get(),
            client: client.to_string(),
            created_at: now,
            expires_at: now + CHALLENGE_LIFETIME,
            enrol_secret: enrol.as_ref().map(|o| o.sealed.clone()),
            failures: 0,
        };
        factors::end_challenge(&mut tx, &challenge.token_hash, now).await?;
        factors::insert_challenge(&mut tx, &challenge).await?;
        tx.commit().await?;
        return Ok(Attempt::SecondFactor(Pending {
            ticket,
            enrol,
            expires_at: challenge.expires_at,
        }));
    }
    let signed = open_session(&mut tx, s, actor, name, client, now).await?;
    tx.commit().await?;
    Ok(Attempt::SignedIn(signed))
}

/// Starts a session for `actor` inside `tx`: the failures of `name` from `client` are
/// forgotten and ended sessions swept.
async fn open_session(
    tx: &mut gongkai_store::Tx,
    s: &AuthSettings,
    actor: Actor,
    name: &str,
    client: &str,
    now: OffsetDateTime,
) -> Result<SignedIn> {
    let token = random_hex()?;
    let new = Session {
        token_hash: token_hash(&token),
        user_id: actor.id,
        csrf_secret: random_hex()?,
        client: client.to_string(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + s.absolute(),
    };
    sessions::clear_failures(tx, name, client).await?;
    sessions::delete_expired(tx, now, now - s.idle()).await?;
    let stored_session = sessions::insert(tx, &new).await?;
    Ok(SignedIn {
        token,
        session: staff_session(actor, &stored_session, s),
    })
}

/// Completes a sign-in waiting for its second factor: `ticket` from [`Attempt::SecondFactor`],
/// the `code` typed, from the same `client`. A user enrolling (level 3, no factor yet) is
/// enrolled by the same code. Too many wrong codes end the ticket and count as a failed
/// sign-in of the user's name.
pub async fn second_factor(
    app: &App,
    ticket: &str,
    code: &str,
    client: &str,
    now: OffsetDateTime,
) -> Result<Attempt> {
    let s = &app.settings.auth;
    let ended = Ok(Attempt::Denied(Denied::ChallengeEnded));
    if !well_formed(ticket) {
        return ended;
    }
    let hash = token_hash(ticket);
    let Some(challenge) = factors::find_challenge(&app.db, &hash).await? else {
        return ended;
    };
    let user = users::find(&app.db, UserId::new(challenge.user_id)).await?;
    if challenge.expires_at <= now || challenge.client != client || !user.active {
        let mut tx = app.db.begin().await?;
        factors::end_challenge(&mut tx, &hash, now).await?;
        tx.commit().await?;
        return ended;
    }
    let actor = user.actor;
    let mut tx = app.db.begin().await?;
    let accepted = match &challenge.enrol_secret {
        Some(sealed) => {
            let step = second_factor::open_for(&app.keys, actor.id, sealed)
                .map(|secret| second_factor::check_code(&secret, code, now))
                .transpose()?
                .flatten();
            match step {
                Some(step) => {
                    factors::enrol(&mut tx, actor.id, sealed, now, step).await?;
                    true
                }
                None => false,
            }
        }
        None => second_factor::use_code(app, &mut tx, actor.id, code, now).await?,
    };
    if !accepted {
        tx.rollback().await?;
        let mut tx = app.db.begin().await?;
        let failures = factors::fail_challenge(&mut tx, &hash).await?;
        if failures >= CHALLENGE_TRIES {
            factors::end_challenge(&mut tx, &hash, now).await?;
            sessions::record_failure(&mut tx, &actor.name, client, now).await?;
            tx.commit().await?;
            return ended;
        }
        tx.commit().await?;
        let left = u32::try_from(CHALLENGE_TRIES - failures).unwrap_or(0);
        return Ok(Attempt::Denied(Denied::WrongCode { left }));
    }
    factors::end_challenge(&mut tx, &hash, now).await?;
    let name = actor.name.clone();
    let signed = open_session(&mut tx, s, actor, &name, client, now).await?;
    tx.commit().await?;
    Ok(Attempt::SignedIn(signed))
}

/// The enrolment a pending sign-in offers, again (the page is shown again after a wrong
/// code); `None` when the ticket has ended or asks for no enrolment.
pub async fn pending_offer(
    app: &App,
    ticket: &str,
    now: OffsetDateTime,
) -> Result<Option<crate::second_factor::Offer>> {
    if !well_formed(ticket) {
        return Ok(None);
    }
    let Some(c) = factors::find_challenge(&app.db, &token_hash(ticket)).await? else {
        return Ok(None);
    };
    let Some(sealed) = c.enrol_secret.filter(|_| c.expires_at > now) else {
        return Ok(None);
    };
    let user = users::find(&app.db, UserId::new(c.user_id)).await?;
    Ok(second_factor::open_for(&app.keys, user.actor.id, &sealed)
        .map(|secret| second_factor::described(&user.actor, &secret, sealed)))
}

fn staff_session(actor: Actor, stored: &Session, s: &AuthSettings) -> StaffSession {
    StaffSession {
        actor,
        csrf_secret: stored.csrf_secret.clone(),
        created_at: stored.created_at,
        idle_expires_at: stored.last_seen_at + s.idle(),
        expires_at: stored.expires_at.min(stored.created_at + s.absolute()),
    }
}

/// The session of a cookie's token at `now`, recording its use; `None` when there is none or
/// it has ended (idle too long, past its absolute limit, its user disabled): an ended session
/// is deleted.
pub async fn session(app: &App, token: &str, now: OffsetDateTime) -> Result<Option<StaffSession>> {
    if !well_formed(token) {
        return Ok(None);
    }
    let hash = token_hash(token);
    let Some(stored) = sessions::find(&app.db, &hash).await? else {
        return Ok(None);
    };
    let s = &app.settings.auth;
    let current = staff_session_user(app, &stored).await?;
    let view = current.map(|actor| staff_session(actor, &stored, s));
    let Some(mut view) = view.filter(|v| now < v.idle_expires_at && now < v.expires_at) else {
        let mut tx = app.db.begin().await?;
        sessions::delete(&mut tx, &hash).await?;
        tx.commit().await?;
        return Ok(None);
    };
    if now - stored.last_seen_at >= TOUCH_EVERY {
        let mut tx = app.db.begin().await?;
        sessions::touch(&mut tx, &hash, now).await?;
        tx.commit().await?;
        view.idle_expires_at = sessions::to_second(now) + s.idle();
    }
    Ok(Some(view))
}

/// The session's user, if still active.
async fn staff_session_user(app: &App, stored: &Session) -> Result<Option<Actor>> {
    let user = users::find(&app.db, stored.user_id).await?;
    Ok(user.active.then_some(user.actor))
}

/// Ends the session of a cookie's token; whether there was one.
pub async fn sign_out(app: &App, token: &str) -> Result<bool> {
    if !well_formed(token) {
        return Ok(false);
    }
    let mut tx = app.db.begin().await?;
    let ended = sessions::delete(&mut tx, &token_hash(token)).await?;
    tx.commit().await?;
    Ok(ended)
}

// ---------------------------------------------------------------------------------------
// Who is signed in

/// The signed-in user as the back office shows them: roles, agency, region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileView {
    pub user_id: UserId,
    pub name: String,
    pub display_name: String,
    pub roles: Vec<&'static str>,
    pub roles_zh: Vec<&'static str>,
    /// The agency's name, for a user of one agency.
    pub agency: Option<String>,
    /// The names of the region the user works in (the agency's, or a supervisor's), province
    /// first; empty for a user of the whole installation.
    pub region_path: Vec<String>,
}

/// Who `actor` is, with the names of their agency and region.
pub async fn profile(app: &App, actor: &Actor) -> Result<ProfileView> {
    use gongkai_store::repo::agency;
    let agency = match actor.agency {
        Some(id) => Some(agency::find_agency(&app.db, id.get()).await?),
        None => None,
    };
    let region = agency
        .as_ref()
        .map(|a| a.region_id)
        .or(actor.region.map(|r| r.get()));
    let region_path = match region {
        Some(r) => agency::region_path(&app.db, r)
            .await?
            .into_iter()
            .map(|r| r.name)
            .collect(),
        None => Vec::new(),
    };
    Ok(ProfileView {
        user_id: actor.id,
        name: actor.name.clone(),
        display_name: actor.display_name.clone(),
        roles: actor.roles.iter().map(|r| r.key()).collect(),
        roles_zh: actor.roles.iter().map(|r| r.label()).collect(),
        agency: agency.map(|a| a.name),
        region_path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::user::Role;

    fn user(name: &str, display: &str) -> Actor {
        Actor {
            id: UserId::new(1),
            name: name.into(),
            display_name: display.into(),
            roles: vec![Role::Entry],
            agency: None,
            region: None,
        }
    }

    #[test]
    fn db_ia_1_weak_passwords_are_refused_with_the_rule_they_break() {
        let s = AuthSettings::default();
        let u = user("zhangwei", "张伟");
        let refused = |pw: &str, zh: &str| {
            let e = check_password(&s, &u, pw).expect_err(pw);
            assert!(e.zh().contains(zh), "{pw}: {}", e.zh());
            assert!(!e.en().is_empty());
        };
        refused("Ab1!", "至少需要10个字符");
        refused(&"Ab1!".repeat(40), "不能超过128个字符");
        refused("Abcdefgh1!\n", "控制字符");
        refused("12345678901", "不能全为数字");
        refused("abcdefghijk", "至少3类");
        refused("abcdefgh123", "至少3类");
        refused("Zhangwei-2024", "用户名");
        refused("我是张伟的Pass1", "用户名");
        refused("P@ssw0rd123", "过于常见");
        let mut one_class = AuthSettings {
            password_min_classes: 1,
            ..AuthSettings::default()
        };
        assert!(check_password(&one_class, &u, "马上就要下班了但是还没写完").is_ok());
        assert!(check_password(&one_class, &u, "aaaaaaaaaaaa").is_err());
        assert!(check_password(&one_class, &u, "abcdefghijkl").is_err());
        assert!(check_password(&one_class, &u, "1234567890").is_err());
        one_class.password_min_length = 12;
        assert!(check_password(&one_class, &u, "短短的十个字符密码啊").is_err());
        // Long passwords, spaces and any characters are allowed, exactly as typed (ASVS 6.2.8, 6.2.9).
        let long = "x".repeat(40) + "Y1";
        for ok in [
            "Gongkai-2024-spring",
            "  Two spaces 1 ",
            &long,
            "政府信息公开Gk2024",
        ] {
            assert!(check_password(&s, &u, ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn settings_that_switch_a_protection_off_are_refused() {
        assert_eq!(AuthSettings::default().check(), Ok(()));
        for bad in [
            AuthSettings {
                lockout_failures: 0,
                ..AuthSettings::default()
            },
            AuthSettings {
                password_min_length: 6,
                ..AuthSettings::default()
            },
            AuthSettings {
                password_min_classes: 5,
                ..AuthSettings::default()
            },
            AuthSettings {
                idle_minutes: 600,
                absolute_hours: 8,
                ..AuthSettings::default()
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn db_ia_2_lockout_counts_per_name_and_client_then_per_name_then_per_client() {
        let s = AuthSettings::default();
        let t0 = time::macros::datetime!(2024-05-06 09:00 UTC);
        let f = |name: &str, client: &str, min: i64| Failure {
            name: name.into(),
            client: client.into(),
            at: t0 + Duration::minutes(min),
        };
        // Four failures: not yet; the fifth within 15 minutes locks for 15 minutes after it.
        let mut log: Vec<Failure> = (0..4).map(|m| f("admin", "a", m)).collect();
        assert_eq!(locked_until(&log, "admin", "a", &s), None);
        log.push(f("admin", "a", 10));
        assert_eq!(
            locked_until(&log, "admin", "a", &s),
            Some(t0 + Duration::minutes(25))
        );
        // Another client is not locked out by them (ASVS 6.1.1), nor another name.
        assert_eq!(locked_until(&log, "admin", "b", &s), None);
        assert_eq!(locked_until(&log, "li", "a", &s), None);
        // Five spread over more than the window do not lock.
        let spread: Vec<Failure> = (0..5).map(|i| f("admin", "a", i * 4)).collect();
        assert_eq!(locked_until(&spread, "admin", "a", &s), None);
        // Twenty from many clients lock the name everywhere.
        let many: Vec<Failure> = (0..20)
            .map(|i| f("admin", &format!("c{i}"), i / 2))
            .collect();
        assert_eq!(
            locked_until(&many, "admin", "new", &s),
            Some(t0 + Duration::minutes(9 + 15))
        );
        // Fifty from one client, whatever the names, lock that client.
        let spray: Vec<Failure> = (0..50).map(|i| f(&format!("u{i}"), "x", i / 5)).collect();
        assert_eq!(
            locked_until(&spray, "someone", "x", &s),
            Some(t0 + Duration::minutes(9 + 15))
        );
        assert_eq!(locked_until(&spray, "someone", "y", &s), None);
    }

    #[tokio::test]
    async fn the_stand_in_hash_costs_what_a_real_one_does() {
        let real = hash_password("Gongkai-2024-spring").await.expect("hash");
        assert!(
            real.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{real}"
        );
        assert!(!needs_rehash(&real));
        assert!(!needs_rehash(NO_PASSWORD));
        let params = |phc: &str| {
            let h = PasswordHash::new(phc).expect("parses");
            (
                h.algorithm.to_string(),
                h.version,
                h.params.to_string(),
                h.hash.map(|o| o.len()),
            )
        };
        assert_eq!(params(NO_PASSWORD), params(&real));
        // It is verified (not refused as unreadable), and matches nothing.
        assert_eq!(verify_password("", NO_PASSWORD).await.ok(), Some(false));
        assert_eq!(
            verify_password("Gongkai-2024-spring", &real).await.ok(),
            Some(true)
        );
        assert_eq!(
            verify_password("gongkai-2024-spring", &real).await.ok(),
            Some(false)
        );
        assert!(needs_rehash(
            "$argon2id$v=19$m=4096,t=3,p=1$Z29uZ2thaS1ub25l$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        ));
    }

    #[test]
    fn tokens_are_256_bits_and_stored_only_as_a_digest() {
        let a = random_hex().expect("random");
        let b = random_hex().expect("random");
        assert_ne!(a, b);
        assert!(well_formed(&a));
        assert!(!well_formed(&a.to_uppercase()) && !well_formed("x") && !well_formed(""));
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
