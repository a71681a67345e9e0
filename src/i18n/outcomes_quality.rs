//! The quality evaluation's outcomes in both languages (the other half of `outcomes`).

use super::outcomes::Done;
use super::refusals_tickets::unit_level;
use crate::context::Lang;

impl Done {
    pub(super) fn other_en(&self) -> String {
        use Done::*;
        match self {
            IndicatorAdded { id, category, name, main, level, full_score, base, full } => format!(
                "indicator {id} added: {category} / {name} ({}, {level}), {full_score} points from {base} (0) to {full}",
                if *main { "main" } else { "process" }
            ),
            IndicatorChanged { id, name } => format!("indicator {id} ({name}) changed"),
            IndicatorEnabled { id, name, enabled } => format!(
                "indicator {id} ({name}) {}; scores use the enabled indicators only",
                if *enabled { "enabled" } else { "disabled" }
            ),
            ValueSet { name, unit, period, value, old: Some(o) } => {
                format!("{name} for {unit} in {period}: {value} (was {o})")
            }
            ValueSet { name, unit, period, value, old: None } => {
                format!("{name} for {unit} in {period}: {value}")
            }
            LevelChanged { level, points, old } => format!(
                "level {level}: {points} points (was {old}); entries already made keep their points"
            ),
            LevelAdded { level, points } => format!("level {level} added: {points} points"),
            BusinessDeducted { id, unit, points, on, ticket } => format!(
                "business deduction {id}: {unit} −{points} points on {on} for ticket {ticket}"
            ),
            DirectDeducted { id, unit, points, level, on } => {
                format!("direct deduction {id}: {unit} −{points} points ({level}) on {on}")
            }
            BonusAdded { id, unit, points, on } => {
                format!("bonus {id}: {unit} +{points} points on {on}")
            }
            EntryRevoked { id, kind, unit, points } => format!(
                "entry {id} ({kind}, {unit}, {points} points) revoked; it no longer counts"
            ),
            other => unreachable!("{other:?} is rendered by `outcomes`"),
        }
    }

    pub(super) fn other_zh(&self) -> String {
        use Done::*;
        let lang = Lang::Zh;
        match self {
            IndicatorAdded { id, category, name, main, level, full_score, base, full } => format!(
                "已添加指标 {id}：{category} / {name}（{}，{}），{full_score} 分，基本值 {base}（0 分）至满分值 {full}",
                if *main { "主要指标" } else { "过程指标" },
                unit_level(lang, level)
            ),
            IndicatorChanged { id, name } => format!("指标 {id}（{name}）已修改"),
            IndicatorEnabled { id, name, enabled } => format!(
                "指标 {id}（{name}）已{}；得分只计启用的指标",
                if *enabled { "启用" } else { "停用" }
            ),
            ValueSet { name, unit, period, value, old: Some(o) } => {
                format!("{unit} {period} 的{name}：{value}（原为 {o}）")
            }
            ValueSet { name, unit, period, value, old: None } => {
                format!("{unit} {period} 的{name}：{value}")
            }
            LevelChanged { level, points, old } => format!(
                "扣分等级 {level}：{points} 分（原为 {old}）；已有记录的分数不变"
            ),
            LevelAdded { level, points } => format!("已添加扣分等级 {level}：{points} 分"),
            BusinessDeducted { id, unit, points, on, ticket } => {
                format!("业务扣分 {id}：{unit} {on} 扣 {points} 分，工单 {ticket}")
            }
            DirectDeducted { id, unit, points, level, on } => {
                format!("直接扣分 {id}：{unit} {on} 扣 {points} 分（{level}）")
            }
            BonusAdded { id, unit, points, on } => {
                format!("加分 {id}：{unit} {on} 加 {points} 分")
            }
            EntryRevoked { id, kind, unit, points } => format!(
                "记录 {id}（{}，{unit}，{points} 分）已撤销，不再计分",
                entry_kind_zh(kind)
            ),
            other => unreachable!("{other:?} is rendered by `outcomes`"),
        }
    }
}

/// A quality entry's kind (`business`, `direct`, `bonus`) in Chinese.
fn entry_kind_zh(kind: &str) -> &str {
    match kind {
        "business" => "业务扣分",
        "direct" => "直接扣分",
        "bonus" => "加分",
        other => other,
    }
}
