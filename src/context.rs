//! Who is acting, with which role, on which business date.

use crate::error::{JichaError, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

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
            other => Err(JichaError::invalid(format!(
                "unknown role `{other}`; use viewer, auditor, reviewer or admin"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `--lang` when given, else `LANG`/`LC_ALL` (zh_* → Chinese), else English.
    pub fn detect(flag: Option<&str>) -> Result<Lang> {
        match flag {
            Some("zh") => return Ok(Lang::Zh),
            Some("en") => return Ok(Lang::En),
            Some(other) => {
                return Err(JichaError::invalid(format!(
                    "unknown language `{other}`; use zh or en"
                )))
            }
            None => {}
        }
        let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default();
        Ok(if env.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        })
    }
}

/// The acting operator and the business date, passed to every action.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub operator: String,
    pub role: Role,
    pub today: NaiveDate,
    pub lang: Lang,
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
                return Err(JichaError::invalid(
                    "--operator needs a plain login name (no spaces-only or control characters)",
                ));
            }
            Ok(name.to_string())
        }
        Some(name) => Err(JichaError::invalid(format!(
            "--operator {name}: only root may act as another operator; you are {me}"
        ))),
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

/// One row of the operator list.
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    pub login: String,
    pub role: String,
    /// Empty when none was given.
    pub name: String,
    pub added_at: String,
    pub added_by: String,
}

/// The operator list, by login.
pub fn operators(conn: &Connection) -> Result<Vec<Operator>> {
    let mut stmt = conn.prepare(
        "SELECT login, role, coalesce(name, ''), added_at, added_by FROM operators ORDER BY login",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Operator {
            login: r.get(0)?,
            role: r.get(1)?,
            name: r.get(2)?,
            added_at: r.get(3)?,
            added_by: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
