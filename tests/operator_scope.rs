//! Operators bound to a unit (`operator add --unit`): they act only on findings whose customer's
//! station lies in their unit's subtree and on tickets whose unit does; the audit centre (no
//! unit) acts everywhere. A refusal names the record, its unit, the operator's unit and role,
//! and writes nothing — not even a log record. A typed unit must be one the tree knows.
//!
//! The fixture's tree, without units.csv: 西湖区 → 城关供电所 (C1, C2: findings 1–4) and
//! 拱墅区 → 城北供电所 (C3: finding 5).

mod common;
use common::*;
use jicha::actions::{perform, Action};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use std::path::Path;
use std::process::{Command, Output};

const GUAN: &str = "城关供电所";
const BEI: &str = "城北供电所";
const XIHU: &str = "西湖区";

fn bound(who: &str, role: Role, unit: &str) -> Ctx {
    Ctx {
        unit: Some(unit.into()),
        ..ctx(who, role, "2026-11-02")
    }
}

fn log_len(ds: &Dataset) -> i64 {
    ds.conn
        .query_row("SELECT count(*) FROM action_log", [], |r| r.get(0))
        .unwrap()
}

fn ticket(findings: &[i64], unit: Option<&str>) -> Action {
    Action::TicketCreate {
        findings: findings.to_vec(),
        unit: unit.map(str::to_string),
        person: None,
        due: None,
        requirement: "核实并整改".into(),
    }
}

fn submit(number: &str) -> Action {
    Action::TicketSubmit {
        number: number.into(),
        cause: "户名登记错误".into(),
        measures: "已更正".into(),
        recovered: None,
    }
}

#[test]
fn a_bound_auditor_confirms_inside_and_is_refused_outside() {
    let (_d, mut ds) = fixture();
    let alice = bound("alice", Role::Auditor, GUAN);
    perform(&mut ds, &alice, &Action::Confirm { ids: vec![1] }).unwrap();
    assert_eq!(status(&ds, 1).0, "confirmed");

    let before = log_len(&ds);
    let err = perform(&mut ds, &alice, &Action::Confirm { ids: vec![5] }).unwrap_err();
    assert_eq!(
        err.text(Lang::En),
        "refused: finding.confirm on finding 5 (unit 城北供电所) is outside your unit \
         城关供电所 (auditor)"
    );
    assert_eq!(
        err.text(Lang::Zh),
        "已拒绝：确认异常：异常 5（单位：城北供电所）不在你所属单位 城关供电所 的范围内\
         （你的角色：稽查员）"
    );
    assert_eq!(status(&ds, 5).0, "new", "nothing written");
    assert_eq!(log_len(&ds), before, "no log record for a refusal");

    // Notes, closing and reopening are acting too.
    for a in [
        Action::Note {
            ids: vec![5],
            text: "看过".into(),
        },
        Action::Close {
            ids: vec![5],
            resolution: "no_action".into(),
            note: Some("已核实".into()),
        },
    ] {
        let err = perform(&mut ds, &alice, &a).unwrap_err();
        assert!(err.to_string().contains("outside your unit"), "{err}");
    }
    assert_eq!(log_len(&ds), before);
    assert_state_verifies(&ds);
}

#[test]
fn a_bulk_action_with_one_finding_outside_is_refused_whole() {
    let (_d, mut ds) = fixture();
    let alice = bound("alice", Role::Auditor, GUAN);
    let before = log_len(&ds);
    let err = perform(
        &mut ds,
        &alice,
        &Action::Confirm {
            ids: vec![1, 3, 5, 4],
        },
    )
    .unwrap_err();
    let en = err.text(Lang::En);
    assert!(
        en.contains("finding.confirm on 4 records: 1 is outside your unit 城关供电所 (auditor)"),
        "{en}"
    );
    assert!(en.contains("the first finding 5 (unit 城北供电所)"), "{en}");
    assert!(en.ends_with("nothing was written"), "{en}");
    let zh = err.text(Lang::Zh);
    assert!(
        zh.contains("涉及 4 项，其中 1 项不在你所属单位 城关供电所 的范围内"),
        "{zh}"
    );
    assert!(zh.contains("第一项为异常 5（单位：城北供电所）"), "{zh}");
    for id in [1, 3, 4, 5] {
        assert_eq!(status(&ds, id).0, "new", "finding {id} untouched");
    }
    assert_eq!(log_len(&ds), before);

    // The same set without the outsider goes through, one log record per finding.
    perform(&mut ds, &alice, &Action::Confirm { ids: vec![1, 3, 4] }).unwrap();
    assert_eq!(log_len(&ds), before + 3);
}

