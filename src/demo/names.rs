//! Chinese names, addresses, phone numbers and the supply organisation (区县 → 供电所) of a
//! fictional slice of Hangzhou. Natural names never contain a word of the default
//! `business_keywords` unless they are businesses (which never take the resident tariff), so
//! that ARC-04 fires only where a case plants it.

use super::rng::Rng;

pub struct Station {
    pub name: &'static str,
    /// The 街道 or 镇 the station serves; addresses of its customers lie there.
    pub town: &'static str,
    /// Villages (镇) rather than streets with apartment blocks.
    pub rural: bool,
}

pub struct District {
    pub name: &'static str,
    pub stations: &'static [Station],
}

const fn st(name: &'static str, town: &'static str, rural: bool) -> Station {
    Station { name, town, rural }
}

pub const DISTRICTS: &[District] = &[
    District {
        name: "上城区",
        stations: &[
            st("湖滨供电所", "湖滨街道", false),
            st("清波供电所", "清波街道", false),
            st("南星供电所", "南星街道", false),
            st("小营供电所", "小营街道", false),
        ],
    },
    District {
        name: "拱墅区",
        stations: &[
            st("米市巷供电所", "米市巷街道", false),
            st("湖墅供电所", "湖墅街道", false),
            st("半山供电所", "半山街道", false),
            st("祥符供电所", "祥符街道", false),
        ],
    },
    District {
        name: "西湖区",
        stations: &[
            st("翠苑供电所", "翠苑街道", false),
            st("文新供电所", "文新街道", false),
            st("转塘供电所", "转塘街道", false),
            st("留下供电所", "留下街道", false),
            st("双浦供电所", "双浦镇", true),
        ],
    },
    District {
        name: "滨江区",
        stations: &[
            st("西兴供电所", "西兴街道", false),
            st("长河供电所", "长河街道", false),
            st("浦沿供电所", "浦沿街道", false),
        ],
    },
    District {
        name: "萧山区",
        stations: &[
            st("城厢供电所", "城厢街道", false),
            st("瓜沥供电所", "瓜沥镇", true),
            st("临浦供电所", "临浦镇", true),
            st("义桥供电所", "义桥镇", true),
            st("党湾供电所", "党湾镇", true),
        ],
    },
    District {
        name: "余杭区",
        stations: &[
            st("良渚供电所", "良渚街道", false),
            st("闲林供电所", "闲林街道", false),
            st("塘栖供电所", "塘栖镇", true),
            st("仁和供电所", "仁和街道", false),
        ],
    },
];

/// Surnames in rough order of frequency (the first ones are drawn more often).
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史",
    "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "武", "戴", "莫", "孔", "汤",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "建国", "建军", "国强", "志强",
    "海燕", "丽娟", "文", "斌", "浩", "鑫", "宇", "欣怡", "子涵", "梓轩", "晓明", "晓燕", "红梅",
    "玉兰", "金凤", "春梅", "永强", "德明", "美玲", "丹", "慧", "琳", "雪梅", "国华", "卫东",
    "立新", "建平", "爱华", "淑珍", "凤英", "宏伟", "俊杰", "佳怡", "雨轩", "思远", "一鸣", "晨",
];

/// Brand words of business names.
const BRANDS: &[&str] = &[
    "鑫源", "恒达", "华丰", "宏发", "金泰", "永盛", "天成", "瑞丰", "兴旺", "汇通", "博远", "佳和",
    "众诚", "新意", "德信", "万家", "福临", "锦程", "中恒", "隆鑫", "华顺", "盛达", "东方", "润泽",
];

const ROADS: &[&str] = &[
    "解放路",
    "延安路",
    "建设路",
    "人民路",
    "文化路",
    "和平路",
    "工业路",
    "新华路",
    "中山路",
    "学院路",
    "环城东路",
    "兴业路",
    "振兴路",
    "光明路",
    "体育场路",
    "凤起路",
    "庆春路",
    "文一路",
    "江南大道",
    "滨盛路",
    "金城路",
    "市心路",
    "通惠路",
    "东湖路",
];

const VILLAGES: &[&str] = &[
    "新湾", "东恩", "长巷", "沙田", "勤联", "永兴", "塘头", "石门", "新联", "光明", "前进", "民丰",
    "红旗", "横塘", "山联", "华家",
];

