//! The receipt: the 申请编号 and the 查询码, shown once through a short-lived ticket.

use super::*;

/// What the receipt page shows; the code is taken out the first time it is shown.
#[derive(Debug, Clone)]
pub(super) struct Ticket {
    pub(super) number: String,
    pub(super) code: Option<String>,
    pub(super) agency: String,
    pub(super) agency_id: AgencyId,
    pub(super) submitted_at: OffsetDateTime,
    pub(super) resubmitted: bool,
    pub(super) created: Instant,
}

/// One-time receipt tickets, in memory: the 查询码 is never written anywhere (the database
/// keeps its digest), so it travels from the submission to the receipt page here.
#[derive(Default)]
pub(crate) struct Receipts {
    tickets: Mutex<HashMap<String, Ticket>>,
}

impl Receipts {
    /// A ticket for a receipt. When the same form was received before and the first
    /// receipt's code has not been shown yet (a double click: the browser dropped the first
    /// answer), that first ticket is used, so the code is not lost.
    pub(super) fn ticket_for(&self, t: Ticket) -> Result<String> {
        let mut map = self
            .tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, x| x.created.elapsed() < TICKET_TTL);
        if t.resubmitted
            && let Some((token, first)) = map
                .iter_mut()
                .find(|(_, x)| x.number == t.number && x.code.is_some())
        {
            first.resubmitted = true;
            return Ok(token.clone());
        }
        while map.len() >= MAX_TICKETS {
            let Some(oldest) = map
                .iter()
                .min_by_key(|(_, x)| x.created)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            map.remove(&oldest);
        }
        let token = random_token()?;
        map.insert(token.clone(), t);
        Ok(token)
    }

    /// The ticket, with its code taken out (shown once).
    fn take(&self, token: &str) -> Option<Ticket> {
        let mut map = self
            .tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = map
            .get_mut(token)
            .filter(|x| x.created.elapsed() < TICKET_TTL)?;
        let shown = t.clone();
        t.code = None;
        Some(shown)
    }
}

#[derive(Template)]
#[template(path = "apply/receipt.html")]
pub(super) struct ReceiptPage {
    page: Page,
    number: String,
    code: Option<String>,
    agency: String,
    agency_id: AgencyId,
    submitted_at: String,
    resubmitted: bool,
}

pub(super) async fn show_receipt(
    Path(token): Path<String>,
    axum::Extension(receipts): axum::Extension<Arc<Receipts>>,
    headers: HeaderMap,
) -> Result<Response> {
    let Some(t) = receipts.take(&token) else {
        return Err(WebError::new(
            StatusCode::NOT_FOUND,
            "回执页面已失效",
            "回执页面只在提交后短时间内有效。您的申请已经保存，请凭申请编号和查询码在“申请办理进度查询”中查看。如未记下查询码，可联系受理机关，经核实身份后由受理机关重新发放查询码（原查询码随即失效）。",
        ));
    };
    let page = ReceiptPage {
        page: Page::new("申请已提交", "/status", &headers)
            .crumb(t.agency.clone(), format!("/agencies/{}", t.agency_id))
            .crumb("网上申请回执", "/apply/receipt"),
        number: t.number,
        code: t.code,
        agency: t.agency,
        agency_id: t.agency_id,
        submitted_at: beijing_time(t.submitted_at),
        resubmitted: t.resubmitted,
    };
    Ok(no_store(render(&page)?))
}
