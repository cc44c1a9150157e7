//! The approval form as a printable HTML page (A4, no external resources, all text escaped).

use crate::form::{ApprovalForm, CHECKLIST, TITLE};
use gongkai_core::text::escape_html as esc;

const CSS: &str = "@page{size:A4;margin:2cm}body{font-family:'Noto Serif CJK SC','SimSun',serif;\
font-size:12pt;color:#000}h1{text-align:center;font-size:20pt;letter-spacing:2pt}\
.meta{display:flex;justify-content:space-between;margin:0 0 6pt}\
table{width:100%;border-collapse:collapse}th,td{border:1px solid #000;padding:6pt;\
vertical-align:top;text-align:left}th{width:18%;font-weight:normal;text-align:center}\
.sign{margin-top:18pt;text-align:right}.note{font-size:10.5pt}";

pub fn render(form: &ApprovalForm) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!(
        "<title>{}</title><style>{CSS}</style></head><body>\n",
        esc(TITLE)
    ));
    h.push_str(&format!("<h1>{}</h1>\n", esc(TITLE)));
    h.push_str(&format!(
        "<div class=\"meta\"><span>单位：{}</span><span>索引号：{}</span><span>状态：{}</span></div>\n",
        esc(&form.agency),
        esc(&form.index_number),
        esc(&form.stage)
    ));
    h.push_str("<table>\n");
    for (label, value) in &form.fields {
        h.push_str(&format!(
            "<tr><th>{}</th><td colspan=\"3\">{}</td></tr>\n",
            esc(label),
            esc(value)
        ));
    }
    for s in &form.signatures {
        let extra = if s.label == "保密审查" {
            format!("<div class=\"note\">{}</div>", esc(CHECKLIST))
        } else {
            String::new()
        };
        h.push_str(&format!(
            "<tr><th>{}意见</th><td colspan=\"3\">{extra}<div>{}</div>\
             <div class=\"sign\">签字：{}　　{}</div></td></tr>\n",
            esc(s.label),
            esc(&s.opinion),
            esc(&s.by),
            esc(&s.at)
        ));
    }
    if !form.history.is_empty() {
        h.push_str("<tr><th>退回及撤回记录</th><td colspan=\"3\">");
        for line in &form.history {
            h.push_str(&format!("<div>{}</div>", esc(line)));
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</table>\n</body></html>\n");
    h
}