#[test]
fn a_county_bound_reviewer_acts_on_its_stations_tickets_only() {
    let (_d, mut ds) = fixture();
    let centre = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(&mut ds, &centre, &ticket(&[1], None)).unwrap(); // JC-20261102-001, 城关供电所
    perform(&mut ds, &centre, &ticket(&[5], None)).unwrap(); // JC-20261102-002, 城北供电所
    for n in ["JC-20261102-001", "JC-20261102-002"] {
        perform(&mut ds, &centre, &submit(n)).unwrap();
    }
    let rita = bound("rita", Role::Reviewer, XIHU);
    perform(
        &mut ds,
        &rita,
        &Action::TicketApprove {
            number: "JC-20261102-001".into(),
        },
    )
    .unwrap();
    assert_eq!(status(&ds, 1), ("closed".into(), Some("rectified".into())));

    let before = log_len(&ds);
    for a in [
        Action::TicketApprove {
            number: "JC-20261102-002".into(),
        },
        Action::TicketReturn {
            number: "JC-20261102-002".into(),
            reason: "证据不足".into(),
        },
    ] {
        let err = perform(&mut ds, &rita, &a).unwrap_err();
        let en = err.text(Lang::En);
        assert!(
            en.contains(" on ticket JC-20261102-002 (unit 城北供电所) is outside your unit 西湖区 (reviewer)"),
            "{en}"
        );
        assert!(err.text(Lang::Zh).contains("（你的角色：审核）"));
    }
    let t = jicha::tickets::get(&ds.conn, "JC-20261102-002", day("2026-11-02")).unwrap();
    assert_eq!(t.state, "submitted", "nothing written");
    assert_eq!(log_len(&ds), before);
}

#[test]
fn the_audit_centre_acts_everywhere() {
    let (_d, mut ds) = fixture();
    let centre = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(&mut ds, &centre, &Action::Confirm { ids: vec![1, 3, 5] }).unwrap();
    perform(&mut ds, &centre, &ticket(&[1, 5], Some(XIHU))).unwrap();
    let admin = ctx("admin1", Role::Admin, "2026-11-02");
    perform(
        &mut ds,
        &admin,
        &Action::ThresholdSet {
            name: "whitelist_default_days".into(),
            value: "60".into(),
        },
    )
    .unwrap();
    assert_eq!(status(&ds, 5).0, "ticketed");
    assert_state_verifies(&ds);
}

#[test]
fn a_bound_operators_ticket_needs_its_findings_and_its_unit_inside() {
    let (_d, mut ds) = fixture();
    let alice = bound("alice", Role::Auditor, GUAN);
    // Sent to a unit outside (the county above is outside a station's scope too).
    for unit in [BEI, XIHU] {
        let err = perform(&mut ds, &alice, &ticket(&[1], Some(unit))).unwrap_err();
        let en = err.text(Lang::En);
        assert!(
            en.contains(&format!("ticket.create on 2 records: 1 is outside your unit 城关供电所 (auditor), the first unit {unit} (unit {unit})")),
            "{en}"
        );
    }
    // A finding outside, though the unit is hers.
    let err = perform(&mut ds, &alice, &ticket(&[1, 5], Some(GUAN))).unwrap_err();
    assert!(
        err.text(Lang::En)
            .contains("the first finding 5 (unit 城北供电所)"),
        "{err}"
    );
    assert_eq!(status(&ds, 1).0, "new");
    perform(&mut ds, &alice, &ticket(&[1, 2], None)).unwrap();
    let t = jicha::tickets::get(&ds.conn, "JC-20261102-001", day("2026-11-02")).unwrap();
    assert_eq!(t.unit, GUAN, "the default unit: the findings' station");
}

