//! `jicha completions SHELL` and `jicha man --out DIR`: generated from the clap command tree,
//! so they list exactly the commands, options and choices the parser accepts.

use crate::error::{JichaError, Result};
use crate::i18n::cli::{say, Msg};
use crate::output::stream as output;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The completion script for `shell`, to stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut cmd = super::args::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "jicha", &mut buf);
    output::stdout().write_all(&buf)?;
    Ok(())
}

/// Writes `jicha.1` and `jicha-SUB[-VERB].1` for every subcommand into `dir`; returns the
/// files written, in order. Each page is written whole to a temporary name and renamed.
pub fn man_pages(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| {
        JichaError::invalid(crate::i18n::refusals_cli::CliWrong::CannotCreateDir {
            dir: crate::text::escape(&dir.display().to_string()).into_owned(),
            why: e.to_string(),
        })
    })?;
    let mut root = super::args::command();
    root.build();
    let mut written = Vec::new();
    write_tree(dir, &root, "jicha", &mut written)?;
    Ok(written)
}

fn write_tree(
    dir: &Path,
    cmd: &clap::Command,
    name: &str,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    let page = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    let path = dir.join(format!("{name}.1"));
    let tmp = dir.join(format!(".{name}.1.tmp"));
    std::fs::write(&tmp, &buf)?;
    std::fs::rename(&tmp, &path)?;
    written.push(path);
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        write_tree(dir, sub, &format!("{name}-{}", sub.get_name()), written)?;
    }
    Ok(())
}

/// `jicha man --out DIR`: the pages, then one line saying where they went.
pub fn man(dir: &Path, lang: crate::context::Lang) -> Result<()> {
    let written = man_pages(dir)?;
    let dir = crate::text::escape(&dir.display().to_string()).into_owned();
    let line = say(
        lang,
        Msg::ManWritten,
        &[("n", &written.len()), ("dir", &dir)],
    );
    writeln!(output::stdout(), "{line}")?;
    Ok(())
}
