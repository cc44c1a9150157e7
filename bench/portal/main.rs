//! The public portal under load: 100,000 generated published items over 100 generated
//! agencies (plus the demo data of `gongkai demo`), on SQLite and on PostgreSQL, served by the
//! real server (`gongkai_web::Server`, in process, on its own multi-thread runtime) and loaded
//! by `wrk` with 64 connections: an item page, a category list page and a search, next to
//! nginx (one worker) serving the same item page as a static file in the same run. Then search
//! quality and latency of gongkai's search (in process) next to SQLite FTS5 (trigram tokenizer,
//! ranked by bm25) over the same texts, on the query file of the relevance test.
//!
//! Run: `bench/portal/run.sh` (installs wrk and nginx, starts a throw-away PostgreSQL), or
//! `cargo bench -p gongkai-web --bench portal` (PostgreSQL leg when TEST_PG_URL is set).
//! Options: `-- --runs N` (default 3), `-- --duration S` seconds per load (default 10),
//! `-- --dir DIR` keeps the generated data directories between runs.
//! See bench/portal/README.md.

use gongkai_app::App;
use gongkai_app::catalog::demo::{DEMO_ORG_CODE, load_demo, load_district};
use gongkai_app::user::NewUserInput;
use gongkai_catalog::HtmlSanitizer;
use gongkai_core::calendar::{BEIJING, date_in_china};
use gongkai_core::catalog::{
    Action, CatalogConfig, CatalogItem, ItemContent, ItemInput, NormativeInput, NormativeKind,
    Signer, ValidityStatus,
};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::user::{Actor, Role};
use gongkai_search::{SearchIndex, SearchQuery};
use gongkai_store::repo::catalog::{insert_item, next_index_seq};
use gongkai_store::{Db, on_db};
use gongkai_web::{Server, WebState};
use sqlx::Connection;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use time::{Date, Month, OffsetDateTime, Time};

const AGENCIES: usize = 100;
const ITEMS: usize = 100_000;
const BATCH: usize = 1_000;
const PG_SCHEMA: &str = "bench_portal";
/// The generated agencies' organisation codes start with this.
const CODE_PREFIX: &str = "BENCH";
/// The list page: this 栏目 of one generated agency.
const LIST_COLUMN: &str = "业务动态";
const CONNECTIONS: usize = 64;
const THREADS: usize = 2;

const QUERIES: &str = include_str!("../../crates/gongkai-search/tests/queries.tsv");
const DEMO_CATALOG: &str = include_str!("../../data/demo/zhangdian-2021-catalog.json");