#[test]
fn whitelist_changes_follow_the_customers_station() {
    let (_d, mut ds) = fixture();
    let add = |cust: &str| Action::WhitelistAdd {
        rule: "ARC-01".into(),
        cust_no: cust.into(),
        reason: "装表中".into(),
        days: Some(30),
    };
    let alice = bound("alice", Role::Auditor, GUAN);
    let err = perform(&mut ds, &alice, &add("C3")).unwrap_err();
    assert!(
        err.text(Lang::En)
            .contains("whitelist.add on customer C3 (unit 城北供电所) is outside"),
        "{err}"
    );
    perform(&mut ds, &alice, &add("C2")).unwrap();
    // An entry the audit centre made for C3 is not hers to revoke or extend.
    let centre = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(&mut ds, &centre, &add("C3")).unwrap();
    let id: i64 = ds
        .conn
        .query_row("SELECT id FROM whitelist WHERE cust_no = 'C3'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let before = log_len(&ds);
    for a in [
        Action::WhitelistRevoke {
            id,
            reason: "已装表".into(),
        },
        Action::WhitelistExtend {
            id,
            days: 10,
            reason: "未完成".into(),
        },
    ] {
        let err = perform(&mut ds, &alice, &a).unwrap_err();
        assert!(
            err.text(Lang::En)
                .contains(&format!("on whitelist entry {id} (unit 城北供电所)")),
            "{err}"
        );
    }
    assert_eq!(log_len(&ds), before);
}

#[test]
fn settings_reach_every_unit_and_stay_the_audit_centres() {
    let (_d, mut ds) = fixture();
    let boss = bound("boss", Role::Admin, XIHU);
    let err = perform(
        &mut ds,
        &boss,
        &Action::ThresholdSet {
            name: "whitelist_default_days".into(),
            value: "60".into(),
        },
    )
    .unwrap_err();
    assert_eq!(
        err.text(Lang::En),
        "refused: thresholds.set applies to every unit, which only the audit centre may \
         change; you are bound to 西湖区 (admin)"
    );
    assert!(err.text(Lang::Zh).contains("只有稽查中心可以操作"));
    // A county's admin may bind someone to a unit of the county, not make an audit-centre
    // operator or bind one outside.
    let add = |unit: Option<&str>| Action::OperatorAdd {
        login: "wang".into(),
        role: "auditor".into(),
        name: None,
        unit: unit.map(str::to_string),
    };
    perform(&mut ds, &boss, &add(Some(GUAN))).unwrap();
    for u in [None, Some(BEI)] {
        let err = perform(&mut ds, &boss, &add(u)).unwrap_err();
        assert!(err.to_string().contains("you"), "{err}");
    }
    assert_eq!(
        jicha::context::unit_of(&ds.conn, "wang")
            .unwrap()
            .as_deref(),
        Some(GUAN)
    );
}

/// With units.csv's tree: a department (计量中心) receives a ticket; a station's reviewer may
/// not approve it, the city's may.
#[test]
fn a_departments_ticket_is_outside_a_stations_reviewer() {
    let (_d, mut ds) = fixture();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO units(name, parent, level, head, import_id, src_line) VALUES
               ('杭州市', NULL, 'city', NULL, 1, 2),
               ('西湖区', '杭州市', 'county', NULL, 1, 3),
               ('城关供电所', '西湖区', 'station', NULL, 1, 4),
               ('拱墅区', '杭州市', 'county', NULL, 1, 5),
               ('城北供电所', '拱墅区', 'station', NULL, 1, 6),
               ('计量中心', '杭州市', 'department', NULL, 1, 7);",
        )?;
        Ok(())
    })
    .unwrap();
    let centre = ctx("auditor1", Role::Auditor, "2026-11-02");
    perform(&mut ds, &centre, &ticket(&[2], Some("计量中心"))).unwrap();
    perform(&mut ds, &centre, &submit("JC-20261102-001")).unwrap();
    let approve = Action::TicketApprove {
        number: "JC-20261102-001".into(),
    };
    let err = perform(&mut ds, &bound("rita", Role::Reviewer, GUAN), &approve).unwrap_err();
    assert_eq!(
        err.text(Lang::En),
        "refused: ticket.approve on ticket JC-20261102-001 (unit 计量中心) is outside your \
         unit 城关供电所 (reviewer)"
    );
    perform(&mut ds, &bound("chen", Role::Reviewer, "杭州市"), &approve).unwrap();
}

