//! The command line under zh, as an operator runs it: import errors keep `file:line` and say
//! what is wrong in Chinese, `--help` (of the program and of a subcommand) is Chinese, and so
//! is the demo summary. The language comes from `--lang zh`, or from a zh locale.

use std::path::Path;
use std::process::{Command, Output};

/// `jicha ARGS` with no configuration of the machine or the user reaching it.
fn jicha(home: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jicha"));
    c.args(args)
        .env_remove("JICHA_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("JICHA_SITE_CONFIG", "")
        .env("JICHA_CONFIG_DIR", "");
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const HEADER: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
const GOOD: &str = "3301000001,甲,地址,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,";

/// Imports `customers` (the file's text) into a new dataset under zh; answers stderr.
fn import_zh(customers: &str) -> String {
    let tmp = tempfile::TempDir::new().unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    std::fs::write(export.join("customers.csv"), customers).unwrap();
    let db = tmp.path().join("d.jicha");
    let out = jicha(
        tmp.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "zh",
            "import",
            export.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(!db.exists(), "a refused first import leaves no dataset");
    stderr(&out)
}

#[test]
fn an_unclosed_quote_is_said_in_chinese_at_its_line() {
    let err = import_zh(&format!("{HEADER}\n{GOOD}\n3301000002,\"甲\n"));
    assert_eq!(
        err,
        "jicha: customers.csv:3: 该数据行中的 `\"` 开始了一个引号字段，但直到文件结束都没有闭合；请补上闭合的 `\"`（引号字段内的引号写作 `\"\"`）\n"
    );
}

#[test]
fn a_field_past_the_limit_is_said_in_chinese_with_its_column() {
    let long = "长".repeat(30_000); // 90,000 bytes: past the 64 KiB a field may hold
    let row = GOOD
        .replace("地址", &long)
        .replace("3301000001", "3301000002");
    let err = import_zh(&format!("{HEADER}\n{GOOD}\n{row}\n"));
    assert_eq!(
        err,
        "jicha: customers.csv:3: address: 该值超过 64 KiB（上限）；请缩短\n"
    );
}

#[test]
fn a_record_past_the_limit_stops_the_import_in_chinese() {
    // An opened quote swallows the rest of the file: past 1 MiB the reading stops.
    let rest = format!("{GOOD}\n").repeat(1024 * 1024 / GOOD.len() + 1);
    let err = import_zh(&format!("{HEADER}\n3301000002,\"甲\n{rest}"));
    assert!(
        err.starts_with("jicha: customers.csv:2: 从这一行开始的数据行超过 1 MiB（上限）"),
        "{err}"
    );
    assert!(err.contains("文件其余部分未读取"), "{err}");
}

#[test]
fn bytes_that_are_not_utf8_are_said_in_chinese() {
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend_from_slice(GOOD.replace("甲", "\u{1}").as_bytes());
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[at] = 0xB6; // GBK's first byte of 丁, alone
    let tmp = tempfile::TempDir::new().unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    std::fs::write(export.join("customers.csv"), bytes).unwrap();
    let db = tmp.path().join("d.jicha");
    let out = jicha(
        tmp.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "--lang",
            "zh",
            "import",
            export.to_str().unwrap(),
        ],
        &[],
    );
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "jicha: customers.csv:2: name: 不是有效的 UTF-8 编码（`` 之后的字节 0xB6）"
        ),
        "{err}"
    );
    assert!(err.contains("`--encoding gb18030`"), "{err}");
}

#[test]
fn the_help_of_the_program_is_chinese_under_zh() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = jicha(tmp.path(), &["--lang", "zh", "--help"], &[]);
    assert!(out.status.success(), "{out:?}");
    let help = stdout(&out);
    for zh in [
        "用法：",
        "命令:",
        "全局选项:",
        "终端界面选项:",
        "列出异常，可筛选和排序",
        "示例：",
    ] {
        assert!(help.contains(zh), "no `{zh}` in:\n{help}");
    }
    for en in [
        "Usage:",
        "Global options",
        "Commands:",
        "List findings",
        "Examples:",
    ] {
        assert!(!help.contains(en), "`{en}` left in:\n{help}");
    }
    // The same under a Chinese locale, and English under an English one.
    let by_locale = jicha(tmp.path(), &["--help"], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(stdout(&by_locale), help);
    let en = jicha(tmp.path(), &["--help"], &[("LANG", "en_US.UTF-8")]);
    assert!(stdout(&en).contains("Global options:"), "{}", stdout(&en));
}

