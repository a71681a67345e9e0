//! Keymaps: named TOML files (`keymaps/*.toml`, embedded) plus a user file that overrides
//! single bindings. Every problem is reported as `file:line: what is wrong` before the terminal
//! is touched, so a typo never leaves an operator with a dead key.

mod key;

pub use key::Key;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DEFAULT_TOML: &str = include_str!("../../../keymaps/default.toml");
const VIM_TOML: &str = include_str!("../../../keymaps/vim.toml");

/// The embedded keymaps, by name.
pub const BUILTIN: &[(&str, &str)] = &[("default", DEFAULT_TOML), ("vim", VIM_TOML)];

/// Where a binding is active. `Global` and `List` are active on every screen; a screen's own
/// context is active beside them, so a key may appear only once across the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Global,
    List,
    Findings,
    Detail,
    Whitelist,
    Tickets,
    Reports,
    Quality,
    Theme,
    Editor,
    Confirm,
    Choice,
    Prompt,
    Discard,
    Dashboard,
    Inspections,
    Campaigns,
    /// 稽查质检 (the QC screen).
    Qc,
    /// 操作日志 (the action log screen).
    Log,
    /// The admin screens: thresholds, operators, units, site rules.
    Admin,
}

impl Context {
    pub const ALL: [Context; 20] = [
        Context::Global,
        Context::List,
        Context::Findings,
        Context::Detail,
        Context::Whitelist,
        Context::Tickets,
        Context::Reports,
        Context::Quality,
        Context::Theme,
        Context::Editor,
        Context::Confirm,
        Context::Choice,
        Context::Prompt,
        Context::Discard,
        Context::Dashboard,
        Context::Inspections,
        Context::Campaigns,
        Context::Qc,
        Context::Log,
        Context::Admin,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Findings => "findings",
            Context::Detail => "detail",
            Context::Whitelist => "whitelist",
            Context::Tickets => "tickets",
            Context::Reports => "reports",
            Context::Quality => "quality",
            Context::Theme => "theme",
            Context::Editor => "editor",
            Context::Confirm => "confirm",
            Context::Choice => "choice",
            Context::Prompt => "prompt",
            Context::Discard => "discard",
            Context::Dashboard => "dashboard",
            Context::Inspections => "inspections",
            Context::Campaigns => "campaigns",
            Context::Qc => "qc",
            Context::Log => "log",
            Context::Admin => "admin",
        }
    }

    fn parse(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == s)
    }

    /// The contexts whose keys are live together with this one (checked for clashes).
    pub fn stack(self) -> &'static [Context] {
        match self {
            Context::Global | Context::List => &[Context::Global, Context::List],
            Context::Findings => &[Context::Global, Context::List, Context::Findings],
            Context::Detail => &[Context::Global, Context::List, Context::Detail],
            Context::Whitelist => &[Context::Global, Context::List, Context::Whitelist],
            Context::Tickets => &[Context::Global, Context::List, Context::Tickets],
            Context::Reports => &[Context::Global, Context::List, Context::Reports],
            Context::Quality => &[Context::Global, Context::List, Context::Quality],
            Context::Theme => &[Context::Global, Context::List, Context::Theme],
            // A dialog takes every other key as text (or ignores it), so only its own keys
            // are live while it is open.
            Context::Editor => &[Context::Editor],
            Context::Confirm => &[Context::Confirm],
            Context::Choice => &[Context::Choice],
            Context::Prompt => &[Context::Prompt],
            Context::Discard => &[Context::Discard],
            Context::Dashboard => &[Context::Global, Context::List, Context::Dashboard],
            Context::Inspections => &[Context::Global, Context::List, Context::Inspections],
            Context::Campaigns => &[Context::Global, Context::List, Context::Campaigns],
            Context::Qc => &[Context::Global, Context::List, Context::Qc],
            Context::Log => &[Context::Global, Context::List, Context::Log],
            Context::Admin => &[Context::Global, Context::List, Context::Admin],
        }
    }
}

macro_rules! actions {
    ($($variant:ident => $ctx:ident $name:literal,)*) => {
        /// Everything a key can do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant,)* }

        /// (context, name in the TOML file, action), in help-overlay order.
        pub const ACTIONS: &[(Context, &str, Action)] = &[$((Context::$ctx, $name, Action::$variant),)*];
    };
}

