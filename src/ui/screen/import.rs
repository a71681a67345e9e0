//! 导入: `jicha import DIR` from the UI. The permission is checked before anything opens (the
//! CLI's: `import` needs an auditor); then a directory browser (`import_dirs`) starting at the
//! last directory used, else the dataset's, shows which data-contract files each directory
//! holds. The import runs on a thread of its own through `import::import_dir_with` and its
//! progress callback, with a progress bar and the cancel key (as the scan); it writes all or
//! nothing. A refusal shows its error list (file:line and what to fix), scrollable; a
//! successful import shows what each file brought and offers a scan. Drawn in `import_draw`.

use super::import_dirs::{self, Browse, DirMsg, Entry, TypedPath};
use super::{list_delta, step, Arg, Cx, Invalid, Screen, Ui};
use crate::context::{Ctx, Lang, Role};
use crate::db::Dataset;
use crate::error::JichaError;
use crate::import::{self, FileSummary, ImportOptions};
use crate::progress::Progress;
use crate::ui::dialog::{Choice, Prompt, Value};
use crate::ui::keymap::{Action as Key, Context};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

crate::bilingual_messages! {
    pub enum ImMsg {
        Title => "Import", "导入";
        Idle => "No import yet in this session.", "本次会话尚未导入。";
        Choose => "choose a directory", "选择目录";
        Running => "Importing", "正在导入";
        CancelHint => "cancel (nothing is written)", "取消（不写入任何数据）";
        Cancelling => "Cancelling the import …", "正在取消导入 …";
        Cancelled => "Import cancelled: nothing was written.", "导入已取消：未写入任何数据。";
        Refused => "Import refused, nothing was written. Fix these and import again:", "导入被拒绝，未写入任何数据。请修正以下问题后重新导入：";
        Failed => "Import failed, nothing was written:", "导入失败，未写入任何数据：";
        Done => "Imported", "已导入";
        File => "file", "文件";
        Rows => "rows", "行数";
        New => "new", "新增";
        Updated => "updated", "更新";
        Gone => "gone", "删除";
        Warnings => "warnings", "警告";
        OfferScan => "Imported. Scan the dataset now?", "已导入。现在扫描数据集吗？";
        ScanNow => "Scan now (in the background)", "现在扫描（后台运行）";
        NotNow => "Not now", "暂不扫描";
        AlreadyRunning => "An import is running already.", "已有导入正在进行。";
        Scroll => "scroll", "滚动";
        Bytes => "bytes", "字节";
    }
}

/// How an import ended, in the operator's language (display-safe: the import escapes the
/// export's text in its messages).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Imported {
        import_id: i64,
        files: Vec<FileSummary>,
        warnings: Vec<String>,
        warnings_total: u64,
    },
    /// The export's errors: file:line and what to fix.
    Refused(Vec<String>),
    Cancelled,
    Failed(String),
}

/// An import running on its own thread.
pub struct ImportJob {
    pub dir: PathBuf,
    pub progress: Arc<Mutex<Progress>>,
    pub cancel: Arc<AtomicBool>,
    done: Receiver<Outcome>,
}

impl ImportJob {
    /// Imports `dir` into the dataset at `db` on a new thread, as `jicha import DIR` does
    /// (a delta export unless told otherwise, UTF-8).
    pub fn start(db: PathBuf, dir: PathBuf, ctx: Ctx) -> ImportJob {
        let progress = Arc::new(Mutex::new(Progress {
            stage: String::new(),
            done: 0,
            total: 0,
        }));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, done) = mpsc::channel();
        let (p, c, d) = (progress.clone(), cancel.clone(), dir.clone());
        std::thread::Builder::new()
            .name("jicha-import".into())
            .spawn(move || {
                let mut cb = |pr: &Progress| {
                    if let Ok(mut slot) = p.lock() {
                        *slot = pr.clone();
                    }
                    if c.load(Ordering::SeqCst) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                };
                let _ = tx.send(run(&db, &d, &ctx, &mut cb));
            })
            .expect("spawn the import thread");
        ImportJob {
            dir,
            progress,
            cancel,
            done,
        }
    }

    /// The progress so far: (stage, done, total).
    pub fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or(Progress {
            stage: String::new(),
            done: 0,
            total: 0,
        })
    }
}

