//! The terminal UI (`jicha` with no subcommand).

pub mod keymap;
pub mod terminal;
pub mod theme;

pub use keymap::{load_keymap, Keymap};
