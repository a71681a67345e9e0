//! Every message the domain gives an operator — each outcome, refusal, history sentence and
//! archive value — rendered in both languages: the Chinese text has no English words left in
//! it, the English text no Chinese. New kinds are covered without editing this file:
//! `every_kind()` (from `sentence_kinds!`) and `ALL` (from `bilingual_messages!`) list them.

mod common;
use common::*;
use jicha::actions::{perform, perform_seen, Action};
use jicha::context::{Lang, Role};
use jicha::error::{Changed, Reason};
use jicha::i18n::archive::{
    ApplicationKind, ArchiveWord, Category, CustomerStatus, Pricing, SuspensionKind, Tariff,
    UnitLevel,
};
use jicha::i18n::errors::{Field, MoveBlock, RecordKind, ValueSet, Wrong, ACTION_NAMES_ZH};
use jicha::i18n::history::{self, HistoryEvent};
use jicha::i18n::import::{BoundBreak, StructureError, ValueError};
use jicha::i18n::outcomes::Done;
use jicha::i18n::refusals::FindingWrong;
use jicha::i18n::refusals_tickets::TicketWrong;
use jicha::i18n::ticket_history::{self, TicketEvent};
use jicha::JichaError;

/// English words a Chinese message may keep: units, and names that are the same in both
/// languages (rule families, the program's name, SQLite).
const ALLOWED_IN_ZH: &[&str] = &[
    "kV", "kVA", "kWh", "jicha", "SQLite", "KiB", "MiB", "GiB", "GBK", "ANSI", "CSV", "gzip",
    "FIFO", "WAL", "uid", "gid",
];

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// The English words left in a Chinese text. Not words: what is quoted in backticks (an
/// identifier to type), a `--flag`, and a token holding a digit (an id such as ARC-01 or
/// JC-20261201-001, a date, a number).
fn english_words(zh: &str) -> Vec<String> {
    let mut words = Vec::new();
    for (i, part) in zh.split('`').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let tokens = part.split(|c: char| {
            !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '<' | '>'))
        });
        for t in tokens {
            let is_word = t.chars().any(|c| c.is_ascii_alphabetic());
            let is_id = t.chars().any(|c| c.is_ascii_digit()) || t.starts_with("--");
            if is_word && !is_id && !ALLOWED_IN_ZH.contains(&t) {
                words.push(t.to_string());
            }
        }
    }
    words
}

fn check(what: &str, en: &str, zh: &str, bad: &mut Vec<String>) {
    check_with(what, en, zh, &[], bad);
}

/// Like `check`, with the dataset values (names, logins) a sample holds taken out first: they
/// are shown as they are in both languages.
fn check_with(what: &str, en: &str, zh: &str, values: &[&str], bad: &mut Vec<String>) {
    let (mut en, mut zh) = (en.to_string(), zh.to_string());
    for v in values {
        en = en.replace(v, "");
        zh = zh.replace(v, "");
    }
    let (en, zh) = (en.as_str(), zh.as_str());
    let words = english_words(zh);
    if !words.is_empty() {
        bad.push(format!("{what}: zh `{zh}` keeps English {words:?}"));
    }
    if en.chars().any(is_cjk) {
        bad.push(format!("{what}: en `{en}` holds Chinese"));
    }
    if zh.trim().is_empty() || en.trim().is_empty() {
        bad.push(format!("{what}: empty text"));
    }
}

fn assert_none_bad(bad: Vec<String>) {
    assert!(bad.is_empty(), "untranslated:\n{}", bad.join("\n"));
}