// ---- deterministic generation ----

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T: ?Sized>(&mut self, from: &[&'a T]) -> &'a T {
        from[self.below(from.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A county of the generated city (东川市, fictional) and the abbreviation its 文号 start with.
const COUNTIES: [(&str, &str); 10] = [
    ("东城区", "东城"),
    ("西城区", "西城"),
    ("南湖区", "南湖"),
    ("北山区", "北山"),
    ("河口区", "河口"),
    ("青林县", "青林"),
    ("石桥县", "石桥"),
    ("云岭县", "云岭"),
    ("白沙县", "白沙"),
    ("金川县", "金川"),
];
const PROVINCE: &str = "示范省";
const CITY: &str = "东川市";

/// A department of each county: its name, the word in its 文号, its 主题分类, the law its
/// documents cite and the matters it writes about.
struct Department {
    name: &'static str,
    abbr: &'static str,
    subject: &'static str,
    law: &'static str,
    topics: &'static [&'static str],
}

const DEPARTMENTS: [Department; 10] = [
    Department {
        name: "发展和改革局",
        abbr: "发改",
        subject: "国民经济管理、国有资产监管",
        law: "《优化营商环境条例》",
        topics: &[
            "重点项目建设",
            "价格监测",
            "粮食安全",
            "社会信用体系建设",
            "固定资产投资项目节能审查",
            "优化营商环境",
            "以工代赈",
            "国民经济和社会发展计划执行",
        ],
    },
    Department {
        name: "教育和体育局",
        abbr: "教体",
        subject: "科技、教育",
        law: "《中华人民共和国教育法》",
        topics: &[
            "义务教育招生入学",
            "校园安全",
            "中小学课后服务",
            "学前教育普及普惠",
            "中小学教师招聘",
            "全民健身",
            "校外培训机构治理",
            "家庭经济困难学生资助",
        ],
    },
    Department {
        name: "财政局",
        abbr: "财",
        subject: "财政、金融、审计\\财政",
        law: "《中华人民共和国预算法》",
        topics: &[
            "政府采购",
            "预算绩效管理",
            "行政事业单位国有资产管理",
            "惠民惠农财政补贴资金",
            "政府债务管理",
            "会计监督检查",
            "财政专项资金管理",
        ],
    },
    Department {
        name: "人力资源和社会保障局",
        abbr: "人社",
        subject: "劳动、人事、监察",
        law: "《中华人民共和国社会保险法》",
        topics: &[
            "高校毕业生就业创业",
            "城乡居民基本养老保险",
            "农民工工资支付",
            "职业技能提升培训",
            "劳动人事争议仲裁",
            "高层次人才引进",
            "工伤保险",
        ],
    },
    Department {
        name: "自然资源局",
        abbr: "自然资源",
        subject: "国土资源、能源",
        law: "《中华人民共和国土地管理法》",
        topics: &[
            "国土空间规划编制",
            "不动产登记",
            "耕地保护",
            "建设用地审批",
            "地质灾害防治",
            "集体土地征收",
        ],
    },
    Department {
        name: "住房和城乡建设局",
        abbr: "住建",
        subject: "城乡建设、环境保护",
        law: "《建设工程安全生产管理条例》",
        topics: &[
            "老旧小区改造",
            "保障性租赁住房",
            "建筑施工安全",
            "住宅小区物业管理",
            "城市更新",
            "城镇燃气安全",
            "商品房预售资金监管",
        ],
    },
    Department {
        name: "交通运输局",
        abbr: "交通",
        subject: "工业、交通",
        law: "《中华人民共和国道路运输条例》",
        topics: &[
            "农村公路建设",
            "道路运输安全",
            "城市公交线路优化调整",
            "网络预约出租汽车管理",
            "货车超限超载治理",
            "交通建设工程质量监督",
        ],
    },
    Department {
        name: "农业农村局",
        abbr: "农业农村",
        subject: "农业、林业、水利",
        law: "《中华人民共和国农产品质量安全法》",
        topics: &[
            "高标准农田建设",
            "农产品质量安全",
            "重大动物疫病防控",
            "农村人居环境整治",
            "耕地地力保护补贴",
            "乡村振兴",
            "秸秆综合利用",
        ],
    },
    Department {
        name: "卫生健康局",
        abbr: "卫健",
        subject: "卫生、体育\\卫生",
        law: "《中华人民共和国基本医疗卫生与健康促进法》",
        topics: &[
            "家庭医生签约服务",
            "基本公共卫生服务",
            "医疗机构依法执业监管",
            "爱国卫生运动",
            "老年健康服务",
            "无偿献血",
            "传染病防控",
        ],
    },
    Department {
        name: "市场监督管理局",
        abbr: "市监",
        subject: "市场监管、安全生产监管",
        law: "《中华人民共和国食品安全法》",
        topics: &[
            "食品安全监督抽检",
            "特种设备安全",
            "价格监督检查",
            "知识产权保护",
            "市场主体登记",
            "药品安全",
            "消费者权益保护",
        ],
    },
];

/// Matters every agency writes about.
const COMMON_TOPICS: [&str; 12] = [
    "安全生产",
    "党史学习教育",
    "意识形态工作",
    "党风廉政建设",
    "政务公开",
    "防汛",
    "节能减排",
    "保密工作",
    "信访工作",
    "文明城市创建",
    "疫情防控",
    "森林防火",
];

const STREETS: [&str; 10] = [
    "城关街道",
    "和平街道",
    "新华街道",
    "车站街道",
    "公园街道",
    "马尚镇",
    "中埠镇",
    "房镇镇",
    "沣水镇",
    "南定镇",
];
const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗",
];
const GIVEN: [&str; 24] = [
    "建国", "海燕", "志强", "秀英", "伟", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟",
    "涛", "明", "超", "霞", "平", "刚", "桂英", "晓东", "文博", "雪梅",
];
const POSITIONS: [&str; 5] = [
    "党组书记、局长",
    "局长",
    "副局长",
    "党组成员、副局长",
    "四级调研员",
];

/// 栏目 with their share of the catalogue in per mille (业务动态 dominate, as on real portals).
const COLUMN_SHARE: [(&str, u64); 13] = [
    ("业务动态", 350),
    ("政策文件", 120),
    ("会议公开", 100),
    ("重点领域信息公开", 100),
    ("政策解读", 60),
    ("人事信息", 60),
    ("财政信息", 50),
    ("互动交流", 50),
    ("建议提案", 40),
    ("规划计划", 30),
    ("政务公开保障机制", 20),
    ("机构职能", 10),
    ("领导信息", 10),
];

/// One generated agency.
struct GenAgency {
    id: AgencyId,
    org_code: String,
    name: String,
    /// `东城区财政局`: how its news items name it.
    short: String,
    county: &'static str,
    county_abbr: &'static str,
    dept: &'static Department,
    drafter: Signer,
    secrecy: Signer,
    reviewer: Signer,
    /// Its latest 政策文件, which a 政策解读 interprets.
    last_policy: Option<ItemId>,
}

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

/// A paragraph of body text.
fn paragraph(rng: &mut Rng, a: &GenAgency, topic: &str, year: i32) -> String {
    let who = rng.pick(&[
        "各科室",
        "各镇（街道）",
        "各有关单位",
        "局属各单位",
        "各成员单位",
    ]);
    match rng.below(12) {
        0 => format!(
            "{who}要高度重视{topic}工作，切实加强组织领导，明确责任分工，细化工作措施，确保各项任务落到实处、见到实效。"
        ),
        1 => format!(
            "{year}年以来，{}围绕{topic}，共开展督导检查{}次，发现并整改问题{}个，{topic}工作取得明显成效。",
            a.short,
            2 + rng.below(40),
            5 + rng.below(120)
        ),
        2 => format!(
            "要建立健全{topic}长效机制，坚持问题导向和目标导向，聚焦群众反映强烈的突出问题，开展专项整治，做到发现一起、查处一起、整改一起。"
        ),
        3 => format!(
            "加大宣传力度，通过政府网站、政务新媒体和{}等渠道广泛宣传{topic}相关政策，及时回应社会关切，营造良好社会氛围。",
            rng.pick(&STREETS)
        ),
        4 => "对工作中发现的问题，要逐一建立台账，明确整改责任人和整改时限，实行销号管理，整改情况及时报送。".to_string(),
        5 => format!(
            "{}月{}日，{}组织召开{topic}工作推进会，{}{}出席会议并讲话，{}负责同志参加会议。",
            1 + rng.below(12),
            1 + rng.below(28),
            a.short,
            rng.pick(&POSITIONS),
            person(rng),
            rng.pick(&STREETS)
        ),
        6 => format!(
            "会议指出，做好{topic}工作事关人民群众切身利益，事关经济社会发展大局，必须以高度负责的态度抓紧抓实抓细。"
        ),
        7 => format!(
            "下一步，{}将继续{}{topic}各项工作，不断提升人民群众的获得感、幸福感、安全感。",
            a.short,
            rng.pick(&["完善", "深化", "扎实推进", "统筹做好"])
        ),
        8 => format!(
            "根据{}和{}{}有关规定，{}对{topic}相关事项进行了{}，现将有关情况公开如下。",
            a.dept.law,
            CITY,
            rng.pick(&["政府有关文件", "市委、市政府工作部署"]),
            a.short,
            rng.pick(&["全面梳理", "调查核实", "专项检查", "审查"])
        ),
        9 => format!(
            "{}{topic}资金{}万元，惠及群众{}人次，涉及{}等{}个镇（街道）。",
            rng.pick(&["全年共落实", "本季度共拨付", "累计下达"]),
            10 + rng.below(5000),
            100 + rng.below(90_000),
            rng.pick(&STREETS),
            2 + rng.below(9)
        ),
        10 => format!(
            "各单位要将{topic}纳入年度重点工作，定期研究、定期调度，于{}月底前将工作开展情况报送{}办公室。",
            1 + rng.below(12),
            a.short
        ),
        _ => format!(
            "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，统筹发展和安全，推动{topic}工作高质量发展。"
        ),
    }
}

fn body(rng: &mut Rng, a: &GenAgency, topic: &str, year: i32, formed: Date) -> String {
    let mut html = String::new();
    let n = 3 + rng.below(6);
    for i in 0..n {
        if n > 4 && i == 1 {
            html.push_str("<p><strong>一、工作目标</strong></p>");
        }
        if n > 4 && i == n - 2 {
            html.push_str("<p><strong>二、保障措施</strong></p>");
        }
        html.push_str("<p>");
        html.push_str(&paragraph(rng, a, topic, year));
        if rng.chance(50) {
            html.push_str(&paragraph(rng, a, topic, year));
        }
        html.push_str("</p>");
    }
    html.push_str(&format!(
        "<p style=\"text-align: right\">{}<br>{}年{}月{}日</p>",
        a.name,
        formed.year(),
        u8::from(formed.month()),
        formed.day()
    ));
    html
}

/// A title, its 体裁 and whether it carries a 文号, for an item of `column`.
fn title(
    rng: &mut Rng,
    a: &GenAgency,
    column: &str,
    topic: &str,
    year: i32,
) -> (String, &'static str, bool) {
    let (county, short, name) = (a.county, a.short.as_str(), a.name.as_str());
    let county_full = format!("{CITY}{county}");
    match column {
        "政策文件" => match rng.below(5) {
            0 => (format!("关于做好{year}年{topic}工作的通知"), "通知", true),
            1 => (format!("关于进一步加强{topic}的实施意见"), "意见", true),
            2 => (
                format!("关于印发《{county_full}{topic}实施方案》的通知"),
                "通知",
                true,
            ),
            3 => (format!("关于{topic}有关事项的通告"), "通告", true),
            _ => (
                format!("关于印发《{county_full}{topic}管理办法》的通知"),
                "通知",
                true,
            ),
        },
        "政策解读" => match rng.below(3) {
            0 => (
                format!("《关于进一步加强{topic}的实施意见》政策解读"),
                "解读",
                false,
            ),
            1 => (format!("图解：{year}年{topic}工作要点"), "解读", false),
            _ => (format!("一图读懂{county}{topic}新政"), "解读", false),
        },
        "会议公开" => match rng.below(3) {
            0 => (format!("{short}召开{year}年{topic}工作会议"), "纪要", false),
            1 => (format!("{short}党组会议研究部署{topic}工作"), "纪要", false),
            _ => (format!("{short}召开{year}年度民主生活会"), "其他", false),
        },
        "人事信息" => match rng.below(4) {
            0 => (format!("{name}{year}年公开招聘工作人员公告"), "公告", true),
            1 => (format!("{name}干部任前公示"), "公示", false),
            2 => (
                format!("{name}{year}年公开招聘拟聘用人员公示"),
                "公示",
                false,
            ),
            _ => (format!("{name}{year}年公开招聘笔试成绩公告"), "公告", false),
        },
        "财政信息" => match rng.below(4) {
            0 => (format!("{name}{year}年度部门预算公开"), "其他", false),
            1 => (format!("{name}{year}年度部门决算公开"), "其他", false),
            2 => (
                format!("{name}{year}年度项目支出绩效自评报告"),
                "报告",
                false,
            ),
            _ => (
                format!("{name}{year}年度“三公”经费预算情况说明"),
                "其他",
                false,
            ),
        },
        "重点领域信息公开" => match rng.below(3) {
            0 => (format!("{county}{year}年{topic}情况公示"), "公示", false),
            1 => (
                format!("{county}{year}年第{}季度{topic}信息公开", 1 + rng.below(4)),
                "其他",
                false,
            ),
            _ => (
                format!("{short}{topic}“双随机、一公开”抽查结果公示"),
                "公示",
                false,
            ),
        },
        "互动交流" => match rng.below(2) {
            0 => (format!("关于{topic}有关问题的答复"), "函", false),
            _ => (
                format!("{short}{year}年第{}季度政民互动情况", 1 + rng.below(4)),
                "其他",
                false,
            ),
        },
        "建议提案" => match rng.below(2) {
            0 => (
                format!(
                    "对{county}第{}届人大{}次会议第{}号建议的答复",
                    17 + rng.below(3),
                    1 + rng.below(5),
                    1 + rng.below(300)
                ),
                "函",
                true,
            ),
            _ => (
                format!(
                    "对政协{county}第{}届委员会第{}次会议第{:04}号提案的答复",
                    11 + rng.below(3),
                    1 + rng.below(5),
                    1 + rng.below(300)
                ),
                "函",
                true,
            ),
        },
        "规划计划" => match rng.below(3) {
            0 => (format!("{name}{year}年工作要点"), "其他", false),
            1 => (format!("{county_full}“十四五”{topic}规划"), "其他", true),
            _ => (
                format!("{name}{year}年工作总结和{}年工作计划", year + 1),
                "报告",
                false,
            ),
        },
        "政务公开保障机制" => match rng.below(3) {
            0 => (
                format!("{name}{}年政府信息公开工作年度报告", year - 1),
                "报告",
                false,
            ),
            1 => (
                format!("{name}政府信息公开指南（{year}年版）"),
                "其他",
                false,
            ),
            _ => (format!("{name}{year}年政务公开工作要点"), "其他", false),
        },
        "机构职能" => match rng.below(2) {
            0 => (format!("{name}主要职责"), "其他", false),
            _ => (format!("{name}内设机构及职能"), "其他", false),
        },
        "领导信息" => (format!("{name}领导班子成员及分工"), "其他", false),
        // 业务动态
        _ => {
            let street = rng.pick(&STREETS);
            match rng.below(8) {
                0 => (format!("{short}开展{topic}专项检查"), "其他", false),
                1 => (format!("{short}召开{topic}推进会"), "其他", false),
                2 => (format!("{short}组织{topic}业务培训"), "其他", false),
                3 => (format!("{short}部署{year}年{topic}工作"), "其他", false),
                4 => (format!("{short}扎实推进{topic}"), "其他", false),
                5 => (format!("{short}开展{topic}宣传活动"), "其他", false),
                6 => (format!("{short}赴{street}调研{topic}工作"), "其他", false),
                _ => (
                    format!("{short}{year}年{topic}工作取得阶段性成效"),
                    "其他",
                    false,
                ),
            }
        }
    }
}

/// The first sentence of the body, as the summary.
fn summary_of(body_html: &str) -> String {
    let text = gongkai_core::text::plain_text(body_html);
    let first = text
        .split('。')
        .find(|s| !s.trim().is_empty())
        .unwrap_or("");
    let s: String = first.trim().chars().take(150).collect();
    format!("{s}。")
}

/// Generated item `i` of agency `a`, taken through 拟稿 → 保密审查 → 审核 → 发布 in the domain,
/// ready for its 索引号.
fn item(
    rng: &mut Rng,
    a: &GenAgency,
    cfg: &CatalogConfig,
    sanitizer: &HtmlSanitizer,
) -> (CatalogItem, OffsetDateTime) {
    let mut roll = rng.below(1000);
    let column = COLUMN_SHARE
        .iter()
        .find(|(_, share)| {
            if roll < *share {
                true
            } else {
                roll -= share;
                false
            }
        })
        .map_or(LIST_COLUMN, |(c, _)| c);
    let start = Date::from_calendar_date(2016, Month::January, 1).expect("date");
    let formed = start + time::Duration::days(rng.below(3_590) as i64);
    let year = formed.year();
    let common = rng.chance(30);
    let topic = if common {
        rng.pick(&COMMON_TOPICS)
    } else {
        rng.pick(a.dept.topics)
    };
    let subject = if common {
        rng.pick(&["综合政务\\其他", "综合政务\\应急管理", "综合政务\\政务公开"])
    } else {
        a.dept.subject
    };
    let (title, genre, numbered) = title(rng, a, column, topic, year);
    let doc_number = numbered.then(|| {
        format!(
            "{}{}{}〔{year}〕{}号",
            a.county_abbr,
            a.dept.abbr,
            rng.pick(&["发", "字", "函"]),
            1 + rng.below(150)
        )
    });
    let body_html = body(rng, a, topic, year, formed);
    let normative = (column == "政策文件"
        && (title.contains("管理办法") || title.contains("实施意见")))
    .then(|| {
        let effective = formed + time::Duration::days(30);
        let (status, ends_on) = if year < 2019 && rng.chance(40) {
            let ends = effective + time::Duration::days(3 * 365);
            if rng.chance(50) {
                (ValidityStatus::Expired, Some(ends))
            } else {
                (ValidityStatus::Repealed, Some(ends))
            }
        } else {
            (ValidityStatus::Valid, None)
        };
        NormativeInput {
            kind: NormativeKind::NormativeDoc,
            status,
            effective_on: Some(effective),
            ends_on,
        }
    });
    let interprets = (column == cfg.interpretation_column)
        .then_some(a.last_policy)
        .flatten();
    let input = ItemInput {
        summary: summary_of(&body_html),
        title,
        publisher: a.name.clone(),
        formed_on: Some(formed),
        changed_on: None,
        doc_number,
        subject: Some(subject.to_string()),
        column: column.to_string(),
        genre: Some(genre.to_string()),
        body_html,
        keywords: vec![topic.to_string(), a.dept.name.to_string()],
        normative: normative.clone(),
        interprets,
    };
    let parsed = ItemContent::parse(&input, cfg, sanitizer).expect("generated item is valid");
    let published_at = formed
        .with_time(Time::from_hms(9 + rng.below(9) as u8, rng.below(60) as u8, 0).expect("time"))
        .assume_offset(BEIJING)
        + time::Duration::days(1 + rng.below(15) as i64);
    let before = |minutes: i64| published_at - time::Duration::minutes(minutes);
    let mut item = CatalogItem::create(
        a.id,
        parsed,
        normative.map(|n| n.kind),
        &a.drafter,
        before(180),
    )
    .expect("draft");
    item.act(Action::Submit, &a.drafter, before(120), None)
        .expect("submit");
    item.act(
        Action::ClearSecrecy,
        &a.secrecy,
        before(90),
        Some("经审查，不涉及国家秘密、工作秘密，不涉及商业秘密和个人隐私，同意公开"),
    )
    .expect("secrecy review");
    item.act(Action::Approve, &a.reviewer, before(60), Some("同意发布"))
        .expect("approve");
    (item, published_at)
}

/// A staff user of a generated agency, as a workflow signer.
async fn staff(
    app: &App,
    operator: &Actor,
    rng: &mut Rng,
    code: &str,
    role: &str,
    roles: &[Role],
) -> Signer {
    let name = format!("{}_{role}", code.to_lowercase());
    gongkai_app::user::add(
        app,
        operator,
        NewUserInput {
            name: name.clone(),
            display_name: Some(person(rng)),
            roles: roles.to_vec(),
            agency: Some(code.to_string()),
            region: None,
        },
    )
    .await
    .expect("add user");
    let actor = gongkai_app::user::actor(app, Some(&name))
        .await
        .expect("user");
    Signer::from(&actor)
}

/// The demo data (as `gongkai demo` creates it), then 100 agencies with 1,000 published items
/// each, inserted as already published items in transactions of 1,000.
async fn generate(app: &App) {
    let t = Instant::now();
    let operator = gongkai_app::user::actor(app, None).await.expect("operator");
    let demo = load_demo(app, &operator).await.expect("demo catalogue");
    let district = load_district(app, &operator).await.expect("demo district");
    eprintln!("demo data: {demo}; {district} items of the district");

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut agencies = Vec::new();
    for d in 0..AGENCIES {
        let (county, county_abbr) = COUNTIES[d / DEPARTMENTS.len() % COUNTIES.len()];
        let dept = &DEPARTMENTS[d % DEPARTMENTS.len()];
        let code = format!("{CODE_PREFIX}{:04}", d + 1);
        let name = format!("{CITY}{county}{}", dept.name);
        let view = gongkai_app::agency::add_agency(
            app,
            &operator,
            &format!("{PROVINCE}/{CITY}/{county}"),
            &name,
            Some(&code),
        )
        .await
        .expect("add agency");
        agencies.push(GenAgency {
            id: view.id,
            short: format!("{county}{}", dept.name),
            name,
            county,
            county_abbr,
            dept,
            drafter: staff(
                app,
                &operator,
                &mut rng,
                &code,
                "entry",
                &[Role::Entry, Role::Review],
            )
            .await,
            secrecy: staff(app, &operator, &mut rng, &code, "secrecy", &[Role::Secrecy]).await,
            reviewer: staff(
                app,
                &operator,
                &mut rng,
                &code,
                "review",
                &[Role::Review, Role::Head],
            )
            .await,
            org_code: code,
            last_policy: None,
        });
    }

    let cfg = CatalogConfig::default();
    let sanitizer = HtmlSanitizer::default();
    let mut i = 0;
    while i < ITEMS {
        let mut tx = app.db.begin().await.expect("begin");
        for _ in 0..BATCH.min(ITEMS - i) {
            let a = &agencies[i % AGENCIES];
            let (mut it, at) = item(&mut rng, a, &cfg, &sanitizer);
            let day = date_in_china(at);
            let scope = cfg.index_pattern.scope(&a.org_code, day);
            let seq = next_index_seq(&mut tx, a.id, &scope)
                .await
                .expect("index sequence");
            it.publish(
                cfg.index_pattern.render(&a.org_code, day, seq),
                &a.drafter,
                at,
            )
            .expect("publish");
            let id = insert_item(&mut tx, &it).await.expect("insert item");
            if it.content.column == "政策文件" {
                agencies[i % AGENCIES].last_policy = Some(id);
            }
            i += 1;
        }
        tx.commit().await.expect("commit");
        if i % 10_000 == 0 {
            eprintln!(
                "  {i} items ({:.0} items/s)",
                i as f64 / t.elapsed().as_secs_f64()
            );
        }
    }
    on_db!(&app.db, |p| {
        sqlx::query("ANALYZE").execute(p).await.expect("analyze");
    });
    eprintln!(
        "generated {AGENCIES} agencies and {ITEMS} published items in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

// ---- the data directories ----

/// The number of published items in the generated agencies.
async fn generated_items(db: &Db) -> i64 {
    on_db!(db, |p| sqlx::query_scalar(
        "SELECT count(*) FROM catalog_item i JOIN agency a ON a.id = i.agency_id \
         WHERE a.org_code LIKE 'BENCH%' AND i.stage = 'published'"
    )
    .fetch_one(p)
    .await
    .unwrap_or(0))
}

async fn published_items(db: &Db) -> i64 {
    on_db!(db, |p| sqlx::query_scalar(
        "SELECT count(*) FROM catalog_item WHERE stage = 'published'"
    )
    .fetch_one(p)
    .await
    .expect("count"))
}

/// `url` with `search_path` set to the benchmark's schema.
fn pg_url(url: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{PG_SCHEMA}")
}

/// Opens the data directory `dir` (SQLite, or PostgreSQL at `pg`), generating the data and
/// building the search index when they are not there yet.
async fn prepare(dir: &Path, pg: Option<&str>) {
    let settings = dir.join(gongkai_app::data_dir::SETTINGS_FILE);
    let mut app = match (std::fs::read_to_string(&settings), pg) {
        // The same server (a throw-away one gets a new port): try the data it holds.
        (Ok(text), Some(url)) if text.contains(&format!("\"{}\"", pg_url(url))) => {
            App::open(dir).await.ok()
        }
        (Ok(_), None) => App::open(dir).await.ok(),
        _ => None,
    };
    if let Some(a) = &app
        && generated_items(&a.db).await != ITEMS as i64
    {
        a.db.close().await;
        app = None;
    }
    let mut fresh = false;
    let app = match app {
        Some(a) => a,
        None => {
            if dir.exists() {
                std::fs::remove_dir_all(dir).expect("remove the old data directory");
            }
            if let Some(url) = pg {
                let mut admin = sqlx::PgConnection::connect(url).await.expect("pg");
                for sql in [
                    format!("DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"),
                    format!("CREATE SCHEMA {PG_SCHEMA}"),
                ] {
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut admin)
                        .await
                        .expect("schema");
                }
            }
            let url = pg.map(pg_url);
            let app = App::init(dir, url.as_deref()).await.expect("init");
            generate(&app).await;
            fresh = true;
            app
        }
    };
    let published = published_items(&app.db).await;
    let (index, opened) =
        SearchIndex::open_or_create(&app.dir.join(gongkai_app::search::SEARCH_DIR))
            .expect("search index");
    if fresh || opened.needs_rebuild() || index.num_docs() != published as u64 {
        let t = Instant::now();
        let n = gongkai_app::search::reindex(&app, &index, |n| {
            if n % 20_000 == 0 && n > 0 {
                eprintln!("  indexed {n}");
            }
        })
        .await
        .expect("reindex");
        eprintln!(
            "search index: {n} items in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    drop(index);
    app.db.close().await;
}

/// What the load tests request.
struct Targets {
    item: ItemId,
    agency: AgencyId,
    list_total: i64,
    /// Published items spread over the catalogue, more than the page cache keeps.
    spread: Vec<i64>,
}

async fn targets(db: &Db) -> Targets {
    // The middle generated agency and its 500th item.
    let agency: i64 = on_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM agency WHERE org_code = $1"
    )
    .bind(format!("{CODE_PREFIX}{:04}", AGENCIES / 2))
    .fetch_one(p)
    .await
    .expect("agency"));
    let item: i64 = on_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM catalog_item WHERE agency_id = $1 ORDER BY id LIMIT 1 OFFSET 499"
    )
    .bind(agency)
    .fetch_one(p)
    .await
    .expect("item"));
    let list_total: i64 = on_db!(db, |p| sqlx::query_scalar(
        "SELECT count(*) FROM catalog_item WHERE agency_id = $1 AND column_name = $2 \
         AND stage = 'published'"
    )
    .bind(agency)
    .bind(LIST_COLUMN)
    .fetch_one(p)
    .await
    .expect("count"));
    let spread: Vec<i64> = on_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM catalog_item WHERE stage = 'published' AND id % 5 = 0 ORDER BY id \
         LIMIT 10000"
    )
    .fetch_all(p)
    .await
    .expect("spread"));
    Targets {
        item: ItemId::new(item),
        agency: AgencyId::new(agency),
        list_total,
        spread,
    }
}