const MOBILE_PREFIX: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "157", "158", "159", "177", "180", "181", "182", "183", "186", "187", "188", "189",
    "199",
];

pub fn surname(rng: &mut Rng) -> &'static str {
    // Squaring the uniform draw favours the common surnames at the head of the list.
    let u = rng.unit();
    SURNAMES[((u * u) * SURNAMES.len() as f64) as usize]
}

pub fn person(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(9);
    s.push_str(surname(rng));
    s.push_str(one(rng, GIVEN));
    s
}

pub fn given(rng: &mut Rng) -> &'static str {
    one(rng, GIVEN)
}

pub fn brand(rng: &mut Rng) -> &'static str {
    one(rng, BRANDS)
}

pub fn village(rng: &mut Rng) -> &'static str {
    one(rng, VILLAGES)
}

/// Short place word of a town: `瓜沥镇` → `瓜沥`, `湖滨街道` → `湖滨`.
pub fn town_word(town: &str) -> &str {
    town.trim_end_matches("街道").trim_end_matches('镇')
}

pub fn commercial_name(rng: &mut Rng, town: &str) -> String {
    let b = brand(rng);
    let t = town_word(town);
    match rng.below(10) {
        0 | 1 => format!("{t}{b}超市"),
        2 => format!("杭州{b}商贸有限公司"),
        3 => format!("杭州{b}餐饮管理有限公司"),
        4 => format!("{t}{b}宾馆"),
        5 => format!("{}记饭店", surname(rng)),
        6 => format!("杭州{b}物业管理有限公司"),
        7 => format!("{t}{b}汽车维修服务部"),
        8 => format!("{b}网吧"),
        _ => format!("{t}{b}五金商店"),
    }
}

pub fn industry_name(rng: &mut Rng, town: &str) -> String {
    let b = brand(rng);
    let t = town_word(town);
    match rng.below(6) {
        0 => format!("杭州{b}纺织有限公司"),
        1 => format!("浙江{b}化纤股份有限公司"),
        2 => format!("杭州{b}机械制造有限公司"),
        3 => format!("{t}{b}加工厂"),
        4 => format!("杭州{b}新材料科技有限公司"),
        _ => format!("浙江{b}印染有限公司"),
    }
}

/// Agricultural names avoid business keywords except the cooperative companies, which are
/// never on the resident tariff.
pub fn agriculture_name(rng: &mut Rng, town: &str) -> String {
    match rng.below(4) {
        0 => format!("{}{}村经济合作社（排灌站）", town_word(town), village(rng)),
        1 => format!("{}（水产养殖）", person(rng)),
        2 => format!("{}村灌溉站", village(rng)),
        _ => format!("杭州{}农业开发有限公司", brand(rng)),
    }
}

pub fn address(rng: &mut Rng, district: &str, station: &Station, residence: bool) -> String {
    if station.rural {
        return format!(
            "杭州市{district}{}{}村{}号",
            station.town,
            village(rng),
            rng.range(1, 320)
        );
    }
    let road = one(rng, ROADS);
    let no = rng.range(1, 999);
    if residence {
        // A few addresses carry an ASCII comma, as hand-typed archive entries do; the CSV
        // writer quotes them (RFC 4180) and importers must cope.
        let sep = if rng.chance(0.01) { "," } else { "" };
        format!(
            "杭州市{district}{}{road}{no}号{}幢{sep}{}单元{}{:02}室",
            station.town,
            rng.range(1, 30),
            rng.range(1, 4),
            rng.range(1, 18),
            rng.range(1, 4)
        )
    } else {
        format!("杭州市{district}{}{road}{no}号", station.town)
    }
}

pub fn mobile(rng: &mut Rng) -> String {
    format!("{}{:08}", one(rng, MOBILE_PREFIX), rng.below(100_000_000))
}

/// A Hangzhou landline: area code 0571, eight-digit local numbers starting with 8.
pub fn landline(rng: &mut Rng) -> String {
    format!("0571-8{:07}", rng.below(10_000_000))
}

fn one(rng: &mut Rng, xs: &[&'static str]) -> &'static str {
    xs[rng.below(xs.len() as u64) as usize]
}