#[test]
fn the_help_of_a_subcommand_is_chinese_and_keeps_its_names_and_values() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = jicha(
        tmp.path(),
        &["--lang", "zh", "finding", "close", "--help"],
        &[],
    );
    assert!(out.status.success(), "{out:?}");
    let help = stdout(&out);
    for zh in [
        "以处理结论关闭异常",
        "用法： jicha finding close",
        "--resolution <RESOLUTION>",
        "- false_positive：需要 --text",
        "全局选项:",
        "jicha finding close 12 --resolution rectified",
    ] {
        assert!(help.contains(zh), "no `{zh}` in:\n{help}");
    }
    assert!(!help.contains("Print help"), "{help}");
    let short = jicha(tmp.path(), &["findings", "-h", "--lang=zh"], &[]);
    assert!(
        stdout(&short).contains("输出格式 ［默认：table］［可选值：table、csv、json、xlsx］"),
        "{}",
        stdout(&short)
    );
}

#[test]
fn the_demo_summary_is_chinese_under_zh() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("export");
    let args = [
        "--lang",
        "zh",
        "demo",
        "--out",
        dir.to_str().unwrap(),
        "--customers",
        "200",
        "--end",
        "2026-10",
    ];
    let out = jicha(tmp.path(), &args, &[]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(text.starts_with("customers.csv  "), "{text}");
    assert!(text.lines().next().unwrap().ends_with(" 200 行"), "{text}");
    assert!(
        text.contains("植入的异常（默认阈值，数据日期取 2026-11 内任一天扫描）："),
        "{text}"
    );
    assert!(text.contains("THF-01 按等级：1 级："), "{text}");
    assert!(
        !text.contains("planted") && !text.contains("rows"),
        "{text}"
    );
}

#[test]
fn a_usage_error_is_chinese_under_zh_and_keeps_what_was_typed() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = jicha(
        tmp.path(),
        &["--lang", "zh", "findings", "--status", "bogus"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "错误：'--status <STATUS>' 的值 'bogus' 无效\n  ［可选值：open、new、confirmed、ticketed、closed、cleared］\n\n更多信息请用 '--help' 查看。\n"
    );
    let out = jicha(
        tmp.path(),
        &["--lang", "zh", "--today", "2026-13-01", "findings"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "错误：'--today <DATE>' 的值 '2026-13-01' 无效：`2026-13-01` 不是日期；请写成 `YYYY-MM-DD`"
        ),
        "{}",
        stderr(&out)
    );
    let out = jicha(tmp.path(), &["fnidings"], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("错误：无法识别的子命令 'fnidings'"),
        "{err}"
    );
    assert!(
        err.contains("提示：有相近的写法：'finding'、'findings'"),
        "{err}"
    );
    assert!(err.contains("用法： jicha [OPTIONS] [COMMAND]"), "{err}");
    // English stays clap's own.
    let out = jicha(
        tmp.path(),
        &["--lang", "en", "findings", "--status", "bogus"],
        &[],
    );
    assert!(
        stderr(&out).starts_with("error: invalid value 'bogus'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_user_config_saying_zh_makes_the_help_and_the_errors_chinese() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("user");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "lang = \"zh\"\n").unwrap();
    let dir = dir.to_str().unwrap();
    let help = jicha(
        tmp.path(),
        &["scan", "--help"],
        &[("JICHA_CONFIG_DIR", dir)],
    );
    assert!(
        stdout(&help).starts_with("运行规则包并核对异常"),
        "{}",
        stdout(&help)
    );
    let missing = tmp.path().join("no-such-export");
    let db = tmp.path().join("d.jicha");
    let out = jicha(
        tmp.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            missing.to_str().unwrap(),
        ],
        &[("JICHA_CONFIG_DIR", dir)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).ends_with("：不是目录；请给出存放导出 CSV 文件的目录\n"),
        "{}",
        stderr(&out)
    );
    // The flag beats the file.
    let en = jicha(
        tmp.path(),
        &["--lang", "en", "scan", "--help"],
        &[("JICHA_CONFIG_DIR", dir)],
    );
    assert!(
        stdout(&en).starts_with("Run the rule pack"),
        "{}",
        stdout(&en)
    );
}

#[test]
fn the_version_line_is_chinese_under_zh() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = jicha(tmp.path(), &["--lang", "zh", "--version"], &[]);
    let line = stdout(&out);
    assert!(line.starts_with("jicha "), "{line}");
    assert!(
        line.contains("（数据集表结构版本 ") && line.contains("，SQLite "),
        "{line}"
    );
    let en = stdout(&jicha(tmp.path(), &["--version"], &[]));
    assert!(en.contains(" (dataset schema "), "{en}");
}
