//! The data every screen shares (the header's counts, the dashboard, the ticket summary):
//! asked of the loader like a screen's, given to every screen when it arrives.

use super::App;
use crate::findings;
use crate::text::escape;
use crate::ui::loader::{LoadKey, Loaded, Owner};
use crate::ui::screen::Shared;
use crate::ui::worker::TicketSummary;

impl App {
    /// An answer of the loader: the shared data, or a screen's.
    pub(super) fn take_answer(&mut self, key: LoadKey, answer: Loaded) {
        match key.owner {
            Owner::Shared => self.apply_shared(key, answer),
            Owner::Screen(id) => {
                self.with_screen(id, |s, cx| s.loaded(key.slot, answer, cx));
            }
        }
    }

    /// The header's counts (dashboard) and the ticket summary, for every screen.
    pub(super) fn request_shared(&mut self) {
        let today = self.ctx.today;
        self.loader.request(
            Shared::DASHBOARD,
            crate::ui::loader::job(move |ds| findings::dashboard(&ds.conn, today)),
        );
        self.loader.request(
            Shared::TICKETS,
            crate::ui::loader::job(move |ds| crate::ui::worker::ticket_summary(&ds.conn, today)),
        );
    }

    pub(super) fn apply_shared(&mut self, key: LoadKey, answer: Loaded) {
        if key == Shared::DASHBOARD {
            match answer.take() {
                Ok(d) => {
                    self.shared.dashboard = Some(d);
                    self.shared.dashboard_error = None;
                }
                Err(e) => self.shared.dashboard_error = Some(escape(&e).into_owned()),
            }
        } else if key == Shared::TICKETS {
            match answer.take::<TicketSummary>() {
                Ok(s) => {
                    self.shared.tickets = Some(s);
                    self.shared.tickets_error = None;
                }
                Err(e) => self.shared.tickets_error = Some(escape(&e).into_owned()),
            }
        }
        let shared = &self.shared;
        for (_, s) in self.screens.iter_mut() {
            s.shared_changed(shared);
        }
    }
}
