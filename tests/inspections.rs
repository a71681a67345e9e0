//! On-site inspections (现场稽查): planning from findings or for a ticket, recording the
//! 现场处理单 with each outcome and what it does to the findings, a ticket that requires an
//! inspection before it is submitted, overdue inspections, scope and stale refusals,
//! attachments kept by content with their SHA-256 in the log and checked by `log verify`, and
//! bad input refused whole. The CLI is driven at the end.

mod common;
use common::*;
use jicha::actions::inspections::{self as insp, FindingResult};
use jicha::actions::{perform, Action};
use jicha::context::{Lang, Role};
use jicha::error::JichaError;
use jicha::inspections::{self, store, Determination, Filter, Method, Verdict};
use std::path::Path;
use std::process::{Command, Output};

fn auditor(today: &str) -> jicha::context::Ctx {
    ctx("auditor1", Role::Auditor, today)
}

/// Plans an inspection of `findings` on 2026-11-02 for 2026-11-05; its number.
fn plan(ds: &mut jicha::db::Dataset, findings: &[i64], ticket: Option<&str>) -> String {
    let out = insp::create_for(
        ds,
        &auditor("2026-11-02"),
        findings,
        Method::Onsite,
        day("2026-11-05"),
        vec!["张工".into(), "李工".into()],
        Some("CMP-1".into()),
        ticket.map(str::to_string),
    )
    .unwrap();
    number_in(&out.text(Lang::En), "XC-")
}

fn number_in(text: &str, prefix: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in {text}"))
        .trim_end_matches([':', ','])
        .to_string()
}

fn result(finding: i64, outcome: Verdict) -> FindingResult {
    FindingResult {
        finding,
        outcome,
        determination: Determination::None,
        back_kwh: None,
        back_yuan: None,
        penalty_yuan: None,
    }
}

