//! Per-client limits on look-ups and submissions (tower_governor), keyed by the client
//! address or, behind a trusted proxy, the address it forwards.

use super::*;

/// The client's address for rate limits: the peer's, or — when the peer is a proxy listed in
/// `[auth] trusted_proxies` — the last address in `X-Forwarded-For` that is not such a proxy
/// (from anyone else the header is ignored: anyone can write it). IPv6 clients count per /64,
/// since one host can use a whole /64. Without connection info (a test driving the router
/// directly) every request shares one key.
#[derive(Debug, Clone)]
pub(crate) struct ClientIp {
    pub(crate) trusted: Arc<Vec<IpAddr>>,
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> std::result::Result<IpAddr, GovernorError> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(client_key(req.headers(), peer, &self.trusted))
    }
}

pub(crate) fn client_key(headers: &HeaderMap, peer: Option<IpAddr>, trusted: &[IpAddr]) -> IpAddr {
    let Some(peer) = peer else {
        return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    };
    let peer = canonical(peer);
    let is_proxy = |ip: &IpAddr| trusted.iter().any(|t| canonical(*t) == canonical(*ip));
    let ip = if is_proxy(&peer) {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find(|a| !is_proxy(a))
            .unwrap_or(peer)
    } else {
        peer
    };
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

pub(super) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// `router` with a per-client limit on its POST routes, answered by `on_limit` when reached.
pub(crate) fn limited(
    router: Router<WebState>,
    limit: Limit,
    clients: ClientIp,
    on_limit: fn(GovernorError) -> Response<Body>,
) -> Router<WebState> {
    let config = Arc::new(
        GovernorConfigBuilder::default()
            .period(limit.every)
            .burst_size(limit.burst)
            .methods(vec![Method::POST])
            .key_extractor(clients)
            .finish()
            .unwrap_or_else(|| unreachable!("the limits are not zero")),
    );
    // Forget clients whose allowance is full again, once a minute, while the router lives.
    let weak = Arc::downgrade(config.limiter());
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(limiter) = weak.upgrade() else { break };
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        });
    }
    router.route_layer(tower_governor::GovernorLayer::new(config).error_handler(on_limit))
}

/// 429 with a Chinese page and `Retry-After`.
pub(super) fn too_many(e: GovernorError) -> Response<Body> {
    let (status, wait) = match e {
        GovernorError::TooManyRequests { wait_time, .. } => {
            (StatusCode::TOO_MANY_REQUESTS, wait_time.max(1))
        }
        _ => (StatusCode::TOO_MANY_REQUESTS, 60),
    };
    let mut r = WebError::new(
        status,
        "操作过于频繁",
        format!(
            "您的请求过于频繁，请在{wait}秒后再试。为防止申请编号和查询码被猜测，本站限制每个网络地址的查询和提交次数。"
        ),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_key_trusts_a_listed_proxy_only() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let proxy = ip("10.0.0.2");
        let trusted = [proxy, ip("10.0.0.3")];
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7, 10.0.0.3"),
        );
        // From the proxy: the last forwarded address that is not a proxy.
        assert_eq!(client_key(&h, Some(proxy), &trusted), ip("198.51.100.7"));
        // From anyone else, or with no proxy listed: the peer, whatever the header says.
        let remote = ip("192.0.2.1");
        assert_eq!(client_key(&h, Some(remote), &trusted), remote);
        assert_eq!(client_key(&h, Some(proxy), &[]), proxy);
        assert_eq!(client_key(&HeaderMap::new(), Some(proxy), &trusted), proxy);
        // IPv6 per /64; IPv4-mapped as IPv4.
        assert_eq!(
            client_key(&HeaderMap::new(), Some(ip("2001:db8:1:2:3:4:5:6")), &[]),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            client_key(&HeaderMap::new(), Some(ip("::ffff:192.0.2.1")), &[]),
            remote
        );
        assert_eq!(
            client_key(&h, None, &trusted),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }
}
