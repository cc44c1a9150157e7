//! `gongkai agency add|list`: agencies and their regions.

use super::actor::ActorArg;
use super::init::block_on;
use clap::{Args, Subcommand};
use gongkai_app::{App, agency};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AgencyCommand {
    /// Add an agency in a region (the regions of the path are created as needed).
    Add(AddArgs),
    /// List the agencies with their regions.
    List(ListArgs),
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// Region path: province/city/county/township, e.g. 山东省/淄博市/张店区.
    #[arg(long)]
    pub region: String,
    /// The agency's full name, e.g. 淄博市张店区机关事务服务中心.
    #[arg(long)]
    pub name: String,
    /// 统一社会信用代码 (18 characters, check digit verified) or 组织机构代码. Required for a
    /// unit that uses gongkai; left out for a unit known only by its published reports.
    #[arg(long)]
    pub org_code: Option<String>,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub data: PathBuf,
}

pub fn run(cmd: AgencyCommand) -> anyhow::Result<ExitCode> {
    block_on(async {
        match cmd {
            AgencyCommand::Add(a) => {
                let app = App::open(&a.data).await?;
                let actor = a.actor.resolve(&app).await?;
                let added =
                    agency::add_agency(&app, &actor, &a.region, &a.name, a.org_code.as_deref())
                        .await?;
                say!(
                    "added agency {} ({}) in {}",
                    added.name,
                    added.org_code.as_deref().unwrap_or("no organisation code"),
                    a.region
                );
                app.db.close().await;
            }
            AgencyCommand::List(a) => {
                let app = App::open(&a.data).await?;
                for a in agency::list(&app).await? {
                    say!(
                        "{}\t{}\t{}",
                        a.agency.org_code.as_deref().unwrap_or("-"),
                        a.agency.name,
                        a.region_path.join("/")
                    );
                }
                app.db.close().await;
            }
        }
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}
