//! Every request that changes something — a staff form, an API call, a citizen's application
//! or feedback, a sign-in — and every reading of the audit log goes into the audit log
//! (docs/audit-log.md): who (the signed-in user, or `anonymous`), from where (the client
//! address, through trusted proxies only), the route and the path it was called on, and the
//! outcome by status code. Query strings are left out: a search may hold a name or a number.

use crate::WebState;
use crate::staff::{client, peer};
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use gongkai_app::audit_log::{Outcome, Record};
use std::sync::{Arc, Mutex, PoisonError};

/// Where the extractors that authenticate a caller leave who it is, for the record.
#[derive(Clone, Default)]
pub struct AuditSlot(Arc<Mutex<Option<(i64, String)>>>);

impl AuditSlot {
    pub fn set(&self, id: i64, name: &str) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((id, name.to_string()));
    }

    fn get(&self) -> Option<(i64, String)> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Notes the caller in the request's slot, when the middleware put one there.
pub fn note_caller(extensions: &axum::http::Extensions, id: i64, name: &str) {
    if let Some(slot) = extensions.get::<AuditSlot>() {
        slot.set(id, name);
    }
}

/// Left on a response by a handler that knows who acted although no session did (sign-in):
/// the user, or for a refused sign-in only the name typed.
#[derive(Clone, Debug)]
pub struct Noted {
    pub id: Option<i64>,
    pub name: String,
}

fn recorded(req: &Request) -> bool {
    !req.method().is_safe() || req.uri().path().starts_with("/staff/audit-log")
}

pub async fn record_requests(State(s): State<WebState>, mut req: Request, next: Next) -> Response {
    if !recorded(&req) {
        return next.run(req).await;
    }
    let slot = AuditSlot::default();
    req.extensions_mut().insert(slot.clone());
    let action = format!(
        "{} {}",
        req.method(),
        req.extensions()
            .get::<MatchedPath>()
            .map_or("(no route)", MatchedPath::as_str)
    );
    let object = req.uri().path().to_string();
    let from = client(req.headers(), peer(req.extensions()), &s.app.settings.auth);
    let r = next.run(req).await;
    let status = r.status();
    let outcome = if status.is_server_error() {
        Outcome::Error
    } else if status.is_client_error() {
        Outcome::Refused
    } else {
        Outcome::Success
    };
    let noted = r.extensions().get::<Noted>().cloned();
    let mut detail = status.as_u16().to_string();
    let actor = slot.get().or_else(|| match &noted {
        Some(Noted { id: Some(id), name }) => Some((*id, name.clone())),
        Some(Noted { id: None, name }) => {
            detail.push_str(&format!(" user name {name:?}"));
            None
        }
        None => None,
    });
    let record = Record {
        at: s.clock.now(),
        actor,
        client: from,
        action,
        object,
        outcome,
        detail,
    };
    if let Err(e) = gongkai_app::audit_log::record(&s.app, record).await {
        eprintln!("gongkai: the audit log could not record a request: {e}");
    }
    r
}
