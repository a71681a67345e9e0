//! The dashboard's pinned view (已存视图): the operator's pinned saved view as a panel of
//! three rows above the others, with its count of findings now and its filter; `:view NAME`
//! (or the findings list's views key) recalls it.

use super::{Cx, Ui};
use crate::context::Lang;
use crate::text::escape;
use crate::ui::loader::Loaded;
use crate::ui::render::{block, cut};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub const SLOT: &str = "pinned_view";

/// The pinned view as shown: its name, its filter in words, how many findings it has now.
#[derive(Debug, Clone, PartialEq)]
pub struct Pinned {
    pub name: String,
    pub filter: String,
    pub count: u64,
}

/// Reads the pinned view and counts its findings on the loader's thread.
pub fn load(cx: &mut Cx) {
    let (who, today) = (cx.ctx.operator.clone(), cx.ctx.today);
    cx.load(SLOT, move |ds| {
        let Some(v) = crate::views::pinned(&ds.conn, &who)? else {
            return Ok(None);
        };
        let count = crate::findings::count(&ds.conn, &v.filter, today)?;
        Ok(Some(Pinned {
            filter: crate::views::describe(&v.filter),
            name: v.name,
            count,
        }))
    });
}

/// The answer of `load`; an error shows as no pinned view (the list says why on recall).
pub fn loaded(answer: Loaded) -> Option<Pinned> {
    answer.take::<Option<Pinned>>().ok().flatten()
}

/// Rows the panel takes.
pub const ROWS: u16 = 3;

pub fn draw(f: &mut Frame, p: &Pinned, ui: &Ui, area: Rect) {
    let title = match ui.lang() {
        Lang::En => format!("Pinned view: {}", escape(&p.name)),
        Lang::Zh => format!("固定视图：{}", escape(&p.name)),
    };
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    let inner = b.inner(area);
    let (n, rest) = match ui.lang() {
        Lang::En => (
            format!("{} findings", p.count),
            format!(" · {} · :view {}", escape(&p.filter), escape(&p.name)),
        ),
        Lang::Zh => (
            format!("{} 条异常", p.count),
            format!(" · {} · :view {}", escape(&p.filter), escape(&p.name)),
        ),
    };
    let room = usize::from(inner.width).saturating_sub(crate::text::width(&n));
    let line = Line::from(vec![
        Span::styled(n, ui.theme.title()),
        Span::raw(cut(&rest, room)),
    ]);
    f.render_widget(b, area);
    f.render_widget(Paragraph::new(line), inner);
}
