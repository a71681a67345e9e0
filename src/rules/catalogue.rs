//! The built-in rule pack as data: one row per rule of rules.md. The evaluators live beside
//! this file; everything that shows or counts rules (scan summary, UI, reports) reads this table.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "high" => Some(Severity::High),
            "medium" => Some(Severity::Medium),
            "low" => Some(Severity::Low),
            _ => None,
        }
    }

    /// Sort key: high first.
    pub fn rank(self) -> u8 {
        match self {
            Severity::High => 0,
            Severity::Medium => 1,
            Severity::Low => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Archive,
    Billing,
    Metering,
    Business,
    Service,
    Theft,
    External,
}

impl Category {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Category::Archive, true) => "客户档案",
            (Category::Archive, false) => "Archive",
            (Category::Billing, true) => "电费电价",
            (Category::Billing, false) => "Billing",
            (Category::Metering, true) => "电能计量",
            (Category::Metering, false) => "Metering",
            (Category::Business, true) => "营业",
            (Category::Business, false) => "Business",
            (Category::Service, true) => "用电检查/服务",
            (Category::Service, false) => "Inspection & service",
            (Category::Theft, true) => "违约窃电",
            (Category::Theft, false) => "Theft suspicion",
            (Category::External, true) => "外部系统",
            (Category::External, false) => "External",
        }
    }
}

/// What a finding's subject is for this rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    /// `-`: the customer as a whole.
    None,
    /// A billing period `YYYY-MM` (period rules; BIL-04: the first period of the run).
    Period,
    MeterNo,
    /// A suspension's `start_on`.
    StartOn,
    /// A suspension row's `kind:start_on` (SUS-04: `reduce:2026-03-01`).
    KindStartOn,
    AppNo,
    /// A changed archive field: `category`, or `meter <meter_no>:multiplier` (HIS-02).
    Field,
}

#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub subject: SubjectKind,
    /// Money rules carry an amount at stake in 元.
    pub money: bool,
    /// The thresholds it reads.
    pub thresholds: &'static [&'static str],
    /// What it checks, in one sentence (shown on the rules screen, in finding detail and by
    /// `rules show`), in English and in Chinese: read it with `checks(zh)`.
    pub checks_en: &'static str,
    pub checks_zh: &'static str,
}

impl RuleDef {
    pub fn name(&self, zh: bool) -> &'static str {
        if zh {
            self.name_zh
        } else {
            self.name_en
        }
    }

    /// What it checks (检查内容), in the operator's language.
    pub fn checks(&self, zh: bool) -> &'static str {
        if zh {
            self.checks_zh
        } else {
            self.checks_en
        }
    }
}

use Category::*;
use Severity::*;
use SubjectKind as S;

macro_rules! rule {
    ($id:literal, $zh:literal, $en:literal, $cat:expr, $sev:expr, $subj:expr, $money:literal, [$($t:literal),*],
     $checks_en:literal, $checks_zh:literal) => {
        RuleDef { id: $id, name_zh: $zh, name_en: $en, category: $cat, severity: $sev, subject: $subj,
                  money: $money, thresholds: &[$($t),*], checks_en: $checks_en, checks_zh: $checks_zh }
    };
}

