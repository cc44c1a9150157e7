//! Cutting a run of digits printed without separators (`580000058`) into a row's cells.
//!
//! A cell is a number as a table prints it: `0`, or digits without a leading zero. A row of
//! `n` cells may be cut in several ways; the row's own structure (a total that is the sum of
//! the cells before it) removes most of them. Nothing here guesses: callers accept a reading
//! only when it is the only one left.

/// Most digits one cell may have (counts up to 999,999,999,999).
const MAX_CELL_DIGITS: usize = 12;
/// Most nodes a search may visit before it gives up (then nothing is read).
const MAX_NODES: usize = 1_000_000;

/// The value of `d` as one printed cell, if it is one: `0` or no leading zero.
fn cell_value(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > MAX_CELL_DIGITS || (d.len() > 1 && d[0] == b'0') {
        return None;
    }
    d.iter()
        .try_fold(0u64, |acc, &c| Some(acc * 10 + u64::from(c - b'0')))
}

/// The ways to cut `d` into exactly `k` cells, for `k` in `0..=n`, each counted up to 2.
fn ways_by_count(d: &[u8], n: usize) -> Vec<u8> {
    // ways[pos][k]: cuts of d[..pos] into k cells, saturated at 2.
    let mut ways = vec![vec![0u8; n + 1]; d.len() + 1];
    ways[0][0] = 1;
    for pos in 1..=d.len() {
        for len in 1..=pos.min(MAX_CELL_DIGITS) {
            if cell_value(&d[pos - len..pos]).is_none() {
                continue;
            }
            for k in 1..=n {
                let add = ways[pos - len][k - 1];
                ways[pos][k] = ways[pos][k].saturating_add(add).min(2);
            }
        }
    }
    ways[d.len()].clone()
}

/// The reading of `d` as `n` cells that holds whatever the row's totals say and even if some
/// cells were left blank (then the run has fewer cells than the row): there is exactly one
/// cut into `n` cells and none into fewer. `0000000` for seven cells is one; `1000000` is not
/// (`10|0|0|0|0|0|` with a blank total is another reading).
pub fn certain(d: &[u8], n: usize) -> Option<Vec<u64>> {
    if n == 0 || d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let ways = ways_by_count(d, n);
    if ways[n] != 1 || ways[1..n].iter().any(|&w| w > 0) {
        return None;
    }
    let found = cuts(d, n, 0, 2).ok()?;
    (found.len() == 1).then(|| found[0].clone())
}

/// Every cut of `d` into `n` cells in which each group of `group` cells ends with the sum of
/// the others (`group` 0: no totals), up to `limit` readings. `Err` when there are more, or
/// the search is too large to finish.
pub fn cuts(d: &[u8], n: usize, group: usize, limit: usize) -> Result<Vec<Vec<u64>>, TooMany> {
    let found = search(d, n, group, None, limit)?;
    Ok(found
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.unwrap_or(0)).collect())
        .collect())
}

/// The cuts of `d` into `n` cells of which cell `blank` was left blank (it takes no digits):
/// the groups without the blank add up; a group whose total is blank is free; a group with a
/// blank part has a total at least the sum of its other parts.
pub fn cuts_with_blank(
    d: &[u8],
    n: usize,
    group: usize,
    blank: usize,
    limit: usize,
) -> Result<Vec<Vec<Option<u64>>>, TooMany> {
    search(d, n, group, Some(blank), limit)
}

fn search(
    d: &[u8],
    n: usize,
    group: usize,
    blank: Option<usize>,
    limit: usize,
) -> Result<Vec<Vec<Option<u64>>>, TooMany> {
    if !d.iter().all(u8::is_ascii_digit) {
        return Ok(Vec::new());
    }
    let mut search = Search {
        d,
        n,
        group,
        blank,
        limit,
        nodes: 0,
        out: Vec::new(),
        cur: Vec::with_capacity(n),
    };
    search.step(0)?;
    Ok(search.out)
}

/// The search for readings gave up: too many readings or too many steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany;

struct Search<'a> {
    d: &'a [u8],
    n: usize,
    group: usize,
    blank: Option<usize>,
    limit: usize,
    nodes: usize,
    out: Vec<Vec<Option<u64>>>,
    cur: Vec<Option<u64>>,
}