/// The import itself, on the import thread, with its own connection.
fn run(db: &Path, dir: &Path, ctx: &Ctx, cb: crate::progress::Callback) -> Outcome {
    let lang = ctx.lang;
    let mut ds = match Dataset::open(db) {
        Ok(ds) => ds,
        Err(e) => return Outcome::Failed(e.text(lang)),
    };
    let options = ImportOptions {
        encoding: import::Encoding::default(),
        delta: true,
    };
    match import::import_dir_with(&mut ds, ctx, dir, options, cb) {
        Ok(s) => Outcome::Imported {
            import_id: s.import_id,
            files: s.files,
            warnings: s.warnings,
            warnings_total: s.warnings_total,
        },
        Err(JichaError::Import(lines)) => Outcome::Refused(lines),
        Err(JichaError::Cancelled) => Outcome::Cancelled,
        Err(e) => Outcome::Failed(e.text(lang)),
    }
}

/// The tag of the scan offer after an import.
struct OfferScan;

#[derive(Default)]
pub struct ImportScreen {
    /// The directory last browsed or imported: the browser starts there.
    pub dir: Option<PathBuf>,
    pub job: Option<ImportJob>,
    /// How the last import of this session ended, and from where.
    pub last: Option<(PathBuf, Outcome)>,
    /// The first line shown of the error list (or the summary).
    pub scroll: usize,
}

/// The permission `jicha import` checks, checked before the browser opens.
pub fn allowed(ctx: &Ctx) -> crate::Result<()> {
    ctx.require(Role::Auditor, "import")
}

impl ImportScreen {
    /// The browser at the last directory used, else the dataset's directory.
    fn browse(&mut self, cx: &mut Cx) {
        if self.job.is_some() {
            cx.info(ImMsg::AlreadyRunning.text(cx.lang()));
            return;
        }
        if let Err(e) = allowed(cx.ctx) {
            cx.error(e.text(cx.lang()));
            return;
        }
        let start = self
            .dir
            .clone()
            .unwrap_or_else(|| match cx.ds.path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            });
        cx.dialog(import_dirs::browser(&start, cx.lang()));
    }

    fn start(&mut self, dir: PathBuf, cx: &mut Cx) {
        if let Err(e) = allowed(cx.ctx) {
            cx.error(e.text(cx.lang()));
            return;
        }
        self.dir = Some(dir.clone());
        self.scroll = 0;
        self.last = None;
        self.job = Some(ImportJob::start(cx.ds.path.clone(), dir, cx.ctx.clone()));
    }

    /// The lines below the heading that scroll: the error list, or the warnings.
    pub fn scroll_len(&self) -> usize {
        match &self.last {
            Some((_, Outcome::Refused(lines))) => lines.len(),
            Some((
                _,
                Outcome::Imported {
                    files, warnings, ..
                },
            )) => files.len() + warnings.len(),
            _ => 0,
        }
    }

    /// The import's answer arrived: show it; after a successful one, offer a scan.
    fn finished(&mut self, dir: PathBuf, outcome: Outcome, cx: &mut Cx) {
        let lang = cx.lang();
        match &outcome {
            Outcome::Imported { .. } => {
                cx.info(format!("{} {}", ImMsg::Done.text(lang), short(&dir)));
                cx.refresh();
                let items = vec![
                    ImMsg::ScanNow.text(lang).to_string(),
                    ImMsg::NotNow.text(lang).to_string(),
                ];
                let mut c = Choice::new(ImMsg::OfferScan.text(lang).to_string(), items, OfferScan);
                c.size = (56, None);
                cx.dialog(c);
            }
            Outcome::Refused(_) => cx.error(ImMsg::Refused.text(lang)),
            Outcome::Cancelled => cx.info(ImMsg::Cancelled.text(lang)),
            Outcome::Failed(e) => cx.error(format!("{} {e}", ImMsg::Failed.text(lang))),
        }
        self.last = Some((dir, outcome));
        self.scroll = 0;
    }
}

/// A path as the status line shows it (escaped by the router).
fn short(p: &Path) -> String {
    p.display().to_string()
}

impl Screen for ImportScreen {
    fn context(&self) -> Context {
        Context::List
    }