actions! {
    Quit => Global "quit",
    Help => Global "help",
    GoDashboard => Global "dashboard",
    GoFindings => Global "findings",
    GoRules => Global "rules",
    GoWhitelist => Global "whitelist",
    GoTickets => Global "tickets",
    GoReports => Global "reports",
    GoQuality => Global "quality",
    GoTheme => Global "theme",
    NextPanel => Global "next_panel",
    PrevPanel => Global "prev_panel",
    Refresh => Global "refresh",
    Scan => Global "scan",
    CancelJob => Global "cancel_job",
    Up => List "up",
    Down => List "down",
    PageUp => List "page_up",
    PageDown => List "page_down",
    Top => List "top",
    Bottom => List "bottom",
    Open => List "open",
    Back => List "back",
    Search => List "search",
    FilterStatus => Findings "filter_status",
    FilterSeverity => Findings "filter_severity",
    FilterLevel => Findings "filter_level",
    FilterUnit => Findings "filter_unit",
    FilterRule => Findings "filter_rule",
    FilterSuppressed => Findings "filter_suppressed",
    ClearFilters => Findings "clear_filters",
    Sort => Findings "sort",
    Reverse => Findings "reverse",
    Mark => Findings "mark",
    ClearMarks => Findings "clear_marks",
    Confirm => Findings "confirm",
    Close => Findings "close",
    Reopen => Findings "reopen",
    Note => Findings "note",
    WhitelistAdd => Findings "whitelist_add",
    TicketCreate => Findings "ticket",
    FExport => Findings "export",
    DConfirm => Detail "confirm",
    DClose => Detail "close",
    DReopen => Detail "reopen",
    DNote => Detail "note",
    DWhitelistAdd => Detail "whitelist_add",
    DTicketCreate => Detail "ticket",
    WlView => Whitelist "next_view",
    WlAdd => Whitelist "add",
    WlExtend => Whitelist "extend",
    WlRevoke => Whitelist "revoke",
    WlApprove => Whitelist "approve",
    TkView => Tickets "next_view",
    TkAck => Tickets "ack",
    TkSubmit => Tickets "submit",
    TkApprove => Tickets "approve",
    TkReturn => Tickets "return",
    TkCancel => Tickets "cancel",
    TkReview => Tickets "review",
    TkArchive => Tickets "archive",
    RpPeriod => Reports "next_period",
    RpChart => Reports "chart",
    RpExport => Reports "export",
    QPeriodKind => Quality "period_kind",
    QPrevPeriod => Quality "prev_period",
    QNextPeriod => Quality "next_period",
    QLevel => Quality "level",
    QEnterValue => Quality "enter_value",
    ThCategory => Theme "next_category",
    ThRule => Theme "rule",
    ThExport => Theme "export",
    Save => Editor "save",
    Cancel => Editor "cancel",
    NextField => Editor "next_field",
    PrevField => Editor "prev_field",
    Yes => Confirm "yes",
    No => Confirm "no",
    ChoiceUp => Choice "up",
    ChoiceDown => Choice "down",
    Pick => Choice "pick",
    ChoiceCancel => Choice "cancel",
    Submit => Prompt "submit",
    PromptCancel => Prompt "cancel",
    CursorLeft => Prompt "left",
    CursorRight => Prompt "right",
    LineStart => Prompt "line_start",
    LineEnd => Prompt "line_end",
    DeleteBefore => Prompt "delete_before",
    DeleteAfter => Prompt "delete_after",
    DeleteWord => Prompt "delete_word",
    DeleteToStart => Prompt "delete_to_start",
    Discard => Discard "discard",
    Escalations => Dashboard "escalations",
    QUnit => Quality "unit",
    ThUnit => Theme "unit",
    RpUnit => Reports "unit",
    GoInspections => Global "inspections",
    InspectionCreate => Findings "inspect",
    InView => Inspections "next_view",
    InRecord => Inspections "record",
    InCancel => Inspections "cancel",
    Campaigns => Dashboard "campaigns",
    DSpread => Detail "spread",
    CpExport => Campaigns "export",
    QcOpen => Quality "qc",
    QcPrevMonth => Qc "prev_month",
    QcNextMonth => Qc "next_month",
    QcItemLeft => Qc "prev_item",
    QcItemRight => Qc "next_item",
    QcPass => Qc "pass",
    QcFail => Qc "fail",
    Command => Global "command",
    Copy => Global "copy",
    Complete => Prompt "complete",
    NextCandidate => Prompt "next",
    PrevCandidate => Prompt "previous",
    MarkAll => Findings "mark_all",
    InvertMarks => Findings "invert_marks",
    RangeMark => Findings "range_mark",
    SaveView => Findings "save_view",
    Views => Findings "views",
    Undo => Global "undo",
    FColumns => Findings "columns",
    FScrollLeft => Findings "scroll_left",
    FScrollRight => Findings "scroll_right",
    FilterRecurred => Findings "filter_recurred",
    GoLog => Global "log",
    LogVerify => Log "verify",
    CpSample => Campaigns "sample",
    NextMatch => List "next_match",
    PrevMatch => List "prev_match",
    ChoiceSearch => Choice "search",
    GoImport => Global "import",
    QDeductions => Quality "deductions",
    QAdjust => Quality "adjust",
    GoThresholds => Global "thresholds",
    GoOperators => Global "operators",
    GoUnits => Global "units",
    GoSiteRules => Global "site_rules",
    AdEdit => Admin "edit",
    AdAdd => Admin "add",
    AdRole => Admin "role",
    AdEnable => Admin "enable",
    AdDisable => Admin "disable",
    DChanges => Detail "changes",
}