impl Search<'_> {
    fn step(&mut self, pos: usize) -> Result<(), TooMany> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(TooMany);
        }
        let i = self.cur.len();
        let left = self.d.len() - pos;
        if i == self.n {
            if left == 0 {
                if self.out.len() >= self.limit {
                    return Err(TooMany);
                }
                self.out.push(self.cur.clone());
            }
            return Ok(());
        }
        if self.blank == Some(i) {
            self.cur.push(None);
            self.step(pos)?;
            self.cur.pop();
            return Ok(());
        }
        let cells_left = self.n - i - usize::from(self.blank.is_some_and(|b| b > i));
        if left < cells_left || left > cells_left * MAX_CELL_DIGITS {
            return Ok(());
        }
        // At least this much (a total whose group has a blank part), or exactly this much.
        let mut at_least = None;
        if self.group > 0 && (i + 1).is_multiple_of(self.group) {
            let parts = &self.cur[i + 1 - self.group..i];
            let sum: u64 = parts.iter().flatten().sum();
            if parts.iter().all(Option::is_some) {
                // A total: the sum of the group's other cells, printed next.
                let s = sum.to_string();
                if self.d[pos..].starts_with(s.as_bytes()) {
                    self.cur.push(Some(sum));
                    self.step(pos + s.len())?;
                    self.cur.pop();
                }
                return Ok(());
            }
            at_least = Some(sum);
        }
        for len in 1..=left.min(MAX_CELL_DIGITS) {
            let Some(v) = cell_value(&self.d[pos..pos + len]) else {
                // A leading zero: `0` is the only cell starting here.
                break;
            };
            if at_least.is_some_and(|m| v < m) {
                continue;
            }
            self.cur.push(Some(v));
            self.step(pos + len)?;
            self.cur.pop();
        }
        Ok(())
    }
}

/// A reading with blank cells for messages: `|2|5|2|110`.
pub fn show_blank(cells: &[Option<u64>]) -> String {
    cells
        .iter()
        .map(|c| c.map(|v| v.to_string()).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

/// A reading for messages: `58|0|0|0|0|0|58`.
pub fn show(cells: &[u64]) -> String {
    cells
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> &[u8] {
        s.as_bytes()
    }

    #[test]
    fn zero_runs_of_the_right_length_are_certain() {
        assert_eq!(certain(b("0000000"), 7), Some(vec![0; 7]));
        assert_eq!(certain(b("000000"), 7), None);
        assert_eq!(certain(b("00000000"), 7), None);
    }

    #[test]
    fn a_blank_could_hide_in_a_run_with_a_digit_before_a_digit() {
        assert_eq!(certain(b("1000000"), 7), None);
        assert_eq!(certain(b("0000006"), 7), Some(vec![0, 0, 0, 0, 0, 0, 6]));
        assert_eq!(certain(b("5"), 1), Some(vec![5]));
        assert_eq!(certain(b("599"), 1), Some(vec![599]));
        assert_eq!(certain(b("000"), 3), Some(vec![0, 0, 0]));
        assert_eq!(certain(b("3123"), 3), None);
    }

    #[test]
    fn totals_cut_a_row() {
        assert_eq!(
            cuts(b("580000058"), 7, 7, 10),
            Ok(vec![vec![58, 0, 0, 0, 0, 0, 58]])
        );
        assert_eq!(
            cuts(b("320000032"), 7, 7, 10),
            Ok(vec![vec![32, 0, 0, 0, 0, 0, 32]])
        );
        // 1|1|0|0|0|0|2 and 11|0|0|0|0|0|... : only the first adds up.
        assert_eq!(
            cuts(b("1100002"), 7, 7, 10),
            Ok(vec![vec![1, 1, 0, 0, 0, 0, 2]])
        );
        // A printed total that disagrees with its parts leaves no reading.
        assert_eq!(cuts(b("1000000"), 7, 7, 10), Ok(vec![]));
        // 1|11|12 or 11|1|12: two readings.
        assert_eq!(cuts(b("11112"), 3, 3, 10).map(|v| v.len()), Ok(2));
    }

    #[test]
    fn table_four_groups() {
        let r = cuts(b("000000000000000"), 15, 5, 10);
        assert_eq!(r, Ok(vec![vec![0; 15]]));
        let r = cuts(b("210031100200000"), 15, 5, 10).expect("small");
        assert!(r.contains(&vec![2, 1, 0, 0, 3, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0]));
    }

    #[test]
    fn a_blank_cell_can_hide_in_a_run_that_adds_up() {
        // 2|5|2|110 with a blank 维持 reads 2|5|2|1|10 if no cell is blank.
        assert_eq!(cuts(b("252110"), 5, 5, 10), Ok(vec![vec![2, 5, 2, 1, 10]]));
        let with_blank = cuts_with_blank(b("252110"), 5, 5, 0, 10).expect("small");
        assert!(with_blank.contains(&vec![None, Some(2), Some(5), Some(2), Some(110)]));
        // A group whose total is blank takes any four parts.
        let free = cuts_with_blank(b("1001"), 5, 5, 4, 10).expect("small");
        assert!(free.contains(&vec![Some(1), Some(0), Some(0), Some(1), None]));
    }

    #[test]
    fn huge_runs_give_up() {
        let d = "1".repeat(80);
        assert!(cuts(d.as_bytes(), 7, 0, 10).is_err());
    }
}