#[test]
fn a_typo_in_a_tickets_unit_is_refused_with_the_nearest_names() {
    let (_d, mut ds) = fixture();
    let centre = ctx("auditor1", Role::Auditor, "2026-11-02");
    let before = log_len(&ds);
    let err = perform(&mut ds, &centre, &ticket(&[1], Some("城关所"))).unwrap_err();
    let en = err.text(Lang::En);
    assert!(en.contains("`城关所` is not a unit"), "{en}");
    assert!(en.contains("did you mean 城关供电所"), "{en}");
    assert!(err.text(Lang::Zh).contains("是否要找 城关供电所"), "{err}");
    assert_eq!(status(&ds, 1).0, "new");
    assert_eq!(log_len(&ds), before);
    // A county is a known unit.
    perform(&mut ds, &centre, &ticket(&[1], Some(XIHU))).unwrap();
}

// ---- through the binary ----

fn jicha(db: &Path, who: &str, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jicha"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-02", "--lang", lang, "--operator", who])
        .args(args)
        .env_remove("JICHA_DB")
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn refused(o: Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    String::from_utf8(o.stderr).unwrap()
}

/// `--operator` is root's.
fn skipped_without_root() -> bool {
    if jicha::context::is_root() {
        return false;
    }
    assert!(std::env::var_os("CI").is_none(), "CI runs as root");
    eprintln!("skipped: needs root for --operator");
    true
}

#[test]
fn operator_add_binds_a_unit_and_operator_list_shows_it() {
    if skipped_without_root() {
        return;
    }
    let (_d, ds) = fixture();
    let db = ds.path.clone();
    drop(ds);
    let err = refused(jicha(
        &db,
        "admin1",
        "en",
        &[
            "operator",
            "add",
            "alice",
            "--role",
            "auditor",
            "--unit",
            "城关所",
        ],
    ));
    assert!(err.contains("did you mean 城关供电所"), "{err}");
    let err = refused(jicha(
        &db,
        "admin1",
        "zh",
        &[
            "operator",
            "add",
            "alice",
            "--role",
            "auditor",
            "--unit",
            "城关所",
        ],
    ));
    assert!(err.contains("是否要找 城关供电所"), "{err}");
    let out = ok(jicha(
        &db,
        "admin1",
        "en",
        &["operator", "list", "--format", "json"],
    ));
    assert!(!out.contains("alice"), "nothing written: {out}");

    let out = ok(jicha(
        &db,
        "admin1",
        "en",
        &[
            "operator", "add", "alice", "--role", "auditor", "--unit", GUAN,
        ],
    ));
    assert!(
        out.contains("alice added as auditor of 城关供电所"),
        "{out}"
    );
    ok(jicha(
        &db,
        "admin1",
        "en",
        &["operator", "add", "rita", "--role", "reviewer"],
    ));

    let json: serde_json::Value = serde_json::from_str(&ok(jicha(
        &db,
        "admin1",
        "en",
        &["operator", "list", "--format", "json"],
    )))
    .unwrap();
    let unit_of = |login: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|o| o["login"] == login)
            .unwrap()["unit"]
            .clone()
    };
    assert_eq!(unit_of("alice"), serde_json::json!(GUAN));
    assert_eq!(unit_of("rita"), serde_json::Value::Null, "the audit centre");
    let csv = ok(jicha(
        &db,
        "admin1",
        "en",
        &["operator", "list", "--format", "csv"],
    ));
    let csv = csv.trim_start_matches('\u{feff}');
    assert!(csv.starts_with("login,role,unit,name,"), "{csv}");
    assert!(csv.contains("alice,auditor,城关供电所,"), "{csv}");
    assert!(csv.contains("rita,reviewer,,"), "{csv}");
    let table = ok(jicha(&db, "admin1", "zh", &["operator", "list"]));
    assert!(table.contains("所属单位"), "{table}");
    assert!(
        table.contains(GUAN) && table.contains("稽查中心"),
        "{table}"
    );
}

