//! The audit log (docs/audit-log.md; 等保 DB-AU-1..3, GW-20): every state-changing request
//! of the web (pages and API) and every state-changing command of the CLI, every view of an
//! applicant's full identity, sign-ins and their failures — who (user or `anonymous`), when,
//! from where (client address, or `cli`), what (the route or command and its object) and
//! with what outcome. Never personal data: objects are 申请编号 and record ids.
//!
//! Each entry carries the previous entry's hash and its own, an HMAC-SHA256 under the data
//! directory's secret key ([`crate::secrets`]) over its number, its fields and that previous
//! hash. [`verify`] walks the log and names the first entry that was edited, deleted,
//! reordered or inserted; the database's triggers refuse updates and deletes, so tampering needs
//! raw access to the file, and the key is not in it.

use crate::App;
use crate::error::{AppError, Result};
use crate::secrets::{Keyring, Purpose};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::audit_log::{self as repo, EntryRow, NewEntry};
use serde::Serialize;
use time::OffsetDateTime;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    /// Refused: not signed in, not allowed, bad input, a rule of the procedure.
    Refused,
    /// The server failed.
    Error,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Refused => "refused",
            Outcome::Error => "error",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "成功",
            Outcome::Refused => "被拒绝",
            Outcome::Error => "出错",
        }
    }

    fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Success, Outcome::Refused, Outcome::Error]
            .into_iter()
            .find(|o| o.key() == s)
    }
}

/// One thing to record.
#[derive(Debug, Clone)]
pub struct Record {
    pub at: OffsetDateTime,
    /// The user and their display name; `None` for an anonymous caller.
    pub actor: Option<(i64, String)>,
    /// The client's address, or `cli`.
    pub client: String,
    /// `POST /staff/cases/{number}/events/{form}`, `cli application event` …
    pub action: String,
    /// The object acted on (a path, a 申请编号, an id), or empty.
    pub object: String,
    pub outcome: Outcome,
    /// A status or exit code and a short reason.
    pub detail: String,
}

/// Strips control characters and caps the length: entries are one line of plain text.
fn clean(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect()
}

/// The time as stored: whole milliseconds, UTC (both backends keep it exactly).
fn stored_time(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(t.nanosecond() / 1_000_000 * 1_000_000)
        .unwrap_or(t)
}

fn chain_parts(seq: i64, e: &NewEntry, prev: &str) -> Vec<Vec<u8>> {
    let millis = (e.at.unix_timestamp_nanos() / 1_000_000).to_string();
    vec![
        seq.to_string().into_bytes(),
        millis.into_bytes(),
        e.actor_id
            .map(|i| i.to_string())
            .unwrap_or_default()
            .into_bytes(),
        e.actor.clone().into_bytes(),
        e.client.clone().into_bytes(),
        e.action.clone().into_bytes(),
        e.object.clone().into_bytes(),
        e.outcome.clone().into_bytes(),
        e.detail.clone().into_bytes(),
        prev.as_bytes().to_vec(),
    ]
}

fn chain_hash(keys: &Keyring, seq: i64, e: &NewEntry, prev: &str) -> String {
    let parts = chain_parts(seq, e, prev);
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    keys.mac(Purpose::AuditChain, &refs)
}

/// Appends a record to the log; returns its number.
pub async fn record(app: &App, r: Record) -> Result<i64> {
    let (actor_id, actor) = match r.actor {
        Some((id, name)) => (Some(id), clean(&name, 100)),
        None => (None, "anonymous".to_string()),
    };
    let entry = NewEntry {
        at: stored_time(r.at),
        actor_id,
        actor,
        client: clean(&r.client, 64),
        action: clean(&r.action, 200),
        object: clean(&r.object, 300),
        outcome: r.outcome.key().to_string(),
        detail: clean(&r.detail, 300),
    };
    let keys = app.keys.clone();
    Ok(repo::append(&app.db, &entry, |seq, prev| {
        chain_hash(&keys, seq, &entry, prev)
    })
    .await?)
}