#[test]
fn the_checker_catches_an_english_word_and_allows_ids_flags_and_quoted_names() {
    assert_eq!(
        english_words("工单 JC-20261201-001 已取消"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_words("可用 `open`、`new`（--text）"),
        Vec::<String>::new()
    );
    assert_eq!(english_words("供电电压 10 kV"), Vec::<String>::new());
    assert_eq!(
        english_words("异常 3 is confirmed"),
        vec!["is", "confirmed"]
    );
    assert!(is_cjk('确') && is_cjk('（') && !is_cjk('a'));
}

#[test]
fn every_refusal_is_said_in_both_languages() {
    let mut bad = Vec::new();
    // The English refusal of an indicator without a category names the field as the
    // operator's paper form does, in Chinese.
    for w in Wrong::every_kind() {
        check_with(
            &format!("{w:?}"),
            &w.text(Lang::En),
            &w.text(Lang::Zh),
            &["业务类别"],
            &mut bad,
        );
    }
    // The branches the empty values do not take.
    let more: Vec<Wrong> = vec![
        TicketWrong::NotTicketable {
            id: 4,
            status: "ticketed".into(),
            on_ticket: Some("JC-20261201-001".into()),
        }
        .into(),
        TicketWrong::CannotMove {
            number: "JC-20261201-001".into(),
            from: "approved",
            to: "submitted",
            sources: vec!["rectifying", "returned"],
        }
        .into(),
        jicha::i18n::refusals_input::InputWrong::UnknownUnit {
            unit: "城东".into(),
            known: vec!["城西供电所".into(), "西湖区".into()],
        }
        .into(),
        jicha::i18n::refusals_input::InputWrong::DirectionDisagrees {
            higher: true,
            base: 0.5,
            full: 0.25,
        }
        .into(),
        jicha::i18n::refusals_input::InputWrong::UnknownChoice {
            what: jicha::i18n::refusals_input::Choice::Direction,
            given: "up".into(),
            allowed: vec!["higher", "lower"],
        }
        .into(),
        jicha::i18n::refusals_tickets::QualityWrong::AlreadyEnabled {
            id: 1,
            name: "完成率".into(),
            enabled: true,
        }
        .into(),
    ];
    for w in more {
        let (en, zh) = (w.text(Lang::En), w.text(Lang::Zh));
        check_with(
            &format!("{w:?}"),
            &en,
            &zh,
            &["完成率", "城东", "城西供电所", "西湖区", "`up`"],
            &mut bad,
        );
    }
    let errors = [
        JichaError::Refused {
            action: "finding.confirm".into(),
            needed: "auditor",
            who: "lisi".into(),
            have: "viewer",
        },
        JichaError::Stale(Changed {
            kind: RecordKind::Ticket,
            id: "JC-20261201-001".into(),
        }),
        JichaError::Cancelled,
        JichaError::Invalid(Reason::Said(FindingWrong::NeedIds.into())),
    ];
    for e in &errors {
        let (en, zh) = (e.text(Lang::En), e.text(Lang::Zh));
        check_with(&format!("{e:?}"), &en, &zh, &["lisi"], &mut bad);
        assert_eq!(
            e.text(Lang::En),
            e.to_string(),
            "Display stays the English text"
        );
    }
    assert_none_bad(bad);
}

#[test]
fn every_outcome_is_said_in_both_languages() {
    let mut bad = Vec::new();
    let mut all: Vec<Done> = Done::every_kind()
        .into_iter()
        .filter(|d| !matches!(d, Done::Several { each } if each.is_empty()))
        .collect();
    all.extend([
        Done::FindingsMoved {
            to: "new",
            changed: 2,
            unchanged: 1,
        },
        Done::FindingsMoved {
            to: "closed",
            changed: 1,
            unchanged: 0,
        },
        Done::IndicatorEnabled {
            id: 2,
            name: "超期率".into(),
            enabled: true,
        },
        Done::ValueSet {
            name: "满意度".into(),
            unit: "城关供电所".into(),
            period: "2026-11".into(),
            value: 0.9,
            old: Some(0.8),
        },
        Done::Several {
            each: vec![
                Done::NoteAdded { findings: 1 },
                Done::WhitelistRevoked { id: 3 },
            ],
        },
    ]);
    let values = ["超期率", "满意度", "城关供电所"];
    for d in all {
        let (en, zh) = (d.text(Lang::En), d.text(Lang::Zh));
        check_with(&format!("{d:?}"), &en, &zh, &values, &mut bad);
    }
    assert_none_bad(bad);
}

#[test]
fn every_history_sentence_is_said_in_both_languages() {
    let mut bad = Vec::new();
    for h in HistoryEvent::every_kind() {
        // A record this version does not know is shown as it is, by design.
        if matches!(h, HistoryEvent::Other { .. }) {
            continue;
        }
        check(
            &format!("{h:?}"),
            &h.text(Lang::En),
            &h.text(Lang::Zh),
            &mut bad,
        );
    }
    let mut ticket_events = TicketEvent::every_kind();
    ticket_events.extend([
        TicketEvent::Approved { late: true },
        TicketEvent::Submitted {
            cause: String::new(),
            measures: String::new(),
            recovered: Some(120.5),
        },
    ]);
    for t in ticket_events {
        if matches!(t, TicketEvent::Other { .. }) {
            continue;
        }
        check(
            &format!("{t:?}"),
            &t.text(Lang::En),
            &t.text(Lang::Zh),
            &mut bad,
        );
    }
    assert_none_bad(bad);
}

#[test]
fn every_fixed_word_and_archive_value_is_said_in_both_languages() {
    let mut bad = Vec::new();
    macro_rules! all_of {
        ($($t:ty),*) => {$(
            for m in <$t>::ALL {
                check(&format!("{m:?}"), m.text(Lang::En), m.text(Lang::Zh), &mut bad);
            }
        )*};
    }
    all_of!(
        RecordKind,
        Field,
        MoveBlock,
        ValueSet,
        Category,
        Tariff,
        Pricing,
        CustomerStatus,
        SuspensionKind,
        ApplicationKind,
        UnitLevel,
        ArchiveWord,
        BoundBreak,
        jicha::i18n::refusals_input::Choice
    );
    for v in ValueError::every_kind() {
        check(
            &format!("{v:?}"),
            &v.text(Lang::En),
            &v.text(Lang::Zh),
            &mut bad,
        );
    }
    for v in jicha::i18n::dataset::DatasetWrong::every_kind() {
        let e = JichaError::DatasetSaid(v.clone());
        check(
            &format!("{v:?}"),
            &e.text(Lang::En),
            &e.text(Lang::Zh),
            &mut bad,
        );
        assert_eq!(e.text(Lang::En), e.to_string(), "Display stays English");
    }
    for v in jicha::i18n::units::TreeWrong::every_kind() {
        check(
            &format!("{v:?}"),
            &v.text(Lang::En),
            &v.text(Lang::Zh),
            &mut bad,
        );
    }
    for v in StructureError::every_kind() {
        check(
            &format!("{v:?}"),
            &v.text(Lang::En),
            &v.text(Lang::Zh),
            &mut bad,
        );
    }
    for (name, zh) in ACTION_NAMES_ZH {
        check(name, name, zh, &mut bad);
    }
    assert_none_bad(bad);
    assert_eq!(
        Category::from_code("commercial"),
        Some(Category::Commercial)
    );
    assert_eq!(Tariff::Res.text(Lang::Zh), "居民生活电价");
    assert_eq!(
        Pricing::from_code("two_part").map(|p| p.text(Lang::Zh)),
        Some("两部制")
    );
    assert_eq!(CustomerStatus::Active.text(Lang::Zh), "在用");
    assert_eq!(
        Category::from_code("mystery"),
        None,
        "an unknown code has no name"
    );
}

#[test]
fn an_action_says_what_it_did_and_what_it_refused_in_chinese() {
    let (_d, mut ds) = fixture();
    let a = ctx("zhangsan", Role::Auditor, "2026-12-01");
    let out = perform(&mut ds, &a, &Action::Confirm { ids: vec![1, 2] }).unwrap();
    assert_eq!(out.text(Lang::Zh), "2 条异常已确认");
    assert_eq!(out.text(Lang::En), "2 findings confirmed");

    let err = perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![1],
            resolution: "false_positive".into(),
            note: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        err.text(Lang::Zh),
        "以“误报”关闭需要填写说明原因的备注（--text）"
    );
    assert!(err.to_string().contains("needs a note"), "{err}");

    let viewer = ctx("lisi", Role::Viewer, "2026-12-01");
    let err = perform(&mut ds, &viewer, &Action::Reopen { ids: vec![1] }).unwrap_err();
    assert_eq!(
        err.text(Lang::Zh),
        "已拒绝：重新打开异常需要稽查员角色；你（lisi）的角色是只读"
    );

    let err = perform_seen(&mut ds, &a, &Action::Reopen { ids: vec![3] }, &[(3, 0)]).unwrap_err();
    assert!(matches!(err, JichaError::Stale(_)), "{err}");
    assert!(
        err.text(Lang::Zh)
            .contains("异常 3 在你读取之后已被他人修改"),
        "{}",
        err.text(Lang::Zh)
    );
}