impl Action {
    pub fn context(self) -> Context {
        ACTIONS
            .iter()
            .find(|(_, _, a)| *a == self)
            .map(|(c, _, _)| *c)
            .expect("every action is listed")
    }

    pub fn name(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(_, _, a)| *a == self)
            .map(|(_, n, _)| *n)
            .expect("every action is listed")
    }

    /// Keys that start a change of the dataset (directly, or through a dialog that ends in
    /// one): refused while another change is being written.
    pub fn starts_a_change(self) -> bool {
        matches!(
            self,
            Action::Confirm
                | Action::Close
                | Action::Reopen
                | Action::Note
                | Action::WhitelistAdd
                | Action::TicketCreate
                | Action::WlAdd
                | Action::WlExtend
                | Action::WlRevoke
                | Action::WlApprove
                | Action::TkAck
                | Action::TkSubmit
                | Action::TkApprove
                | Action::TkReturn
                | Action::TkCancel
                | Action::TkReview
                | Action::TkArchive
                | Action::QEnterValue
                | Action::SaveView
                | Action::Undo
                | Action::QAdjust
                | Action::AdEdit
                | Action::AdAdd
                | Action::AdRole
                | Action::AdEnable
                | Action::AdDisable
        )
    }

    /// The detail screen's triage actions are the findings list's, on one finding.
    pub fn triage_equivalent(self) -> Action {
        match self {
            Action::DConfirm => Action::Confirm,
            Action::DClose => Action::Close,
            Action::DReopen => Action::Reopen,
            Action::DNote => Action::Note,
            Action::DWhitelistAdd => Action::WhitelistAdd,
            Action::DTicketCreate => Action::TicketCreate,
            other => other,
        }
    }
}

/// Where a binding came from, for error messages.
#[derive(Debug, Clone)]
struct Origin {
    file: String,
    line: usize,
    /// 0 for the named keymap, 1 for the user's override file.
    layer: u8,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub name: String,
    /// Per action, its keys in the order the file gave them.
    bindings: BTreeMap<(Context, &'static str), (Vec<Key>, Origin)>,
}

impl Keymap {
    /// The action a key does where `ctx` is the screen's own context.
    pub fn lookup(&self, ctx: Context, key: Key) -> Option<Action> {
        for c in ctx.stack() {
            for ((bc, name), (keys, _)) in &self.bindings {
                if bc == c && keys.contains(&key) {
                    return action_by_name(*c, name);
                }
            }
        }
        None
    }

    /// The keys bound to an action, for on-screen hints ("Ctrl-s save").
    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings
            .get(&(action.context(), action.name()))
            .map(|(k, _)| k.as_slice())
            .unwrap_or(&[])
    }

    /// The first key of an action as text, or `—` when it is unbound.
    pub fn hint(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map(|k| k.to_string())
            .unwrap_or_else(|| "—".into())
    }

    /// All keys of an action joined by `/`.
    pub fn all_keys(&self, action: Action) -> String {
        let k = self.keys(action);
        if k.is_empty() {
            "—".into()
        } else {
            k.iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join("/")
        }
    }
}