// ---- HTTP, wrk and nginx ----

/// Percent-encodes everything but the unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One GET over HTTP/1.0 (the body ends with the connection): status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("request");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("response");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, raw[end + 4..].to_vec())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// One wrk measurement.
#[derive(Clone, Copy)]
struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Non-2xx answers and socket errors.
    errors: u64,
}

/// `1.23ms` → 1.23.
fn ms(v: &str) -> f64 {
    let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
    let n: f64 = v[..split].parse().unwrap_or(f64::NAN);
    match &v[split..] {
        "us" => n / 1e3,
        "ms" => n,
        "s" => n * 1e3,
        "m" => n * 60e3,
        _ => f64::NAN,
    }
}

fn wrk(url: &str, script: Option<&Path>, seconds: u64) -> Load {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t",
        &THREADS.to_string(),
        "-c",
        &CONNECTIONS.to_string(),
        "-d",
        &format!("{seconds}s"),
        "--timeout",
        "10s",
        "--latency",
    ]);
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    let out = cmd.arg(url).output().expect("run wrk");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "wrk failed: {text}");
    let mut load = Load {
        rps: f64::NAN,
        p50_ms: f64::NAN,
        p99_ms: f64::NAN,
        errors: 0,
    };
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", n] => load.rps = n.parse().unwrap_or(f64::NAN),
            ["50%", v] => load.p50_ms = ms(v),
            ["99%", v] => load.p99_ms = ms(v),
            ["Non-2xx", "or", "3xx", "responses:", n] => load.errors += n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                load.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    load
}