#[test]
fn a_finding_history_reads_as_sentences() {
    let (_d, mut ds) = fixture();
    let a = ctx("zhangsan", Role::Auditor, "2026-12-01");
    perform(&mut ds, &a, &Action::Confirm { ids: vec![1] }).unwrap();
    perform(
        &mut ds,
        &a,
        &Action::Note {
            ids: vec![1],
            text: "现场核实".into(),
        },
    )
    .unwrap();
    let d = jicha::findings::detail(&ds.conn, 1, day("2026-12-01")).unwrap();
    let zh: Vec<String> = d
        .history
        .iter()
        .map(|h| history::line(Lang::Zh, h))
        .collect();
    let en: Vec<String> = d
        .history
        .iter()
        .map(|h| history::line(Lang::En, h))
        .collect();
    assert_eq!(
        zh,
        [
            "2026-12-01 zhangsan 确认异常（新发现 → 确认异常）",
            "2026-12-01 zhangsan 添加备注：现场核实"
        ]
    );
    assert_eq!(
        en,
        [
            "2026-12-01 zhangsan confirmed (new → confirmed)",
            "2026-12-01 zhangsan added a note: 现场核实"
        ]
    );
}

#[test]
fn an_import_says_what_is_wrong_with_a_field_in_chinese_and_keeps_file_line_column() {
    let tmp = tempfile::TempDir::new().unwrap();
    let mut ds = jicha::db::Dataset::create(
        &tmp.path().join("d.jicha"),
        "tester",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    let header = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
    let good = "3301000001,甲,地址,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,";
    let bad_enum = good
        .replace("3301000001", "3301000002")
        .replace("commercial", "Commercial");
    let bad_number = good
        .replace("3301000001", "3301000003")
        .replace(",50,", ",-5,");
    std::fs::write(
        export.join("customers.csv"),
        format!("{header}\n{good}\n{bad_enum}\n{bad_number}\n"),
    )
    .unwrap();
    let mut zh = ctx("tester", Role::Admin, "2026-03-02");
    zh.lang = Lang::Zh;
    let lines = match jicha::import::import_dir(&mut ds, &zh, &export, &mut jicha::progress::silent)
    {
        Err(JichaError::Import(lines)) => lines,
        other => panic!("expected import errors, got {other:?}"),
    };
    assert_eq!(
        lines,
        [
            "customers.csv:3: category: `Commercial` 不在可用值 `resident`、`commercial`、`large_industry`、`agriculture` 之中",
            "customers.csv:4: capacity_kva: `-5` 为负数；不能小于 0",
        ]
    );
}

#[test]
fn an_import_says_what_is_wrong_with_a_header_or_row_in_chinese() {
    let tmp = tempfile::TempDir::new().unwrap();
    let mut ds = jicha::db::Dataset::create(
        &tmp.path().join("d.jicha"),
        "tester",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    // `name` missing, `district` twice, `extra` unknown.
    let header = "cust_no,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,district,extra,opened_on,status,closed_on";
    std::fs::write(export.join("customers.csv"), format!("{header}\n")).unwrap();
    let mut zh = ctx("tester", Role::Admin, "2026-03-02");
    zh.lang = Lang::Zh;
    let lines = match jicha::import::import_dir(&mut ds, &zh, &export, &mut jicha::progress::silent)
    {
        Err(JichaError::Import(lines)) => lines,
        other => panic!("expected import errors, got {other:?}"),
    };
    assert_eq!(
        lines,
        [
            "customers.csv:1: 列 district: 在表头中出现了两次",
            "customers.csv:1: 列 name: 缺少这一必填列",
        ]
    );
}

#[test]
fn a_file_that_is_not_a_dataset_is_refused_in_chinese() {
    let tmp = tempfile::TempDir::new().unwrap();
    let empty = tmp.path().join("empty.jicha");
    std::fs::write(&empty, b"").unwrap();
    let e = jicha::db::Dataset::open(&empty)
        .err()
        .expect("an empty file is refused");
    let path = empty.display().to_string();
    assert!(
        e.to_string()
            .starts_with(&format!("{path}: is an empty file, not a jicha dataset")),
        "{e}"
    );
    assert_eq!(
        e.text(Lang::Zh),
        format!("{path}：是空文件，不是 jicha 数据集；未做任何更改。请给出由 `jicha import` 生成的数据集的路径（或删除该空文件后在此导入）")
    );
}

#[test]
fn an_import_says_what_is_wrong_with_a_row_in_chinese() {
    let tmp = tempfile::TempDir::new().unwrap();
    let mut ds = jicha::db::Dataset::create(
        &tmp.path().join("d.jicha"),
        "tester",
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    let header = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on";
    let good = "3301000001,甲,地址,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,";
    let no_name = good.replace("3301000001,甲,", "3301000002,,");
    let closed_first = good
        .replace("3301000001", "3301000003")
        .replace("active,", "closed,2019-12-31");
    std::fs::write(
        export.join("customers.csv"),
        format!("{header}\n{good}\n{no_name}\n{closed_first}\n{good}\n"),
    )
    .unwrap();
    let mut zh = ctx("tester", Role::Admin, "2026-03-02");
    zh.lang = Lang::Zh;
    let lines = match jicha::import::import_dir(&mut ds, &zh, &export, &mut jicha::progress::silent)
    {
        Err(JichaError::Import(lines)) => lines,
        other => panic!("expected import errors, got {other:?}"),
    };
    assert_eq!(
        lines,
        [
            "customers.csv:3: name: 必填；该字段为空",
            "customers.csv:4: closed_on: 2019-12-31 早于 `opened_on` 的 2020-01-05",
            "customers.csv:5: cust_no: 键 3301000001 重复：首次出现在第 2 行，再次出现在第 5 行",
        ]
    );
}

#[test]
fn every_import_read_error_and_export_problem_is_said_in_both_languages() {
    use jicha::i18n::import_read::{ExportProblem, ReadProblem, RecordPart, FILE_KINDS};
    let mut bad = Vec::new();
    for m in RecordPart::ALL {
        check(
            &format!("{m:?}"),
            m.text(Lang::En),
            m.text(Lang::Zh),
            &mut bad,
        );
    }
    let mut reads = ReadProblem::every_kind();
    reads.extend(RecordPart::ALL.iter().flat_map(|&part| {
        [
            ReadProblem::TooManyFields {
                part,
                limit: 1000,
                file: "customers.csv".into(),
            },
            ReadProblem::TooLong {
                part,
                limit: "1 MiB".into(),
            },
            ReadProblem::UnclosedQuote { part },
        ]
    }));
    reads.push(ReadProblem::Undecodable {
        bytes: "0x81 0x20".into(),
        count: 2,
        encoding: "GB18030".into(),
    });
    for r in reads {
        check(
            &format!("{r:?}"),
            &r.text(Lang::En),
            &r.text(Lang::Zh),
            &mut bad,
        );
    }
    let mut exports = ExportProblem::every_kind();
    exports.extend(FILE_KINDS.iter().map(|k| ExportProblem::NotRegular {
        name: "bills.csv".into(),
        kind: k.to_string(),
    }));
    exports.push(ExportProblem::NotContractFile {
        name: "Bills.csv".into(),
        hint: Some("bills.csv".into()),
    });
    for e in exports {
        // The file names in it are the contract's, the same in both languages.
        let (en, zh) = (e.text(Lang::En), e.text(Lang::Zh));
        check_with(
            &format!("{e:?}"),
            &en,
            &zh,
            &["bills.csv", "Bills.csv", "customers.csv"],
            &mut bad,
        );
    }
    assert_none_bad(bad);
}

#[test]
fn every_backup_and_anchor_message_is_said_in_both_languages() {
    use jicha::i18n::backup::{verified, AnchorProblem, BackupWrong, Written};
    use jicha::i18n::dataset::DatasetWrong;
    let mut bad = Vec::new();
    // The samples' paths, shown as they are.
    let paths = [
        "/srv/b.jicha.loghead",
        "/srv/b.jicha",
        "/srv/a.jicha-wal",
        "/srv/a.jicha",
    ];
    let check = |what: &str, en: &str, zh: &str, bad: &mut Vec<String>| {
        check_with(what, en, zh, &paths, bad)
    };
    let mut wrongs = BackupWrong::every_kind();
    wrongs.extend([
        BackupWrong::AlreadyExist {
            names: vec!["/srv/b.jicha".into(), "/srv/b.jicha.loghead".into()],
        },
        BackupWrong::SideFileLink {
            path: "/srv/a.jicha-wal".into(),
            symlink: true,
        },
    ]);
    wrongs.extend(
        AnchorProblem::every_kind()
            .into_iter()
            .map(|problem| BackupWrong::LogNotVouched { problem }),
    );
    for w in wrongs {
        // Said through the dataset's refusals, as `jicha backup` says it.
        let e = JichaError::DatasetSaid(DatasetWrong::Backup { wrong: w.clone() });
        check(
            &format!("{w:?}"),
            &e.text(Lang::En),
            &e.text(Lang::Zh),
            &mut bad,
        );
        assert_eq!(e.text(Lang::En), e.to_string(), "Display stays English");
    }
    let mut problems = AnchorProblem::every_kind();
    problems.extend(jicha::i18n::backup::UNREADABLE_REASONS.iter().map(|why| {
        AnchorProblem::Unreadable {
            file: "/srv/a.jicha".into(),
            why: why.to_string(),
        }
    }));
    for p in problems {
        check(
            &format!("{p:?}"),
            &p.text(Lang::En),
            &p.text(Lang::Zh),
            &mut bad,
        );
    }
    let line = |lang| verified(lang, "/srv/b.jicha", 12, "ab12", 30, 7);
    check("verified", &line(Lang::En), &line(Lang::Zh), &mut bad);
    let written = Written {
        dest: "/srv/b.jicha",
        size: "2 MiB",
        seq: 12,
        hash: "ab12",
        anchor: "/srv/b.jicha.loghead",
        logged_as: 13,
    };
    check(
        "written",
        &written.text(Lang::En),
        &written.text(Lang::Zh),
        &mut bad,
    );
    for owner in [None, Some((0o640, 1000, 100))] {
        let e = JichaError::DatasetSaid(DatasetWrong::NotWritable {
            path: "/srv/a.jicha".into(),
            owner,
        });
        check(
            &format!("{e:?}"),
            &e.text(Lang::En),
            &e.text(Lang::Zh),
            &mut bad,
        );
    }
    assert_none_bad(bad);
}

#[test]
fn the_demo_summary_is_said_in_both_languages() {
    let tmp = tempfile::TempDir::new().unwrap();
    let opts = jicha::demo::DemoOptions {
        customers: 200,
        months: 12,
        seed: 1,
        end_period: "2026-10".into(),
    };
    let summary = jicha::demo::write_demo(
        &tmp.path().join("export"),
        &opts,
        &mut jicha::progress::silent,
    )
    .unwrap();
    let (en, zh) = (summary.text(Lang::En), summary.text(Lang::Zh));
    assert_eq!(en, summary.to_string(), "Display stays English");
    assert!(zh.contains("植入的异常"), "{zh}");
    assert!(zh.contains("customers.csv") && zh.contains(" 行"), "{zh}");
    // Rule ids and the contract's file names are the same in both languages.
    let mut values: Vec<String> = jicha::demo::FILES.iter().map(|f| f.to_string()).collect();
    values.extend(summary.planted.iter().map(|(r, _)| r.to_string()));
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    let mut bad = Vec::new();
    check_with("demo summary", &en, &zh, &values, &mut bad);
    assert_none_bad(bad);
}

/// `--operator` (acting as the fixture's admin) is for root only.
fn skipped_without_root() -> bool {
    if jicha::context::is_root() {
        return false;
    }
    assert!(std::env::var_os("CI").is_none(), "CI runs as root");
    eprintln!("skipped: needs root for --operator");
    true
}

fn cli(db: &std::path::Path, lang: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args([
            "--lang",
            lang,
            "--operator",
            "admin1",
            "--today",
            "2026-12-01",
        ])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

#[test]
fn the_cli_prints_outcomes_refusals_and_history_in_the_language_chosen() {
    if skipped_without_root() {
        return;
    }
    let (_dir, ds) = fixture();
    let db = ds.path.clone();
    drop(ds);
    let out = cli(&db, "zh", &["finding", "confirm", "1"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1 条异常已确认\n");

    let out = cli(
        &db,
        "zh",
        &["finding", "close", "1", "--resolution", "false_positive"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "jicha: 以“误报”关闭需要填写说明原因的备注（--text）\n"
    );
    let out = cli(
        &db,
        "en",
        &["finding", "close", "1", "--resolution", "false_positive"],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("closing as false_positive needs a note"),
        "{out:?}"
    );

    let show = cli(&db, "zh", &["finding", "show", "1"]);
    let show = String::from_utf8_lossy(&show.stdout);
    assert!(
        show.contains("2026-12-01 admin1 确认异常（新发现 → 确认异常）"),
        "{show}"
    );
    assert!(!show.contains("\"bulk\""), "no raw JSON: {show}");
}

#[test]
fn a_ticket_history_reads_as_sentences() {
    let (_d, mut ds) = fixture();
    let a = ctx("zhangsan", Role::Auditor, "2026-12-01");
    perform(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![1],
            unit: None,
            person: None,
            due: Some(day("2026-12-31")),
            requirement: "核实".into(),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a,
        &Action::TicketCancel {
            number: "JC-20261201-001".into(),
            reason: "重复派单".into(),
        },
    )
    .unwrap();
    let t = jicha::tickets::get(&ds.conn, "JC-20261201-001", day("2026-12-01")).unwrap();
    let events = jicha::tickets::events(&ds.conn, t.id).unwrap();
    let zh: Vec<String> = events
        .iter()
        .map(|e| ticket_history::line(Lang::Zh, e))
        .collect();
    assert_eq!(
        zh,
        [
            "2026-12-01 zhangsan 派发给 城关供电所，整改期限 2026-12-31（→ 已派发）",
            "2026-12-01 zhangsan 取消：重复派单（已派发 → 已取消）",
        ]
    );
    let en = ticket_history::line(Lang::En, &events[1]);
    assert_eq!(
        en,
        "2026-12-01 zhangsan cancelled: 重复派单 (dispatched → cancelled)"
    );
}

#[test]
fn every_log_verify_problem_and_note_is_said_in_both_languages() {
    use jicha::i18n::backup::AnchorProblem;
    use jicha::i18n::log_verify::{ChainBreak, LogNote, LogProblem, WitnessProblem};
    use jicha::i18n::state_verify::{StateNote, StateProblem};
    let mut bad = Vec::new();
    // The samples' dataset ids and stored field names, shown as they are.
    let (ours, theirs) = ("0f".repeat(16), "ab".repeat(16));
    let values = [ours.as_str(), theirs.as_str(), "value:"];
    let check = |what: &str, en: &str, zh: &str, bad: &mut Vec<String>| {
        check_with(what, en, zh, &values, bad)
    };
    let mut witness = WitnessProblem::every_kind();
    witness.extend([
        WitnessProblem::NoLineForDataset {
            dataset: "0f".repeat(16),
            others: vec![("ab".repeat(16), 3)],
        },
        WitnessProblem::Differs {
            records: (1..=8).collect(),
        },
        WitnessProblem::NeverWitnessed {
            gaps: (1..=7).map(|i| (i * 10, i * 10 + 2)).collect(),
        },
    ]);
    let mut state = StateProblem::every_kind();
    state.extend([
        StateProblem::Changed {
            table: String::new(),
            key: "7".into(),
            log_seq: 4,
            fields: "value: 2.5 → 9".into(),
        },
        StateProblem::UnsealedRows {
            rows: vec!["12 (7)".into()],
            more: 3,
        },
    ]);
    let mut problems: Vec<LogProblem> = LogProblem::every_kind();
    problems.extend(
        ChainBreak::every_kind()
            .into_iter()
            .map(|why| LogProblem::Broken {
                seq: 2,
                why,
                records: 3,
            }),
    );
    problems.extend(
        AnchorProblem::every_kind()
            .into_iter()
            .map(|problem| LogProblem::Anchor { problem }),
    );
    problems.extend(
        witness
            .into_iter()
            .map(|problem| LogProblem::Witness { problem }),
    );
    problems.extend(
        state
            .into_iter()
            .map(|problem| LogProblem::State { problem }),
    );
    for p in &problems {
        check(
            &format!("{p:?}"),
            &p.text(Lang::En),
            &p.text(Lang::Zh),
            &mut bad,
        );
        assert_eq!(p.text(Lang::En), p.to_string(), "Display stays English");
    }
    let mut notes = LogNote::every_kind();
    notes.extend(
        StateNote::every_kind()
            .into_iter()
            .map(|note| LogNote::State { note }),
    );
    for n in &notes {
        check(
            &format!("{n:?}"),
            &n.text(Lang::En),
            &n.text(Lang::Zh),
            &mut bad,
        );
    }
    // A backup that does not verify lists them in the operator's language.
    let e = JichaError::DatasetSaid(jicha::i18n::dataset::DatasetWrong::Backup {
        wrong: jicha::i18n::backup::BackupWrong::NotVerified {
            dest: String::new(),
            records: 3,
            problems,
        },
    });
    check(
        "NotVerified",
        &e.text(Lang::En),
        &e.text(Lang::Zh),
        &mut bad,
    );
    assert_none_bad(bad);
}

#[test]
fn every_config_file_error_is_said_in_both_languages() {
    use jicha::i18n::config::{ConfigWrong, TOML_SAMPLES};
    let mut bad = Vec::new();
    let mut wrongs = ConfigWrong::every_kind();
    wrongs.extend(TOML_SAMPLES.iter().map(|m| ConfigWrong::Toml {
        at: "/etc/jicha/config.toml:2".into(),
        message: m.to_string(),
    }));
    for w in wrongs {
        check_with(
            &format!("{w:?}"),
            &w.text(Lang::En),
            &w.text(Lang::Zh),
            &["/etc/jicha/config.toml:2"],
            &mut bad,
        );
    }
    assert_none_bad(bad);
}
