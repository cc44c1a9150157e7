//! The fields of each event form of the case page, with the labels the law uses. The
//! parser is the application layer's (`gongkai_app::application::parse_event_form`); the
//! names here are its field names.

use super::case_page::{FieldView, FormView, choice};
use gongkai_app::application::FormFields;
use gongkai_core::application::{
    ConsultAnswer, ConsultKind, Delivery, EventForm, FormErrors, Outcome, ServedBy,
};
use gongkai_core::calendar::iso;
use time::Date;

struct Build<'a> {
    values: &'a FormFields,
    errors: &'a FormErrors,
    fields: Vec<FieldView>,
}

impl Build<'_> {
    fn add(
        &mut self,
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        required: bool,
        hint: &'static str,
    ) {
        self.fields.push(FieldView {
            name,
            label,
            kind,
            required,
            value: self.values.get(name).to_string(),
            options: Vec::new(),
            hint,
            error: self.errors.get(name).map(str::to_string),
        });
    }

    fn select(
        &mut self,
        name: &'static str,
        label: &'static str,
        items: Vec<(&'static str, String)>,
    ) {
        let current = self.values.get(name).to_string();
        let options = choice(items.iter().map(|(v, l)| (*v, l.as_str())), &current);
        self.fields.push(FieldView {
            name,
            label,
            kind: "select",
            required: true,
            value: current,
            options,
            hint: "",
            error: self.errors.get(name).map(str::to_string),
        });
    }

    fn service(&mut self) {
        self.select(
            "sent_by",
            "送达方式",
            ServedBy::ALL
                .iter()
                .map(|s| (s.key(), s.label().to_string()))
                .collect(),
        );
        self.add(
            "received",
            "送达日期",
            "date",
            false,
            "邮寄、快递以回执所载日期为准，可送达后再登记；直接送达、电子邮件、传真、网上平台当日送达",
        );
    }
}

/// The view of form `f` with `values` typed and `errors` found.
pub fn form_view(f: EventForm, values: &FormFields, errors: &FormErrors, today: Date) -> FormView {
    let mut b = Build {
        values,
        errors,
        fields: Vec::new(),
    };
    b.add("on", "日期", "date", true, "");
    if b.fields[0].value.is_empty() {
        b.fields[0].value = iso(today);
    }
    let consult_kinds = || {
        ConsultKind::ALL
            .iter()
            .map(|k| (k.key(), k.label().to_string()))
            .collect::<Vec<_>>()
    };
    match f {
        EventForm::SupplementRequested => {
            b.add(
                "items",
                "需要补正的事项（每行一项，一次性告知）",
                "textarea",
                true,
                "",
            );
            b.add(
                "period",
                "补正期限（工作日，1至60）",
                "number",
                true,
                "自申请人收到补正告知书之日起计算",
            );
            b.service();
        }
        EventForm::ExtensionApproved => {
            b.add(
                "days",
                "延长答复期限（工作日，最长20个）",
                "number",
                true,
                "",
            );
            b.add(
                "approver",
                "同意延期的政府信息公开工作机构负责人",
                "text",
                true,
                "",
            );
        }
        EventForm::ConsultationOpened => {
            b.select("consult_kind", "征求意见对象类别", consult_kinds());
            b.add("party", "征求意见对象", "text", true, "");
            b.service();
        }
        EventForm::ConsultationAnswered => {
            b.select("consult_kind", "征求意见对象类别", consult_kinds());
            b.add(
                "party",
                "征求意见对象",
                "text",
                true,
                "与征求意见时填写的名称一致",
            );
            b.select(
                "answer",
                "意见",
                ConsultAnswer::ALL
                    .iter()
                    .map(|a| (a.key(), a.label().to_string()))
                    .collect(),
            );
        }
        EventForm::FeeNoticeIssued => {
            b.select(
                "fee_basis",
                "计收方式",
                vec![
                    ("per_item", "按件计收".to_string()),
                    ("per_volume", "按量计收".to_string()),
                ],
            );
            b.add(
                "item_count",
                "本次申请的件数（按件计收）",
                "number",
                false,
                "",
            );
            b.add(
                "prior",
                "本月此前已申请的件数（按件计收）",
                "number",
                false,
                "",
            );
            b.add(
                "pages",
                "页数（按量计收）",
                "number",
                false,
                "收费金额按《政府信息公开信息处理费管理办法》计算",
            );
            b.service();
        }
        EventForm::LetterReceived => {
            b.add(
                "target",
                "文书的事项序号",
                "number",
                true,
                "见下方办理记录中的序号",
            );
            b.add("received", "送达日期（回执所载）", "date", true, "");
        }
        EventForm::ReasonsRequested => {
            b.add(
                "period",
                "说明理由期限（工作日，1至60）",
                "number",
                true,
                "",
            );
            b.service();
        }
        EventForm::ReplyPeriodSet => {
            b.add(
                "days",
                "答复期限（自收到申请之日起的工作日，21至120）",
                "number",
                true,
                "",
            );
        }
        EventForm::Decided => {
            b.select(
                "outcome",
                "答复结果",
                Outcome::ALL
                    .iter()
                    .map(|o| {
                        (
                            o.key(),
                            format!("{}{}", o.group_label().unwrap_or(""), o.label()),
                        )
                    })
                    .collect(),
            );
            b.add(
                "legal_basis",
                "法律依据",
                "text",
                true,
                "如：《中华人民共和国政府信息公开条例》第三十七条",
            );
        }
        EventForm::Withdrawn => b.add("reason", "撤回理由", "text", false, ""),
        EventForm::ReplyDelivered => b.select(
            "method",
            "送达方式",
            Delivery::ALL
                .iter()
                .map(|d| (d.key(), d.label().to_string()))
                .collect(),
        ),
        // Its two steps are the page's own (`case_page::correction_view`), with the fields of
        // the replacement's form and [`correction_fields`].
        EventForm::Correction => {}
        EventForm::SupplementReceived
        | EventForm::SupplementNotReceived
        | EventForm::FeePaid
        | EventForm::FeeUnpaid
        | EventForm::ReasonsReceived
        | EventForm::ReasonsNotReceived => {}
    }
    FormView {
        key: f.key(),
        label: f.label(),
        fields: b.fields,
        refusal: None,
        active: false,
        correction: None,
    }
}

/// The correction's own fields, after the replacement's: the day it is recorded and why.
pub fn correction_fields(values: &FormFields, errors: &FormErrors, today: Date) -> Vec<FieldView> {
    let mut b = Build {
        values,
        errors,
        fields: Vec::new(),
    };
    b.add(
        "on",
        "更正日期",
        "date",
        true,
        "登记更正的日期；被更正事项的日期填在上方",
    );
    if b.fields[0].value.is_empty() {
        b.fields[0].value = iso(today);
    }
    b.add(
        "reason",
        "更正理由",
        "text",
        true,
        "如：误选答复类型、延长天数登记有误",
    );
    b.fields
}
