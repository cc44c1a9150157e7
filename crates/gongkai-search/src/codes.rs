//! Exact keys of 文号 and 索引号 (docs/search.md#exact-文号-and-索引号). A 文号 is normalised by
//! gongkai-core's `DocNumber` (the year in 〔〕 whatever bracket was typed, full-width digits and
//! spaces folded); a 索引号 by folding width and case and dropping spaces. Both sides — the item
//! when indexed, the query when searched — go through the same function.

use gongkai_core::catalog::DocNumber;

use crate::analysis::fold;

/// The exact key of an item's 文号.
pub(crate) fn doc_number_key(raw: &str) -> Option<String> {
    DocNumber::parse(raw).map(|d| format!("文号:{}", d.as_str()))
}

/// The exact key of an item's 索引号.
pub(crate) fn index_number_key(raw: &str) -> Option<String> {
    let folded: String = fold(raw).chars().filter(|c| !c.is_whitespace()).collect();
    (!folded.is_empty()).then(|| format!("索引号:{folded}"))
}

/// The exact keys a query may name: the whole text and each space-separated part, read as a
/// 文号 (also with a forgotten final 号) and as a 索引号.
pub(crate) fn query_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut add = |key: Option<String>| {
        if let Some(key) = key
            && !keys.contains(&key)
        {
            keys.push(key);
        }
    };
    let pieces = std::iter::once(text).chain(text.split_whitespace());
    for piece in pieces {
        if !piece
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            continue;
        }
        add(doc_number_key(piece));
        if let Some(d) = DocNumber::parse(piece)
            && d.flagged()
            && let Some(completed) = DocNumber::parse(&format!("{}号", d.as_str()))
            && !completed.flagged()
        {
            add(Some(format!("文号:{}", completed.as_str())));
        }
        add(index_number_key(piece));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bracket_style_gives_the_same_key() {
        let key = doc_number_key("张店政办发〔2021〕3号");
        assert_eq!(key.as_deref(), Some("文号:张店政办发〔2021〕3号"));
        for typed in [
            "张店政办发[2021]3号",
            "张店政办发(2021)3号",
            "张店政办发（2021）3号",
            "张店政办发【2021】3号",
            "张店政办发［２０２１］３号",
            " 张店政办发 〔2021〕 3号 ",
            "张店政办发〔2021〕3",
        ] {
            assert!(
                query_keys(typed).contains(key.as_ref().unwrap_or(&String::new())),
                "{typed}"
            );
        }
    }

    #[test]
    fn index_numbers_fold_width_case_and_spaces() {
        assert_eq!(
            index_number_key("11370303MB2858283X/2021-00012").as_deref(),
            Some("索引号:11370303mb2858283x/2021-00012")
        );
        assert!(
            query_keys("１１３７０３０３ＭＢ２８５８２８３Ｘ／2021-00012")
                .contains(&"索引号:11370303mb2858283x/2021-00012".to_string())
        );
        assert_eq!(index_number_key("  "), None);
    }

    #[test]
    fn words_without_digits_name_no_key() {
        assert!(query_keys("公务用车 管理").is_empty());
    }
}
