//! The information processing fee (信息处理费) of 国办函〔2020〕109号 (docs/rules/fees.md): 按件
//! (per item, cumulative over the applicant's calendar month) or 按量 (per page of one
//! application), both excess-progressive, one method per application. Amounts are whole yuan.

use serde::{Deserialize, Serialize};

/// The most items one application is split into (一事一申请) for a fee.
pub const MAX_ITEMS: u32 = 1_000;
/// The most items an applicant can have had earlier in one calendar month.
pub const MAX_PRIOR_ITEMS: u32 = 100_000;
/// The most pages one application can be charged for.
pub const MAX_PAGES: u32 = 1_000_000;

/// How a fee is computed; one per application, never both (Art. 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FeeBasis {
    /// 按件计收: `items` more items by an applicant who already had `prior` this calendar month.
    PerItem { prior: u32, items: u32 },
    /// 按量计收: `pages` pages for this application.
    PerVolume { pages: u32 },
}

impl FeeBasis {
    /// The fee in yuan.
    pub fn fee(self) -> u64 {
        match self {
            FeeBasis::PerItem { prior, items } => per_item_fee(prior, items),
            FeeBasis::PerVolume { pages } => per_volume_fee(pages),
        }
    }

    /// Sane bounds on the counts, so a typing slip is refused rather than charged: an
    /// application split into at most [`MAX_ITEMS`] items, at most [`MAX_PRIOR_ITEMS`] items
    /// earlier in the month, at most [`MAX_PAGES`] pages. Messages in English and Chinese.
    pub fn check(self) -> Result<(), (String, String)> {
        let over = |what: &str, zh: &str, n: u32, max: u32| {
            (
                format!("{what} must be at most {max}, not {n}"),
                format!("{zh}不能超过{max}，不能为{n}"),
            )
        };
        match self {
            FeeBasis::PerItem { items, .. } if items > MAX_ITEMS => {
                Err(over("the number of items", "件数", items, MAX_ITEMS))
            }
            FeeBasis::PerItem { prior, .. } if prior > MAX_PRIOR_ITEMS => Err(over(
                "the items earlier this month",
                "本月此前件数",
                prior,
                MAX_PRIOR_ITEMS,
            )),
            FeeBasis::PerVolume { pages } if pages > MAX_PAGES => {
                Err(over("the number of pages", "页数", pages, MAX_PAGES))
            }
            _ => Ok(()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FeeBasis::PerItem { .. } => "按件计收",
            FeeBasis::PerVolume { .. } => "按量计收",
        }
    }
}

/// The price of the `k`-th item of a calendar month (k ≥ 1): 1–10 free, 11–30 at 100 元, then
/// each band of ten costs 100 元 more (31–40: 200, 41–50: 300, …).
pub fn per_item_price(k: u64) -> u64 {
    match k {
        0..=10 => 0,
        11..=30 => 100,
        _ => 100 * (2 + (k - 31) / 10),
    }
}

/// The fee in yuan for `items` more items after `prior` items in the same calendar month.
/// Summed band by band, so it is cheap for any count.
pub fn per_item_fee(prior: u32, items: u32) -> u64 {
    let (from, to) = (u64::from(prior) + 1, u64::from(prior) + u64::from(items));
    if items == 0 {
        return 0;
    }
    // Bands: [11,30] at 100, then [31+10j, 40+10j] at 100·(2+j).
    // How many of the items from..=to fall in the band lo..=hi.
    let overlap = |lo: u64, hi: u64| -> u64 {
        let (a, b) = (from.max(lo), to.min(hi));
        if b >= a { b - a + 1 } else { 0 }
    };
    let mut fee = 100 * overlap(11, 30);
    if to >= 31 {
        let first = from.max(31);
        let (j0, j1) = ((first - 31) / 10, (to - 31) / 10);
        for j in j0..=j1 {
            fee += 100 * (2 + j) * overlap(31 + 10 * j, 40 + 10 * j);
        }
    }
    fee
}

/// The fee in yuan for `pages` pages: 1–30 free, 31–100 at 10 元, 101–200 at 20 元, from 201
/// at 40 元 a page, each price only for the pages in its band.
pub fn per_volume_fee(pages: u32) -> u64 {
    let p = u64::from(pages);
    10 * p.saturating_sub(30).min(70)
        + 20 * p.saturating_sub(100).min(100)
        + 40 * p.saturating_sub(200)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reference: the price of every item of docs/rules/fees.md, summed one by one.
    fn per_item_reference(prior: u32, items: u32) -> u64 {
        (u64::from(prior) + 1..=u64::from(prior) + u64::from(items))
            .map(per_item_price)
            .sum()
    }

    #[test]
    fn per_item_band_edges() {
        let prices = [
            (1, 0),
            (10, 0),
            (11, 100),
            (30, 100),
            (31, 200),
            (40, 200),
            (41, 300),
            (50, 300),
            (51, 400),
            (101, 900),
        ];
        for (k, price) in prices {
            assert_eq!(per_item_price(k), price, "item {k}");
        }
        assert_eq!(per_item_fee(0, 10), 0);
        assert_eq!(per_item_fee(0, 11), 100);
        assert_eq!(per_item_fee(0, 30), 2000);
        assert_eq!(per_item_fee(0, 31), 2200);
        assert_eq!(per_item_fee(0, 40), 4000);
        assert_eq!(per_item_fee(0, 41), 4300);
        assert_eq!(per_item_fee(10, 1), 100);
        assert_eq!(per_item_fee(9, 1), 0);
        assert_eq!(per_item_fee(9, 2), 100);
        assert_eq!(per_item_fee(29, 2), 300);
        assert_eq!(per_item_fee(30, 10), 2000);
        assert_eq!(per_item_fee(35, 0), 0);
    }

    #[test]
    fn per_volume_band_edges() {
        let cases = [
            (0, 0),
            (1, 0),
            (30, 0),
            (31, 10),
            (100, 700),
            (101, 720),
            (200, 2700),
            (201, 2740),
            (250, 4700),
        ];
        for (pages, fee) in cases {
            assert_eq!(per_volume_fee(pages), fee, "{pages} pages");
        }
    }

    #[test]
    fn basis_dispatches() {
        assert_eq!(
            FeeBasis::PerItem {
                prior: 0,
                items: 11
            }
            .fee(),
            100
        );
        assert_eq!(FeeBasis::PerVolume { pages: 31 }.fee(), 10);
    }

    proptest! {
        #[test]
        fn per_item_matches_the_reference(prior in 0u32..300, items in 0u32..300) {
            prop_assert_eq!(per_item_fee(prior, items), per_item_reference(prior, items));
        }

        #[test]
        fn per_item_splits_add_up(prior in 0u32..200, a in 0u32..100, b in 0u32..100) {
            prop_assert_eq!(per_item_fee(prior, a) + per_item_fee(prior + a, b), per_item_fee(prior, a + b));
        }

        #[test]
        fn per_volume_is_the_sum_of_page_prices(pages in 0u32..600) {
            let by_page: u64 = (1..=u64::from(pages)).map(|p| match p { 0..=30 => 0, 31..=100 => 10, 101..=200 => 20, _ => 40 }).sum();
            prop_assert_eq!(per_volume_fee(pages), by_page);
        }
    }
}