fn log_count(ds: &jicha::db::Dataset) -> i64 {
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

fn note_of(ds: &jicha::db::Dataset, id: i64) -> Vec<String> {
    jicha::findings::notes(&ds.conn, id)
        .unwrap()
        .into_iter()
        .map(|n| n.text)
        .collect()
}

#[test]
fn each_outcome_drives_its_finding_and_the_recording_is_kept() {
    let (_d, mut ds) = fixture();
    let number = plan(&mut ds, &[1, 2, 3], None);
    assert_eq!(number, "XC-20261102-001");
    let i = inspections::get(&ds.conn, &number, day("2026-11-02")).unwrap();
    assert_eq!(i.unit, "城关供电所");
    assert_eq!(i.inspectors, vec!["张工", "李工"]);
    assert_eq!(i.campaign.as_deref(), Some("CMP-1"));
    let theft = FindingResult {
        determination: Determination::Theft,
        back_kwh: Some(1200.0),
        back_yuan: Some(780.5),
        penalty_yuan: Some(2341.5),
        ..result(1, Verdict::True)
    };
    let out = insp::record(
        &mut ds,
        &auditor("2026-11-05"),
        &number,
        day("2026-11-05"),
        vec![theft, result(2, Verdict::False), result(3, Verdict::Partly)],
        "表计接线被改动；2 号核实无误",
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(
        out.text(Lang::En),
        "inspection XC-20261102-001 recorded: 1 finding(s) closed as false positive, 2 confirmed, 0 left as they were; 0 attachment(s)"
    );
    assert_eq!(status(&ds, 1), ("confirmed".into(), None));
    assert_eq!(
        status(&ds, 2),
        ("closed".into(), Some("false_positive".into()))
    );
    assert_eq!(status(&ds, 3), ("confirmed".into(), None));
    assert_eq!(
        note_of(&ds, 2),
        vec!["[XC-20261102-001] 表计接线被改动；2 号核实无误"]
    );
    let i = inspections::get(&ds.conn, &number, day("2026-11-05")).unwrap();
    assert_eq!(i.state.as_str(), "recorded");
    assert_eq!(i.visit_on.as_deref(), Some("2026-11-05"));
    let checked = inspections::checked(&ds.conn, i.id).unwrap();
    assert_eq!(checked[0].outcome, Some(Verdict::True));
    assert_eq!(checked[0].determination, Some(Determination::Theft));
    assert_eq!(checked[0].back_yuan, Some(780.5));
    assert_eq!(checked[0].penalty_yuan, Some(2341.5));
    assert_eq!(checked[1].outcome, Some(Verdict::False));
    // A recorded inspection is not recorded again.
    let again = insp::record(
        &mut ds,
        &auditor("2026-11-05"),
        &number,
        day("2026-11-05"),
        vec![result(1, Verdict::True)],
        "x",
        &[],
        &[],
    )
    .unwrap_err();
    assert!(again.text(Lang::En).contains("is recorded"), "{again}");
    assert!(
        again.text(Lang::Zh).contains("已记录"),
        "{}",
        again.text(Lang::Zh)
    );
    assert_state_verifies(&ds);
}

#[test]
fn a_ticket_that_requires_an_inspection_is_submitted_only_once_one_is_recorded() {
    let (_d, mut ds) = fixture();
    let a = auditor("2026-11-02");
    let out = insp::create_ticket_requiring(
        &mut ds,
        &a,
        Action::TicketCreate {
            findings: vec![1, 2],
            unit: None,
            person: None,
            due: None,
            requirement: "现场核实".into(),
        },
    )
    .unwrap();
    let ticket = number_in(&out.text(Lang::En), "JC-");
    let submit = Action::TicketSubmit {
        number: ticket.clone(),
        cause: "c".into(),
        measures: "m".into(),
        recovered: None,
    };
    let e = perform(&mut ds, &a, &submit).unwrap_err();
    assert!(
        e.text(Lang::En).contains("requires an on-site inspection")
            && e.text(Lang::En).contains("inspection create --ticket"),
        "{e}"
    );
    assert!(e.text(Lang::Zh).contains("要求提交前完成现场稽查"));
    let number = plan(&mut ds, &[], Some(&ticket));
    let i = inspections::get(&ds.conn, &number, day("2026-11-02")).unwrap();
    assert_eq!(i.ticket.as_deref(), Some(ticket.as_str()));
    assert_eq!(i.findings, 2);
    // Planned but not recorded: still refused, naming the planned one.
    let e = perform(&mut ds, &a, &submit).unwrap_err();
    assert!(e.text(Lang::En).contains(&number), "{e}");
    insp::record(
        &mut ds,
        &auditor("2026-11-05"),
        &number,
        day("2026-11-05"),
        vec![result(1, Verdict::True), result(2, Verdict::False)],
        "1 号属实；2 号不属实",
        &[],
        &[],
    )
    .unwrap();
    // 属实 on a ticket: it stays on the ticket; 不属实 closes it.
    assert_eq!(status(&ds, 1), ("ticketed".into(), None));
    assert_eq!(
        status(&ds, 2),
        ("closed".into(), Some("false_positive".into()))
    );
    perform(&mut ds, &auditor("2026-11-05"), &submit).unwrap();
    let r = ctx("reviewer1", Role::Reviewer, "2026-11-06");
    perform(&mut ds, &r, &Action::TicketApprove { number: ticket }).unwrap();
    assert_eq!(status(&ds, 1), ("closed".into(), Some("rectified".into())));
    assert_eq!(
        status(&ds, 2),
        ("closed".into(), Some("false_positive".into())),
        "the approval leaves the 不属实 finding as it was"
    );
    assert_state_verifies(&ds);
}

#[test]
fn a_ticket_without_the_requirement_submits_as_before() {
    let (_d, mut ds) = fixture();
    let a = auditor("2026-11-02");
    let out = perform(
        &mut ds,
        &a,
        &Action::TicketCreate {
            findings: vec![5],
            unit: None,
            person: None,
            due: None,
            requirement: "r".into(),
        },
    )
    .unwrap();
    let ticket = number_in(&out.text(Lang::En), "JC-");
    perform(
        &mut ds,
        &a,
        &Action::TicketSubmit {
            number: ticket,
            cause: "c".into(),
            measures: "m".into(),
            recovered: None,
        },
    )
    .unwrap();
}

#[test]
fn a_planned_inspection_not_recorded_by_its_date_is_overdue() {
    let (_d, mut ds) = fixture();
    let number = plan(&mut ds, &[1], None);
    let on = |d: &str| inspections::get(&ds.conn, &number, day(d)).unwrap().overdue;
    assert!(
        !on("2026-11-05"),
        "due on its planned date, not overdue yet"
    );
    assert!(on("2026-11-06"));
    let overdue = Filter {
        overdue: true,
        ..Filter::default()
    };
    assert_eq!(
        inspections::list(&ds.conn, &overdue, day("2026-11-06"))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        inspections::overdue_count(&ds.conn, day("2026-11-06")).unwrap(),
        1
    );
    insp::record(
        &mut ds,
        &auditor("2026-11-07"),
        &number,
        day("2026-11-07"),
        vec![result(1, Verdict::True)],
        "late visit",
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(
        inspections::overdue_count(&ds.conn, day("2026-11-08")).unwrap(),
        0
    );
    assert!(inspections::list(&ds.conn, &overdue, day("2026-11-08"))
        .unwrap()
        .is_empty());
}

#[test]
fn an_operator_bound_to_another_unit_is_refused_and_nothing_is_written() {
    let (_d, mut ds) = fixture();
    let mut north = auditor("2026-11-02");
    north.unit = Some("城北供电所".into());
    let before = log_count(&ds);
    let e = insp::create_for(
        &mut ds,
        &north,
        &[1],
        Method::Phone,
        day("2026-11-03"),
        vec!["赵工".into()],
        None,
        None,
    )
    .unwrap_err();
    assert!(matches!(e, JichaError::OutOfScope(_)), "{e}");
    assert!(e.to_string().contains("城关供电所"), "{e}");
    assert_eq!(log_count(&ds), before);
    // Its own station's finding is fine; recording another unit's inspection is not.
    plan(&mut ds, &[5], None);
    let theirs = plan(&mut ds, &[1], None);
    let e = insp::record(
        &mut ds,
        &north,
        &theirs,
        day("2026-11-02"),
        vec![result(1, Verdict::False)],
        "x",
        &[],
        &[],
    )
    .unwrap_err();
    assert!(matches!(e, JichaError::OutOfScope(_)), "{e}");
    assert_eq!(status(&ds, 1), ("new".into(), None));
}

#[test]
fn a_change_to_an_inspection_shown_before_another_operators_change_is_refused_as_stale() {
    let (_d, mut ds) = fixture();
    let number = plan(&mut ds, &[1], None);
    let shown = inspections::get(&ds.conn, &number, day("2026-11-02")).unwrap();
    let seen = [(shown.id, shown.version)];
    // Another operator records it first.
    insp::record(
        &mut ds,
        &ctx("auditor2", Role::Auditor, "2026-11-02"),
        &number,
        day("2026-11-02"),
        vec![result(1, Verdict::True)],
        "done by auditor2",
        &[],
        &seen,
    )
    .unwrap();
    let e = insp::cancel(&mut ds, &auditor("2026-11-02"), &number, "no need", &seen).unwrap_err();
    assert!(matches!(e, JichaError::Stale(_)), "{e}");
    let i = inspections::get(&ds.conn, &number, day("2026-11-02")).unwrap();
    assert_eq!(i.state.as_str(), "recorded");
}

#[test]
fn cancelling_needs_a_reason_and_frees_the_findings_for_another_inspection() {
    let (_d, mut ds) = fixture();
    let number = plan(&mut ds, &[1], None);
    let e = insp::create_for(
        &mut ds,
        &auditor("2026-11-02"),
        &[1],
        Method::Onsite,
        day("2026-11-05"),
        vec!["张工".into()],
        None,
        None,
    )
    .unwrap_err();
    assert!(e.text(Lang::En).contains(&number), "{e}");
    let e = insp::cancel(&mut ds, &auditor("2026-11-02"), &number, " ", &[]).unwrap_err();
    assert!(e.text(Lang::En).contains("--reason"), "{e}");
    insp::cancel(&mut ds, &auditor("2026-11-02"), &number, "客户已销户", &[]).unwrap();
    let i = inspections::get(&ds.conn, &number, day("2026-11-02")).unwrap();
    assert_eq!(i.state.as_str(), "cancelled");
    assert_eq!(i.cancel_reason.as_deref(), Some("客户已销户"));
    assert_eq!(plan(&mut ds, &[1], None), "XC-20261102-002");
}

#[test]
fn attachments_are_kept_by_content_and_a_replaced_one_is_named_by_log_verify() {
    let (d, mut ds) = fixture();
    let number = plan(&mut ds, &[1], None);
    let photo = d.path().join("photo1.jpg");
    let form = d.path().join("现场处理单.pdf");
    std::fs::write(&photo, b"JPEG bytes of the meter").unwrap();
    std::fs::write(&form, b"%PDF scanned form").unwrap();
    insp::record(
        &mut ds,
        &auditor("2026-11-05"),
        &number,
        day("2026-11-05"),
        vec![result(1, Verdict::True)],
        "接线被改动",
        &[photo.clone(), form.clone()],
        &[],
    )
    .unwrap();
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(b"JPEG bytes of the meter"));
    let stored = store::path_of(&ds.path, &sha);
    assert_eq!(
        stored,
        d.path()
            .join("t.jicha.files/sha256")
            .join(&sha[..2])
            .join(&sha)
    );
    assert_eq!(std::fs::read(&stored).unwrap(), b"JPEG bytes of the meter");
    let i = inspections::get(&ds.conn, &number, day("2026-11-05")).unwrap();
    let files = inspections::attachments(&ds.conn, i.id).unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].file_name, "photo1.jpg");
    assert_eq!(files[1].file_name, "现场处理单.pdf");
    assert_eq!(files[0].sha256, sha);
    let details: String = ds
        .conn
        .query_row(
            "SELECT details FROM action_log WHERE action = 'inspection.record'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(details.contains(&sha), "{details}");
    let verify = |ds: &jicha::db::Dataset| {
        jicha::actionlog::audit(&ds.path, &ds.conn, None)
            .unwrap()
            .problems
            .iter()
            .map(|p| p.text(Lang::En))
            .collect::<Vec<_>>()
    };
    assert!(verify(&ds).is_empty(), "{:?}", verify(&ds));
    std::fs::write(&stored, b"another photo").unwrap();
    let problems = verify(&ds);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("photo1.jpg")
            && problems[0].contains(&number)
            && problems[0].contains("replaced")
            && problems[0].contains(&sha),
        "{problems:?}"
    );
    std::fs::remove_file(&stored).unwrap();
    let problems = verify(&ds);
    assert!(problems[0].contains("missing"), "{problems:?}");
}