/// nginx with one worker, serving `root` on a loopback port, in the foreground as our child.
struct Nginx {
    child: Child,
    prefix: PathBuf,
    port: u16,
}

impl Nginx {
    fn start(prefix: &Path) -> Nginx {
        let port = free_port();
        std::fs::create_dir_all(prefix.join("tmp")).expect("nginx prefix");
        // Run as root, nginx would switch its worker to `nobody`, which cannot read a private
        // temporary directory.
        let is_root = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
        };
        let p = prefix.display();
        let conf = format!(
            "{user}worker_processes 1;\n\
             daemon off;\n\
             pid {p}/nginx.pid;\n\
             error_log {p}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n\
               access_log off;\n\
               types {{ text/html html; }}\n\
               default_type application/octet-stream;\n\
               sendfile on;\n\
               tcp_nopush on;\n\
               keepalive_requests 1000000;\n\
               client_body_temp_path {p}/tmp/body;\n\
               proxy_temp_path {p}/tmp/proxy;\n\
               fastcgi_temp_path {p}/tmp/fastcgi;\n\
               uwsgi_temp_path {p}/tmp/uwsgi;\n\
               scgi_temp_path {p}/tmp/scgi;\n\
               server {{\n\
                 listen 127.0.0.1:{port};\n\
                 root {p}/www;\n\
               }}\n\
             }}\n",
            user = if is_root { "user root;\n" } else { "" },
        );
        let conf_path = prefix.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("nginx.conf");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(prefix.join("error.log"))
            .stdin(Stdio::null())
            .spawn()
            .expect("start nginx (apt-get install nginx)");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let t = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "nginx did not start: see {}/error.log",
                prefix.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            child,
            prefix: prefix.to_path_buf(),
            port,
        }
    }
}

