//! What drawing and tests may read of the router: the screen on top, a screen's state, the
//! open dialog.

use super::App;
use crate::ui::dialog::{Dialog, DialogKind};
use crate::ui::loader::LoadKey;
use crate::ui::screen::{self as scr, ScreenId, Ui};

impl App {
    /// The screen on top (every `ScreenId` has one in `screen::all`).
    pub fn current(&self) -> Option<&dyn scr::Screen> {
        self.screens
            .iter()
            .find(|(id, _)| *id == self.screen)
            .map(|(_, s)| s.as_ref())
    }

    /// A screen's state, for tests and drawing: `app.screen_state::<Rules>()`.
    pub fn screen_state<T: 'static>(&self) -> Option<&T> {
        self.screens
            .iter()
            .find_map(|(_, s)| s.as_any().downcast_ref::<T>())
    }

    pub fn screen_state_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.screens
            .iter_mut()
            .find_map(|(_, s)| s.as_any_mut().downcast_mut::<T>())
    }

    /// The open dialog, if any.
    pub fn dialog(&self) -> Option<&dyn Dialog> {
        self.dialog.as_ref().map(|(_, d)| d.as_ref())
    }

    pub fn dialog_kind(&self) -> Option<DialogKind> {
        self.dialog().map(|d| d.kind())
    }

    /// What the open dialog was opened for (the opener's tag): `app.dialog_tag::<ChoiceFor>()`.
    pub fn dialog_tag<T: 'static>(&self) -> Option<&T> {
        self.dialog()?.tag().downcast_ref::<T>()
    }

    /// The open dialog as its own type: `app.dialog_as::<Confirm>()`.
    pub fn dialog_as<T: 'static>(&self) -> Option<&T> {
        self.dialog()?.as_any().downcast_ref::<T>()
    }

    /// What drawing for screen `me` may read.
    pub fn ui(&self, me: ScreenId) -> Ui<'_> {
        Ui {
            ctx: &self.ctx,
            keymap: &self.keymap,
            theme: &self.theme,
            shared: &self.shared,
            loader: &self.loader,
            me,
        }
    }

    /// The open dialog and the screen it answers, for drawing.
    pub fn dialog_with_owner(&self) -> Option<(ScreenId, &dyn Dialog)> {
        self.dialog.as_ref().map(|(o, d)| (*o, d.as_ref()))
    }

    /// Whether a load of `key` is asked and not answered (drawing shows "…").
    pub fn loading_key(&self, key: LoadKey) -> bool {
        self.loader.loading(key)
    }
}
