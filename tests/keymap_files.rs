//! Keymap files that are not small regular files are refused at once with a clear message: a
//! FIFO (which used to hang start-up), `/dev/zero` (which used to take 2 GB), a directory, a
//! file over the size limit; both as `--keymap PATH` and as the user's override file.

use jicha::ui::keymap::{load_keymap, MAX_KEYMAP_BYTES};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    p
}

/// `/dev/null` as the override: none.
fn no_override() -> Option<&'static Path> {
    Some(Path::new("/dev/null"))
}

const HINT: &str = "a keymap is a small TOML file (see keymaps/default.toml)";

#[test]
fn fifo_device_and_directory_are_refused_as_keymap_or_override() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing ever writes to the FIFO: a reader that waited on it would hang here.
    let f = fifo(dir.path(), "keymap.toml");
    let fs = f.display().to_string();
    assert_eq!(
        load_keymap(&fs, no_override()).unwrap_err(),
        format!("{fs}: is a FIFO (named pipe), not a regular file; {HINT}")
    );
    assert_eq!(
        load_keymap("default", Some(&f)).unwrap_err(),
        format!("{fs}: is a FIFO (named pipe), not a regular file; {HINT}")
    );
    assert_eq!(
        load_keymap("/dev/zero", no_override()).unwrap_err(),
        format!("/dev/zero: is a character device, not a regular file; {HINT}")
    );
    assert_eq!(
        load_keymap("default", Some(Path::new("/dev/zero"))).unwrap_err(),
        format!("/dev/zero: is a character device, not a regular file; {HINT}")
    );
    let d = dir.path().join("keymaps.toml");
    std::fs::create_dir(&d).unwrap();
    let ds = d.display().to_string();
    assert_eq!(
        load_keymap(&ds, no_override()).unwrap_err(),
        format!("{ds}: is a directory, not a regular file; {HINT}")
    );
}

#[test]
fn keymap_over_the_size_limit_is_refused_and_at_the_limit_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("keymaps/default.toml").unwrap();
    // Padded with a TOML comment up to exactly the limit: still a keymap.
    let mut text = base.clone();
    text.push('#');
    while (text.len() as u64) < MAX_KEYMAP_BYTES {
        text.push('x');
    }
    text.truncate(MAX_KEYMAP_BYTES as usize - 1);
    text.push('\n');
    let at_limit = dir.path().join("at_limit.toml");
    std::fs::write(&at_limit, &text).unwrap();
    load_keymap(at_limit.to_str().unwrap(), no_override()).unwrap();

    text.insert(text.len() - 1, 'x');
    let over = dir.path().join("over.toml");
    std::fs::write(&over, &text).unwrap();
    let os = over.display().to_string();
    assert_eq!(
        load_keymap(&os, no_override()).unwrap_err(),
        format!("{os}: is larger than 64 KiB (the limit); {HINT}")
    );
}

#[test]
fn keymap_that_is_not_utf8_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gbk.toml");
    std::fs::write(&p, [b'#', 0xD5, 0xC5, b'\n']).unwrap();
    let ps = p.display().to_string();
    assert_eq!(
        load_keymap(&ps, no_override()).unwrap_err(),
        format!("{ps}: not valid UTF-8; save the keymap as UTF-8")
    );
}

/// Runs `jicha` (the UI) with `args` and `XDG_CONFIG_HOME`, and returns its exit code and
/// stderr; fails instead of hanging if it does not exit.
fn start_ui(args: &[&str], config_home: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jicha"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A liveness guard, not a speed check: the old reader blocked here forever.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("jicha {args:?} did not exit: start-up hangs on the keymap");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn start_up_with_a_fifo_keymap_or_override_exits_with_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.jicha");
    let db = db.to_str().unwrap();
    let f = fifo(dir.path(), "pipe.toml");
    let fs = f.to_str().unwrap();
    let (code, err) = start_ui(&["--db", db, "--keymap", fs], dir.path());
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!("{fs}: is a FIFO (named pipe), not a regular file")),
        "{err}"
    );

    // The user's override file, found under XDG_CONFIG_HOME.
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("jicha")).unwrap();
    let over = fifo(&config.join("jicha"), "keymap.toml");
    let (code, err) = start_ui(&["--db", db], &config);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{}: is a FIFO (named pipe), not a regular file",
            over.display()
        )),
        "{err}"
    );
}
