//! gongkai-web: the HTTP server. Today the public portal — each agency's 政府信息公开 column
//! (指南, 制度, 法定主动公开内容, 年报, 依申请公开) — server-rendered, working without JavaScript,
//! every asset embedded in the binary. Handlers parse the request, call `gongkai-app` and
//! render; no rule and no SQL here.

mod apply;
mod assets;
mod care;
mod csrf;
mod error;
mod headers;
mod page;
mod portal;
mod search;
pub mod staff;

pub use error::WebError;

use axum::Router;
use gongkai_app::clock::Clock;
use gongkai_app::{App, AppError};
use gongkai_search::SearchIndex;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// What every handler shares: the opened data directory and its search index.
#[derive(Clone)]
pub struct WebState {
    pub app: Arc<App>,
    /// `None` serves the portal without search (the page says so).
    pub search: Option<Arc<SearchIndex>>,
    /// The time sign-in and sessions go by (tests move a manual one).
    pub clock: Clock,
}

impl WebState {
    /// The portal without search.
    pub fn new(app: App) -> WebState {
        WebState {
            app: Arc::new(app),
            search: None,
            clock: Clock::system(),
        }
    }

    /// The portal with the data directory's search index, rebuilt from the catalogue when it
    /// is missing or unreadable (never fatal), and brought up to date.
    pub async fn open(app: App) -> Result<WebState, AppError> {
        let (index, opened) = gongkai_app::search::open(&app).await?;
        if opened.needs_rebuild() {
            eprintln!("gongkai: search index rebuilt ({opened:?})");
        }
        gongkai_app::search::sync(&app, &index, None).await?;
        Ok(WebState {
            app: Arc::new(app),
            search: Some(Arc::new(index)),
            clock: Clock::system(),
        })
    }

    /// Follows the catalogue: every `every`, the items changed since the last look are
    /// indexed or removed, so a publication or withdrawal is searchable within a second.
    pub fn spawn_sync(&self, every: Duration) -> Option<tokio::task::JoinHandle<()>> {
        let index = self.search.clone()?;
        let app = self.app.clone();
        Some(tokio::spawn(async move {
            let mut since = Some(time::OffsetDateTime::now_utc());
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                match gongkai_app::search::sync(&app, &index, since).await {
                    Ok(next) => since = next,
                    Err(e) => eprintln!("gongkai: search index sync failed: {e:#}"),
                }
            }
        }))
    }
}

/// The whole site as a router, with no socket: tests drive it directly.
pub fn router(state: WebState) -> Router {
    let site = portal::routes()
        .merge(assets::routes())
        .merge(care::routes())
        .merge(search::routes())
        .merge(staff::routes())
        .merge(apply::routes(&state))
        .fallback(error::not_found)
        .with_state(state);
    headers::apply(site)
}

/// A bound server: the address it listens on (port 0 picks a free one) and its future.
pub struct Server {
    listener: TcpListener,
    state: WebState,
}

impl Server {
    pub async fn bind(addr: SocketAddr, state: WebState) -> std::io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr).await?,
            state,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process ends or `shutdown` completes.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let sync = self.state.spawn_sync(Duration::from_secs(1));
        // With the peer's address, which the per-client limits of `apply` key on.
        let served = axum::serve(
            self.listener,
            router(self.state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        if let Some(task) = sync {
            task.abort();
        }
        served
    }
}
