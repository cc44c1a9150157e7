//! Why the catalogue refused something. `Display` is English (logs, CLI); [`CatalogError::zh`]
//! is the message a user sees.

use super::workflow::{Action, Stage};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("invalid catalogue configuration: {0}")]
    Config(String),
    #[error("invalid 索引号 pattern {pattern:?}: {reason}")]
    IndexPattern { pattern: String, reason: String },
    #[error("field {field} is required")]
    Missing { field: &'static str },
    #[error("field {field} contains a line break or an invisible control character")]
    Control { field: &'static str },
    #[error("field {field} is too long ({len} characters, at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("unknown column (栏目) {0:?}")]
    UnknownColumn(String),
    #[error("unknown subject (主题分类) {0:?}")]
    UnknownSubject(String),
    #[error("unknown genre (体裁) {0:?}")]
    UnknownGenre(String),
    #[error("{action} is not allowed while the item is {stage}")]
    OutOfTurn { action: Action, stage: Stage },
    #[error("{by} drafted this item and cannot also {action} it")]
    OwnDraft { by: String, action: Action },
    #[error("{action} needs a reason")]
    ReasonRequired { action: Action },
    #[error("repeal date {repealed} is before the effective date {effective}")]
    RepealBeforeEffective {
        effective: time::Date,
        repealed: time::Date,
    },
    #[error("validity {status} needs {what}")]
    ValidityIncomplete {
        status: &'static str,
        what: &'static str,
    },
    #[error("a change of validity to {status} needs a reason")]
    ValidityReason { status: &'static str },
    #[error("validity applies only to 规章 and 行政规范性文件")]
    NotNormative,
    #[error("attachment {name:?}: type {extension:?} is not allowed (allowed: {allowed})")]
    AttachmentType {
        name: String,
        extension: String,
        allowed: String,
    },
    #[error("attachment {name:?} is {size} bytes, over the limit of {max} bytes")]
    AttachmentTooLarge { name: String, size: u64, max: u64 },
    #[error("attachment {name:?} is empty")]
    AttachmentEmpty { name: String },
    #[error("attachment {name:?}: the content does not match the type {extension:?}")]
    AttachmentContent { name: String, extension: String },
    #[error("attachment name {name:?} is not acceptable: {reason}")]
    AttachmentName { name: String, reason: &'static str },
    #[error("too many attachments ({count}, at most {max})")]
    TooManyAttachments { count: usize, max: usize },
    #[error("an interpretation must belong to the column {column:?}")]
    NotAnInterpretation { column: String },
    #[error("the published item cannot be edited; withdraw it and publish a new one")]
    NotEditable,
}

impl CatalogError {
    /// The message shown to users (Simplified Chinese).
    pub fn zh(&self) -> String {
        match self {
            CatalogError::Config(s) => format!("目录配置有误：{s}"),
            CatalogError::IndexPattern { pattern, reason } => {
                format!("索引号规则“{pattern}”有误：{reason}")
            }
            CatalogError::Missing { field } => format!("请填写{}", field_zh(field)),
            CatalogError::Control { field } => {
                format!(
                    "{}含有换行或不可见的控制字符，请删除后重新填写",
                    field_zh(field)
                )
            }
            CatalogError::TooLong { field, max, .. } => {
                format!("{}过长，最多{max}个字符", field_zh(field))
            }
            CatalogError::UnknownColumn(c) => format!("栏目“{c}”不在本机关的栏目设置中"),
            CatalogError::UnknownSubject(s) => format!("主题分类“{s}”不在主题分类表中"),
            CatalogError::UnknownGenre(g) => format!("体裁“{g}”不在体裁表中"),
            CatalogError::OutOfTurn { action, stage } => {
                format!("当前环节为“{}”，不能“{}”", stage.zh(), action.zh())
            }
            CatalogError::OwnDraft { action, .. } => {
                format!("拟稿人不能对本人拟稿的信息进行“{}”", action.zh())
            }
            CatalogError::ReasonRequired { action } => format!("“{}”须填写理由", action.zh()),
            CatalogError::RepealBeforeEffective {
                effective,
                repealed,
            } => {
                format!("废止日期（{repealed}）早于实施日期（{effective}）")
            }
            CatalogError::ValidityIncomplete { status, what } => {
                format!("有效性为“{status}”时须填写{what}")
            }
            CatalogError::ValidityReason { status } => format!("有效性改为“{status}”须填写理由"),
            CatalogError::NotNormative => "只有规章和行政规范性文件需要标注有效性".into(),
            CatalogError::AttachmentType { name, allowed, .. } => {
                format!("附件“{name}”的文件类型不允许上传（允许：{allowed}）")
            }
            CatalogError::AttachmentTooLarge { name, max, .. } => {
                format!("附件“{name}”超过大小限制（{} MB）", max / (1024 * 1024))
            }
            CatalogError::AttachmentEmpty { name } => format!("附件“{name}”是空文件"),
            CatalogError::AttachmentContent { name, .. } => {
                format!("附件“{name}”的内容与扩展名不符")
            }
            CatalogError::AttachmentName { name, .. } => format!("附件名称“{name}”不合规"),
            CatalogError::TooManyAttachments { max, .. } => format!("附件最多{max}个"),
            CatalogError::NotAnInterpretation { column } => {
                format!("政策解读须发布在“{column}”栏目")
            }
            CatalogError::NotEditable => "已发布的信息不能修改，请撤回后重新发布".into(),
        }
    }
}

fn field_zh(field: &str) -> &str {
    match field {
        "title" => "信息名称",
        "publisher" => "发布机构",
        "formed_on" => "成文日期",
        "column" => "栏目",
        "summary" => "内容概述",
        "body" => "正文",
        "keywords" => "关键词",
        "doc_number" => "文号",
        other => other,
    }
}
