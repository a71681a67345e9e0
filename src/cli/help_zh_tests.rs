use super::*;

/// Every command of the tree by path, the `help` subcommands and theirs included.
fn commands(cmd: &Command, path: &str, out: &mut Vec<(String, Command)>) {
    out.push((path.to_string(), cmd.clone()));
    for s in cmd.get_subcommands() {
        let sub = match path {
            "" => s.get_name().to_string(),
            _ => format!("{path} {}", s.get_name()),
        };
        commands(s, &sub, out);
    }
}

fn built() -> Vec<(String, Command)> {
    let mut cmd = crate::cli::args::command();
    cmd.build();
    let mut all = Vec::new();
    commands(&cmd, "", &mut all);
    all
}

#[test]
fn every_command_option_and_choice_has_a_chinese_text() {
    let mut missing = Vec::new();
    for (path, cmd) in built() {
        if text(&path, "").is_none() {
            missing.push(format!("command `{path}`"));
        }
        if cmd.get_long_about().is_some() && text(&path, "!long").is_none() {
            missing.push(format!("long about of `{path}`"));
        }
        let after = cmd
            .get_after_help()
            .map(|s| s.to_string())
            .unwrap_or_default();
        if after.contains(" # ") && text(&path, "!after").is_none() {
            missing.push(format!("the examples' comments of `{path}`"));
        }
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if a.get_help().is_some() && text(&path, id).is_none() {
                missing.push(format!("option `{id}` of `{path}`"));
            }
            for v in a.get_possible_values() {
                if v.get_help().is_some() && value_text(id, v.get_name()).is_none() {
                    missing.push(format!("value `{}` of `{id}` in `{path}`", v.get_name()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no Chinese help for:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_entry_of_the_table_names_a_command_or_option_of_the_tree() {
    let all = built();
    for (path, id, _) in HELP {
        if *path == "*" {
            let used = all
                .iter()
                .any(|(_, c)| c.get_arguments().any(|a| a.get_id() == *id));
            assert!(used, "`*` entry `{id}` names no option");
            continue;
        }
        let cmd = all.iter().find(|(p, _)| p == path);
        // `help` stands for every command's `help` subcommand.
        let Some((_, cmd)) = cmd else {
            panic!("entry for `{path}`, which is no command");
        };
        if !id.is_empty() && !id.starts_with('!') {
            assert!(
                cmd.get_arguments().any(|a| a.get_id() == *id),
                "entry `{id}` of `{path}`, which has no such option"
            );
        }
    }
}

/// clap's English words and the English help texts are all gone from the Chinese help.
#[test]
fn the_chinese_help_of_every_command_holds_no_english_sentence() {
    let en = built();
    let zh = {
        let mut all = Vec::new();
        commands(
            &in_lang(crate::cli::args::command(), Lang::Zh),
            "",
            &mut all,
        );
        all
    };
    assert_eq!(en.len(), zh.len());
    for ((path, en_cmd), (_, zh_cmd)) in en.iter().zip(zh) {
        let mut zh_cmd = zh_cmd;
        let page = format!("{}\n{}", zh_cmd.render_help(), zh_cmd.render_long_help());
        for word in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Commands:",
            "[default:",
            "[possible values:",
            "[env:",
            "Print help",
            "Print version",
            "Examples:",
            "Possible values:",
        ] {
            assert!(
                !page.contains(word),
                "`{path}` help keeps `{word}`:\n{page}"
            );
        }
        let mut sentences: Vec<String> = en_cmd
            .get_about()
            .map(|s| s.to_string())
            .into_iter()
            .collect();
        sentences.extend(
            en_cmd
                .get_arguments()
                .filter_map(|a| a.get_help().map(|s| s.to_string())),
        );
        for s in sentences
            .iter()
            .filter(|s| s.chars().filter(|c| c.is_ascii_alphabetic()).count() > 8)
        {
            assert!(
                !page.contains(s.as_str()),
                "`{path}` help keeps `{s}`:\n{page}"
            );
        }
    }
}

#[test]
fn the_language_of_the_help_is_the_flag_s_before_anything_else() {
    let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
    assert_eq!(
        lang_of(&args(&["jicha", "--lang", "zh", "--help"])),
        Lang::Zh
    );
    assert_eq!(
        lang_of(&args(&["jicha", "findings", "--lang=zh", "-h"])),
        Lang::Zh
    );
    assert_eq!(
        lang_of(&args(&["jicha", "--lang", "en", "--help"])),
        Lang::En
    );
    // After `--` it is an operand, not the option.
    let after = lang_of(&args(&["jicha", "finding", "note", "--", "--lang", "zh"]));
    assert_eq!(after, lang_of(&args(&["jicha"])));
}
