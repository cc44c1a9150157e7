//! Tables 二/三/四 as grids of merged cells, the same merges, labels and order as the HTML
//! rendering of `gongkai-report` (docs/rules/annual-report.md): each writer (DOCX, XLSX, PDF)
//! turns a [`Grid`] into its own table model.

use gongkai_core::report::format::spec;
use gongkai_core::report::keys::{T4Group, T4Outcome};
use gongkai_core::report::{AnnualReport, CellRef, Layout, T2Key, T3Col, T4Col};

/// What a grid cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The caption row of a sub-table of table 二 (第二十条第（一）项 …).
    Caption,
    /// A column label.
    Header,
    /// A row label.
    Label,
    /// A group label spanning the rows below it (（三）不予公开).
    Group,
    /// The outermost group of table 三 (三、本年度办理结果), printed top to bottom.
    VerticalGroup,
    /// A value of the report.
    Value(CellRef),
}

/// One cell, placed at `row`/`col` and spanning `rows` × `cols` grid slots.
#[derive(Debug, Clone)]
pub struct Span {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
    pub role: Role,
    pub text: String,
}

/// A table: its cells in row-major order, how many leading rows are the header (repeated on
/// every page) and the relative width of each column.
#[derive(Debug, Clone)]
pub struct Grid {
    pub widths: Vec<f64>,
    pub header_rows: usize,
    pub rows: usize,
    pub spans: Vec<Span>,
}

impl Grid {
    fn with_widths(widths: Vec<f64>, header_rows: usize) -> Grid {
        Grid {
            widths,
            header_rows,
            rows: 0,
            spans: Vec::new(),
        }
    }

    pub fn columns(&self) -> usize {
        self.widths.len()
    }

    fn place(&mut self, at: (usize, usize), size: (usize, usize), role: Role, text: &str) {
        let (row, col) = at;
        let (rows, cols) = size;
        self.rows = self.rows.max(row + rows);
        self.spans.push(Span {
            row,
            col,
            rows,
            cols,
            role,
            text: text.to_string(),
        });
    }

    /// A cell's value as printed; 「？」 for a cell the reader did not read and found no text
    /// in, so that it is not taken for a printed blank (the notes after the tables list it).
    fn value(&mut self, report: &AnnualReport, at: (usize, usize), cols: usize, cell: CellRef) {
        let mut text = report.cell(cell).value.to_string();
        if text.is_empty() && report.is_unread(cell) {
            text = UNREAD_MARK.into();
        }
        self.place(at, (1, cols), Role::Value(cell), &text);
    }

    /// For each row, the index into `spans` of the cell covering each column (`None` for a
    /// hole, which the tables of the format do not have).
    pub fn cover(&self) -> Vec<Vec<Option<usize>>> {
        let mut out = vec![vec![None; self.columns()]; self.rows];
        for (i, s) in self.spans.iter().enumerate() {
            for line in out.iter_mut().skip(s.row).take(s.rows) {
                for slot in line.iter_mut().skip(s.col).take(s.cols) {
                    *slot = Some(i);
                }
            }
        }
        out
    }
}

/// What a cell the reader did not read shows in the office formats.
pub const UNREAD_MARK: &str = "？";

/// Table 二: per sub-table a caption row across the table, a column-label row and its rows;
/// a sub-table narrower than the widest one lets its last column span the rest.
pub fn table2(report: &AnnualReport) -> Grid {
    let t2 = spec().table2_for(report.layout == Layout::Y2019);
    let value_cols = t2
        .subtables
        .iter()
        .map(|s| s.columns.len())
        .max()
        .unwrap_or(1);
    let mut widths = vec![4.0];
    widths.extend(std::iter::repeat_n(3.0, value_cols));
    let mut grid = Grid::with_widths(widths, 0);
    let mut row = 0;
    for sub in &t2.subtables {
        grid.place((row, 0), (1, value_cols + 1), Role::Caption, &sub.caption);
        row += 1;
        // Column i starts at 1 + i; the last one takes what is left of the width.
        let span_of = |i: usize| {
            if i + 1 == sub.columns.len() {
                value_cols + 1 - sub.columns.len()
            } else {
                1
            }
        };
        grid.place((row, 0), (1, 1), Role::Header, &t2.label_column);
        for (i, col) in sub.columns.iter().enumerate() {
            grid.place((row, 1 + i), (1, span_of(i)), Role::Header, &col.label);
        }
        row += 1;
        for line in &sub.rows {
            grid.place((row, 0), (1, 1), Role::Label, &line.label);
            for (i, col) in sub.columns.iter().enumerate() {
                let key = T2Key {
                    sub: &sub.key,
                    row: &line.key,
                    col: &col.key,
                };
                grid.value(report, (row, 1 + i), span_of(i), CellRef::T2(key));
            }
            row += 1;
        }
    }
    grid
}

/// The label columns of table 三 before its seven value columns.
pub const T3_LABEL_COLUMNS: usize = 3;