impl Drop for Nginx {
    /// `nginx -s quit` would wait for keep-alive connections: stop it (TERM) and reap it.
    fn drop(&mut self) {
        let stopped = Command::new("nginx")
            .arg("-p")
            .arg(&self.prefix)
            .arg("-c")
            .arg(self.prefix.join("nginx.conf"))
            .arg("-e")
            .arg(self.prefix.join("error.log"))
            .args(["-s", "stop"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !stopped {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A wrk script that requests `paths` in turn.
fn rotation_script(path: &Path, paths: &[String]) {
    let mut lua = String::from("local paths = {\n");
    for p in paths {
        lua.push_str(&format!("  \"{p}\",\n"));
    }
    lua.push_str(
        "}\nlocal n = 0\nrequest = function()\n  n = n + 1\n  \
         return wrk.format(\"GET\", paths[(n % #paths) + 1])\nend\n",
    );
    std::fs::write(path, lua).expect("wrk script");
}

/// A row of the first table.
struct Row {
    backend: String,
    what: String,
    load: Load,
    nginx_rps: Option<f64>,
}

/// One backend: serves `dir` with the real server on its own runtime and loads it with wrk,
/// next to nginx serving the item page as a static file.
fn serve_leg(dir: &Path, backend: &str, opt: &Opts, tmp: &Path) -> Vec<Row> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (addr, t) = rt.block_on(async {
        let app = App::open(dir).await.expect("open");
        let t = targets(&app.db).await;
        // As `gongkai serve` does: the index carries on from its watermark (`prepare` brought
        // it up to date).
        let state = WebState::open(app).await.expect("state");
        let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), state)
            .await
            .expect("bind");
        let addr = server.local_addr().expect("addr");
        tokio::spawn(server.run(std::future::pending()));
        (addr, t)
    });
    let queries = queries();
    let item_path = format!("/items/{}", t.item);
    let list_path = format!(
        "/agencies/{}/items?column={}",
        t.agency,
        encode(LIST_COLUMN)
    );
    let (status, page) = get(addr, &item_path);
    assert_eq!(status, 200, "{item_path}");
    let (status, list) = get(addr, &list_path);
    assert_eq!(status, 200, "{list_path}");
    for (q, _) in &queries {
        let (status, _) = get(addr, &format!("/search?q={}", encode(q)));
        assert_eq!(status, 200, "/search?q={q}");
    }
    let script = tmp.join("search.lua");
    let searches: Vec<String> = queries
        .iter()
        .map(|(q, _)| format!("/search?q={}", encode(q)))
        .collect();
    rotation_script(&script, &searches);
    // More different items than the page cache keeps: every request renders its page.
    let spread = tmp.join("items.lua");
    let spread_paths: Vec<String> = t.spread.iter().map(|i| format!("/items/{i}")).collect();
    rotation_script(&spread, &spread_paths);

    let prefix = tmp.join(format!("nginx-{backend}"));
    let static_file = prefix.join("www").join(format!("items/{}.html", t.item));
    std::fs::create_dir_all(static_file.parent().expect("parent")).expect("www");
    std::fs::write(&static_file, &page).expect("static page");
    let nginx = Nginx::start(&prefix);
    let nginx_url = format!("http://127.0.0.1:{}/items/{}.html", nginx.port, t.item);
    let (status, same) = get(
        SocketAddr::from(([127, 0, 0, 1], nginx.port)),
        &format!("/items/{}.html", t.item),
    );
    assert!(status == 200 && same == page, "nginx serves the same page");

    let base = format!("http://{addr}");
    let loads: [(String, String, Option<&Path>); 5] = [
        (
            "nginx".into(),
            format!("item page as a static file ({})", kb(page.len())),
            None,
        ),
        (
            base.clone() + &item_path,
            format!("item page /items/{} ({})", t.item, kb(page.len())),
            None,
        ),
        (
            base.clone() + "/items",
            format!(
                "item pages, {} different items in turn (uncached)",
                t.spread.len()
            ),
            Some(&spread),
        ),
        (
            base.clone() + &list_path,
            format!(
                "list page, 栏目 {LIST_COLUMN} ({} items, {})",
                t.list_total,
                kb(list.len())
            ),
            None,
        ),
        (
            base.clone() + "/search",
            format!("search, {} queries in turn", queries.len()),
            Some(&script),
        ),
    ];
    let url = |u: &str| {
        if u == "nginx" {
            nginx_url.clone()
        } else {
            u.to_string()
        }
    };
    for (u, _, script) in &loads {
        wrk(&url(u), *script, 1); // warm-up
    }
    let mut runs: Vec<Vec<Load>> = vec![Vec::new(); loads.len()];
    for run in 0..opt.runs {
        for (k, (u, what, script)) in loads.iter().enumerate() {
            let l = wrk(&url(u), *script, opt.duration);
            eprintln!(
                "  {backend} run {}: {what}: {:.0} req/s, p99 {:.2} ms{}",
                run + 1,
                l.rps,
                l.p99_ms,
                if l.errors > 0 {
                    format!(", {} errors", l.errors)
                } else {
                    String::new()
                }
            );
            runs[k].push(l);
        }
    }
    drop(nginx);
    rt.shutdown_timeout(Duration::from_secs(5));

    let med = |v: &[Load]| Load {
        rps: median(v.iter().map(|l| l.rps).collect()),
        p50_ms: median(v.iter().map(|l| l.p50_ms).collect()),
        p99_ms: median(v.iter().map(|l| l.p99_ms).collect()),
        errors: v.iter().map(|l| l.errors).sum(),
    };
    let nginx_rps = med(&runs[0]).rps;
    loads
        .iter()
        .zip(&runs)
        .enumerate()
        .map(|(k, ((_, what, _), v))| Row {
            backend: if k == 0 { "nginx" } else { backend }.to_string(),
            what: what.clone(),
            load: med(v),
            nginx_rps: (k > 0).then_some(nginx_rps),
        })
        .collect()
}

// ---- search next to FTS5 ----

/// The query file: (query, key of the demo item it must find).
fn queries() -> Vec<(String, String)> {
    QUERIES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (q, k) = l.split_once('\t').expect("query<TAB>key");
            (q.to_string(), k.to_string())
        })
        .collect()
}