    fn hints(&self) -> &'static [Key] {
        &[Key::Open, Key::Scan, Key::Back, Key::Help]
    }

    /// Opened (the import key, `:import`): the browser, unless an import is running.
    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        if let Err(e) = allowed(cx.ctx) {
            cx.error(e.text(cx.lang()));
            cx.back();
            return;
        }
        if self.job.is_none() {
            self.browse(cx);
        }
    }

    fn on_action(&mut self, a: Key, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            self.scroll = step(self.scroll, delta, self.scroll_len());
            return;
        }
        match a {
            Key::Open => self.browse(cx),
            Key::CancelJob => {
                if let Some(j) = &self.job {
                    j.cancel.store(true, Ordering::SeqCst);
                    cx.info(ImMsg::Cancelling.text(cx.lang()));
                }
            }
            Key::Back => cx.back(),
            _ => {}
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let lang = cx.lang();
        if let Some(b) = tag.downcast_ref::<Browse>() {
            let Value::Choice(i) = value else {
                return Ok(());
            };
            match b.entries.get(i).cloned() {
                Some(Entry::ImportHere(dir)) => self.start(dir, cx),
                Some(Entry::Open(dir)) => {
                    self.dir = Some(dir.clone());
                    cx.dialog(import_dirs::browser(&dir, lang));
                }
                Some(Entry::Type) => {
                    let mut p = Prompt::new(
                        DirMsg::TypeTitle.text(lang).to_string(),
                        Some(b.dir.display().to_string()),
                        TypedPath,
                    );
                    p.empty_clears = false;
                    cx.dialog(p);
                }
                None => {}
            }
            return Ok(());
        }
        if tag.is::<TypedPath>() {
            if let Value::Text(t) = value {
                let dir = PathBuf::from(t.trim());
                if !dir.is_dir() {
                    return Err(Invalid::from(DirMsg::NotADir.text(lang)));
                }
                self.dir = Some(dir.clone());
                cx.dialog(import_dirs::browser(&dir, lang));
            }
            return Ok(());
        }
        if tag.is::<OfferScan>() && value == Value::Choice(0) {
            cx.push_key(Key::Scan);
        }
        Ok(())
    }

    /// Picks up the import's answer (after every event and tick).
    fn sync(&mut self, cx: &mut Cx) {
        let Some(job) = &self.job else { return };
        let outcome = match job.done.try_recv() {
            Ok(o) => o,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Outcome::Failed(stopped(cx.lang())),
        };
        let dir = job.dir.clone();
        self.job = None;
        self.finished(dir, outcome, cx);
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        super::import_draw::draw(f, self, ui, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn stopped(lang: Lang) -> String {
    match lang {
        Lang::En => "the import stopped unexpectedly".into(),
        Lang::Zh => "导入意外中止".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUSTOMERS: &str = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on\nC1,张三商店,文三路1号,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,\n";

    fn customers(db: &Path) -> i64 {
        let ds = Dataset::open(db).unwrap();
        ds.conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_cancelled_import_writes_nothing_and_the_same_export_then_imports() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("t.jicha");
        Dataset::create(&db, "admin1", "2026-01-01T00:00:00Z").unwrap();
        let exp = d.path().join("exp");
        std::fs::create_dir(&exp).unwrap();
        std::fs::write(exp.join("customers.csv"), CUSTOMERS).unwrap();
        let ctx = Ctx {
            unit: None,
            operator: "admin1".into(),
            role: Role::Admin,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            lang: Lang::En,
        };
        let mut stages = Vec::new();
        let out = run(&db, &exp, &ctx, &mut |p: &Progress| {
            stages.push(p.stage.clone());
            ControlFlow::Break(())
        });
        assert_eq!(out, Outcome::Cancelled);
        assert_eq!(stages, ["customers.csv"]);
        assert_eq!(customers(&db), 0);
        let out = run(&db, &exp, &ctx, &mut |_: &Progress| {
            ControlFlow::Continue(())
        });
        assert!(matches!(out, Outcome::Imported { .. }), "{out:?}");
        assert_eq!(customers(&db), 1);
        // A viewer is refused by the import itself too.
        let viewer = Ctx {
            role: Role::Viewer,
            ..ctx
        };
        assert!(allowed(&viewer).is_err());
        let out = run(&db, &exp, &viewer, &mut |_: &Progress| {
            ControlFlow::Continue(())
        });
        assert!(matches!(out, Outcome::Failed(_)), "{out:?}");
    }
}
