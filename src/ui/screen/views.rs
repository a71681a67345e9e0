//! Saved views on the findings list: `save_view` names the filter shown (a unit, severity,
//! status, rule, THF level, search text) and saves it as the operator's; `views` lists them
//! to recall one (the list takes its filter), with two more entries to pin one to the
//! dashboard (or unpin it) and to delete one. Saving, deleting and pinning are logged changes
//! (`actions::views::ViewChange`), performed by the writer like every change.

use super::{Cx, Invalid};
use crate::actions::views::{check_name, ViewChange};
use crate::context::Lang;
use crate::findings::Filter;
use crate::text::escape;
use crate::ui::dialog::{Choice, Confirm, Prompt, Value};
use crate::ui::keymap::Action;
use crate::ui::worker::Change;
use crate::ui::write::Write;
use crate::views::{self, View};

/// What a views dialog is asking.
#[derive(Debug, Clone)]
pub enum Ask {
    /// The name to save `Filter` under.
    Name(Filter),
    /// One of these views to recall, or (after them) pin… / delete….
    Pick(Vec<View>),
    PinWhich(Vec<View>),
    DeleteWhich(Vec<View>),
}

fn words(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// `save_view` or `views` on the findings list showing `filter`.
pub fn act(a: Action, filter: &Filter, cx: &mut Cx) {
    let lang = cx.lang();
    match a {
        Action::SaveView => {
            let title = format!(
                "{} ({})",
                words(
                    lang,
                    "Save this filter as a view named",
                    "将当前筛选保存为视图，名称"
                ),
                escape(&views::describe(filter))
            );
            let mut p = Prompt::new(title, None, Ask::Name(filter.clone()));
            p.empty_clears = false;
            cx.dialog(p);
        }
        Action::Views => match views::list(&cx.ds.conn, &cx.ctx.operator) {
            Ok(list) if list.is_empty() => {
                let key = cx.keymap.hint(Action::SaveView);
                cx.info(match lang {
                    Lang::En => {
                        format!("You have no saved views yet: {key} saves the filter shown.")
                    }
                    Lang::Zh => format!("你还没有已存视图：按 {key} 保存当前筛选。"),
                });
            }
            Ok(list) => {
                let mut items = items(&list);
                items.push(
                    words(
                        lang,
                        "Pin / unpin one on the dashboard…",
                        "在总览固定/取消固定…",
                    )
                    .into(),
                );
                items.push(words(lang, "Delete one…", "删除视图…").into());
                let title = words(lang, "Saved views: recall one", "已存视图：选择调出");
                let mut c = Choice::new(title.into(), items, Ask::Pick(list));
                c.size = (72, None);
                cx.dialog(c);
            }
            Err(e) => cx.error(e.text(lang)),
        },
        _ => {}
    }
}

/// `name · filter`, with `[pinned]` for the dashboard's.
fn items(list: &[View]) -> Vec<String> {
    list.iter()
        .map(|v| {
            let pin = if v.pinned { " [*]" } else { "" };
            format!(
                "{}{pin} · {}",
                escape(&v.name),
                escape(&views::describe(&v.filter))
            )
        })
        .collect()
}

/// The answer of a views dialog; `Some(filter)` is a view to recall on the list.
pub fn reply(ask: &Ask, value: Value, cx: &mut Cx) -> Result<Option<Filter>, Invalid> {
    let lang = cx.lang();
    match (ask, value) {
        (Ask::Name(filter), Value::Text(name)) => {
            let name = name.trim().to_string();
            check_name(&name).map_err(|e| Invalid::from(e.text(lang)))?;
            let change = ViewChange::Save {
                name,
                filter: filter.clone(),
            };
            cx.perform(Write::new(Change::View(change)));
            Ok(None)
        }
        (Ask::Pick(list), Value::Choice(i)) => {
            if let Some(v) = list.get(i) {
                cx.info(match lang {
                    Lang::En => format!("View `{}`", escape(&v.name)),
                    Lang::Zh => format!("视图 `{}`", escape(&v.name)),
                });
                return Ok(Some(v.filter.clone()));
            }
            let pin = i == list.len();
            let title = if pin {
                words(
                    lang,
                    "Pin which view on the dashboard? (again: unpin)",
                    "在总览固定哪个视图？（已固定的再选即取消）",
                )
            } else {
                words(lang, "Delete which view?", "删除哪个视图？")
            };
            let tag = if pin {
                Ask::PinWhich(list.clone())
            } else {
                Ask::DeleteWhich(list.clone())
            };
            let mut c = Choice::new(title.into(), items(list), tag);
            c.size = (72, None);
            cx.dialog(c);
            Ok(None)
        }
        (Ask::PinWhich(list), Value::Choice(i)) => {
            if let Some(v) = list.get(i) {
                let change = ViewChange::Pin {
                    name: v.name.clone(),
                    pinned: !v.pinned,
                };
                cx.perform(Write::new(Change::View(change)));
            }
            Ok(None)
        }
        (Ask::DeleteWhich(list), Value::Choice(i)) => {
            if let Some(v) = list.get(i) {
                let q = match lang {
                    Lang::En => format!("Delete your saved view `{}`? (1 view)", escape(&v.name)),
                    Lang::Zh => format!("删除你的已存视图 `{}`？（1 个视图）", escape(&v.name)),
                };
                let change = ViewChange::Delete {
                    name: v.name.clone(),
                };
                cx.dialog(Confirm::new(q, Write::new(Change::View(change))));
            }
            Ok(None)
        }
        _ => Ok(None),
    }
}
