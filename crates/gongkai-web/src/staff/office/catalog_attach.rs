//! `POST /staff/catalog/items/{id}/attachments` (`multipart/form-data`): one file for a draft.
//! The form's CSRF token comes first and is checked before the file is read; the file is read
//! only up to the agency's size limit plus one byte, so an oversized upload is refused without
//! being held in full. Name, type, size and content are checked by the use case, which stores
//! nothing when it refuses (docs/rules/catalogue.md).

use super::{Result, back, parse_id};
use crate::staff::Staff;
use crate::{WebError, WebState};
use axum::extract::multipart::Field;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gongkai_app::catalog;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_core::ids::ItemId;

/// The body limit of the upload route: none of axum's own (2 MB), since each field is read
/// against a limit of its own below.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::disable()
}

/// The longest text field read (the CSRF token is about 130 characters).
const MAX_TEXT: usize = 4096;

fn refused(message: impl Into<String>) -> WebError {
    WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "附件未能上传", message)
}

fn unreadable() -> WebError {
    WebError::bad_request("上传的表单无法读取，请重新选择文件后提交")
}

/// Reads a field up to `max + 1` bytes (the extra byte tells an oversized field).
pub(crate) async fn read_capped(field: &mut Field<'_>, max: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
        let room = (max + 1).saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() > max {
            break;
        }
    }
    Ok(out)
}

pub async fn upload(
    State(s): State<WebState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response> {
    let id: ItemId = parse_id(&id)?;
    let now = s.clock.now();
    let today = gongkai_core::calendar::date_in_china(now);
    // Scope and role before the body is read: a user who may not attach learns only that.
    let item = catalog::show_for(&s.app, staff.actor(), id, today).await?;
    catalog::may_attach(staff.actor())?;
    let mut form = form.map_err(|_| unreadable())?;
    let max = catalog::config(&s.app, item.item.agency)
        .await?
        .attachments
        .max_bytes;
    let max = usize::try_from(max).unwrap_or(usize::MAX - 1);
    let mut checked = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = form.next_field().await.map_err(|_| unreadable())? {
        match field.name().unwrap_or("") {
            "csrf_token" => {
                let token = read_capped(&mut field, MAX_TEXT).await?;
                staff.check_csrf(&headers, &String::from_utf8_lossy(&token))?;
                checked = true;
            }
            "file" if checked => {
                let name = field
                    .file_name()
                    .unwrap_or("")
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                let content = read_capped(&mut field, max).await?;
                file = Some((name, content));
                break;
            }
            // A file before the token is not read: the form puts the token first.
            "file" => break,
            _ => {
                read_capped(&mut field, MAX_TEXT).await?;
            }
        }
    }
    if !checked {
        staff.check_csrf(&headers, "")?;
    }
    let Some((name, content)) = file else {
        return Err(refused("请选择要上传的文件"));
    };
    match catalog::attach(&s.app, staff.actor(), id, &name, &content, now).await {
        Ok(_) => Ok(back(&format!("/staff/catalog/items/{id}"))),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Refused
            ) =>
        {
            Err(refused(e.zh()))
        }
        Err(e) => Err(e.into()),
    }
}
