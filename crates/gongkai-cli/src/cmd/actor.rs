//! `--as NAME`: the user a state-changing command acts as (its user name, or a display name
//! only one active user has); without it, the data directory's local operator.

use clap::Args;
use gongkai_app::App;
use gongkai_core::user::Actor;

#[derive(Args, Clone, Debug, Default)]
pub struct ActorArg {
    /// Act as this user (default: the local operator set in gongkai.toml by `gongkai init`).
    #[arg(long = "as", value_name = "NAME", alias = "actor")]
    pub as_user: Option<String>,
}

impl ActorArg {
    pub async fn resolve(&self, app: &App) -> anyhow::Result<Actor> {
        Ok(gongkai_app::user::actor(app, self.as_user.as_deref()).await?)
    }
}