pub const RULES: &[RuleDef] = &[
    rule!("ARC-01", "联系信息缺失或无效", "Contact missing or invalid", Archive, Low, S::None, false, [],
        "contact empty, phone empty, or phone neither a mobile (1 + 10 digits) nor a landline (0 + 2-3 digit area code, optional -, 7-8 digits)",
        "联系人为空、联系电话为空，或电话既非手机号（1 + 10 位数字）也非固定电话（0 + 2-3 位区号，可带 -，7-8 位号码）"),
    rule!("ARC-02", "容量与供电电压不匹配", "Capacity does not fit supply voltage", Archive, Medium, S::None, false,
        ["low220_max_kva", "low380_max_kva", "mv10_max_kva"],
        "capacity above what the supply voltage allows: 220 V > low220_max_kva, 380 V > low380_max_kva, 10 kV > mv10_max_kva",
        "容量超出供电电压所允许的上限：220 V 超过 low220_max_kva，380 V 超过 low380_max_kva，10 kV 超过 mv10_max_kva"),
    rule!("ARC-03", "用电类别与执行电价不符", "Tariff does not match category", Archive, High, S::None, false, [],
        "price code differs from the category's tariff (resident RES, commercial COM, large industry IND, agriculture AGR)",
        "执行电价与用电类别应执行的电价不符（居民生活 RES，一般工商业 COM，大工业 IND，农业生产 AGR）"),
    rule!("ARC-04", "户名含经营字样但执行居民电价", "Business name on resident tariff", Archive, High, S::None, false,
        ["business_keywords"], "resident tariff (RES) but the name contains a business keyword",
        "执行居民电价（RES），但户名含经营字样"),
    rule!("ARC-05", "大工业未执行两部制", "Large industry not on two-part billing", Archive, High, S::None, false, [],
        "large-industry customer billed single-part",
        "大工业客户按单一制计费"),
    rule!("ARC-06", "容量达大工业标准仍按单一制", "Large-industry capacity still single-part", Archive, Medium, S::None, false,
        ["large_industry_min_kva"], "commercial customer with capacity >= large_industry_min_kva billed single-part",
        "容量 ≥ large_industry_min_kva 的一般工商业客户仍按单一制计费"),
    rule!("ARC-07", "未设力率考核标准", "No power-factor standard", Archive, Medium, S::None, false,
        ["pf_min_kva"], "non-resident customer with capacity >= pf_min_kva and no power-factor standard",
        "容量 ≥ pf_min_kva 的非居民客户未设力率考核标准"),
    rule!("ARC-08", "临时用电超期", "Temporary connection overdue", Archive, Medium, S::None, false,
        ["temporary_max_years"], "temporary connection opened more than temporary_max_years years before the as-of date",
        "临时用电立户早于统计日 temporary_max_years 年以上"),
    rule!("ARC-09", "销户后未结清电费", "Closed account with unpaid bills", Archive, High, S::None, true, [],
        "closed customer whose bills' amount minus paid adds up to more than 0.01 元",
        "已销户客户账单应收减实收合计超过 0.01 元"),
    rule!("ARC-10", "新立户未按期抄表收费", "New account not billed on time", Archive, Medium, S::Period, false, [],
        "opened in a month at or after the earliest billing period, with no bill for that month nor the next, and the as-of month later than that",
        "立户月份不早于数据中最早的账单月份，立户当月及次月均无账单，且统计月份已晚于次月"),
    rule!("ARC-11", "在用客户欠费", "Active customer in arrears", Archive, Medium, S::None, true,
        ["arrears_grace_months", "arrears_min_yuan"],
        "amount minus paid of the bills at least arrears_grace_months months before the as-of month adds up to more than arrears_min_yuan",
        "统计月份前 arrears_grace_months 个月及更早账单的应收减实收合计超过 arrears_min_yuan 元"),
    rule!("ARC-12", "用电地址不规范", "Supply address not standard", Archive, Low, S::None, false,
        ["address_min_chars", "address_keywords"],
        "address empty, shorter than address_min_chars characters, or without any of address_keywords",
        "用电地址为空、少于 address_min_chars 个字符，或不含 address_keywords 中任一字样"),
    rule!("ARC-13", "新装增容变更专变客户（重点检查）", "Recent connection or change at a dedicated transformer (focus check)", Archive, Low, S::AppNo, false,
        ["focus_min_kva", "focus_recent_days"],
        "supply at 10 kV or above, capacity >= focus_min_kva, and a new, increase or change application completed within focus_recent_days days before the as-of date (once the dataset holds any applications)",
        "供电电压 10 kV 及以上、容量 ≥ focus_min_kva，且有新装、增容或变更申请在统计日前 focus_recent_days 天内完成（数据集中已有业扩记录时检查）"),
    rule!("ARC-14", "平均电价异常", "Average price out of range", Archive, Medium, S::Period, false,
        ["avg_price_min_kwh", "price_min_res", "price_max_res", "price_min_com", "price_max_com",
         "price_min_ind", "price_max_ind", "price_min_agr", "price_max_agr"],
        "over the latest three bills (kWh >= avg_price_min_kwh), amount / kWh below price_min or above price_max of the tariff",
        "最近三期账单（电量合计 ≥ avg_price_min_kwh）的电费合计 / 电量合计低于该电价的 price_min 或高于 price_max"),
    rule!("ARC-15", "力率考核标准不符", "Power-factor standard not the one due", Archive, Medium, S::None, false,
        ["pf_min_kva", "pf_high_min_kva"],
        "non-resident customer with capacity >= pf_min_kva whose power-factor standard is not the one due: 0.80 agriculture, 0.90 large industry at 10 kV or above with capacity >= pf_high_min_kva, 0.85 otherwise",
        "容量 ≥ pf_min_kva 的非居民客户力率考核标准与应执行标准不符：农业生产 0.80，10 kV 及以上且容量 ≥ pf_high_min_kva 的大工业 0.90，其余 0.85"),
    rule!("BIL-01", "抄见示数不连续", "Readings not continuous", Billing, Medium, S::Period, false, [],
        "previous reading differs from the previous period's current reading",
        "上次示数与上月本次示数不一致"),
    rule!("BIL-02", "电量与计算公式不符", "kWh does not match the formula", Billing, High, S::Period, true,
        ["formula_tolerance_kwh"], "kWh differs from (curr - prev) x multiplier + loss by more than formula_tolerance_kwh",
        "电量与（本次示数 − 上次示数）× 倍率 + 变损 相差超过 formula_tolerance_kwh"),
    rule!("BIL-03", "电量突增突减", "Sudden surge or drop", Billing, Medium, S::Period, false,
        ["change_min_base_kwh", "surge_ratio", "drop_ratio"],
        "kWh above surge_ratio or below drop_ratio times the mean of the three previous months (mean >= change_min_base_kwh)",
        "电量高于前三个月均值的 surge_ratio 倍或低于 drop_ratio 倍（均值 ≥ change_min_base_kwh）"),
    rule!("BIL-04", "电量长期为零", "Zero kWh for months", Billing, Medium, S::Period, false,
        ["zero_run_periods"], "zero_run_periods or more consecutive months with zero kWh",
        "连续 zero_run_periods 个月及以上电量为零"),
    rule!("BIL-05", "负电费", "Negative bill", Billing, High, S::Period, true, [], "amount below zero",
        "电费小于零"),
    rule!("BIL-06", "有电量无电费", "Energy billed at zero", Billing, High, S::Period, true, [], "kWh above zero but amount zero",
        "电量大于零但电费为零"),
    rule!("BIL-07", "居民电量超限", "Resident consumption too high", Billing, Low, S::Period, false,
        ["resident_max_kwh"], "resident with monthly kWh above resident_max_kwh",
        "居民月电量超过 resident_max_kwh"),
    rule!("BIL-08", "高供低计无变损电量", "HV supply, LV metering without loss", Billing, Medium, S::Period, false, [],
        "HV-supplied, LV-metered customer billed kWh with zero transformer loss, in a month with no suspension",
        "高供低计客户有计费电量但变损电量为零（非暂停期间）"),
    rule!("BIL-09", "电量超出容量极限", "kWh beyond capacity", Billing, High, S::Period, false,
        ["capacity_hours"], "kWh above capacity x capacity_hours",
        "电量超过 容量 × capacity_hours"),
    rule!("BIL-10", "计费倍率与表计倍率不符", "Bill multiplier differs from meter", Billing, High, S::Period, true, [],
        "the customer's only meter has a different multiplier from the bill's",
        "客户唯一表计的倍率与账单计费倍率不同"),
    rule!("BIL-11", "漏抄（缺月账单）", "Missing monthly bill", Billing, Medium, S::Period, false, [],
        "a month with no bill between the customer's first and last bill periods",
        "客户首末账单期之间某月无账单"),
    rule!("BIL-12", "计费倍率变化", "Bill multiplier changed", Billing, Medium, S::Period, false, [],
        "the bill's multiplier differs from the previous month's",
        "本月计费倍率与上月不同"),
    rule!("BIL-13", "电费突增突减", "Sudden surge or drop in amount", Billing, Medium, S::Period, false,
        ["change_min_base_yuan", "surge_ratio", "drop_ratio"],
        "amount above surge_ratio or below drop_ratio times the mean of the three previous months (mean >= change_min_base_yuan)",
        "电费高于前三个月均值的 surge_ratio 倍或低于 drop_ratio 倍（均值 ≥ change_min_base_yuan）"),
    rule!("BIL-14", "电量与容量极端不匹配（偏低）", "kWh far below capacity", Billing, Low, S::Period, false,
        ["low_load_min_kva", "low_load_hours"],
        "non-resident customer with capacity >= low_load_min_kva billed kWh above zero but below capacity x low_load_hours, in a month with no suspension or reduction",
        "容量 ≥ low_load_min_kva 的非居民客户电量大于零但低于 容量 × low_load_hours，且该月不在暂停或减容期间"),
    rule!("MTR-01", "计费倍率与互感器变比不符", "Multiplier differs from CT x PT", Metering, High, S::MeterNo, false, [],
        "meter multiplier differs from CT ratio x PT ratio",
        "表计倍率不等于 CT 变比 × PT 变比"),
    rule!("MTR-02", "超周期未轮换", "Meter overdue for rotation", Metering, Medium, S::MeterNo, false,
        ["rotation_years"], "verified (or installed) more than rotation_years years before the as-of date",
        "检定（或安装）日期早于统计日 rotation_years 年以上"),
    rule!("MTR-03", "淘汰型号在运", "Obsolete meter model in service", Metering, Medium, S::MeterNo, false,
        ["obsolete_models"], "meter model is one of obsolete_models",
        "表计型号属 obsolete_models 所列淘汰型号"),
    rule!("MTR-04", "500kVA及以上高供低计", "LV metering at 500 kVA or more", Metering, Medium, S::None, false,
        ["hslm_max_kva"], "HV supply metered on the LV side with capacity >= hslm_max_kva",
        "容量 ≥ hslm_max_kva 的高供低计客户"),
    rule!("MTR-05", "无计量装置档案", "No meter on record", Metering, High, S::None, false, [],
        "the customer has no meter (once the dataset holds any meters)",
        "客户无计量装置档案（数据集中已有表计档案时检查）"),
    rule!("SUS-01", "一年内暂停超期或超次", "Too many or too long suspensions", Business, Medium, S::None, false,
        ["suspend_max_times", "suspend_max_days"],
        "within the 365 days ending on the as-of date, more than suspend_max_times suspensions or more than suspend_max_days suspended days",
        "截至统计日的 365 天内暂停超过 suspend_max_times 次或暂停天数超过 suspend_max_days"),
    rule!("SUS-02", "暂停时间少于15天", "Suspension shorter than allowed", Business, Low, S::StartOn, false,
        ["suspend_min_days"], "a suspension lasting fewer than suspend_min_days days",
        "一次暂停不足 suspend_min_days 天"),
    rule!("SUS-03", "减容期限不合规", "Capacity reduction period out of bounds", Business, Low, S::StartOn, false,
        ["reduce_min_days", "reduce_max_days"], "a capacity reduction lasting fewer than reduce_min_days or more than reduce_max_days days",
        "一次减容少于 reduce_min_days 天或超过 reduce_max_days 天"),
    rule!("SUS-04", "新装增容或减容期满后2年内再办暂停减容", "Suspension or reduction soon after a new connection, increase or reduction", Business, Low, S::KindStartOn, false,
        ["recent_change_years"],
        "a suspension or reduction starting within recent_change_years years after a new connection or capacity increase was completed, or after another reduction ended",
        "暂停或减容的开始日期在新装、增容完成后或另一次减容期满后 recent_change_years 年内"),
    rule!("CON-01", "供用电合同缺失或超期", "Supply contract missing or expired", Service, Medium, S::None, false, [],
        "no contract, or the latest contract expired before the as-of date (once the dataset holds any contracts)",
        "无供用电合同，或最近一份合同在统计日前已到期（数据集中已有合同记录时检查）"),
    rule!("SVC-01", "业扩流程超时限", "Connection application over its time limit", Service, Medium, S::AppNo, false, [],
        "days from acceptance to completion (or to the as-of date while open) exceed the limit",
        "受理至完成（未完成则至统计日）的天数超过时限"),
    rule!("THF-01", "违约窃电可疑", "Theft suspicion", Theft, High, S::Period, false,
        ["drop_ratio", "change_min_base_kwh", "yoy_drop_ratio", "theft_event_keywords", "theft_event_days"],
        "two or more of six signals: drop, year-on-year fall, multiplier mismatch, reading discontinuity, zero latest month, a metering event (theft_event_keywords) within theft_event_days; level = max(1, 6 - signals)",
        "以下六项信号中两项及以上成立：电量突减、同比下降、倍率与变比不符、示数不连续、最近一期电量为零、theft_event_days 天内的计量自动化事件（theft_event_keywords）；可疑等级 = 6 − 信号数（最小为 1）"),
    rule!("HIS-01", "抄表示数被修改", "Meter readings edited after import", Billing, High, S::Period, true,
        ["reading_edit_min_kwh", "reading_edit_ratio"],
        "a bill row whose prev_reading or curr_reading differs from an earlier import's, with its kWh moved by more than reading_edit_min_kwh or more than reading_edit_ratio of the earlier kWh; amount at stake = the kWh difference × the row's average price",
        "电费记录的上次或本次示数与此前某次导入的不同，且电量变化超过 reading_edit_min_kwh 或超过原电量的 reading_edit_ratio；涉及金额 = 电量差 × 该记录的平均电价"),
    rule!("HIS-02", "档案关键字段变更无业务依据", "Key archive field changed without an application", Archive, Medium, S::Field, false,
        ["change_basis_days"],
        "the customer's category, price_code, billing_mode, capacity_kva or voltage_kv, or a meter's multiplier, ct_ratio or pt_ratio, changed between two imports with no application of the customer completed within change_basis_days days before the import that saw the change",
        "客户的用电类别、执行电价、计费方式、合同容量或供电电压，或其计量装置的倍率、CT 变比、PT 变比在两次导入之间发生变更，而看到该变更的导入前 change_basis_days 天内没有该客户完成的业扩流程"),
];

pub fn find(id: &str) -> Option<&'static RuleDef> {
    RULES.iter().find(|r| r.id == id)
}

/// The rule id of an external finding: `EXT:<source>:<rule_code>`.
pub fn external_rule_id(source: &str, rule_code: &str) -> String {
    format!("EXT:{source}:{rule_code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_thresholds_exist() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert_eq!(RULES.len(), 43);
        for r in RULES {
            for t in r.thresholds {
                assert!(
                    crate::thresholds::specs().contains_key(*t),
                    "{} reads unknown {t}",
                    r.id
                );
            }
        }
    }
}
