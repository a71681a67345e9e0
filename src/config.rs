//! Settings: the flags, the environment, the user's config file and the site's, in that order
//! of precedence. Files are TOML with the keys `db`, `lang`, `keymap`, `ascii`, `timezone` and
//! `log_dir`; a file that is not valid (unknown key, wrong type, a language or timezone that
//! does not exist) is refused at start with `file:line: what is wrong`, never skipped.
//!
//! The site file is `/etc/jicha/config.toml`, the user's `$XDG_CONFIG_HOME/jicha/config.toml`
//! (default `~/.config/jicha/config.toml`). Tests and packagers point elsewhere with
//! `JICHA_SITE_CONFIG` (a file path; empty means no site file) and `JICHA_CONFIG_DIR` (the
//! directory holding the user's `config.toml`; empty means no user file).

use crate::context::{Lang, DEFAULT_TIMEZONE};
use crate::error::{JichaError, Result};
use crate::i18n::config::ConfigWrong;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The site-wide config file.
pub const SITE_CONFIG: &str = "/etc/jicha/config.toml";
/// The largest config file read; a real one is a few lines.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// One config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    db: Option<Spanned<PathBuf>>,
    lang: Option<Spanned<String>>,
    keymap: Option<Spanned<String>>,
    ascii: Option<bool>,
    timezone: Option<Spanned<String>>,
    log_dir: Option<Spanned<PathBuf>>,
}

/// A config file's settings, checked; paths in it are made absolute against its directory.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FileSettings {
    pub db: Option<(PathBuf, String)>,
    pub lang: Option<Lang>,
    pub keymap: Option<String>,
    pub ascii: Option<bool>,
    pub timezone: Option<chrono_tz::Tz>,
    pub log_dir: Option<PathBuf>,
}

/// What was given on the command line (clap has already folded `$JICHA_DB` into `db`).
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub db: Option<PathBuf>,
    pub lang: Option<String>,
    pub keymap: Option<String>,
    pub ascii: bool,
    pub log_dir: Option<PathBuf>,
}

/// Where the dataset setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbSource {
    /// `--db` or `$JICHA_DB`.
    FlagOrEnv,
    /// `db` in this config file (`file:line`).
    File(String),
    /// Nothing configured anywhere: the demo dataset under `$XDG_DATA_HOME/jicha/`.
    Demo,
}

/// Every setting resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub db: PathBuf,
    pub db_source: DbSource,
    pub lang: Lang,
    /// A keymap name or path; `default` when nothing chose one.
    pub keymap: String,
    pub ascii: bool,
    pub timezone: chrono_tz::Tz,
    pub log_dir: Option<PathBuf>,
}

impl Settings {
    /// The dataset is the demo one because none was configured.
    pub fn is_demo(&self) -> bool {
        self.db_source == DbSource::Demo
    }

    /// Reads the site and user files (see the module comment) and resolves `flags` over them.
    /// A bad file is refused in the language the run would have had without it.
    pub fn load(flags: &Flags) -> Result<Settings> {
        let read = |p: Option<PathBuf>| p.map_or(Ok(FileSettings::default()), |p| read_config(&p));
        let site = read(site_config_path());
        let user = read(user_config_path());
        let env_lang = Lang::from_env();
        let (site, user) = match (site, user) {
            (Ok(site), Ok(user)) => (site, user),
            (site, user) => {
                let good = |f: &std::result::Result<FileSettings, ConfigWrong>| {
                    f.as_ref().ok().and_then(|f| f.lang)
                };
                let lang = flags
                    .lang
                    .as_deref()
                    .and_then(Lang::parse)
                    .or(env_lang)
                    .or(good(&user))
                    .or(good(&site))
                    .unwrap_or(Lang::En);
                let wrong = site.and(user).expect_err("one file is refused");
                return Err(JichaError::Usage(wrong.text(lang)));
            }
        };
        resolve(flags, env_lang, &user, &site)
    }
}

/// Flag > environment > user file > site file > built-in default, setting by setting.
pub fn resolve(
    flags: &Flags,
    env_lang: Option<Lang>,
    user: &FileSettings,
    site: &FileSettings,
) -> Result<Settings> {
    let lang = match flags.lang.as_deref() {
        // Said in English: the flag meant to choose the language is what is wrong.
        Some(s) => Lang::parse(s).ok_or_else(|| {
            JichaError::Usage(ConfigWrong::UnknownLangFlag { given: s.into() }.text(Lang::En))
        })?,
        None => env_lang.or(user.lang).or(site.lang).unwrap_or(Lang::En),
    };
    let (db, db_source) = match (&flags.db, &user.db, &site.db) {
        (Some(p), _, _) => (p.clone(), DbSource::FlagOrEnv),
        (None, Some((p, at)), _) | (None, None, Some((p, at))) => {
            (p.clone(), DbSource::File(at.clone()))
        }
        (None, None, None) => (demo_db_path(), DbSource::Demo),
    };
    Ok(Settings {
        db,
        db_source,
        lang,
        keymap: flags
            .keymap
            .clone()
            .filter(|k| !k.is_empty())
            .or_else(|| user.keymap.clone())
            .or_else(|| site.keymap.clone())
            .unwrap_or_else(|| "default".to_string()),
        ascii: flags.ascii || user.ascii.or(site.ascii).unwrap_or(false),
        timezone: user.timezone.or(site.timezone).unwrap_or(DEFAULT_TIMEZONE),
        log_dir: flags
            .log_dir
            .clone()
            .or_else(|| user.log_dir.clone())
            .or_else(|| site.log_dir.clone()),
    })
}

