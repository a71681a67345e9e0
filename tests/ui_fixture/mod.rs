//! A small, fixed dataset for the UI tests: dates are fixed, so the screens are deterministic.
#![allow(dead_code)]

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jicha::context::{Ctx, Lang, Role};
use jicha::db::Dataset;
use jicha::ui::app::App;
use jicha::ui::theme::Theme;
use std::path::{Path, PathBuf};

pub mod sizes;

pub const TODAY: &str = "2026-11-02";

pub fn day(s: &str) -> NaiveDate {
    jicha::dates::parse_date(s).unwrap()
}

pub fn ctx(who: &str, role: Role, lang: Lang) -> Ctx {
    Ctx {
        unit: None,
        operator: who.into(),
        role,
        today: day(TODAY),
        lang,
    }
}

/// Customers (one with a hostile name: ESC sequence and a bidi override), findings of several
/// rules, severities and statuses, 12 months of bills, meters, notes, whitelist entries, and
/// 30 days of scans for the sparklines.
pub fn dataset() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jicha");
    let mut ds = Dataset::create(&path, "admin1", "2026-01-01T00:00:00Z").unwrap();
    ds.write(|tx| {
        tx.execute_batch(
            "INSERT INTO operators(login, role, name, added_at, added_by) VALUES
               ('auditor1','auditor','王审计','2026-01-01T00:00:00Z','admin1'),
               ('auditor2','auditor',NULL,'2026-01-01T00:00:00Z','admin1'),
               ('reviewer1','reviewer',NULL,'2026-01-01T00:00:00Z','admin1');
             INSERT INTO customers VALUES
               ('C001','张三商店','城关镇解放路12号','张三','13800000000','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,2),
               ('C002','李四',NULL,'李四','13800000001','resident','RES','single',0.22,8,NULL,0,0,'城关供电所','西湖区','2020-01-01','active',NULL,1,3),
               ('C003','宏达机械加工厂有限责任公司','工业园区8号','赵六','057188880000','large_industry','IND','single',10,1250,0.9,1,0,'开发区供电所','滨江区','2018-05-01','active',NULL,1,4),
               ('C004','Evil' || char(27) || '[2J' || char(27) || ']0;pwned' || char(7) || 'Corp' || char(8238) || 'gpj.exe','Main St 1','Mallory','13800000004','commercial','COM','single',0.4,50,NULL,0,0,'城关供电所','西湖区','2021-03-01','active',NULL,1,5),
               ('C005','Green Farm Co-op',NULL,'Ann','13800000005','agriculture','AGR','single',0.4,30,NULL,0,0,'Riverside station','East','2019-07-01','active',NULL,1,6);
             INSERT INTO meters VALUES
               ('M001','C001','DD862',1,1,1,'2015-01-01',NULL,1,2),
               ('M003','C003','DTSD341',100,100,10000,'2019-01-01','2024-06-01',1,3);",
        )?;
        // Twelve months of bills for C003 ending in the business month.
        for (i, kwh) in [
            98000.0, 102000.0, 99000.0, 101000.0, 97000.0, 100000.0, 103000.0, 99500.0, 30000.0,
            28000.0, 31000.0, 29500.0,
        ]
        .iter()
        .enumerate()
        {
            let period = shift_period(&format!("2025-{:02}", i + 1), 10);
            tx.execute(
                "INSERT INTO bills VALUES ('C003', ?1, ?2, 0, 0, 10000, ?3, 0, ?4, ?4, 1, ?5)",
                rusqlite::params![period, format!("{period}-25"), kwh, kwh * 0.6, 10 + i as i64],
            )?;
        }
        // Thirty days of scans: scan n on 2026-10-(n+3)... the last one is today.
        for n in 0..30i64 {
            let date = day(TODAY) - chrono::Days::new(29 - n as u64);
            tx.execute(
                "INSERT INTO scans(id, started_at, finished_at, business_date, as_of, operator, thresholds, summary)
                 VALUES (?1, 't', 't', ?2, ?2, 'admin1', '{}', '{}')",
                rusqlite::params![n + 1, date.to_string()],
            )?;
            for (rule, base) in [("BIL-05", 3i64), ("ARC-04", 5), ("THF-01", 1), ("ARC-01", 8)] {
                let hits = base + (n * 7 + base) % 5;
                tx.execute(
                    "INSERT INTO scan_rule_counts VALUES (?1, ?2, ?3, 0, 0, 0)",
                    rusqlite::params![n + 1, rule, hits],
                )?;
            }
        }
        tx.execute_batch(
            "INSERT INTO findings(id, rule, cust_no, subject, status, resolution, severity, level, evidence, amount_yuan, first_seen, last_seen, first_scan, last_scan, recurred, status_date) VALUES
               (1,'ARC-04','C001','-','new',NULL,'high',NULL,'户名“张三商店”含经营字样“商店”，执行居民电价 RES',NULL,'2026-11-02','2026-11-02',30,30,0,'2026-11-02'),
               (2,'BIL-05','C001','2026-09','new',NULL,'high',NULL,'amount -12.00 元',12.0,'2026-11-02','2026-11-02',30,30,0,'2026-11-02'),
               (3,'ARC-01','C002','-','confirmed',NULL,'low',NULL,'phone 13800000001 ok, contact missing',NULL,'2026-10-20','2026-11-02',17,30,0,'2026-10-21'),
               (4,'BIL-05','C002','2026-10','new',NULL,'high',NULL,'amount -99.00 元',99.0,'2026-11-02','2026-11-02',30,30,1,'2026-11-02'),
               (5,'THF-01','C003','2026-10','new',NULL,'high',2,'kWh fell 70% (mean 100,000 → 29,500); multiplier 10000 vs CT×PT 10000; 4 signals',52000.0,'2026-11-02','2026-11-02',30,30,0,'2026-11-02'),
               (6,'ARC-04','C004','-','new',NULL,'high',NULL,'name' || char(27) || '[31m red' || char(8238) || 'txt.exe',NULL,'2026-11-02','2026-11-02',30,30,0,'2026-11-02'),
               (7,'ARC-05','C003','-','closed','rectified','high',NULL,'large industry billed single-part',NULL,'2026-09-01','2026-10-01',1,10,0,'2026-10-15'),
               (8,'ARC-01','C005','-','new',NULL,'low',NULL,'contact missing',NULL,'2026-11-01','2026-11-02',29,30,0,'2026-11-01'),
               (9,'MTR-03','C001','M001','new',NULL,'medium',NULL,'model DD862 is obsolete',NULL,'2026-11-02','2026-11-02',30,30,0,'2026-11-02');
             INSERT INTO finding_notes(finding_id, author, at_utc, business_date, text) VALUES
               (5,'auditor1','2026-11-02T01:30:00.000Z','2026-11-02','现场核查：表计封印完好。
下周复查。');
             INSERT INTO whitelist(id, rule, cust_no, reason, author, created_at, starts_on, expires_on, effective_from, approved_by) VALUES
               (1,'ARC-01','C005','农业合作社，联系人按季度更新','auditor1','2026-09-01T00:00:00Z','2026-09-01','2026-11-06','2026-09-01',NULL),
               (2,'*','C002','长期空置房屋','auditor1','2026-10-01T00:00:00Z','2026-10-01','2027-09-01',NULL,NULL),
               (3,'BIL-05','C001','test entry','auditor2','2026-01-01T00:00:00Z','2026-01-01','2026-03-01','2026-01-01',NULL);",
        )?;
        Ok(())
    })
    .unwrap();
    drop(ds);
    (dir, path)
}

fn shift_period(p: &str, months: i32) -> String {
    let y: i32 = p[..4].parse().unwrap();
    let m: i32 = p[5..7].parse().unwrap();
    let i = y * 12 + (m - 1) + months;
    format!("{:04}-{:02}", i / 12, i % 12 + 1)
}

pub fn app_with(path: &Path, ctx: Ctx, keymap: &str, color: bool, ascii: bool) -> App {
    let km = jicha::ui::load_keymap(keymap, Some(std::path::Path::new("/dev/null"))).unwrap();
    let mut app = App::new(path.to_path_buf(), ctx, km, Theme::new(color, ascii), None).unwrap();
    app.resize(80, 24);
    app.settle();
    app
}

pub fn app(path: &Path, who: &str, role: Role, lang: Lang) -> App {
    app_with(path, ctx(who, role, lang), "default", true, false)
}

pub fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Sends each event and lets background queries answer after each.
pub fn press(app: &mut App, events: &[Event]) {
    for e in events {
        app.handle(e.clone());
        app.settle();
    }
}

pub fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        if c == '\n' {
            app.handle(code(KeyCode::Enter));
        } else {
            app.handle(key(c));
        }
    }
    app.settle();
}

/// The screen as text at `w`×`h`, once the background answers are in (what snapshots record).
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    app.settle();
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| jicha::ui::render::draw(f, app)).unwrap();
    t.backend().to_string()
}

/// The findings screen's state (the list, its filter and marks).
pub fn list(app: &App) -> &jicha::ui::screen::findings::Findings {
    app.screen_state().expect("the findings screen")
}

pub fn list_mut(app: &mut App) -> &mut jicha::ui::screen::findings::Findings {
    app.screen_state_mut().expect("the findings screen")
}

/// The finding on the detail screen.
pub fn detail(app: &App) -> Option<&jicha::ui::screen::detail::Shown> {
    app.screen_state::<jicha::ui::screen::detail::Detail>()?
        .shown
        .as_ref()
}
