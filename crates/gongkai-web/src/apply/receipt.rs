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
/// keeps its digest), so it travels from the submission to the receipt page here. Tickets are
/// kept in the order they were made, so expiry and eviction take from the front, and by
/// 申请编号, so a resubmission finds its first ticket without a scan: a submission costs the
/// same with 10 tickets kept or 10,000 (bench/apply).
#[derive(Default)]
pub(crate) struct Receipts {
    tickets: Mutex<Tickets>,
}

#[derive(Default)]
struct Tickets {
    by_token: HashMap<String, Ticket>,
    /// Tokens, oldest first (a token taken out early is skipped when met).
    order: std::collections::VecDeque<String>,
    /// The newest ticket of each 申请编号.
    by_number: HashMap<String, String>,
}

impl Tickets {
    fn remove_front(&mut self) {
        if let Some(token) = self.order.pop_front()
            && let Some(t) = self.by_token.remove(&token)
            && self.by_number.get(&t.number) == Some(&token)
        {
            self.by_number.remove(&t.number);
        }
    }

    /// Drops the expired tickets, and the oldest beyond `keep`.
    fn prune(&mut self, now: Instant, keep: usize) {
        while let Some(front) = self.order.front() {
            let expired = self
                .by_token
                .get(front)
                .is_none_or(|t| now.duration_since(t.created) >= TICKET_TTL);
            if expired || self.by_token.len() > keep {
                self.remove_front();
            } else {
                break;
            }
        }
    }
}

impl Receipts {
    /// A ticket for a receipt. When the same form was received before and the first
    /// receipt's code has not been shown yet (a double click: the browser dropped the first
    /// answer), that first ticket is used, so the code is not lost.
    pub(super) fn ticket_for(&self, t: Ticket) -> Result<String> {
        let mut k = self
            .tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        k.prune(Instant::now(), MAX_TICKETS - 1);
        if t.resubmitted
            && let Some(token) = k.by_number.get(&t.number).cloned()
            && let Some(first) = k.by_token.get_mut(&token).filter(|x| x.code.is_some())
        {
            first.resubmitted = true;
            return Ok(token);
        }
        let token = random_token()?;
        k.order.push_back(token.clone());
        k.by_number.insert(t.number.clone(), token.clone());
        k.by_token.insert(token.clone(), t);
        Ok(token)
    }

    /// The ticket, with its code taken out (shown once).
    fn take(&self, token: &str) -> Option<Ticket> {
        let mut k = self
            .tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = k
            .by_token
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(number: &str, resubmitted: bool) -> Ticket {
        Ticket {
            number: number.into(),
            code: Some("ABCD-EFGH-JKMN".into()),
            agency: "张店区某局".into(),
            agency_id: AgencyId::new(1),
            submitted_at: OffsetDateTime::UNIX_EPOCH,
            resubmitted,
            created: Instant::now(),
        }
    }

    #[test]
    fn rl_4_tickets_are_bounded_oldest_first_and_a_resubmission_finds_its_first() {
        let r = Receipts::default();
        let first = r.ticket_for(ticket("2024-000001", false)).expect("ticket");
        assert_eq!(
            r.ticket_for(ticket("2024-000001", true)).expect("again"),
            first,
            "a double click gets the first ticket"
        );
        for i in 2..=MAX_TICKETS + 5 {
            r.ticket_for(ticket(&format!("2024-{i:06}"), false))
                .expect("ticket");
        }
        let k = r.tickets.lock().expect("lock");
        assert_eq!(k.by_token.len(), MAX_TICKETS);
        assert!(!k.by_token.contains_key(&first), "the oldest went first");
        assert!(!k.by_number.contains_key("2024-000001"));
        assert_eq!(k.order.len(), MAX_TICKETS);
        drop(k);
        assert!(r.take(&first).is_none());
        // A ticket whose code was shown is not handed out again.
        let t = r.ticket_for(ticket("2025-000001", false)).expect("ticket");
        assert!(r.take(&t).and_then(|x| x.code).is_some());
        let again = r.ticket_for(ticket("2025-000001", true)).expect("again");
        assert_ne!(again, t);
    }
}