/// `$JICHA_SITE_CONFIG` when set (empty: none), else `/etc/jicha/config.toml`.
pub fn site_config_path() -> Option<PathBuf> {
    match std::env::var_os("JICHA_SITE_CONFIG") {
        Some(v) if v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => Some(PathBuf::from(SITE_CONFIG)),
    }
}

/// `$JICHA_CONFIG_DIR/config.toml` when set (empty: none), else
/// `$XDG_CONFIG_HOME/jicha/config.toml`, else `~/.config/jicha/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    match std::env::var_os("JICHA_CONFIG_DIR") {
        Some(v) if v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v).join("config.toml")),
        None => xdg_dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("jicha/config.toml")),
    }
}

/// The demo dataset: `$XDG_DATA_HOME/jicha/demo.jicha`, default `~/.local/share/jicha/`.
pub fn demo_db_path() -> PathBuf {
    xdg_dir("XDG_DATA_HOME", ".local/share")
        .unwrap_or_else(|| home_of_login().join(".local/share"))
        .join("jicha")
        .join("demo.jicha")
}

/// An XDG base directory: the variable when it is an absolute path (the XDG rule: a relative
/// one is ignored), else `$HOME/<fallback>`.
fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(fallback))
        })
}

/// The home directory of the password database, for a process started without `$HOME`
/// (cron on some systems); `/` when there is none, never a path relative to where jicha runs.
fn home_of_login() -> PathBuf {
    // SAFETY: getpwuid returns NULL or a pointer to static storage that is copied out at once.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if pw.is_null() || (*pw).pw_dir.is_null() {
            return PathBuf::from("/");
        }
        let dir = std::ffi::CStr::from_ptr((*pw).pw_dir).to_string_lossy();
        PathBuf::from(dir.into_owned())
    }
}

