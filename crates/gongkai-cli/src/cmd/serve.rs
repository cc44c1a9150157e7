//! `gongkai serve --data DIR [--listen ADDR]` serves a data directory's portal;
//! `gongkai demo [--data DIR] [--port P]` creates demo data when DIR has none and serves it,
//! with a demo staff account (演示账号) whose random password is kept in `DIR/demo-account.txt`
//! and printed with the sign-in address at every start.

use anyhow::Context;
use clap::Args;
use gongkai_app::App;
use gongkai_web::{Server, WebState};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}

#[derive(Args)]
pub struct DemoArgs {
    /// The demo's data directory, created with demo data when it has none.
    #[arg(long, default_value = "demo-data")]
    pub data: PathBuf,
    /// The port on 127.0.0.1.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The demo's staff account: user name and where its password is kept.
const DEMO_STAFF: &str = "demo";
const DEMO_ACCOUNT_FILE: &str = "demo-account.txt";

async fn serve_app(
    app: App,
    addr: SocketAddr,
    staff: Option<(String, String)>,
) -> anyhow::Result<()> {
    refuse_breaches(&app).await?;
    let state = WebState::open(app).await?;
    let server = Server::bind(addr, state)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let addr = server.local_addr()?;
    say!("gongkai: serving on http://{addr}/ (Ctrl-C stops)");
    if let Some((name, password)) = staff {
        say!(
            "gongkai: 工作人员登录 (staff sign-in) http://{addr}/staff/signin  演示账号 {name}  密码 {password}"
        );
    }
    server
        .run(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

pub fn serve(a: ServeArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let app = App::open(&a.data).await?;
        serve_app(app, a.listen, None).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Refuses to serve while an active user's roles break 三权分立 under the profile (RELIABILITY
/// DB-MC-1 at startup), naming each and how to mend it.
async fn refuse_breaches(app: &App) -> anyhow::Result<()> {
    let breaches = gongkai_app::user::separation_breaches(app).await?;
    if breaches.is_empty() {
        return Ok(());
    }
    let list = breaches
        .iter()
        .map(|(name, b)| format!("  {name}: {}", b.en()))
        .collect::<Vec<_>>()
        .join("\n");
    anyhow::bail!(
        "the roles of {} user(s) break the separation of the three administrators (auth.level = {}):\n{list}\n\
         give each one role with `gongkai user roles --data DIR NAME --roles …` (as the security administrator), then start again",
        breaches.len(),
        app.settings.auth.level
    )
}

/// Creates the demo data directory: the seed agency's catalogue and a small district.
async fn create_demo(dir: &Path) -> anyhow::Result<App> {
    let app = App::init(dir, None).await?;
    let operator = gongkai_app::user::actor(&app, None).await?;
    let summary = gongkai_app::catalog::demo::load_demo(&app, &operator)
        .await
        .context("cannot load the demo data")?;
    let district = gongkai_app::catalog::demo::load_district(&app, &operator)
        .await
        .context("cannot load the demo district")?;
    say!(
        "demo data created in {}: {summary}; {district} items of the district",
        dir.display()
    );
    let security = gongkai_app::user::first_security(&app).await?;
    create_demo_staff(&app, &security, dir).await?;
    Ok(app)
}

/// Adds the demo staff account (演示账号, every office role of the demo agency) with a random
/// password, written to `DIR/demo-account.txt` (readable by its owner only): no well-known
/// password is shipped (RELIABILITY DB-AC-2).
async fn create_demo_staff(
    app: &App,
    security: &gongkai_core::user::Actor,
    dir: &Path,
) -> anyhow::Result<()> {
    use gongkai_core::user::Role;
    gongkai_app::user::add(
        app,
        security,
        gongkai_app::user::NewUserInput {
            name: DEMO_STAFF.into(),
            display_name: Some("演示账号".into()),
            roles: vec![Role::Entry, Role::Review, Role::Secrecy, Role::Head],
            agency: Some(gongkai_app::catalog::demo::DEMO_AGENCY.into()),
            region: None,
        },
    )
    .await?;
    // 13 random Crockford characters (65 bits) behind a lower-case prefix: three classes.
    let password = format!(
        "gk-{}",
        gongkai_app::query_code::generate().context("no random numbers for the demo password")?
    );
    gongkai_app::auth::set_password(
        app,
        security,
        DEMO_STAFF,
        &password,
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    let path = dir.join(DEMO_ACCOUNT_FILE);
    write_private(&path, format!("{DEMO_STAFF}\n{password}\n").as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The demo account's name and password, when the data directory has them.
fn demo_staff(dir: &Path) -> Option<(String, String)> {
    let text = std::fs::read_to_string(dir.join(DEMO_ACCOUNT_FILE)).ok()?;
    let mut lines = text.lines();
    Some((lines.next()?.to_string(), lines.next()?.to_string()))
}

/// Writes a file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

pub fn demo(a: DemoArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let app = if a.data.join(gongkai_app::data_dir::SETTINGS_FILE).exists() {
            App::open(&a.data).await?
        } else {
            create_demo(&a.data).await?
        };
        let staff = demo_staff(&a.data);
        serve_app(app, SocketAddr::from(([127, 0, 0, 1], a.port)), staff).await?;
        Ok(ExitCode::SUCCESS)
    })
}
