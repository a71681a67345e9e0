//! `jicha --help` in Chinese: the built command tree with every about line, option help and
//! heading replaced from [`super::help_zh_table`], and clap's own words (`Usage:`,
//! `[default: …]`, `[possible values: …]`, `[env: …]`) written in Chinese. The language is
//! decided before parsing, as the rest of the program decides it: `--lang` in the arguments,
//! else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else the user's and the site's config.

use super::help_zh_table::*;
use crate::context::Lang;
use clap::{Arg, Command};
use std::ffi::OsString;

/// The language the help is written in for this command line (English when nothing says).
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut given = None;
    while let Some(w) = words.next() {
        if w == "--" {
            break;
        }
        if w == "--lang" {
            given = words.next().map(|v| v.into_owned());
        } else if let Some(v) = w.strip_prefix("--lang=") {
            given = Some(v.to_string());
        }
    }
    lang_for(given.as_deref())
}

/// The language of `--lang` (None when not given, or not a language), else of the locale,
/// else of the config files: what an operator reads the messages of the run in.
pub fn lang_for(flag: Option<&str>) -> Lang {
    if let Some(lang) = flag.and_then(Lang::parse) {
        return lang;
    }
    // A bad config file is refused by the command itself, in the language it can tell.
    crate::config::Settings::load(&crate::config::Flags::default())
        .map(|s| s.lang)
        .unwrap_or_else(|_| Lang::from_env().unwrap_or(Lang::En))
}

/// The command tree with its help in `lang` (as it is under English).
pub fn in_lang(cmd: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => cmd,
        Lang::Zh => {
            let mut cmd = cmd.version(super::help::version_in(Lang::Zh));
            // Built first, so the help flags, the `help` subcommand and the global options
            // copied into every subcommand are there to be translated.
            cmd.build();
            command(cmd, "")
        }
    }
}

/// The Chinese text of `id` (`""`: the command's about line) for the command at `path`: its
/// own, else the one every command shares.
pub fn text(path: &str, id: &str) -> Option<&'static str> {
    let path = &real_path(path);
    let find = |p: &str| {
        HELP.iter()
            .chain(super::help_zh_qc::HELP)
            .find(|(hp, hid, _)| *hp == p && *hid == id)
            .map(|e| e.2)
    };
    find(path).or_else(|| (!id.is_empty()).then(|| find("*")).flatten())
}

/// The Chinese text of a value's help.
pub fn value_text(arg: &str, value: &str) -> Option<&'static str> {
    VALUES
        .iter()
        .chain(super::help_zh_qc::VALUES)
        .find(|(a, v, _)| *a == arg && *v == value)
        .map(|e| e.2)
}

/// The command whose texts the command at `path` shows: every command with subcommands has
/// a `help` subcommand (`finding help`), whose own subcommands stand for the commands it
/// shows the help of (`finding help close` for `finding close`).
fn real_path(path: &str) -> String {
    let words: Vec<&str> = path.split(' ').collect();
    match words.iter().position(|w| *w == "help") {
        Some(i) if i + 1 == words.len() => "help".to_string(),
        Some(i) => {
            let mut rest = words.clone();
            rest.remove(i);
            real_path(&rest.join(" "))
        }
        None => path.to_string(),
    }
}

const TEMPLATE: &str =
    "{before-help}{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}{after-help}";

fn command(mut cmd: Command, path: &str) -> Command {
    let template = TEMPLATE.replace("{usage-heading}", USAGE);
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(COMMANDS);
    if let Some(about) = text(path, "") {
        cmd = cmd.about(about);
        if cmd.get_long_about().is_some() {
            cmd = cmd.long_about(text(path, "!long").unwrap_or(about));
        }
    }
    if let Some(after) = cmd.get_after_help().map(|s| s.to_string()) {
        let zh = text(path, "!after")
            .map(str::to_string)
            .unwrap_or_else(|| after.replacen(EXAMPLES.0, EXAMPLES.1, 1));
        cmd = cmd.after_help(zh);
    }
    cmd = cmd.mut_args(|a| arg(a, path));
    cmd.mut_subcommands(|s| {
        let sub = match path {
            "" => s.get_name().to_string(),
            _ => format!("{path} {}", s.get_name()),
        };
        command(s, &sub)
    })
}

fn arg(a: Arg, path: &str) -> Arg {
    let id = a.get_id().as_str().to_string();
    let heading = match a.get_help_heading() {
        Some(h) => HEADINGS
            .iter()
            .find(|(en, _)| *en == h)
            .map_or_else(|| h.to_string(), |(_, zh)| (*zh).to_string()),
        None if a.is_positional() => ARGUMENTS.to_string(),
        None => OPTIONS.to_string(),
    };
    let Some(help) = text(path, &id) else {
        return a.help_heading(heading);
    };
    let (short, long) = with_specs(&a, help);
    let a = match long {
        Some(long) => a.long_help(long),
        None => a.long_help(None::<&'static str>),
    };
    a.help_heading(heading)
        .help(short)
        .hide_default_value(true)
        .hide_possible_values(true)
        .hide_env(true)
}

/// The help with what clap would add after it, in Chinese: the default, the environment
/// variable and the choices; the long form lists each choice with its meaning.
fn with_specs(a: &Arg, help: &str) -> (String, Option<String>) {
    let takes_values = a.get_action().takes_values();
    let mut specs = Vec::new();
    if let Some(env) = a.get_env().filter(|_| !a.is_hide_env_set()) {
        specs.push(format!("［{ENV}：{}］", env.to_string_lossy()));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() && !a.is_hide_default_value_set() {
        specs.push(format!("［{DEFAULT}：{}］", defaults.join(" ")));
    }
    let values: Vec<clap::builder::PossibleValue> =
        if takes_values && !a.is_hide_possible_values_set() {
            a.get_possible_values()
                .into_iter()
                .filter(|v| !v.is_hide_set())
                .collect()
        } else {
            Vec::new()
        };
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        specs.push(format!("［{POSSIBLE}：{}］", names.join("、")));
    }
    let short = if specs.is_empty() {
        help.to_string()
    } else {
        format!("{help} {}", specs.concat())
    };
    let id = a.get_id().as_str();
    if !values.iter().any(|v| v.get_help().is_some()) {
        return (short, None);
    }
    let mut long = help.to_string();
    let others: Vec<&String> = specs.iter().filter(|s| !s.contains(POSSIBLE)).collect();
    if !others.is_empty() {
        long.push(' ');
        long.extend(others.into_iter().map(String::as_str));
    }
    long.push_str(&format!("\n\n{POSSIBLE}："));
    for v in &values {
        long.push_str(&format!("\n- {}", v.get_name()));
        if v.get_help().is_some() {
            let zh = value_text(id, v.get_name()).unwrap_or("");
            long.push_str(&format!("：{zh}"));
        }
    }
    (short, Some(long))
}

#[cfg(test)]
#[path = "help_zh_tests.rs"]
mod tests;
