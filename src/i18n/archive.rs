//! The closed sets of the customer archive (data-contract.md, customers.csv and the other
//! files) as an operator reads them. The stored code stays the identifier (CSV, JSON); a code
//! outside the set has no name here and is shown as it is (escaped) by the caller.

/// A closed set of archive codes with their English and Chinese names: `from_code`, `code`,
/// and `bilingual_messages!`' `text` and `ALL`.
macro_rules! archive_set {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal => $en:literal, $zh:literal;)* }) => {
        crate::bilingual_messages! {
            $(#[$meta])*
            pub enum $name { $($variant => $en, $zh;)* }
        }

        impl $name {
            /// The code stored in the dataset.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

archive_set! {
    /// 用电类别.
    Category {
        Resident = "resident" => "residential", "居民生活";
        Commercial = "commercial" => "commercial", "一般工商业";
        LargeIndustry = "large_industry" => "large industry", "大工业";
        Agriculture = "agriculture" => "agriculture", "农业生产";
    }
}

archive_set! {
    /// 执行电价: the tariff a customer is billed at.
    Tariff {
        Res = "RES" => "residential tariff", "居民生活电价";
        Com = "COM" => "commercial tariff", "一般工商业电价";
        Ind = "IND" => "large-industry tariff", "大工业电价";
        Agr = "AGR" => "agricultural tariff", "农业生产电价";
    }
}

archive_set! {
    /// 计费方式: single-part or two-part pricing.
    Pricing {
        Single = "single" => "single-part", "单一制";
        TwoPart = "two_part" => "two-part", "两部制";
    }
}

archive_set! {
    /// 用户状态.
    CustomerStatus {
        Active = "active" => "active", "在用";
        Closed = "closed" => "closed", "销户";
    }
}

archive_set! {
    /// 暂停 / 减容.
    SuspensionKind {
        Suspend = "suspend" => "suspension", "暂停";
        Reduce = "reduce" => "capacity reduction", "减容";
    }
}

archive_set! {
    /// 业扩报装 kinds.
    ApplicationKind {
        New = "new" => "new connection", "新装";
        Increase = "increase" => "capacity increase", "增容";
        Change = "change" => "change", "变更";
    }
}

archive_set! {
    /// 组织机构 levels.
    UnitLevel {
        Province = "province" => "province", "省公司";
        City = "city" => "city", "市公司";
        County = "county" => "county", "县公司";
        Station = "station" => "supply station", "供电所";
        Department = "department" => "department", "职能部门";
    }
}

crate::bilingual_messages! {
    /// Short labels of the archive's flags and numbers, as the customer box shows them.
    pub enum ArchiveWord {
        Tariff => "tariff", "执行电价";
        PowerFactor => "PF", "力率标准";
        Hslm => "HSLM", "高供低计";
    }
}

use crate::context::Lang;

/// A code's name in `lang`, or `None` when the code is not one of the set.
pub fn category(lang: Lang, code: &str) -> Option<&'static str> {
    Category::from_code(code).map(|c| c.text(lang))
}

pub fn tariff(lang: Lang, code: &str) -> Option<&'static str> {
    Tariff::from_code(code).map(|c| c.text(lang))
}

pub fn pricing(lang: Lang, code: &str) -> Option<&'static str> {
    Pricing::from_code(code).map(|c| c.text(lang))
}

pub fn customer_status(lang: Lang, code: &str) -> Option<&'static str> {
    CustomerStatus::from_code(code).map(|c| c.text(lang))
}