/// The query as FTS5 strings: quote marks dropped, each whitespace-separated term quoted
/// (terms are ANDed, as gongkai ANDs words).
fn fts5_query(q: &str) -> String {
    q.replace(['"', '“', '”'], " ")
        .split_whitespace()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

/// An item's texts as gongkai indexes them: id, title, body HTML, 文号, 索引号.
type TextRow = (i64, String, String, Option<String>, Option<String>);

/// Recall@3 and per-query latency of gongkai's search (the app-layer function, in process)
/// and of SQLite FTS5 (trigram, bm25) over the same published items.
async fn compare_search(dir: &Path, tmp: &Path, runs: usize) -> Vec<String> {
    let app = App::open(dir).await.expect("open");
    let (index, _) =
        SearchIndex::open_or_create(&app.dir.join(gongkai_app::search::SEARCH_DIR)).expect("index");
    let demo_agency = gongkai_app::agency::find(&app, DEMO_ORG_CODE)
        .await
        .expect("demo agency")
        .id;
    let catalog: serde_json::Value = serde_json::from_str(DEMO_CATALOG).expect("demo catalogue");
    let title_of = |key: &str| -> String {
        catalog["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["key"] == key)
            .and_then(|i| i["title"].as_str())
            .unwrap_or_else(|| panic!("no demo item {key}"))
            .to_string()
    };
    let mut cases = Vec::new();
    for (q, key) in queries() {
        let id: i64 = on_db!(&app.db, |p| sqlx::query_scalar(
            "SELECT id FROM catalog_item WHERE agency_id = $1 AND title = $2 \
             AND stage = 'published'"
        )
        .bind(demo_agency.get())
        .bind(title_of(&key))
        .fetch_one(p)
        .await
        .expect("the demo item of a query"));
        cases.push((q, id));
    }

    // The FTS5 table over the same texts gongkai indexes.
    let t = Instant::now();
    let rows: Vec<TextRow> = on_db!(&app.db, |p| {
        sqlx::query_as(
            "SELECT id, title, body_html, doc_number, index_number FROM catalog_item \
             WHERE stage = 'published' ORDER BY id",
        )
        .fetch_all(p)
        .await
        .expect("texts")
    });
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(tmp.join("fts5.db"))
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
    let mut fts = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .expect("fts5 file");
    sqlx::query(
        "CREATE VIRTUAL TABLE doc USING fts5(title, body, doc_number, index_number, \
         tokenize = 'trigram')",
    )
    .execute(&mut fts)
    .await
    .expect("FTS5 with the trigram tokenizer");
    let mut tx = fts.begin().await.expect("begin");
    for (id, title, body, doc_number, index_number) in &rows {
        sqlx::query(
            "INSERT INTO doc (rowid, title, body, doc_number, index_number) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(title)
        .bind(gongkai_core::text::plain_text(body))
        .bind(doc_number)
        .bind(index_number)
        .execute(&mut *tx)
        .await
        .expect("fts5 insert");
    }
    tx.commit().await.expect("commit");
    eprintln!(
        "FTS5 (trigram) table over {} items built in {:.1} s",
        rows.len(),
        t.elapsed().as_secs_f64()
    );

    let short_terms = cases
        .iter()
        .filter(|(q, _)| {
            fts5_query(q)
                .split(' ')
                .any(|t| t.trim_matches('"').chars().count() < 3)
        })
        .count();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let (mut found, mut fts_found) = (0, 0);
    let mut fts_errors = 0;
    for run in 0..runs {
        for (q, want) in &cases {
            let t = Instant::now();
            let results = gongkai_app::search::search(&index, &SearchQuery::new(q.as_str()));
            ours.push(t.elapsed());
            let top: Vec<i64> = results
                .map(|r| r.hits.iter().take(3).map(|h| h.item.get()).collect())
                .unwrap_or_default();

            let t = Instant::now();
            let fts_top: Vec<i64> = match sqlx::query_scalar(
                "SELECT rowid FROM doc WHERE doc MATCH $1 ORDER BY bm25(doc) LIMIT 3",
            )
            .bind(fts5_query(q))
            .fetch_all(&mut fts)
            .await
            {
                Ok(v) => v,
                Err(_) => {
                    fts_errors += 1;
                    Vec::new()
                }
            };
            theirs.push(t.elapsed());
            if run == 0 {
                found += usize::from(top.contains(want));
                fts_found += usize::from(fts_top.contains(want));
                if !top.contains(want) || !fts_top.contains(want) {
                    eprintln!(
                        "  top 3 of {q:?} misses item {want}: {}{}",
                        if top.contains(want) { "" } else { "gongkai " },
                        if fts_top.contains(want) { "" } else { "FTS5" }
                    );
                }
            }
        }
    }
    fts.close().await.ok();
    ours.sort();
    theirs.sort();
    let n = cases.len();
    let line = |engine: &str, found: usize, sorted: &[Duration]| {
        format!(
            "{engine:<34} {:>5.3} ({found:>3}/{n}) {:>9.2} {:>9.2}",
            found as f64 / n as f64,
            percentile(sorted, 0.5),
            percentile(sorted, 0.99)
        )
    };
    let mut out = vec![
        format!(
            "search over {} published items, the {n} queries of crates/gongkai-search/tests/queries.tsv, {runs} runs, in process",
            rows.len()
        ),
        format!(
            "{:<34} {:>15} {:>9} {:>9}",
            "engine", "recall@3", "p50 ms", "p99 ms"
        ),
        line("gongkai (tantivy + jieba)", found, &ours),
        line("SQLite FTS5 trigram, bm25", fts_found, &theirs),
    ];
    out.push(format!(
        "({short_terms} of the {n} queries have a term under 3 characters, which the trigram tokenizer cannot match{})",
        if fts_errors > 0 {
            format!("; {} FTS5 queries failed", fts_errors / runs.max(1))
        } else {
            String::new()
        }
    ));
    let ok = found > fts_found && percentile(&ours, 0.99) < 50.0;
    out.push(format!(
        "target search p99 < 50 ms and recall@3 above FTS5's: {}",
        if ok { "holds" } else { "FAILS" }
    ));
    drop(index);
    app.db.close().await;
    out
}

// ---- main ----

struct Opts {
    runs: usize,
    duration: u64,
}

/// `s` padded with spaces to `width` terminal columns (CJK characters take two).
fn pad(s: &str, width: usize) -> String {
    let wide = |c: char| {
        matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}'
            | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}'
            | '\u{ffe0}'..='\u{ffe6}')
    };
    let used: usize = s.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(used)))
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn table(rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    for r in rows {
        out.push(format!(
            "{:<9} {} {:>9.0} {:>8.2} {:>8.2} {:>9}{}",
            r.backend,
            pad(&r.what, 46),
            r.load.rps,
            r.load.p50_ms,
            r.load.p99_ms,
            r.nginx_rps
                .map_or("1.00x".to_string(), |n| format!("{:.2}x", r.load.rps / n)),
            if r.load.errors > 0 {
                format!("  ({} errors)", r.load.errors)
            } else {
                String::new()
            }
        ));
    }
    out
}

