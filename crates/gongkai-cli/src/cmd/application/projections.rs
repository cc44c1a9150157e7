//! `gongkai application check-projections [--fix]`: the stored status/outcome against a replay
//! of each case's event log.

use super::DataArg;
use gongkai_app::App;
use gongkai_app::application;
use std::process::ExitCode;

pub(super) async fn check(data: DataArg, fix: bool) -> anyhow::Result<ExitCode> {
    let app = App::open(&data.data).await?;
    let differing = application::check_projections(&app, fix).await;
    app.db.close().await;
    let differing = differing?;
    for n in &differing {
        say!(
            "{n}\t{}",
            if fix {
                "rewritten from its log"
            } else {
                "differs from its log"
            }
        );
    }
    Ok(if differing.is_empty() || fix {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
