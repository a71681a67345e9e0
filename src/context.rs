//! Who is acting, with which role, on which business date.

use crate::error::{JichaError, Result};
use crate::i18n::refusals_input::InputWrong;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Auditor,
    Reviewer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Auditor => "auditor",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "auditor" => Ok(Role::Auditor),
            "reviewer" => Ok(Role::Reviewer),
            "admin" => Ok(Role::Admin),
            other => Err(JichaError::invalid(InputWrong::UnknownRole {
                given: other.to_string(),
            })),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh` or `en`, as `--lang` and the config files spell it.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// `--lang` when given, else `LANG`/`LC_ALL` (zh_* → Chinese), else English.
    pub fn detect(flag: Option<&str>) -> Result<Lang> {
        match flag {
            Some(s) => Lang::parse(s).ok_or_else(|| {
                JichaError::invalid(InputWrong::UnknownLang {
                    given: s.to_string(),
                })
            }),
            None => Ok(Lang::from_env().unwrap_or(Lang::En)),
        }
    }

    /// The language the locale asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
    /// set (zh_* → Chinese, anything else English). None when none is set or the locale is
    /// `C`/`POSIX` (`C.UTF-8` included): those are what a system has when nobody chose a
    /// language, so the config files decide.
    pub fn from_env() -> Option<Lang> {
        let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))?;
        let base = env.split(['.', '@']).next().unwrap_or("");
        if base == "C" || base == "POSIX" {
            return None;
        }
        Some(if env.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        })
    }
}

/// The dataset timezone when no config file names one (workflow.md "Dates").
pub const DEFAULT_TIMEZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// Where the business date comes from. `--today` fixes it; otherwise it is the local date in
/// the dataset timezone now, asked of the clock each time, so a UI left open past midnight
/// moves to the new day. Tests drive the time with `BusinessClock::driven`.
#[derive(Clone)]
pub struct BusinessClock {
    fixed: Option<NaiveDate>,
    tz: chrono_tz::Tz,
    now: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

impl std::fmt::Debug for BusinessClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.fixed {
            Some(d) => write!(f, "BusinessClock(fixed {d})"),
            None => write!(f, "BusinessClock(live, {})", self.tz),
        }
    }
}

impl BusinessClock {
    /// `--today` when given, else the wall clock in `tz`.
    pub fn new(today: Option<NaiveDate>, tz: chrono_tz::Tz) -> BusinessClock {
        BusinessClock {
            fixed: today,
            tz,
            now: Arc::new(Utc::now),
        }
    }

    /// A clock whose time is `now()`'s answer (tests crossing midnight).
    pub fn driven(
        tz: chrono_tz::Tz,
        now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static,
    ) -> BusinessClock {
        BusinessClock {
            fixed: None,
            tz,
            now: Arc::new(now),
        }
    }

    /// The business date now.
    pub fn today(&self) -> NaiveDate {
        self.fixed
            .unwrap_or_else(|| (self.now)().with_timezone(&self.tz).date_naive())
    }

    /// Whether the date was given (`--today`) and so never rolls over.
    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }
}

/// The acting operator and the business date, passed to every action.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub operator: String,
    pub role: Role,
    pub today: NaiveDate,
    pub lang: Lang,
    /// The unit the operator is bound to (`operator add --unit`): they act only inside its
    /// subtree. None: the audit centre, acting everywhere.
    pub unit: Option<String>,
}

impl Ctx {
    /// Wall-clock UTC time, logged beside the business date even when `--today` replays a day.
    pub fn now_utc(&self) -> String {
        now_utc()
    }

    /// Refuses with a message naming the role needed.
    pub fn require(&self, needed: Role, action: &str) -> Result<()> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(JichaError::Refused {
                action: action.to_string(),
                needed: needed.as_str(),
                who: self.operator.clone(),
                have: self.role.as_str(),
            })
        }
    }
}

pub fn now_utc() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The login of the real user running the program (not `$USER`, which anyone can set).
pub fn os_login() -> String {
    // SAFETY: getuid never fails; getpwuid returns NULL or a pointer to static storage that we
    // copy out of at once, before any other call could overwrite it.
    unsafe {
        let uid = libc::getuid();
        let pw = libc::getpwuid(uid);
        if pw.is_null() || (*pw).pw_name.is_null() {
            return format!("uid{uid}");
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_string_lossy()
            .into_owned()
    }
}

pub fn is_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() == 0 }
}

/// The operator name to act as: the real login, or `--operator NAME` for root or oneself.
pub fn resolve_operator(requested: Option<&str>) -> Result<String> {
    let me = os_login();
    match requested {
        None => Ok(me),
        Some(name) if name == me || is_root() => {
            if name.trim().is_empty() || name.chars().any(char::is_control) {
                return Err(JichaError::invalid(InputWrong::OperatorNotPlain));
            }
            Ok(name.to_string())
        }
        Some(name) => Err(JichaError::invalid(InputWrong::OperatorNotRoot {
            name: name.to_string(),
            me,
        })),
    }
}

/// A login not in the operator list is a viewer.
pub fn role_of(conn: &Connection, login: &str) -> Result<Role> {
    let role: Option<String> = conn
        .query_row(
            "SELECT role FROM operators WHERE login = ?1",
            [login],
            |r| r.get(0),
        )
        .optional()?;
    match role {
        Some(r) => Role::parse(&r),
        None => Ok(Role::Viewer),
    }
}

/// The unit `login` is bound to; None for the audit centre and for logins not in the list.
pub fn unit_of(conn: &Connection, login: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT unit FROM operators WHERE login = ?1",
            [login],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// One row of the operator list.
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    pub login: String,
    pub role: String,
    /// Empty when none was given.
    pub name: String,
    pub added_at: String,
    pub added_by: String,
    /// The unit they are bound to; None: the audit centre.
    pub unit: Option<String>,
}

/// The operator list, by login.
pub fn operators(conn: &Connection) -> Result<Vec<Operator>> {
    let mut stmt = conn.prepare(
        "SELECT login, role, coalesce(name, ''), added_at, added_by, unit FROM operators
         ORDER BY login",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Operator {
            login: r.get(0)?,
            role: r.get(1)?,
            name: r.get(2)?,
            added_at: r.get(3)?,
            added_by: r.get(4)?,
            unit: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
