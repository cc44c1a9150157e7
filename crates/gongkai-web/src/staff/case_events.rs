//! `POST /staff/cases/{number}/events/{form}`: records one event of the case page. The form is
//! parsed by the application layer (Chinese message per field, 422); the state machine then
//! accepts it or refuses it with its reason (409), and a refusal writes nothing. Either way
//! the case page comes back with the form as it was typed (docs/back-office.md).

use super::Staff;
use super::case_page::{Failed, Shown, case_page};
use super::common::{fields, today};
use crate::{WebError, WebState};
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use gongkai_app::AppError;
use gongkai_app::application::{self, parse_event_form};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_core::application::{EventForm, FormErrors};

pub fn routes() -> Router<WebState> {
    Router::new().route("/staff/cases/{number}/events/{form}", post(record))
}

async fn record(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((number, form)): Path<(String, String)>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(body)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let form = EventForm::parse(&form).ok_or_else(WebError::not_found)?;
    let today = today(&s);
    // Scope before anything is parsed: another agency's case does not exist.
    let case = application::show_as(&s.app, staff.actor(), &number, today).await?;
    application::may_record_events(staff.actor())?;
    let (errors, refusal, status) = match parse_event_form(form, &f) {
        Err(errors) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Ok(event) => {
            match application::record_event(&s.app, staff.actor(), &case.number, event, today).await
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/staff/cases/{}#events-h", case.number))
                            .into_response(),
                    );
                }
                Err(e @ (AppError::Refused(_) | AppError::NotAllowed { .. })) => {
                    (FormErrors::default(), Some(e.zh()), StatusCode::CONFLICT)
                }
                Err(e) if e.kind() == ErrorKind::Invalid => (
                    FormErrors::default(),
                    Some(e.zh()),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let shown = Shown {
        revealed: false,
        failed: Some(Failed {
            form,
            fields: f,
            errors,
            refusal,
        }),
        pick: None,
        done: None,
        today,
        headers: &headers,
    };
    case_page(&s, &staff, &case, shown, status).await
}