#[test]
fn re_adding_an_operator_sets_the_unit_given_and_logs_it() {
    if skipped_without_root() {
        return;
    }
    let (_d, ds) = fixture();
    let db = ds.path.clone();
    drop(ds);
    ok(jicha(
        &db,
        "admin1",
        "en",
        &[
            "operator", "add", "alice", "--role", "auditor", "--unit", GUAN,
        ],
    ));
    // Re-adding sets the unit as given, and the log says from which.
    let out = ok(jicha(
        &db,
        "admin1",
        "en",
        &[
            "operator", "add", "alice", "--role", "auditor", "--unit", BEI,
        ],
    ));
    assert!(
        out.contains("alice: role auditor → auditor, unit 城关供电所 → 城北供电所"),
        "{out}"
    );
    let out = ok(jicha(
        &db,
        "admin1",
        "zh",
        &["operator", "add", "alice", "--role", "auditor"],
    ));
    assert!(out.contains("所属单位 城北供电所 → 稽查中心"), "{out}");
    let ds = Dataset::open(&db).unwrap();
    let details: Vec<String> = ds
        .conn
        .prepare(
            "SELECT details FROM action_log WHERE action = 'operator.add'
             AND target = 'operator:alice' ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(details.len(), 3, "{details:?}");
    let last: serde_json::Value = serde_json::from_str(&details[1]).unwrap();
    assert_eq!(last["unit"], BEI);
    assert_eq!(last["old_unit"], GUAN);
    assert_state_verifies(&ds);
}

#[test]
fn a_bound_operator_is_refused_through_the_cli_in_both_languages() {
    if skipped_without_root() {
        return;
    }
    let (_d, ds) = fixture();
    let db = ds.path.clone();
    drop(ds);
    ok(jicha(
        &db,
        "admin1",
        "en",
        &[
            "operator", "add", "alice", "--role", "auditor", "--unit", GUAN,
        ],
    ));
    ok(jicha(&db, "alice", "en", &["finding", "confirm", "1"]));
    let err = refused(jicha(&db, "alice", "en", &["finding", "confirm", "5"]));
    assert!(
        err.contains("finding 5 (unit 城北供电所) is outside your unit 城关供电所 (auditor)"),
        "{err}"
    );
    let err = refused(jicha(&db, "alice", "zh", &["finding", "confirm", "5"]));
    assert!(
        err.contains("不在你所属单位 城关供电所 的范围内（你的角色：稽查员）"),
        "{err}"
    );
    let err = refused(jicha(
        &db,
        "alice",
        "en",
        &[
            "ticket",
            "create",
            "--findings",
            "1",
            "--unit",
            "城关所",
            "--requirement",
            "核实",
        ],
    ));
    assert!(err.contains("did you mean 城关供电所"), "{err}");
    let ds = Dataset::open(&db).unwrap();
    assert_eq!(status(&ds, 5).0, "new");
    assert_eq!(status(&ds, 1).0, "confirmed");
}
