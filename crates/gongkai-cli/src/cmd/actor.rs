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

    /// The actor of a command that needs `role`: without `--as`, the local operator when they
    /// hold it, else the data directory's local 安全管理员 or 审计管理员 (gongkai.toml `[cli]`).
    pub async fn resolve_for(
        &self,
        app: &App,
        role: gongkai_core::user::Role,
    ) -> anyhow::Result<Actor> {
        Ok(gongkai_app::user::actor_for(app, self.as_user.as_deref(), role).await?)
    }
}
