//! `gongkai user add|list|disable|passwd|token`: the people who act in gongkai, their roles,
//! the passwords they sign in on the web with (docs/security.md) and the tokens other systems
//! call the API with (docs/api.md).

use super::actor::ActorArg;
use super::init::block_on;
use anyhow::anyhow;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::App;
use gongkai_app::api_token::{self, TokenView};
use gongkai_app::user::{self, NewUserInput, UserView};
use gongkai_core::ids::RegionId;
use gongkai_core::user::Role;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user (the 安全管理员 does).
    Add(AddArgs),
    /// List the users, disabled ones included.
    List(ListArgs),
    /// Disable a user: they can no longer act; what they recorded keeps their name.
    Disable(DisableArgs),
    /// Set a user's password for signing in on the web, read from standard input (one line:
    /// `echo 'Pass-word-2024' | gongkai user passwd --data DIR NAME`); the user's sessions end.
    Passwd(PasswdArgs),
    /// Give a user other roles (the 安全管理员 does, never for themself); their sessions end.
    Roles(RolesArgs),
    /// Remove a user's second factor (a lost phone): they enrol again at their next sign-in.
    TotpReset(DisableArgs),
    /// Tokens for the JSON API (docs/api.md): `token add` prints a new token once, `token
    /// list` shows them without the token, `token revoke` ends one.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue a token that acts as user NAME (an administrator does); printed once.
    Add(TokenAddArgs),
    /// List the tokens of the users you manage.
    List(TokenListArgs),
    /// Revoke a token by its id: refused from then on.
    Revoke(TokenRevokeArgs),
}

#[derive(Args)]
pub struct TokenAddArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The user the token acts as.
    pub name: String,
    /// What the token is for (省级依申请公开平台).
    #[arg(long)]
    pub label: String,
    /// Days until it ends (default 90, at most 366).
    #[arg(long)]
    pub days: Option<u32>,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct TokenListArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct TokenRevokeArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The token's id (`token list`).
    pub id: i64,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The unique user name (sign-in name).
    #[arg(long)]
    pub name: String,
    /// The name shown on documents (default: the user name); two people may share one.
    #[arg(long)]
    pub display_name: Option<String>,
    /// Comma-separated roles: entry (录入), review (审核), secrecy (保密审查), head (负责人),
    /// supervise (监督), and the three administrators, each alone in an account: admin
    /// (系统管理员), security (安全管理员), audit (审计管理员).
    #[arg(long)]
    pub roles: String,
    /// The agency the user works for (name or organisation code).
    #[arg(long)]
    pub agency: Option<String>,
    /// The region a supervisor oversees: its path (山东省/淄博市, as `region list` prints it),
    /// a name only one region has, or its id.
    #[arg(long)]
    pub region: Option<String>,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
}

#[derive(Args)]
pub struct DisableArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The user name.
    pub name: String,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct RolesArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The user name.
    pub name: String,
    /// The new roles, comma-separated (as for `user add`).
    #[arg(long)]
    pub roles: String,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct PasswdArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The user name (yourself, or anyone for an administrator).
    pub name: String,
    #[command(flatten)]
    pub actor: ActorArg,
}

/// Reads the new password: one line of standard input, taken exactly as typed but for the line
/// break. On a terminal the typing is not shown (`stty -echo`) and is asked for twice.
fn read_password(name: &str) -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    let read_line = || -> anyhow::Result<String> {
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            return Err(anyhow!(
                "no password on standard input: give it as one line (echo 'NEW PASSWORD' | gongkai user passwd …)"
            ));
        }
        let line = line.strip_suffix('\n').unwrap_or(&line);
        Ok(line.strip_suffix('\r').unwrap_or(line).to_string())
    };
    if !stdin.is_terminal() {
        return read_line();
    }
    let echo = |on: bool| {
        let _ = std::process::Command::new("stty")
            .arg(if on { "echo" } else { "-echo" })
            .stdin(std::process::Stdio::inherit())
            .status();
    };
    let ask = |prompt: &str| -> anyhow::Result<String> {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        echo(false);
        let got = read_line();
        echo(true);
        eprintln!();
        got
    };
    let first = ask(&format!("{name} 的新密码 (new password): "))?;
    let second = ask("再次输入 (again): ")?;
    if first != second {
        return Err(anyhow!(
            "the two passwords differ (两次输入的密码不一致): nothing was changed"
        ));
    }
    Ok(first)
}

fn token_line(t: &TokenView) -> String {
    let state = match (t.revoked_at, t.last_used_at) {
        (Some(at), _) => format!("revoked {at}"),
        (None, Some(at)) => format!("last used {at}"),
        (None, None) => "never used".into(),
    };
    format!(
        "{}\t{}\t{}\texpires {}\t{state}",
        t.id, t.user, t.label, t.expires_at
    )
}

