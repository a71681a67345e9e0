//! Keymaps: the built-in ones load; bad ones are refused with `file:line: what is wrong`.

use jicha::ui::keymap::{load_keymap, parse_keymap, Action, Context, Key};
use std::io::Write;

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    p
}

#[test]
fn builtins_load_by_name_and_differ() {
    let d = load_keymap("default", Some(std::path::Path::new("/dev/null"))).unwrap();
    let v = load_keymap("vim", Some(std::path::Path::new("/dev/null"))).unwrap();
    let ctrl_d = Key::parse("Ctrl-d").unwrap();
    assert_eq!(v.lookup(Context::Findings, ctrl_d), Some(Action::PageDown));
    assert_eq!(d.lookup(Context::Findings, ctrl_d), None);
    assert_eq!(
        d.lookup(Context::Findings, Key::parse("c").unwrap()),
        Some(Action::Confirm)
    );
    assert_eq!(
        d.lookup(Context::Detail, Key::parse("c").unwrap()),
        Some(Action::DConfirm)
    );
    assert_eq!(
        d.lookup(Context::Editor, Key::parse("Ctrl-s").unwrap()),
        Some(Action::Save)
    );
    // Global keys work on every screen, editor excepted (it takes text).
    assert_eq!(
        d.lookup(Context::Whitelist, Key::parse("q").unwrap()),
        Some(Action::Quit)
    );
    assert_eq!(d.lookup(Context::Editor, Key::parse("q").unwrap()), None);
}

#[test]
fn unknown_name_is_refused() {
    let e = load_keymap("nonesuch", Some(std::path::Path::new("/dev/null"))).unwrap_err();
    assert!(e.contains("no such keymap"), "{e}");
    assert!(e.contains("default, vim"), "{e}");
}

#[test]
fn user_override_replaces_single_bindings() {
    let dir = tempfile::tempdir().unwrap();
    let u = file(&dir, "keymap.toml", "[findings]\nconfirm = \"Z\"\n");
    let km = load_keymap("default", Some(&u)).unwrap();
    assert_eq!(
        km.lookup(Context::Findings, Key::parse("Z").unwrap()),
        Some(Action::Confirm)
    );
    // The old key is free; everything else is unchanged.
    assert_eq!(km.lookup(Context::Findings, Key::parse("c").unwrap()), None);
    assert_eq!(
        km.lookup(Context::Findings, Key::parse("x").unwrap()),
        Some(Action::Close)
    );
}

#[test]
fn unknown_action_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let u = file(
        &dir,
        "keymap.toml",
        "# my keys\n[findings]\nconfirm = \"y\"\nconfrim = \"z\"\n",
    );
    let e = load_keymap("default", Some(&u)).unwrap_err();
    assert!(
        e.starts_with(&format!("{}:4: unknown action `confrim`", u.display())),
        "{e}"
    );
}

#[test]
fn unknown_key_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let u = file(
        &dir,
        "keymap.toml",
        "[global]\n\nquit = [\"q\", \"Hyper-q\"]\n",
    );
    let e = load_keymap("default", Some(&u)).unwrap_err();
    assert!(
        e.starts_with(&format!("{}:3: unknown key `Hyper-q`", u.display())),
        "{e}"
    );
}

#[test]
fn unknown_section_is_refused() {
    let e = parse_keymap(
        "k.toml",
        "[global]\nquit = \"q\"\n\n[findngs]\nconfirm = \"c\"\n",
        None,
    )
    .unwrap_err();
    assert!(e.starts_with("k.toml:4: unknown section [findngs]"), "{e}");
}

#[test]
fn a_key_bound_twice_in_one_context_is_refused() {
    let e = parse_keymap(
        "k.toml",
        "[findings]\nconfirm = \"c\"\nclose = \"x\"\nnote = \"c\"\n",
        None,
    )
    .unwrap_err();
    assert!(
        e.starts_with(
            "k.toml:4: `c` for findings.note is already bound to findings.confirm (k.toml:2)"
        ),
        "{e}"
    );
}

#[test]
fn a_screen_key_that_shadows_a_global_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // `q` is global quit in the default keymap.
    let u = file(
        &dir,
        "keymap.toml",
        "[whitelist]\n# approve\napprove = \"q\"\n",
    );
    let e = load_keymap("default", Some(&u)).unwrap_err();
    assert!(
        e.starts_with(&format!(
            "{}:3: `q` for whitelist.approve is already bound to global.quit",
            u.display()
        )),
        "{e}"
    );
}

#[test]
fn the_same_key_in_different_screens_is_fine() {
    // `c` confirms both in the list and in the detail screen: never live together.
    let km = parse_keymap(
        "k.toml",
        "[findings]\nconfirm = \"c\"\n[detail]\nconfirm = \"c\"\n[whitelist]\nadd = \"c\"\n",
        None,
    );
    assert!(km.is_ok(), "{:?}", km.err());
}

#[test]
fn toml_syntax_errors_name_the_line() {
    let e = parse_keymap("k.toml", "[global]\nquit = \"q\"\nhelp = \n", None).unwrap_err();
    assert!(e.starts_with("k.toml:3:"), "{e}");
}

#[test]
fn a_named_keymap_file_in_keymaps_dir_is_found_by_path() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/vim.toml");
    let km = load_keymap(p.to_str().unwrap(), Some(std::path::Path::new("/dev/null"))).unwrap();
    assert_eq!(
        km.lookup(Context::List, Key::parse("Ctrl-u").unwrap()),
        Some(Action::PageUp)
    );
}

#[test]
fn wrong_value_type_is_refused() {
    let e = parse_keymap("k.toml", "[global]\nquit = 5\n", None).unwrap_err();
    assert!(e.starts_with("k.toml:2: `quit` needs a key name"), "{e}");
}
