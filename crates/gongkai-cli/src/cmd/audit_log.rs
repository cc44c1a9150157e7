//! `gongkai audit-log verify|list` (docs/audit-log.md), and the record of every command that
//! changes a data directory.

use super::init::block_on;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::audit_log::{self, Outcome, Record};
use gongkai_app::error::ErrorKind;
use gongkai_app::{App, AppError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AuditLogCommand {
    /// Check the whole chain: exit 0 when it holds, 1 naming the first edited, deleted,
    /// reordered or inserted entry.
    Verify(VerifyArgs),
    /// The newest entries, optionally only those mentioning TEXT.
    List(ListArgs),
    /// Delete the entries older than `[audit] retention_days` (400 by default, at least 365)
    /// from the start of the log, leaving a keyed anchor; refused while the chain is broken.
    Purge(VerifyArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args)]
pub struct VerifyArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// Only entries whose user, action, object or client contains this.
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[command(flatten)]
    pub actor: super::actor::ActorArg,
}

pub fn run(cmd: AuditLogCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            AuditLogCommand::Verify(a) => {
                let app = App::open(&a.data).await?;
                let done = audit_log::verify(&app).await;
                app.db.close().await;
                let v = done?;
                if a.format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&v)?);
                } else if let Some(b) = &v.first_bad {
                    say!(
                        "BROKEN at entry {}: {} ({} entries before it verified)",
                        b.seq,
                        b.reason,
                        v.entries
                    );
                } else {
                    say!("ok: {} entries, chain intact", v.entries);
                }
                Ok(if v.ok() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            AuditLogCommand::Purge(a) => {
                let app = App::open(&a.data).await?;
                let done = audit_log::purge(&app, time::OffsetDateTime::now_utc()).await;
                app.db.close().await;
                let p = done?;
                if a.format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&p)?);
                } else {
                    say!(
                        "purged {} entries written before {}; the log now starts after entry {}",
                        p.entries,
                        gongkai_app::application::online::beijing_time(p.cutoff),
                        p.anchor
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            AuditLogCommand::List(a) => {
                let app = App::open(&a.data).await?;
                let done = async {
                    let actor = a
                        .actor
                        .resolve_for(&app, gongkai_core::user::Role::Audit)
                        .await?;
                    anyhow::Ok(audit_log::page(&app, &actor, a.search.as_deref(), a.page).await?)
                }
                .await;
                app.db.close().await;
                let p = done?;
                for e in &p.entries {
                    let line = format!(
                        "{:>6}  {}  {}  {}  {}  {}  {}  {}",
                        e.seq,
                        gongkai_app::application::online::beijing_time(e.at),
                        e.actor,
                        e.client,
                        e.action,
                        e.object,
                        e.outcome.key(),
                        e.detail
                    );
                    say!("{}", gongkai_core::text::escape_terminal(&line));
                }
                say!("page {} of {} ({} entries)", p.page, p.pages, p.total);
                Ok(ExitCode::SUCCESS)
            }
        }
    })?
}

/// Subcommands that only read.
const READ_ONLY: [&str; 24] = [
    "list",
    "show",
    "status",
    "check",
    "stats",
    "table2",
    "form",
    "doc",
    "schema",
    "render",
    "compute",
    "rollup",
    "export",
    "search",
    "dashboard",
    "assessments",
    "appointments",
    "letters",
    "accesses",
    "pending",
    "history",
    "published",
    "narrative-show",
    "config-show",
];

/// The command line's data directory, user and action when the command changes a data
/// directory (and is not the server, which records its own requests).
fn recorded(argv: &[String]) -> Option<(PathBuf, Option<String>, String)> {
    let words: Vec<&str> = argv
        .iter()
        .map(String::as_str)
        .take_while(|w| !w.starts_with('-'))
        .take(2)
        .collect();
    let command = *words.first()?;
    if matches!(command, "serve" | "demo") {
        return None;
    }
    if command != "audit-log" && words.get(1).is_some_and(|s| READ_ONLY.contains(s)) {
        return None;
    }
    let value = |flag: &str| {
        argv.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(&format!("{flag}="))
                .map(str::to_string)
                .or_else(|| (a == flag).then(|| argv.get(i + 1).cloned()).flatten())
        })
    };
    let data = PathBuf::from(value("--data")?);
    let user = value("--as").or_else(|| value("--actor"));
    Some((data, user, format!("cli {}", words.join(" "))))
}

/// The role a command acts with when no `--as` is given: users are the 安全管理员's, the log
/// the 审计管理员's, the rest the local operator's (`gongkai_app::user::actor_for`).
pub fn power_of(action: &str) -> gongkai_core::user::Role {
    use gongkai_core::user::Role;
    if action.starts_with("cli user") {
        Role::Security
    } else if action.starts_with("cli audit-log") {
        Role::Audit
    } else {
        Role::Entry
    }
}

/// Records a finished command that changed (or tried to change) a data directory. A failure
/// to record is reported on stderr; it does not change the command's exit status.
pub fn record_command(argv: &[String], result: &anyhow::Result<ExitCode>) {
    let Some((data, user, action)) = recorded(argv) else {
        return;
    };
    let (outcome, detail) = match result {
        Ok(code) if *code == ExitCode::SUCCESS => (Outcome::Success, "exit 0".to_string()),
        Ok(_) => (Outcome::Refused, "exit 1".to_string()),
        Err(e) => match e.chain().find_map(|c| c.downcast_ref::<AppError>()) {
            Some(app) if app.kind() != ErrorKind::Internal => {
                (Outcome::Refused, format!("exit 2: {:?}", app.kind()))
            }
            _ => (Outcome::Error, "exit 2".to_string()),
        },
    };
    let done = block_on(async {
        // A directory that does not open (the command's own error) has nothing to record to.
        let Ok(app) = App::open(&data).await else {
            return Ok(());
        };
        let actor = gongkai_app::user::actor_for(&app, user.as_deref(), power_of(&action))
            .await
            .ok();
        let r = audit_log::record(
            &app,
            Record {
                at: time::OffsetDateTime::now_utc(),
                actor: actor.map(|a| (a.id.get(), a.display_name)),
                client: "cli".into(),
                action,
                object: String::new(),
                outcome,
                detail,
            },
        )
        .await;
        app.db.close().await;
        r.map(|_| ())
    });
    match done {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            eprintln!("gongkai: warning: the command was not recorded in the audit log: {e}")
        }
        Err(e) => {
            eprintln!("gongkai: warning: the command was not recorded in the audit log: {e:#}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn db_au_1_which_commands_are_recorded() {
        let r = recorded(&argv(
            "application event --data d 2021-000001 --as 王五 decided",
        ))
        .expect("recorded");
        assert_eq!(
            r,
            (
                PathBuf::from("d"),
                Some("王五".into()),
                "cli application event".into()
            )
        );
        assert!(recorded(&argv("application list --data d")).is_none());
        assert!(recorded(&argv("serve --data d")).is_none());
        assert!(
            recorded(&argv("report render x.json")).is_none(),
            "no data directory"
        );
        assert!(
            recorded(&argv("audit-log list --data=d")).is_some(),
            "reading the log is recorded"
        );
        assert_eq!(
            recorded(&argv("init --data=d")).map(|r| r.2),
            Some("cli init".to_string())
        );
    }
}
