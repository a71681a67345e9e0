//! Config files, the demo dataset's place, and the diagnostic log, through the binary. Every
//! run is sealed off from the machine: its own site file, user config directory, data home
//! and home (`JICHA_SITE_CONFIG`, `JICHA_CONFIG_DIR`, `XDG_DATA_HOME`, `HOME`), so a test never
//! reads /etc/jicha or writes to the real ~/.local/share.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let s = Sandbox {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(s.config_dir()).unwrap();
        s
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    fn config_dir(&self) -> PathBuf {
        self.path("config")
    }

    fn site(&self) -> PathBuf {
        self.path("site.toml")
    }

    fn demo(&self) -> PathBuf {
        self.path("data/jicha/demo.jicha")
    }

    fn jicha(&self, args: &[&str]) -> Output {
        self.jicha_in(self.dir.path(), args)
    }

    fn jicha_in(&self, cwd: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_jicha"))
            .args(args)
            .current_dir(cwd)
            .env("JICHA_SITE_CONFIG", self.site())
            .env("JICHA_CONFIG_DIR", self.config_dir())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("HOME", self.dir.path())
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("JICHA_DB")
            .env_remove("JICHA_LOG")
            .output()
            .unwrap()
    }

    /// A small demo export, and a dataset at `db` with it imported.
    fn dataset_at(&self, db: &Path) {
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let export = db.with_extension("export");
        let e = export.to_str().unwrap();
        let out = self.jicha(&[
            "demo",
            "--out",
            e,
            "--customers",
            "40",
            "--months",
            "8",
            "--end",
            "2026-10",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = self.jicha(&["--db", db.to_str().unwrap(), "import", e]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_bad_user_config_is_refused_at_start_with_file_line_and_what_is_wrong() {
    let s = Sandbox::new();
    let user = s.config_dir().join("config.toml");
    std::fs::write(&user, "lang = \"zh\"\ncolour = \"blue\"\n").unwrap();
    let out = s.jicha(&["thresholds", "show"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}:2: unknown field `colour`", user.display())),
        "{err}"
    );

    std::fs::write(&user, "").unwrap();
    std::fs::write(s.site(), "timezone = \"Asia/Beijing\"\n").unwrap();
    let out = s.jicha(&["thresholds", "show"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "{}:1: timezone = \"Asia/Beijing\": not a timezone name",
            s.site().display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_without_a_configured_dataset_refuses_and_leaves_no_demo_behind() {
    let s = Sandbox::new();
    let out = s.jicha(&["import", s.path("export").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no dataset is configured"), "{err}");
    assert!(err.contains(&s.demo().display().to_string()), "{err}");
    assert!(!s.demo().exists());
}

#[test]
fn the_demo_is_used_only_when_nothing_is_configured_and_says_so() {
    let s = Sandbox::new();
    // A dataset in the user's config file (relative to that file) stands: no demo is made.
    s.dataset_at(&s.config_dir().join("audit.jicha"));
    std::fs::write(s.config_dir().join("config.toml"), "db = \"audit.jicha\"\n").unwrap();
    let out = s.jicha(&["thresholds", "show"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("demo"), "{}", stderr(&out));
    assert!(!s.demo().exists());

    // Nothing configured: the demo (made here by naming it, which import allows) is used.
    std::fs::write(s.config_dir().join("config.toml"), "lang = \"en\"\n").unwrap();
    s.dataset_at(&s.demo());
    let out = s.jicha(&["thresholds", "show"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("using the demo dataset {}", s.demo().display())),
        "{err}"
    );
}

#[test]
fn a_keymaps_directory_in_the_working_directory_does_not_shadow_the_built_in_ones() {
    let s = Sandbox::new();
    let cwd = s.path("work");
    std::fs::create_dir_all(cwd.join("keymaps")).unwrap();
    std::fs::write(cwd.join("keymaps/default.toml"), "not = [a keymap\n").unwrap();
    // The UI checks its keymap first, then opens the dataset, which does not exist here: so the
    // run ends on the dataset (exit 1), not on the stray keymap file (exit 2).
    let missing = s.path("missing/none.jicha");
    let out = s.jicha_in(
        &cwd,
        &["--db", missing.to_str().unwrap(), "--keymap", "default"],
    );
    let err = stderr(&out);
    assert!(!err.contains("keymaps/default.toml"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
}

#[test]
fn an_import_writes_timings_and_row_counts_to_the_daily_log_file() {
    let s = Sandbox::new();
    let logs = s.path("logs");
    let export = s.path("export");
    let out = s.jicha(&[
        "demo",
        "--out",
        export.to_str().unwrap(),
        "--customers",
        "30",
        "--months",
        "8",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = s.path("d.jicha");
    let out = s.jicha(&[
        "--db",
        db.to_str().unwrap(),
        "--log-dir",
        logs.to_str().unwrap(),
        "import",
        export.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).lines().all(|l| !l.contains("jicha::")),
        "{}",
        stderr(&out)
    );
    // A refused import is logged as well.
    let out = s.jicha(&[
        "--db",
        db.to_str().unwrap(),
        "--log-dir",
        logs.to_str().unwrap(),
        "import",
        s.path("no-such-export").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let files: Vec<PathBuf> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("jicha.") && name.ends_with(".log"),
        "{name}"
    );
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let done = text
        .lines()
        .find(|l| l.contains("jicha::timing") && l.contains("import"))
        .unwrap_or_else(|| panic!("no import timing in:\n{text}"));
    assert!(done.contains("ms=") && done.contains("rows="), "{done}");
    assert!(!done.contains("rows=0"), "{done}");
    assert!(text.contains("import refused"), "{text}");
}

#[test]
fn log_level_on_stderr_only_when_asked() {
    let s = Sandbox::new();
    let db = s.path("d.jicha");
    s.dataset_at(&db);
    let quiet = s.jicha(&["--db", db.to_str().unwrap(), "thresholds", "show"]);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    let loud = s.jicha(&[
        "--db",
        db.to_str().unwrap(),
        "--log-level",
        "info",
        "thresholds",
        "show",
    ]);
    assert!(
        stderr(&loud).contains("jicha::command"),
        "{}",
        stderr(&loud)
    );
    assert_eq!(quiet.stdout, loud.stdout, "the log never goes to stdout");
    let bad = s.jicha(&["--log-level", "loud", "thresholds", "show"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// No path of the machine that built the binary is compiled in: the source never asks for
/// the build directory outside tests (the demo lives under $XDG_DATA_HOME, keymaps are
/// `include_str!`-ed).
#[test]
fn the_source_compiles_in_no_build_tree_path() {
    let mut offenders = Vec::new();
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for needle in ["CARGO_MANIFEST_DIR", "CARGO_MANIFEST_PATH", "OUT_DIR"] {
                    if text.contains(&format!("env!(\"{needle}\")")) {
                        offenders.push(format!("{}: {needle}", p.display()));
                    }
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}
