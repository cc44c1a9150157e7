//! `gongkai application reissue-code`: a new 查询码 for an applicant who lost theirs
//! (docs/online-applications.md#re-issuing-a-查询码). The old code stops working; the act is
//! recorded with the user and the time; the new code is printed once and never stored.

use super::DataArg;
use crate::cmd::actor::ActorArg;
use clap::Args;
use gongkai_app::App;
use gongkai_app::application::{online::beijing_time, reissue_query_code};
use std::process::ExitCode;
use time::OffsetDateTime;

#[derive(Args)]
pub struct ReissueArgs {
    #[command(flatten)]
    pub data: DataArg,
    /// The 申请编号 of the case, or of an online submission awaiting confirmation.
    pub number: String,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub(super) async fn reissue(a: ReissueArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data.data).await?;
    let actor = a.actor.resolve(&app).await?;
    let done = reissue_query_code(&app, &actor, &a.number, OffsetDateTime::now_utc()).await;
    app.db.close().await;
    let done = done?;
    say!("申请编号 {}", done.number);
    say!(
        "查询码   {}  (new, shown once; only a digest is stored; the previous code no longer works)",
        done.query_code
    );
    say!("agency   {}", done.agency.name);
    say!(
        "status   {}",
        if done.awaiting_confirmation {
            "online submission awaiting confirmation"
        } else {
            "registered application"
        }
    );
    say!(
        "at       {} (Beijing time), by {}",
        beijing_time(done.at),
        actor.display_name
    );
    Ok(ExitCode::SUCCESS)
}
