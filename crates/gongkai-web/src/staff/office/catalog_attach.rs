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

/// The most parts an upload form may carry (the site's own have two to four); more are
/// refused before they are read, since these routes have no body limit of axum's (BI-F-7).
const MAX_PARTS: usize = 16;
/// The most bytes of headers a part may have (a browser sends two short lines).
const MAX_PART_HEADERS: usize = 8 * 1024;

/// The next part of an upload, counting it against [`MAX_PARTS`].
pub(crate) async fn next_part<'a>(
    form: &'a mut Multipart,
    seen: &mut usize,
) -> Result<Option<Field<'a>>> {
    let field = form.next_field().await.map_err(|_| unreadable())?;
    if let Some(f) = &field {
        *seen += 1;
        if *seen > MAX_PARTS {
            return Err(WebError::bad_request(
                "上传的表单项过多，请通过本站页面上的表单上传",
            ));
        }
        let header_bytes: usize = f
            .headers()
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len())
            .sum();
        if header_bytes > MAX_PART_HEADERS {
            return Err(unreadable());
        }
    }
    Ok(field)
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
    let mut parts = 0;
    while let Some(mut field) = next_part(&mut form, &mut parts).await? {
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
    // No file part, or one without a name (an empty file input; a name only as RFC 5987's
    // `filename*`, which browsers do not send in a form, RFC 7578 §4.2).
    let Some((name, content)) = file.filter(|(name, _)| !name.is_empty()) else {
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