/// Table 三: a three-row header (the corner note over the label columns, 申请人情况 over the
/// seven columns, 自然人 / 法人或其他组织 (five) / 总计), then one row per data row with its
/// group labels spanning their rows.
pub fn table3(report: &AnnualReport) -> Grid {
    let t3 = &spec().table3;
    let mut widths = vec![1.3, 3.0, 7.2];
    widths.extend(std::iter::repeat_n(1.8, T3Col::ALL.len()));
    let mut grid = Grid::with_widths(widths, 3);
    let first = T3_LABEL_COLUMNS;
    grid.place((0, 0), (3, first), Role::Header, &t3.corner_note);
    grid.place(
        (0, first),
        (1, T3Col::ALL.len()),
        Role::Header,
        &t3.column_group,
    );
    let organisations = t3
        .columns
        .iter()
        .find_map(|c| c.group.as_deref())
        .unwrap_or_default();
    let parts = &T3Col::PARTS[1..];
    grid.place(
        (1, first),
        (2, 1),
        Role::Header,
        T3Col::NaturalPerson.label(),
    );
    grid.place(
        (1, first + 1),
        (1, parts.len()),
        Role::Header,
        organisations,
    );
    grid.place(
        (1, first + 1 + parts.len()),
        (2, 1),
        Role::Header,
        T3Col::Total.label(),
    );
    for (i, col) in parts.iter().enumerate() {
        grid.place((2, first + 1 + i), (1, 1), Role::Header, col.label());
    }
    let rows = report.table3.rows();
    for (i, &line) in rows.iter().enumerate() {
        let y = grid.header_rows + i;
        let groups = line.groups();
        for (level, group) in groups.iter().enumerate() {
            let starts = i == 0 || rows[i - 1].groups().get(level) != Some(group);
            if !starts {
                continue;
            }
            let height = rows[i..]
                .iter()
                .take_while(|r| r.groups().get(level) == Some(group))
                .count();
            let role = if level == 0 {
                Role::VerticalGroup
            } else {
                Role::Group
            };
            grid.place((y, level), (height, 1), role, group);
        }
        let depth = groups.len().min(first - 1);
        grid.place((y, depth), (1, first - depth), Role::Label, line.label());
        for (j, col) in T3Col::ALL.into_iter().enumerate() {
            grid.value(report, (y, first + j), 1, CellRef::T3(line, col));
        }
    }
    grid
}

/// Table 四: 行政复议 (five columns) and 行政诉讼 (ten: 未经复议直接起诉, 复议后起诉), the
/// outcome labels, then the one data row.
pub fn table4(report: &AnnualReport) -> Grid {
    let outcomes = T4Outcome::ALL.len();
    let mut grid = Grid::with_widths(vec![1.0; 3 * outcomes], 3);
    let litigation = spec()
        .table4
        .column_groups
        .iter()
        .find_map(|g| g.parent.as_deref())
        .unwrap_or_default();
    grid.place((0, 0), (1, outcomes), Role::Header, T4Group::Review.label());
    grid.place((0, outcomes), (1, 2 * outcomes), Role::Header, litigation);
    for (g, group) in T4Group::ALL.into_iter().enumerate() {
        let x = g * outcomes;
        let review = group == T4Group::Review;
        if !review {
            grid.place((1, x), (1, outcomes), Role::Header, group.label());
        }
        for (o, outcome) in T4Outcome::ALL.into_iter().enumerate() {
            let label = T4Col { group, outcome }.label();
            if review {
                grid.place((1, x + o), (2, 1), Role::Header, label);
            } else {
                grid.place((2, x + o), (1, 1), Role::Header, label);
            }
        }
    }
    for (x, col) in T4Col::all().enumerate() {
        grid.value(report, (3, x), 1, CellRef::T4(col));
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holes(grid: &Grid) -> usize {
        grid.cover()
            .iter()
            .flatten()
            .filter(|c| c.is_none())
            .count()
    }

    #[test]
    fn every_slot_is_covered_once() {
        for year in [2021, 2020] {
            let mut r = AnnualReport::new("测试机关", year);
            r.table3.fill_zero();
            for grid in [table2(&r), table3(&r), table4(&r)] {
                assert_eq!(holes(&grid), 0);
                let area: usize = grid.spans.iter().map(|s| s.rows * s.cols).sum();
                assert_eq!(area, grid.rows * grid.columns(), "no overlap");
            }
        }
    }

    #[test]
    fn table3_groups_span_their_rows_as_in_the_html() {
        let r = AnnualReport::new("测试机关", 2021);
        let g = table3(&r);
        assert_eq!((g.rows, g.columns()), (3 + 25, 10));
        let vertical: Vec<&Span> = g
            .spans
            .iter()
            .filter(|s| s.role == Role::VerticalGroup)
            .collect();
        assert_eq!(vertical.len(), 1);
        assert_eq!(
            (vertical[0].rows, vertical[0].text.as_str()),
            (22, "三、本年度办理结果")
        );
        let denied = g.spans.iter().find(|s| s.text == "（三）不予公开");
        assert_eq!(denied.map(|s| (s.rows, s.col)), Some((8, 1)));
        let old = AnnualReport::new("测试机关", 2020);
        let g = table3(&old);
        let vertical = g.spans.iter().find(|s| s.role == Role::VerticalGroup);
        assert_eq!(vertical.map(|s| s.rows), Some(20));
        let other = g.spans.iter().find(|s| s.text == "（六）其他处理");
        assert_eq!(other.map(|s| (s.col, s.cols)), Some((1, 2)));
    }
}
