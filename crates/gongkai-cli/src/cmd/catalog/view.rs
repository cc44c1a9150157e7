//! How an item is shown to people (times in Beijing time); its JSON is the app's view
//! (`gongkai_app::catalog::ItemView`).

use gongkai_app::catalog::ItemView;
use time::OffsetDateTime;

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
            step.by.name,
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
    let t = at.to_offset(gongkai_core::calendar::BEIJING);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}
