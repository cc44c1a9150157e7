//! Which roles a use case needs. Checked at the top of every state-changing use case, so no
//! front end can skip it.

use crate::error::{AppError, Result};
use gongkai_core::user::{Actor, Role};

/// Refuses an actor without `role` (or 管理员, who may do everything an office does).
pub fn require(actor: &Actor, role: Role, what_en: &str, what_zh: &str) -> Result<()> {
    if actor.has(role) || actor.has(Role::Admin) {
        return Ok(());
    }
    Err(AppError::forbidden(
        format!(
            "{} may not {what_en}: that needs the role {} ({})",
            actor.name,
            role.key(),
            role.label()
        ),
        format!(
            "{}无权{what_zh}（需要“{}”角色）",
            actor.display_name,
            role.label()
        ),
    ))
}
