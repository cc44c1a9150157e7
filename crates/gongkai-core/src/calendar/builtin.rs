//! The national calendars shipped with gongkai, compiled in (data/holidays/cn/<year>.json).

/// (year, file text) for every year the repository carries.
pub const YEARS: [(i32, &str); 8] = [
    (2019, include_str!("../../../../data/holidays/cn/2019.json")),
    (2020, include_str!("../../../../data/holidays/cn/2020.json")),
    (2021, include_str!("../../../../data/holidays/cn/2021.json")),
    (2022, include_str!("../../../../data/holidays/cn/2022.json")),
    (2023, include_str!("../../../../data/holidays/cn/2023.json")),
    (2024, include_str!("../../../../data/holidays/cn/2024.json")),
    (2025, include_str!("../../../../data/holidays/cn/2025.json")),
    (2026, include_str!("../../../../data/holidays/cn/2026.json")),
];