#[test]
fn bad_input_is_refused_whole_with_a_clear_message() {
    let (d, mut ds) = fixture();
    let before = log_count(&ds);
    let e = insp::create_for(
        &mut ds,
        &auditor("2026-11-02"),
        &[1, 99],
        Method::Onsite,
        day("2026-11-05"),
        vec!["张工".into()],
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(
        e.text(Lang::En),
        "there is no finding 99; nothing was changed"
    );
    assert_eq!(e.text(Lang::Zh), "没有异常 99；未做任何更改");
    let e = insp::create_for(
        &mut ds,
        &auditor("2026-11-02"),
        &[1],
        Method::Onsite,
        day("2026-11-05"),
        vec![" ".into()],
        None,
        None,
    )
    .unwrap_err();
    assert!(e.text(Lang::En).contains("--inspectors"), "{e}");
    assert_eq!(log_count(&ds), before);
    let number = plan(&mut ds, &[1, 2], None);
    let before = log_count(&ds);
    let negative = FindingResult {
        back_kwh: Some(-5.0),
        ..result(1, Verdict::True)
    };
    let e = insp::record(
        &mut ds,
        &auditor("2026-11-05"),
        &number,
        day("2026-11-05"),
        vec![negative, result(2, Verdict::False)],
        "x",
        &[],
        &[],
    )
    .unwrap_err();
    assert!(e.text(Lang::En).contains("--back-kwh -5"), "{e}");
    let photo = d.path().join("photo1.jpg");
    std::fs::write(&photo, b"a photo").unwrap();
    let e = insp::record(
        &mut ds,
        &auditor("2026-11-05"),
        &number,
        day("2026-11-05"),
        vec![result(1, Verdict::True), result(2, Verdict::False)],
        "x",
        &[photo.clone(), d.path().join("lost.jpg")],
        &[],
    )
    .unwrap_err();
    assert!(
        e.text(Lang::En).contains("lost.jpg") && e.text(Lang::En).contains("does not exist"),
        "{e}"
    );
    // An outcome missing for one finding: refused after the files were stored, which are
    // taken back out.
    let e = insp::record(
        &mut ds,
        &auditor("2026-11-05"),
        &number,
        day("2026-11-05"),
        vec![result(1, Verdict::True)],
        "x",
        &[photo],
        &[],
    )
    .unwrap_err();
    assert!(
        e.text(Lang::En)
            .contains("no outcome given for finding(s) 2"),
        "{e}"
    );
    let root = store::root(&ds.path);
    let stored = walk(&root);
    assert!(stored.is_empty(), "{stored:?}");
    assert_eq!(log_count(&ds), before);
    assert_eq!(status(&ds, 1), ("new".into(), None));
    assert_eq!(status(&ds, 2), ("new".into(), None));
    let i = inspections::get(&ds.conn, &number, day("2026-11-05")).unwrap();
    assert_eq!(i.state.as_str(), "planned");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

#[test]
fn closed_and_whitelisted_findings_are_not_inspected() {
    let (_d, mut ds) = fixture();
    let a = auditor("2026-11-02");
    perform(
        &mut ds,
        &a,
        &Action::Close {
            ids: vec![3],
            resolution: "no_action".into(),
            note: Some("已核实".into()),
        },
    )
    .unwrap();
    perform(
        &mut ds,
        &a,
        &Action::WhitelistAdd {
            rule: "ARC-01".into(),
            cust_no: "C3".into(),
            reason: "已知".into(),
            days: Some(30),
        },
    )
    .unwrap();
    let try_plan = |ds: &mut jicha::db::Dataset, ids: &[i64]| {
        insp::create_for(
            ds,
            &a,
            ids,
            Method::Onsite,
            day("2026-11-05"),
            vec!["张工".into()],
            None,
            None,
        )
        .unwrap_err()
        .text(Lang::En)
    };
    let e = try_plan(&mut ds, &[1, 3]);
    assert!(e.contains("finding(s) 3 are closed"), "{e}");
    let e = try_plan(&mut ds, &[5]);
    assert!(e.contains("finding(s) 5 are suppressed"), "{e}");
    let e = try_plan(&mut ds, &[1, 4, 5]);
    assert!(
        e.contains("suppressed") || e.contains("supply stations"),
        "{e}"
    );
}

fn jicha(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--operator", "admin1"])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
#[allow(clippy::too_many_lines)] // one CLI scenario, step by step
fn the_cli_plans_records_lists_and_shows_an_inspection() {
    let (d, ds) = fixture();
    let db = ds.path.clone();
    drop(ds);
    let out = ok(jicha(
        &db,
        &[
            "--today",
            "2026-11-02",
            "inspection",
            "create",
            "--findings",
            "1,2",
            "--planned",
            "2026-11-04",
            "--inspectors",
            "张工,李工",
            "--method",
            "records",
        ],
    ));
    assert!(out.contains("XC-20261102-001"), "{out}");
    let list = ok(jicha(
        &db,
        &[
            "--today",
            "2026-11-05",
            "inspection",
            "list",
            "--overdue",
            "--format",
            "csv",
        ],
    ));
    assert!(
        list.contains("XC-20261102-001,planned,records,城关供电所,2026-11-04,true"),
        "{list}"
    );
    let photo = d.path().join("photo.jpg");
    std::fs::write(&photo, b"jpeg").unwrap();
    let photo = photo.to_string_lossy().into_owned();
    // Counts that do not match are refused before anything is written.
    let bad = jicha(
        &db,
        &[
            "--today",
            "2026-11-05",
            "inspection",
            "record",
            "XC-20261102-001",
            "--finding",
            "1",
            "--finding",
            "2",
            "--outcome",
            "true",
            "--outcome",
            "false",
            "--back-yuan",
            "1",
            "--back-yuan",
            "2",
            "--back-yuan",
            "3",
            "--account",
            "x",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--back-yuan is given 3 time(s)"));
    let rec = ok(jicha(
        &db,
        &[
            "--today",
            "2026-11-05",
            "inspection",
            "record",
            "XC-20261102-001",
            "--visit",
            "2026-11-05",
            "--finding",
            "1",
            "--outcome",
            "true",
            "--determination",
            "theft",
            "--back-kwh",
            "1200",
            "--back-yuan",
            "780",
            "--penalty-yuan",
            "2340",
            "--finding",
            "2",
            "--outcome",
            "false",
            "--determination",
            "none",
            "--back-kwh",
            "0",
            "--back-yuan",
            "0",
            "--penalty-yuan",
            "0",
            "--account",
            "1 号接线被改动；2 号无误",
            "--attach",
            &photo,
        ],
    ));
    assert!(
        rec.contains("1 finding(s) closed as false positive, 1 confirmed"),
        "{rec}"
    );
    let show = ok(jicha(
        &db,
        &[
            "--lang",
            "zh",
            "--today",
            "2026-11-05",
            "inspection",
            "show",
            "XC-20261102-001",
        ],
    ));
    for word in [
        "已记录",
        "资料核查",
        "属实",
        "窃电",
        "1200.00",
        "2340.00",
        "不属实",
        "photo.jpg",
    ] {
        assert!(show.contains(word), "{word} in:\n{show}");
    }
    let json = ok(jicha(
        &db,
        &["inspection", "show", "XC-20261102-001", "--format", "json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["state"], "recorded");
    assert_eq!(v["checked"][0]["determination"], "theft");
    assert_eq!(v["attachments"][0]["file_name"], "photo.jpg");
    let verify = ok(jicha(&db, &["log", "verify"]));
    assert!(!verify.is_empty());
    let help = ok(jicha(
        &db,
        &["--lang", "zh", "inspection", "record", "--help"],
    ));
    assert!(help.contains("违约使用电费"), "{help}");
}
