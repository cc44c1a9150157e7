//! `gongkai serve --data DIR [--listen ADDR]` serves a data directory's portal;
//! `gongkai demo [--data DIR] [--port P]` creates demo data when DIR has none and serves it.

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

async fn serve_app(app: App, addr: SocketAddr) -> anyhow::Result<()> {
    let state = WebState::open(app).await?;
    let server = Server::bind(addr, state)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let addr = server.local_addr()?;
    println!("gongkai: serving on http://{addr}/ (Ctrl-C stops)");
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
        serve_app(app, a.listen).await?;
        Ok(ExitCode::SUCCESS)
    })
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
    println!(
        "demo data created in {}: {summary}; {district} items of the district",
        dir.display()
    );
    Ok(app)
}

pub fn demo(a: DemoArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let app = if a.data.join(gongkai_app::data_dir::SETTINGS_FILE).exists() {
            App::open(&a.data).await?
        } else {
            create_demo(&a.data).await?
        };
        serve_app(app, SocketAddr::from(([127, 0, 0, 1], a.port))).await?;
        Ok(ExitCode::SUCCESS)
    })
}