/// What the verifier found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Entries checked.
    pub entries: u64,
    /// The first bad entry and what is wrong with it; `None` when the chain holds.
    pub first_bad: Option<Broken>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// The entry's number (for a missing entry, the number expected).
    pub seq: i64,
    pub reason: String,
}

impl Verified {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Walks the whole log in number order and checks each entry's number, its link to the entry
/// before and its keyed hash, and that the head names the last entry.
pub async fn verify(app: &App) -> Result<Verified> {
    const CHUNK: i64 = 2_000;
    let bad = |seq: i64, reason: String, entries: u64| {
        Ok(Verified {
            entries,
            first_bad: Some(Broken { seq, reason }),
        })
    };
    // After a purge the log starts at the anchor, whose keyed hash proves where it is.
    let anchor = repo::anchor(&app.db).await?;
    if anchor.seq != 0 || !anchor.mac.is_empty() {
        let parts = anchor_parts(anchor.seq, &anchor.hash);
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        if !matches!(
            app.keys.verify_mac(Purpose::AuditChain, &refs, &anchor.mac),
            Ok(true)
        ) {
            return bad(
                anchor.seq,
                "the anchor of the purged entries was altered: entries may have been deleted"
                    .into(),
                0,
            );
        }
    }
    let mut expected = anchor.seq + 1;
    let mut prev = anchor.hash.clone();
    let mut entries = 0u64;
    loop {
        let rows = repo::chunk(&app.db, expected, CHUNK).await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            if row.seq != expected {
                return bad(
                    expected,
                    format!(
                        "entry {expected} is missing (the next is {}): deleted",
                        row.seq
                    ),
                    entries,
                );
            }
            if row.prev_hash != prev {
                return bad(
                    row.seq,
                    "its link to the entry before does not match: an entry before it was deleted, inserted or reordered".into(),
                    entries,
                );
            }
            if Outcome::parse(&row.outcome).is_none() {
                return bad(
                    row.seq,
                    format!("unknown outcome {:?}", row.outcome),
                    entries,
                );
            }
            let entry = entry_of(row);
            let parts = chain_parts(row.seq, &entry, &row.prev_hash);
            let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            match app.keys.verify_mac(Purpose::AuditChain, &refs, &row.hash) {
                Ok(true) => {}
                Ok(false) => {
                    return bad(
                        row.seq,
                        "its hash does not match its content: the entry was edited".into(),
                        entries,
                    );
                }
                Err(e) => return bad(row.seq, e.to_string(), entries),
            }
            prev = row.hash.clone();
            expected += 1;
            entries += 1;
        }
    }
    let (head_seq, head_hash) = repo::head(&app.db).await?;
    if head_seq != expected - 1 || head_hash != prev {
        return bad(
            expected,
            format!(
                "the log ends at entry {} but its head records entry {head_seq}: the newest entries were removed",
                expected - 1
            ),
            entries,
        );
    }
    Ok(Verified {
        entries,
        first_bad: None,
    })
}

/// What the anchor's keyed hash covers: its number and the hash it continues from.
fn anchor_parts(seq: i64, hash: &str) -> Vec<Vec<u8>> {
    vec![
        b"anchor".to_vec(),
        seq.to_string().into_bytes(),
        hash.as_bytes().to_vec(),
    ]
}

/// `[audit]` in `gongkai.toml`: how long entries are kept (docs/audit-log.md#retention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditSettings {
    /// Entries older than this many days may be purged (`gongkai audit-log purge`); at least
    /// 365 (the 2024 互联网政务应用 rule keeps access and operation logs a year), 400 by default.
    pub retention_days: u32,
}

impl Default for AuditSettings {
    fn default() -> AuditSettings {
        AuditSettings {
            retention_days: 400,
        }
    }
}

impl AuditSettings {
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.retention_days < 365 {
            return Err(
                "audit.retention_days must be at least 365 (a year of logs is kept)".into(),
            );
        }
        Ok(())
    }
}

