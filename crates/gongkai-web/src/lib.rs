//! gongkai-web: the HTTP server. Today the public portal — each agency's 政府信息公开 column
//! (指南, 制度, 法定主动公开内容, 年报, 依申请公开) — server-rendered, working without JavaScript,
//! every asset embedded in the binary. Handlers parse the request, call `gongkai-app` and
//! render; no rule and no SQL here.

mod api;
mod apply;
mod assets;
mod audit;
pub mod cache;
mod care;
mod csrf;
mod error;
mod feedback;
mod hall;
mod headers;
mod page;
mod portal;
mod rejection;
mod reports;
mod search;
pub mod staff;

pub use api::openapi;
pub use error::WebError;

use axum::Router;
use gongkai_app::clock::Clock;
use gongkai_app::{App, AppError};
use gongkai_core::ids::AgencyId;
use gongkai_search::SearchIndex;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, PoisonError};
use std::time::Duration;
use tokio::net::TcpListener;

/// What every handler shares: the opened data directory, its search index and the cache of
/// rendered public pages.
#[derive(Clone)]
pub struct WebState {
    pub app: Arc<App>,
    /// `None` serves the portal without search (the page says so).
    pub search: Option<Arc<SearchIndex>>,
    /// The time sign-in and sessions go by (tests move a manual one).
    pub clock: Clock,
    /// Rendered item and list pages, cleared when the catalogue changes.
    pub pages: Arc<cache::PageCache>,
    /// Every agency's name by id, refreshed at each [`WebState::follow`] (search facets name
    /// the agencies of all matches without a query per request).
    names: Arc<std::sync::RwLock<Arc<HashMap<AgencyId, String>>>>,
    /// The change time of the catalogue followed so far (see [`WebState::follow`]).
    followed: Arc<tokio::sync::Mutex<Option<time::OffsetDateTime>>>,
}

impl WebState {
    fn with(
        app: App,
        search: Option<SearchIndex>,
        followed: Option<time::OffsetDateTime>,
    ) -> WebState {
        WebState {
            app: Arc::new(app),
            search: search.map(Arc::new),
            clock: Clock::system(),
            pages: Arc::default(),
            names: Arc::default(),
            followed: Arc::new(tokio::sync::Mutex::new(followed)),
        }
    }

    /// The portal without search.
    pub fn new(app: App) -> WebState {
        let now = time::OffsetDateTime::now_utc();
        WebState::with(app, None, Some(now))
    }

    /// The portal with the data directory's search index, rebuilt from the catalogue when it
    /// is missing or unreadable (never fatal), and brought up to date from where it stopped.
    pub async fn open(app: App) -> Result<WebState, AppError> {
        let opened = gongkai_app::search::open(&app).await?;
        if opened.opened.needs_rebuild() {
            eprintln!("gongkai: search index rebuilt ({:?})", opened.opened);
        }
        let state = WebState::with(app, Some(opened.index), opened.since);
        state.follow().await?;
        Ok(state)
    }

    /// Follows the catalogue one step: the items changed since the last step are indexed or
    /// removed, and when anything changed the cached pages go. The server takes this step
    /// every second and after every staff POST; tests take it after changing the catalogue.
    pub async fn follow(&self) -> Result<usize, AppError> {
        let mut followed = self.followed.lock().await;
        let names = gongkai_app::portal::agency_names(&self.app).await?;
        *self.names.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(names);
        let synced = match &self.search {
            Some(index) => gongkai_app::search::sync(&self.app, index, *followed).await?,
            None => gongkai_app::portal::changes_since(&self.app, *followed).await?,
        };
        *followed = synced.since;
        if synced.changed > 0 {
            self.pages.invalidate();
        }
        Ok(synced.changed)
    }

    /// Today in China by the state's clock (the day a receipt, an event or a due date counts).
    pub fn today(&self) -> time::Date {
        gongkai_core::calendar::date_in_china(self.clock.now())
    }

    /// Every agency's name by id, as of the last [`WebState::follow`].
    pub fn agency_names(&self) -> Arc<HashMap<AgencyId, String>> {
        self.names
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Takes [`WebState::follow`] every `every`, so a publication or withdrawal is searchable
    /// and on the portal's pages within a second.
    pub fn spawn_follow(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                if let Err(e) = state.follow().await {
                    eprintln!("gongkai: following the catalogue failed: {e:#}");
                }
            }
        })
    }
}

/// The whole site as a router, with no socket: tests drive it directly.
pub fn router(state: WebState) -> Router {
    let site = portal::routes()
        .merge(hall::routes())
        .merge(reports::routes())
        .merge(assets::routes())
        .merge(care::routes())
        .merge(search::routes())
        .merge(staff::routes())
        .merge(apply::routes(&state))
        .merge(feedback::routes(&state))
        .merge(api::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(rejection::read_staff_forms))
        .layer(axum::middleware::from_fn(rejection::refuse_coded_bodies))
        .layer(axum::middleware::from_fn(rejection::answer_in_chinese))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            follow_after_staff_post,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::record_requests,
        ))
        .with_state(state);
    headers::apply(site)
}

/// A staff POST (or an API call that changes something) that succeeded may have changed the catalogue: the portal follows at once, so
/// the clerk who just published or withdrew sees the public page as it now is.
async fn follow_after_staff_post(
    axum::extract::State(s): axum::extract::State<WebState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let staff_post = (req.method() == axum::http::Method::POST && path.starts_with("/staff/"))
        || (!req.method().is_safe() && path.starts_with("/api/v1/"));
    let r = next.run(req).await;
    if staff_post
        && (r.status().is_success() || r.status().is_redirection())
        && let Err(e) = s.follow().await
    {
        eprintln!("gongkai: following the catalogue after a staff change failed: {e:#}");
    }
    r
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
        let follow = self.state.spawn_follow(Duration::from_secs(1));
        // With the peer's address, which the per-client limits of `apply` key on.
        let served = axum::serve(
            self.listener,
            router(self.state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        follow.abort();
        served
    }
}
