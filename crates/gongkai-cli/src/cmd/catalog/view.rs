//! How an item is shown: JSON for scripts, text for people (times in Beijing time).

use gongkai_app::catalog::ItemView;
use gongkai_core::catalog::Timeliness;
use serde_json::{Value as Json, json};
use time::OffsetDateTime;

fn timeliness_json(t: &Timeliness) -> Json {
    match t {
        Timeliness::OnTime { due } => json!({"status": "on_time", "due": due.to_string()}),
        Timeliness::Late { due, published_on } => {
            json!({"status": "late", "due": due.to_string(), "published_on": published_on.to_string()})
        }
        Timeliness::Overdue { due } => json!({"status": "overdue", "due": due.to_string()}),
        Timeliness::Pending { due } => json!({"status": "pending", "due": due.to_string()}),
        Timeliness::Unknown { from } => json!({"status": "unknown", "from": from.to_string()}),
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
pub(super) fn item_json(v: &ItemView) -> Json {
    let i = &v.item;
    let c = &i.content;
    json!({
        "id": i.id.parse::<i64>().unwrap_or_default(),
        "index_number": i.index_number,
        "stage": i.stage().key(),
        "title": c.title,
        "publisher": c.publisher,
        "formed_on": c.formed_on.to_string(),
        "changed_on": c.changed_on.map(|d| d.to_string()),
        "published_on": i.published_on().map(|d| d.to_string()),
        "doc_number": c.doc_number.as_ref().map(|d| d.as_str()),
        "doc_number_flagged": c.doc_number.as_ref().is_some_and(|d| d.flagged()),
        "subject": c.subject.as_ref().map(|s| s.to_string()),
        "column": c.column,
        "genre": c.genre,
        "summary": c.summary,
        "keywords": c.keywords,
        "body_html": c.body.as_html(),
        "interprets": c.interprets.as_ref().and_then(|s| s.parse::<i64>().ok()),
        "interpretations": v.interpretations,
        "normative": i.normative.as_ref().map(|n| json!({
            "kind": n.kind.key(),
            "history": n.history().iter().map(|h| json!({
                "status": h.validity.status.key(),
                "effective_on": h.validity.effective_on.map(|d| d.to_string()),
                "ends_on": h.validity.ends_on.map(|d| d.to_string()),
                "by": h.by,
                "at": rfc3339(h.at),
                "reason": h.reason,
            })).collect::<Vec<_>>(),
        })),
        "attachments": i.attachments.iter().map(|a| json!({
            "name": a.name, "media_type": a.media_type, "size": a.size,
        })).collect::<Vec<_>>(),
        "steps": i.workflow.steps().iter().map(|s| json!({
            "action": s.action.key(),
            "from": s.from.map(|f| f.key()),
            "to": s.to.key(),
            "by": s.by,
            "at": rfc3339(s.at),
            "note": s.note,
        })).collect::<Vec<_>>(),
        "timeliness": timeliness_json(&v.timeliness),
        "flags": v.flags,
    })
}

pub(super) fn item_text(v: &ItemView) -> String {
    let i = &v.item;
    let c = &i.content;
    let mut s = format!(
        "#{} {}\n  状态：{}  索引号：{}\n  栏目：{}  发布机构：{}  成文日期：{}\n",
        i.id,
        c.title,
        i.stage().zh(),
        i.index_number.as_deref().unwrap_or("（发布时生成）"),
        c.column,
        c.publisher,
        c.formed_on
    );
    if let Some(d) = &c.doc_number {
        s.push_str(&format!("  文号：{d}\n"));
    }
    if let Some(n) = &i.normative {
        let v = n.current();
        s.push_str(&format!("  {}，有效性：{}\n", n.kind.zh(), v.status.zh()));
    }
    if let Some(p) = &c.interprets {
        s.push_str(&format!("  解读对象：#{p}\n"));
    }
    if !v.interpretations.is_empty() {
        let ids: Vec<String> = v.interpretations.iter().map(|i| format!("#{i}")).collect();
        s.push_str(&format!("  政策解读：{}\n", ids.join("、")));
    }
    for a in &i.attachments {
        s.push_str(&format!("  附件：{}（{}字节）\n", a.name, a.size));
    }
    s.push_str(&format!("  时效：{}\n", v.timeliness.zh()));
    for step in i.workflow.steps() {
        s.push_str(&format!(
            "  - {} {} {}{}\n",
            when(step.at),
            step.by,
            step.action.zh(),
            step.note
                .as_deref()
                .map(|n| format!("：{n}"))
                .unwrap_or_default()
        ));
    }
    for f in &v.flags {
        s.push_str(&format!("  ! {f}\n"));
    }
    s
}

/// A timestamp in Beijing time, to the minute.
fn when(at: OffsetDateTime) -> String {
    let t = at.to_offset(gongkai_core::catalog::item::BEIJING);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}