/// Whether the page targets hold for a backend's rows: item and list ≥ 0.5× nginx, p99 < 20 ms;
/// search p99 < 50 ms.
fn verdicts(backend: &str, rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    for r in rows.iter().skip(1) {
        let (ok, rule) = if r.what.starts_with("search") {
            (r.load.p99_ms < 50.0, "p99 < 50 ms")
        } else {
            (
                r.nginx_rps.is_some_and(|n| r.load.rps >= 0.5 * n) && r.load.p99_ms < 20.0,
                "≥ 0.5× nginx, p99 < 20 ms",
            )
        };
        let what = r.what.split(" (").next().unwrap_or(&r.what);
        out.push(format!(
            "target {backend} {what}: {rule}: {}",
            if ok && r.load.errors == 0 {
                "holds"
            } else {
                "FAILS"
            }
        ));
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let opt = Opts {
        runs: arg("--runs")
            .and_then(|s| s.parse().ok())
            .unwrap_or(3)
            .max(1),
        duration: arg("--duration")
            .and_then(|s| s.parse().ok())
            .unwrap_or(10)
            .max(1),
    };
    for (tool, package) in [("wrk", "wrk"), ("nginx", "nginx")] {
        let found = Command::new(tool)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        assert!(
            found,
            "{tool} is missing: apt-get install {package} (bench/portal/run.sh does)"
        );
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = arg("--dir")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("data"));
    std::fs::create_dir_all(&dir).expect("bench dir");
    let setup = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let mut out = vec![
        format!(
            "portal: {ITEMS} generated items over {AGENCIES} agencies plus the demo data; wrk {THREADS} threads, {CONNECTIONS} connections, {} s, median of {} runs, release build",
            opt.duration, opt.runs
        ),
        format!(
            "{:<9} {} {:>9} {:>8} {:>8} {:>9}",
            "backend",
            pad("what", 46),
            "req/s",
            "p50 ms",
            "p99 ms",
            "vs nginx"
        ),
    ];
    let mut verdict = Vec::new();

    let sqlite_dir = dir.join("sqlite");
    setup.block_on(prepare(&sqlite_dir, None));
    let rows = serve_leg(&sqlite_dir, "sqlite", &opt, tmp.path());
    out.extend(table(&rows));
    verdict.extend(verdicts("sqlite", &rows));
    let search = setup.block_on(compare_search(&sqlite_dir, tmp.path(), opt.runs));

    match std::env::var("TEST_PG_URL") {
        Ok(url) if !url.is_empty() => {
            let pg_dir = dir.join("postgres");
            setup.block_on(prepare(&pg_dir, Some(&url)));
            let rows = serve_leg(&pg_dir, "postgres", &opt, tmp.path());
            out.extend(table(&rows));
            verdict.extend(verdicts("postgres", &rows));
        }
        _ => out.push("postgres  (skipped: TEST_PG_URL is not set)".into()),
    }
    out.push("vs nginx = req/s / nginx's req/s for the same item page in the same leg".into());
    out.extend(verdict);
    out.push(String::new());
    out.extend(search);
    println!("{}", out.join("\n"));
}