/// What a purge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Entries deleted.
    pub entries: u64,
    /// The log now starts after this entry (0: nothing was ever purged).
    pub anchor: i64,
    /// Entries written before this instant were due.
    #[serde(with = "time::serde::rfc3339")]
    pub cutoff: OffsetDateTime,
}

/// Deletes the entries older than `[audit] retention_days` at `now` from the start of the log,
/// leaving a keyed anchor where it now starts. Refused while the chain does not verify: a
/// broken log is evidence, never purged. The command line records the purge itself.
pub async fn purge(app: &App, now: OffsetDateTime) -> Result<Purged> {
    let checked = verify(app).await?;
    if let Some(b) = &checked.first_bad {
        return Err(broken_error(b));
    }
    let days = app.settings.audit.retention_days.max(365);
    let cutoff = stored_time(now - time::Duration::days(days.into()));
    let cutoff = cutoff.replace_nanosecond(0).unwrap_or(cutoff);
    let current = repo::anchor(&app.db).await?;
    let Some((seq, hash)) = repo::last_before(&app.db, cutoff).await? else {
        return Ok(Purged {
            entries: 0,
            anchor: current.seq,
            cutoff,
        });
    };
    if seq <= current.seq {
        return Ok(Purged {
            entries: 0,
            anchor: current.seq,
            cutoff,
        });
    }
    let parts = anchor_parts(seq, &hash);
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let anchor = repo::Anchor {
        seq,
        hash: hash.clone(),
        purged_at: Some(stored_time(now)),
        mac: app.keys.mac(Purpose::AuditChain, &refs),
    };
    let entries = repo::purge(&app.db, seq, &anchor).await?;
    Ok(Purged {
        entries,
        anchor: seq,
        cutoff,
    })
}

fn entry_of(row: &EntryRow) -> NewEntry {
    NewEntry {
        at: row.at,
        actor_id: row.actor_id,
        actor: row.actor.clone(),
        client: row.client.clone(),
        action: row.action.clone(),
        object: row.object.clone(),
        outcome: row.outcome.clone(),
        detail: row.detail.clone(),
    }
}

/// One entry as the back office and `audit-log list` show it.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: String,
    pub client: String,
    pub action: String,
    pub object: String,
    pub outcome: Outcome,
    pub detail: String,
}

/// A page of the log, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct LogPage {
    pub entries: Vec<EntryView>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

pub const PAGE_SIZE: u32 = 50;

/// Who reads the log: the 审计管理员 alone (三权分立, docs/audit-log.md).
fn require_reader(actor: &Actor) -> Result<()> {
    crate::access::require(actor, Role::Audit, "read the audit log", "查阅审计日志")
}

/// A page of the log for `actor`, optionally only entries whose actor, action, object or
/// client contains `search` (the web records the reading of the log like a change).
pub async fn page(app: &App, actor: &Actor, search: Option<&str>, page: u32) -> Result<LogPage> {
    require_reader(actor)?;
    let page = page.max(1);
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    let (rows, total) = repo::page(
        &app.db,
        search,
        i64::from(PAGE_SIZE),
        i64::from((page - 1) * PAGE_SIZE),
    )
    .await?;
    let total = u64::try_from(total).unwrap_or(0);
    let entries = rows
        .into_iter()
        .map(|r| EntryView {
            seq: r.seq,
            at: r.at,
            outcome: Outcome::parse(&r.outcome).unwrap_or(Outcome::Error),
            actor: r.actor,
            client: r.client,
            action: r.action,
            object: r.object,
            detail: r.detail,
        })
        .collect();
    Ok(LogPage {
        entries,
        total,
        page,
        pages: u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
            .unwrap_or(u32::MAX)
            .max(1),
    })
}

/// The refusal for a verification that found a break (exit status 1 on the CLI).
pub fn broken_error(b: &Broken) -> AppError {
    AppError::refused(
        format!("the audit log is broken at entry {}: {}", b.seq, b.reason),
        format!("审计日志在第 {} 条处被破坏：{}", b.seq, b.reason),
    )
}