async fn token(cmd: TokenCommand) -> anyhow::Result<()> {
    let now = time::OffsetDateTime::now_utc();
    match cmd {
        TokenCommand::Add(a) => {
            let app = App::open(&a.data).await?;
            let actor = a.actor.resolve_for(&app, Role::Security).await?;
            let issued = api_token::issue(&app, &actor, &a.name, &a.label, a.days, now).await?;
            app.db.close().await;
            eprintln!(
                "token {} for user {} ({}), expires {}: it is shown this once; send it as `Authorization: Bearer TOKEN`",
                issued.view.id, issued.view.user, issued.view.label, issued.view.expires_at
            );
            say!("{}", issued.token);
        }
        TokenCommand::List(a) => {
            let app = App::open(&a.data).await?;
            let actor = a.actor.resolve_for(&app, Role::Security).await?;
            let tokens = api_token::list(&app, &actor).await?;
            app.db.close().await;
            match a.format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(&tokens)?),
                ListFormat::Text => tokens.iter().for_each(|t| say!("{}", token_line(t))),
            }
        }
        TokenCommand::Revoke(a) => {
            let app = App::open(&a.data).await?;
            let actor = a.actor.resolve_for(&app, Role::Security).await?;
            let t = api_token::revoke(&app, &actor, a.id, now).await?;
            app.db.close().await;
            say!("revoked {}", token_line(&t));
        }
    }
    Ok(())
}

fn line(u: &UserView) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        u.id,
        u.name,
        u.display_name,
        if u.roles_zh.is_empty() {
            "-".to_string()
        } else {
            u.roles_zh.join("、")
        },
        if u.active { "active" } else { "disabled" },
        if u.password_set {
            "password"
        } else {
            "no password"
        }
    )
}

pub fn run(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    block_on(async {
        match cmd {
            UserCommand::Add(a) => {
                let roles = Role::parse_list(&a.roles).map_err(|e| anyhow!(e))?;
                let app = App::open(&a.data).await?;
                let actor = a.actor.resolve_for(&app, Role::Security).await?;
                let region = match a.region.as_deref().map(str::trim) {
                    None => None,
                    Some(r) => Some(match r.parse::<i64>() {
                        Ok(id) => RegionId::new(id),
                        Err(_) => {
                            RegionId::new(gongkai_app::supervision::find_region(&app, r).await?.id)
                        }
                    }),
                };
                let added = user::add(
                    &app,
                    &actor,
                    NewUserInput {
                        name: a.name,
                        display_name: a.display_name,
                        roles,
                        agency: a.agency,
                        region,
                    },
                )
                .await?;
                say!("added user {}", line(&added));
                app.db.close().await;
            }
            UserCommand::List(a) => {
                let app = App::open(&a.data).await?;
                let users = user::list(&app).await?;
                app.db.close().await;
                match a.format {
                    ListFormat::Text => users.iter().for_each(|u| say!("{}", line(u))),
                    ListFormat::Json => println!("{}", serde_json::to_string_pretty(&users)?),
                }
            }
            UserCommand::Passwd(a) => {
                let password = read_password(&a.name)?;
                let app = App::open(&a.data).await?;
                let actor = a.actor.resolve_for(&app, Role::Security).await?;
                let u = gongkai_app::auth::set_password(
                    &app,
                    &actor,
                    &a.name,
                    &password,
                    time::OffsetDateTime::now_utc(),
                )
                .await?;
                say!(
                    "password set for user {} ({}): they sign in at /staff/signin; their sessions ended",
                    u.name,
                    u.display_name
                );
                app.db.close().await;
            }
            UserCommand::Token(t) => token(t).await?,
            UserCommand::Roles(a) => {
                let roles = Role::parse_list(&a.roles).map_err(|e| anyhow!(e))?;
                let app = App::open(&a.data).await?;
                let actor = a.actor.resolve_for(&app, Role::Security).await?;
                let u = user::set_roles(&app, &actor, &a.name, roles).await?;
                say!("roles set for user {}; their sessions ended", line(&u));
                app.db.close().await;
            }
            UserCommand::TotpReset(a) => {
                let app = App::open(&a.data).await?;
                let actor = a.actor.resolve_for(&app, Role::Security).await?;
                let had = gongkai_app::second_factor::reset(&app, &actor, &a.name).await?;
                app.db.close().await;
                if had {
                    say!(
                        "second factor removed for user {}: they enrol again at their next sign-in",
                        a.name
                    );
                } else {
                    say!("user {} had no second factor; their sessions ended", a.name);
                }
            }
            UserCommand::Disable(a) => {
                let app = App::open(&a.data).await?;
                let actor = a.actor.resolve_for(&app, Role::Security).await?;
                let u = user::disable(&app, &actor, &a.name).await?;
                say!("disabled user {}", line(&u));
                app.db.close().await;
            }
        }
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}
