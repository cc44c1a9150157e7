//! The JSON API under `/api/v1` (docs/api.md): the back office's use cases for other systems —
//! a province's application platform, the 12345 hotline — with the same permission checks
//! (they live in `gongkai-app`), token or session authentication (`caller`), errors as
//! problem+json with the Chinese message (`problem`), and its OpenAPI 3.1 document at
//! `/api/v1/openapi.json`, generated from the handlers' attributes as the routes are
//! registered, so a route cannot be served without being documented.

mod caller;
mod cases;
mod catalog;
mod me;
mod online;
pub(crate) mod problem;
pub(crate) mod public;
mod supervision;

use crate::WebState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use std::sync::{Arc, LazyLock};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gongkai API",
        version = "1",
        description = "政府信息公开：依申请公开的办理、主动公开目录的编辑与审核。错误以 application/problem+json 返回，detail 为中文说明。"
    ),
    paths(public::status),
    modifiers(&Security),
    security(("token" = []), ("session" = [])),
    tags(
        (name = "cases", description = "依申请公开：申请、事件、答复"),
        (name = "online", description = "网上申请的确认与不予受理"),
        (name = "catalogue", description = "主动公开目录：拟稿、保密审查、审核、发布"),
        (name = "supervision", description = "监督汇总：下级单位年报、汇总、逐格查看"),
        (name = "users", description = "调用者"),
        (name = "public", description = "申请人查询（无需登录，按客户端限流）"),
    )
)]
struct ApiDoc;

/// The two ways to authenticate (docs/api.md#authentication).
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("gongkai user token add 签发的令牌（gk_…）"))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "gongkai_staff",
                "后台登录的会话；改变数据的请求须带 X-CSRF-Token",
            ))),
        );
    }
}

/// The API's routes with their document.
fn api() -> OpenApiRouter<WebState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::me))
        .routes(routes!(cases::list, cases::register))
        .routes(routes!(cases::show))
        .routes(routes!(cases::reveal))
        .routes(routes!(cases::reissue))
        .routes(routes!(cases::record))
        .routes(routes!(online::pending))
        .routes(routes!(online::confirm))
        .routes(routes!(online::reject))
        .routes(routes!(catalog::list, catalog::create))
        .routes(routes!(catalog::show, catalog::revise))
        .routes(routes!(catalog::act))
        .routes(routes!(supervision::units))
        .routes(routes!(supervision::rollup_document))
        .routes(routes!(supervision::cell))
        .routes(routes!(supervision::unit_cell))
        .routes(routes!(document))
}

/// The OpenAPI document of every route under `/api/v1`, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

static DOCUMENT: LazyLock<Arc<String>> = LazyLock::new(|| {
    Arc::new(
        openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")),
    )
});

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "public", security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)))]
async fn document() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        DOCUMENT.as_str().to_owned(),
    )
}

/// The API's router (the status look-up is routed with the page's look-ups, `apply::routes`,
/// to share their per-client limit). Responses are never cached.
pub fn routes() -> Router<WebState> {
    let (router, _) = api().split_for_parts();
    router.layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}