/// Reads and checks one config file; a file that does not exist is an empty one.
pub fn read_config(path: &Path) -> std::result::Result<FileSettings, ConfigWrong> {
    let shown = crate::text::escape(&path.display().to_string()).into_owned();
    let bytes = match crate::fsutil::read_small_regular_file(path, MAX_CONFIG_BYTES) {
        Ok(b) => b,
        Err(crate::fsutil::FileError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(FileSettings::default())
        }
        Err(e) => {
            return Err(ConfigWrong::Unreadable {
                file: shown,
                why: e.to_string(),
            })
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| ConfigWrong::NotUtf8 {
        file: shown.clone(),
    })?;
    parse_config(&shown, path.parent().unwrap_or(Path::new("/")), &text)
}

/// Parses a config file's text. `file` names it in messages; relative paths in it are taken
/// against `dir`, the directory it is in, so a file means the same from any working directory.
pub fn parse_config(
    file: &str,
    dir: &Path,
    text: &str,
) -> std::result::Result<FileSettings, ConfigWrong> {
    let at = |span: std::ops::Range<usize>| format!("{file}:{}", line_of(text, span.start));
    let raw: FileConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        ConfigWrong::Toml {
            at: format!("{file}:{line}"),
            message: e.message().trim_end().to_string(),
        }
    })?;
    let path_value = |v: Spanned<PathBuf>, key: &str| {
        let (span, p) = (v.span(), v.into_inner());
        if p.as_os_str().is_empty() {
            return Err(ConfigWrong::EmptyPath {
                at: at(span),
                key: key.to_string(),
            });
        }
        Ok((dir.join(p), at(span)))
    };
    let db = raw.db.map(|v| path_value(v, "db")).transpose()?;
    let log_dir = raw.log_dir.map(|v| path_value(v, "log_dir")).transpose()?;
    let lang = raw
        .lang
        .map(|v| {
            Lang::parse(v.get_ref()).ok_or_else(|| ConfigWrong::UnknownLang {
                at: at(v.span()),
                given: v.get_ref().clone(),
            })
        })
        .transpose()?;
    let timezone = raw
        .timezone
        .map(|v| {
            v.get_ref()
                .parse::<chrono_tz::Tz>()
                .map_err(|_| ConfigWrong::UnknownTimezone {
                    at: at(v.span()),
                    given: v.get_ref().clone(),
                })
        })
        .transpose()?;
    let keymap = raw
        .keymap
        .map(|v| {
            let name = v.get_ref().clone();
            if name.is_empty() {
                return Err(ConfigWrong::EmptyKeymap { at: at(v.span()) });
            }
            // A path is taken against the config file's directory; a name is a built-in keymap.
            Ok(if name.contains('/') || name.ends_with(".toml") {
                dir.join(name).display().to_string()
            } else {
                name
            })
        })
        .transpose()?;
    Ok(FileSettings {
        db,
        lang,
        keymap,
        ascii: raw.ascii,
        timezone,
        log_dir: log_dir.map(|(p, _)| p),
    })
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<FileSettings, String> {
        parse_config("/etc/jicha/config.toml", Path::new("/etc/jicha"), text)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_full_file_is_read() {
        let s = parse(
            "db = \"/srv/audit.jicha\"\nlang = \"zh\"\nkeymap = \"vim\"\nascii = true\n\
             timezone = \"Asia/Urumqi\"\nlog_dir = \"log\"\n",
        )
        .unwrap();
        assert_eq!(
            s.db,
            Some((
                PathBuf::from("/srv/audit.jicha"),
                "/etc/jicha/config.toml:1".to_string()
            ))
        );
        assert_eq!(s.lang, Some(Lang::Zh));
        assert_eq!(s.keymap.as_deref(), Some("vim"));
        assert_eq!(s.ascii, Some(true));
        assert_eq!(s.timezone, Some(chrono_tz::Asia::Urumqi));
        assert_eq!(s.log_dir, Some(PathBuf::from("/etc/jicha/log")));
    }

    #[test]
    fn relative_paths_are_taken_against_the_file_directory() {
        let s = parse("db = \"audit.jicha\"\nkeymap = \"keys/mine.toml\"\n").unwrap();
        assert_eq!(s.db.unwrap().0, PathBuf::from("/etc/jicha/audit.jicha"));
        assert_eq!(s.keymap.as_deref(), Some("/etc/jicha/keys/mine.toml"));
    }

    #[test]
    fn bad_files_are_refused_with_file_line_and_what_is_wrong() {
        let cases = [
            ("lang = \"zh\"\ncolour = 1\n", ":2: unknown field `colour`"),
            (
                "ascii = \"yes\"\n",
                ":1: invalid type: string \"yes\", expected a boolean",
            ),
            ("\n\nlang = \"fr\"\n", ":3: lang = \"fr\": unknown language"),
            (
                "timezone = \"Mars/Base\"\n",
                ":1: timezone = \"Mars/Base\": not a timezone name",
            ),
            ("db = \"\"\n", ":1: db is empty"),
            ("db = 3\n", ":1: invalid type: integer `3`"),
            ("lang = \n", ":1: "),
        ];
        for (text, want) in cases {
            let e = parse(text).unwrap_err();
            assert!(
                e.starts_with("/etc/jicha/config.toml:") && e.contains(want),
                "{text:?}: {e}"
            );
        }
    }

    fn file(db: Option<&str>, lang: Option<Lang>, keymap: Option<&str>) -> FileSettings {
        FileSettings {
            db: db.map(|p| (PathBuf::from(p), format!("{p}:1"))),
            lang,
            keymap: keymap.map(str::to_string),
            ..FileSettings::default()
        }
    }

    #[test]
    fn flag_beats_environment_beats_user_beats_site() {
        let site = file(Some("/site.jicha"), Some(Lang::Zh), Some("vim"));
        let user = file(Some("/user.jicha"), Some(Lang::En), None);
        let none = Flags::default();

        let s = resolve(&none, None, &user, &site).unwrap();
        assert_eq!(s.db, PathBuf::from("/user.jicha"));
        assert_eq!(s.db_source, DbSource::File("/user.jicha:1".into()));
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.keymap, "vim");

        let s = resolve(&none, None, &FileSettings::default(), &site).unwrap();
        assert_eq!((s.db, s.lang), (PathBuf::from("/site.jicha"), Lang::Zh));

        let s = resolve(&none, Some(Lang::Zh), &user, &site).unwrap();
        assert_eq!(s.lang, Lang::Zh, "the environment beats the user file");

        let flags = Flags {
            db: Some("/flag.jicha".into()),
            lang: Some("en".into()),
            keymap: Some("default".into()),
            ..Flags::default()
        };
        let s = resolve(&flags, Some(Lang::Zh), &user, &site).unwrap();
        assert_eq!(s.db_source, DbSource::FlagOrEnv);
        assert_eq!((s.lang, s.keymap.as_str()), (Lang::En, "default"));
        assert!(!s.is_demo());
    }

    #[test]
    fn nothing_configured_means_the_demo_dataset_in_the_default_timezone() {
        let d = FileSettings::default();
        let s = resolve(&Flags::default(), None, &d, &d).unwrap();
        assert!(s.is_demo());
        assert!(s.db.ends_with("jicha/demo.jicha"), "{}", s.db.display());
        assert_eq!(s.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(
            (s.lang, s.keymap.as_str(), s.ascii),
            (Lang::En, "default", false)
        );
    }
}