fn action_by_name(ctx: Context, name: &str) -> Option<Action> {
    ACTIONS
        .iter()
        .find(|(c, n, _)| *c == ctx && *n == name)
        .map(|(_, _, a)| *a)
}

/// The user's override file: `$XDG_CONFIG_HOME/jicha/keymap.toml`, else `~/.config/jicha/keymap.toml`.
pub fn user_keymap_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("jicha").join("keymap.toml"))
}

/// Loads a keymap by name (a built-in one: `default`, `vim`) or by path,
/// then applies the user's override file: `user` when given, else the default user path when
/// that file exists. Errors are `file:line: what is wrong`, one per line.
pub fn load_keymap(name_or_path: &str, user: Option<&Path>) -> Result<Keymap, String> {
    let (base_name, base_text) = resolve_base(name_or_path)?;
    let user_file = match user {
        Some(p) => Some((p.display().to_string(), read_keymap_file(p)?)),
        None => match user_keymap_path().filter(|p| p.exists()) {
            Some(p) => Some((p.display().to_string(), read_keymap_file(&p)?)),
            None => None,
        },
    };
    let mut km = parse_keymap(&base_name, &base_text, None)?;
    km.name = name_or_path.to_string();
    if let Some((file, text)) = user_file {
        km = parse_keymap(&file, &text, Some(km))?;
    }
    Ok(km)
}

/// Reads a keymap's text: a path (contains `/` or ends in `.toml`) is that file; a name is a
/// built-in keymap, compiled in. No directory is searched for names, so a `keymaps/` directory
/// where jicha happens to be started cannot stand in for a built-in keymap.
fn resolve_base(name_or_path: &str) -> Result<(String, String), String> {
    let looks_like_path = name_or_path.contains('/') || name_or_path.ends_with(".toml");
    if looks_like_path {
        let text = read_keymap_file(Path::new(name_or_path))?;
        return Ok((name_or_path.to_string(), text));
    }
    if name_or_path.is_empty()
        || !name_or_path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "keymap `{name_or_path}`: a keymap name is letters, digits, - and _ (or give a path)"
        ));
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name_or_path)
        .map(|(n, t)| (format!("keymaps/{n}.toml"), t.to_string()))
        .ok_or_else(|| {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            format!(
                "keymap `{name_or_path}`: no such keymap; built in are {}, or give a file path",
                names.join(", ")
            )
        })
}

/// The largest keymap file read; the built-in ones are under 2 KiB.
pub const MAX_KEYMAP_BYTES: u64 = 64 * 1024;

/// Reads a keymap file: a regular file of at most `MAX_KEYMAP_BYTES` of UTF-8. A FIFO, device
/// or directory is refused at once, without waiting on it or reading past the limit.
fn read_keymap_file(path: &Path) -> Result<String, String> {
    let shown = crate::text::escape(&path.display().to_string()).into_owned();
    let bytes =
        crate::fsutil::read_small_regular_file(path, MAX_KEYMAP_BYTES).map_err(|e| match e {
            crate::fsutil::FileError::Io(e) => format!("{shown}: {e}"),
            other => format!(
                "{shown}: {other}; a keymap is a small TOML file (see keymaps/default.toml)"
            ),
        })?;
    String::from_utf8(bytes)
        .map_err(|_| format!("{shown}: not valid UTF-8; save the keymap as UTF-8"))
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

type Doc = BTreeMap<
    toml::Spanned<String>,
    toml::Spanned<BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>>,
>;

/// Parses one keymap file. With `base`, the file overrides single bindings of `base`: an action
/// it names gets exactly the keys it gives, every other action keeps its keys.
pub fn parse_keymap(file: &str, text: &str, base: Option<Keymap>) -> Result<Keymap, String> {
    let doc: Doc = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        // One line per error: the TOML parser's message may span lines.
        let msg = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        format!("{file}:{line}: {msg}")
    })?;
    let mut errors = Vec::new();
    let layer = u8::from(base.is_some());
    let mut km = base.unwrap_or(Keymap {
        name: file.to_string(),
        bindings: BTreeMap::new(),
    });
    for (ctx_name, table) in &doc {
        let Some(ctx) = Context::parse(ctx_name.get_ref()) else {
            let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            errors.push(format!(
                "{file}:{}: unknown section [{}]; sections are {}",
                line_of(text, ctx_name.span().start),
                ctx_name.get_ref(),
                names.join(", ")
            ));
            continue;
        };
        for (act_name, value) in table.get_ref() {
            let line = line_of(text, act_name.span().start);
            let Some(action) = action_by_name(ctx, act_name.get_ref()) else {
                let known: Vec<&str> = ACTIONS
                    .iter()
                    .filter(|(c, _, _)| *c == ctx)
                    .map(|(_, n, _)| *n)
                    .collect();
                errors.push(format!(
                    "{file}:{line}: unknown action `{}` in [{}]; actions there are {}",
                    act_name.get_ref(),
                    ctx.name(),
                    known.join(", ")
                ));
                continue;
            };
            let names: Vec<String> = match value.get_ref() {
                toml::Value::String(s) => vec![s.clone()],
                toml::Value::Array(items) if items.iter().all(|i| i.is_str()) => items
                    .iter()
                    .map(|i| i.as_str().unwrap_or_default().to_string())
                    .collect(),
                _ => {
                    errors.push(format!(
                        "{file}:{line}: `{}` needs a key name or a list of key names, e.g. [\"j\", \"Down\"]",
                        act_name.get_ref()
                    ));
                    continue;
                }
            };
            let mut keys = Vec::new();
            for n in &names {
                match Key::parse(n) {
                    Some(k) => keys.push(k),
                    None => errors.push(format!(
                        "{file}:{line}: unknown key `{n}` for `{}`; write a character (q, G, ?), or Enter, Esc, Tab, Space, Up, PageDown, F1…F12, with Ctrl- or Alt- in front",
                        act_name.get_ref()
                    )),
                }
            }
            km.bindings.insert(
                (ctx, action.name()),
                (
                    keys,
                    Origin {
                        file: file.to_string(),
                        line,
                        layer,
                    },
                ),
            );
        }
    }
    errors.extend(clashes(&km));
    if errors.is_empty() {
        Ok(km)
    } else {
        errors.dedup();
        Err(errors.join("\n"))
    }
}

