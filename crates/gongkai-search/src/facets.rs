//! Facet counts over the whole match set, read from fast fields in the same pass as the top hits
//! (docs/search.md#filters-and-facets).

use std::collections::HashMap;

use gongkai_core::ids::AgencyId;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// One value of a facet and how many matching items have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount<T> {
    pub value: T,
    pub count: u64,
}

/// The facets of a result set. Agencies, 栏目 and 主题分类 by count (most first, ties by value);
/// years newest first. An item without a 主题分类 is not counted under `subject`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub agency: Vec<FacetCount<AgencyId>>,
    pub column: Vec<FacetCount<String>>,
    pub subject: Vec<FacetCount<String>>,
    pub year: Vec<FacetCount<i32>>,
}

pub(crate) struct FacetCollector;

pub(crate) struct SegmentFacets {
    agency: Column<i64>,
    year: Column<i64>,
    column: Option<StrColumn>,
    subject: Option<StrColumn>,
    agencies: HashMap<i64, u64>,
    years: HashMap<i64, u64>,
    column_ords: Vec<u64>,
    subject_ords: Vec<u64>,
}

#[derive(Default)]
pub(crate) struct SegmentFruit {
    agencies: HashMap<i64, u64>,
    years: HashMap<i64, u64>,
    columns: HashMap<String, u64>,
    subjects: HashMap<String, u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let fast = reader.fast_fields();
        let column = fast.str("column")?;
        let subject = fast.str("subject")?;
        let ords = |c: &Option<StrColumn>| vec![0; c.as_ref().map_or(0, |c| c.num_terms())];
        Ok(SegmentFacets {
            agency: fast.i64("agency")?,
            year: fast.i64("year")?,
            column_ords: ords(&column),
            subject_ords: ords(&subject),
            column,
            subject,
            agencies: HashMap::new(),
            years: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Facets> {
        let mut all = SegmentFruit::default();
        for fruit in fruits {
            for (k, n) in fruit.agencies {
                *all.agencies.entry(k).or_default() += n;
            }
            for (k, n) in fruit.years {
                *all.years.entry(k).or_default() += n;
            }
            for (k, n) in fruit.columns {
                *all.columns.entry(k).or_default() += n;
            }
            for (k, n) in fruit.subjects {
                *all.subjects.entry(k).or_default() += n;
            }
        }
        let mut year: Vec<FacetCount<i32>> = all
            .years
            .into_iter()
            .filter_map(|(y, count)| {
                Some(FacetCount {
                    value: i32::try_from(y).ok()?,
                    count,
                })
            })
            .collect();
        year.sort_by_key(|y| std::cmp::Reverse(y.value));
        Ok(Facets {
            agency: by_count(all.agencies.into_iter().map(|(a, n)| (AgencyId::new(a), n))),
            column: by_count(all.columns),
            subject: by_count(all.subjects),
            year,
        })
    }
}

fn by_count<T: Ord>(counts: impl IntoIterator<Item = (T, u64)>) -> Vec<FacetCount<T>> {
    let mut out: Vec<FacetCount<T>> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}

impl SegmentCollector for SegmentFacets {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(a) = self.agency.first(doc) {
            *self.agencies.entry(a).or_default() += 1;
        }
        if let Some(y) = self.year.first(doc) {
            *self.years.entry(y).or_default() += 1;
        }
        for (column, counts) in [
            (&self.column, &mut self.column_ords),
            (&self.subject, &mut self.subject_ords),
        ] {
            if let Some(ord) = column.as_ref().and_then(|c| c.ords().first(doc))
                && let Some(n) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o))
            {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let names = |column: &Option<StrColumn>, counts: Vec<u64>| {
            let mut out = HashMap::new();
            let Some(column) = column else {
                return out;
            };
            for (ord, n) in counts.into_iter().enumerate() {
                let mut name = String::new();
                if n > 0 && matches!(column.ord_to_str(ord as u64, &mut name), Ok(true)) {
                    out.insert(name, n);
                }
            }
            out
        };
        SegmentFruit {
            columns: names(&self.column, self.column_ords),
            subjects: names(&self.subject, self.subject_ords),
            agencies: self.agencies,
            years: self.years,
        }
    }
}