/// A key bound twice among the contexts that are live together; the later binding is blamed.
fn clashes(km: &Keymap) -> Vec<String> {
    let mut out = Vec::new();
    for ctx in Context::ALL {
        let mut seen: std::collections::HashMap<Key, (Context, &str, &Origin)> =
            std::collections::HashMap::new();
        let mut list: Vec<(Context, &str, &Key, &Origin)> = Vec::new();
        for c in ctx.stack() {
            for ((bc, name), (keys, origin)) in &km.bindings {
                if bc == c {
                    for k in keys {
                        list.push((*c, name, k, origin));
                    }
                }
            }
        }
        // Blame the binding that comes later in its file, which is the one a person just added.
        list.sort_by_key(|x| (x.3.layer, x.3.line));
        for (c, name, key, origin) in list {
            if let Some((pc, pname, porigin)) = seen.get(key) {
                let msg = if (*pc, *pname) == (c, name) && porigin.line == origin.line {
                    format!(
                        "{}:{}: `{key}` is listed twice for {}.{name}",
                        origin.file,
                        origin.line,
                        c.name()
                    )
                } else {
                    format!(
                        "{}:{}: `{key}` for {}.{name} is already bound to {}.{pname} ({}:{})",
                        origin.file,
                        origin.line,
                        c.name(),
                        pc.name(),
                        porigin.file,
                        porigin.line
                    )
                };
                // The same clash is seen from every context that stacks both bindings.
                if !out.contains(&msg) {
                    out.push(msg);
                }
            } else {
                seen.insert(*key, (c, name, origin));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_keymaps_load_and_bind_every_action() {
        for (name, _) in BUILTIN {
            let km = load_keymap(name, Some(Path::new("/dev/null"))).unwrap();
            for (_, _, a) in ACTIONS {
                assert!(!km.keys(*a).is_empty(), "{name}: {} unbound", a.name());
            }
        }
    }

    #[test]
    fn keys_parse_and_print() {
        for s in [
            "q", "G", "?", "Enter", "Ctrl-s", "Alt-x", "F5", "Space", "PageDown", "Up",
        ] {
            let k = Key::parse(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(Key::parse(&k.to_string().replace('↑', "Up")), Some(k));
        }
        assert!(Key::parse("Hyper-q").is_none());
        assert!(Key::parse("F13").is_none());
        // Found by tests/fuzz_smoke.rs: a prefix length inside a multi-byte character.
        assert!(Key::parse("\u{0}2中").is_none());
        assert!(Key::parse("a中b").is_none());
    }
}
