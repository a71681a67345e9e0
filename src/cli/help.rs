//! The examples under each command's `--help` (clap `after_help`), and the long version line.

/// `jicha --version`: the program, the dataset schema it writes and the SQLite it links.
pub fn version() -> String {
    version_in(crate::context::Lang::En)
}

/// The same, in `lang`.
pub fn version_in(lang: crate::context::Lang) -> String {
    let (program, schema, sqlite) = (
        env!("CARGO_PKG_VERSION"),
        crate::db::migrations::SCHEMA_VERSION,
        rusqlite::version(),
    );
    match lang {
        crate::context::Lang::En => {
            format!("{program} (dataset schema {schema}, SQLite {sqlite})")
        }
        crate::context::Lang::Zh => {
            format!("{program}（数据集表结构版本 {schema}，SQLite {sqlite}）")
        }
    }
}

pub const JICHA: &str = "Examples:
  jicha                                    # the terminal UI on the configured dataset
  jicha --db audit.jicha --lang zh         # the UI in Chinese on audit.jicha
  jicha --db audit.jicha findings --status open --format csv";

pub const DEMO: &str = "Examples:
  jicha demo --out /tmp/export
  jicha demo --out /tmp/big --customers 100000 --months 24 --seed 7
  jicha demo --delta --from /tmp/export --out /tmp/export-next --edit-ratio 0.01";

pub const IMPORT: &str = "Examples:
  jicha --db audit.jicha import /data/export/2026-11-30
  jicha --db audit.jicha import /data/excel-export --encoding gb18030
  jicha --db audit.jicha import /data/export/latest --format json > import.json";

pub const SCAN: &str = "Examples:
  jicha --db audit.jicha scan
  jicha --db audit.jicha scan --as-of 2026-11-23
  jicha --db audit.jicha scan --full
  jicha --db audit.jicha scan --format csv > scan.csv";

pub const FINDINGS: &str = "Examples:
  jicha findings --status open --rule BIL-03
  jicha findings --unit 城关供电所 --sort amount --desc --limit 20
  jicha findings --unit 西湖区 --status open     # a county: the findings of all its stations
  jicha findings --format json > findings.json";

pub const FINDING: &str = "Examples:
  jicha finding confirm 12 13 14
  jicha finding close 12 --resolution false_positive --text \"档案已核实\"
  jicha finding show 12";

pub const FINDING_CONFIRM: &str = "Examples:
  jicha finding confirm 12 13 14
  jicha finding confirm 12 --text \"现场核实\" --seen 12:3";

pub const FINDING_CLOSE: &str = "Examples:
  jicha finding close 12 --resolution rectified
  jicha finding close 12,13 --resolution no_action --text \"已销户\"";

pub const FINDING_NOTE: &str = "Examples:
  jicha finding note 12 --text \"已电话联系用户\"
  jicha finding note 12,13 --text \"待现场核查\" --seen 12:3,13:1";

pub const FINDING_REOPEN: &str = "Examples:
  jicha finding reopen 12
  jicha finding reopen 12 --text \"整改未落实\"";

pub const FINDING_SHOW: &str = "Examples:
  jicha finding show 12
  jicha --lang zh finding show 12";

pub const WHITELIST: &str = "Examples:
  jicha whitelist add --rule ARC-01 --cust 3301000123 --reason \"临时用电\" --days 90
  jicha whitelist list --view pending
  jicha whitelist approve 7";

pub const WHITELIST_ADD: &str = "Examples:
  jicha whitelist add --rule ARC-01 --cust 3301000123 --reason \"临时用电\" --days 90
  jicha whitelist add --rule '*' --cust 3301000123 --reason \"专线用户\"";

pub const WHITELIST_LIST: &str = "Examples:
  jicha whitelist list
  jicha whitelist list --view expiring --format csv";

pub const WHITELIST_EXTEND: &str = "Examples:
  jicha whitelist extend 7 --days 30 --reason \"整改延期\"";

pub const WHITELIST_REVOKE: &str = "Examples:
  jicha whitelist revoke 7 --reason \"情况已变化\"";

pub const WHITELIST_APPROVE: &str = "Examples:
  jicha whitelist list --view pending
  jicha whitelist approve 7";

pub const TICKET: &str = "Examples:
  jicha ticket create --findings 12,13 --requirement \"核实并整改\"
  jicha ticket list --state overdue
  jicha ticket show JC-20261102-001";

pub const TICKET_CREATE: &str = "Examples:
  jicha ticket create --findings 12,13 --requirement \"核实并整改\"
  jicha ticket create --findings 12 --unit 城关供电所 --person 王工 --due 2026-11-30 --requirement \"现场核查\"";

pub const TICKET_LIST: &str = "Examples:
  jicha ticket list --state open
  jicha ticket list --format csv > tickets.csv";

pub const TICKET_SHOW: &str = "Examples:
  jicha ticket show JC-20261102-001";

pub const TICKET_ACK: &str = "Examples:
  jicha ticket ack JC-20261102-001";

pub const TICKET_SUBMIT: &str = "Examples:
  jicha ticket submit JC-20261102-001 --cause \"倍率录入错误\" --measures \"已更正档案\" --recovered 2930.5";

pub const TICKET_APPROVE: &str = "Examples:
  jicha ticket approve JC-20261102-001";

pub const TICKET_RETURN: &str = "Examples:
  jicha ticket return JC-20261102-001 --reason \"措施不完整\"";

pub const TICKET_CANCEL: &str = "Examples:
  jicha ticket cancel JC-20261102-001 --reason \"重复派单\"";

pub const TICKET_REVIEW: &str = "Examples:
  jicha ticket review JC-20261102-001
  jicha ticket list --state reviewed";

pub const TICKET_ARCHIVE: &str = "Examples:
  jicha ticket archive JC-20261102-001
  jicha ticket list --state archived";

pub const REPORT: &str = "Examples:
  jicha report --from 2026-11-01 --to 2026-11-30
  jicha report --from 2026-11-01 --to 2026-11-30 --format md > 月报.md
  jicha report --from 2026-11-23 --to 2026-11-29 --format json
  jicha report --from 2026-11-01 --to 2026-11-30 --unit 西湖区 --format xlsx --out 月报.xlsx";

pub const THRESHOLDS: &str = "Examples:
  jicha thresholds show
  jicha thresholds set surge_ratio 2.5
  jicha thresholds show --format json";

pub const THRESHOLDS_SHOW: &str = "Examples:
  jicha thresholds show
  jicha thresholds show --format csv";

pub const THRESHOLDS_SET: &str = "Examples:
  jicha thresholds set surge_ratio 2.5
  jicha thresholds set resident_max_kwh 3500";

pub const OPERATOR: &str = "Examples:
  jicha operator add zhangsan --role auditor --name 张三
  jicha operator add lisi --role reviewer --unit 米市巷供电所
  jicha operator list";

pub const OPERATOR_ADD: &str = "Examples:
  jicha operator add zhangsan --role auditor --name 张三
  jicha operator add lisi --role reviewer
  jicha operator add wangwu --role auditor --unit 米市巷供电所

Without --unit the operator is the audit centre and acts on every unit's findings and
tickets; with it, only on those of the unit and the units below it.";

pub const OPERATOR_LIST: &str = "Examples:
  jicha operator list
  jicha operator list --format json";

pub const LOG: &str = "Examples:
  jicha log --limit 50
  jicha log --all --format csv > action-log.csv
  jicha log verify";

pub const LOG_VERIFY: &str = "Examples:
  jicha log verify
  journalctl -t jicha -o cat > witness.txt && jicha log verify --witness witness.txt";

pub const LOG_REANCHOR: &str = "Examples:
  jicha log verify
  jicha log reanchor --reason \"锚点文件随旧服务器丢失，日志已核对\"";

pub const COMPLETIONS: &str = "Examples:
  jicha completions bash > /etc/bash_completion.d/jicha
  jicha completions zsh > \"${fpath[1]}/_jicha\"
  jicha completions fish > ~/.config/fish/completions/jicha.fish";

pub const MAN: &str = "Examples:
  jicha man --out /usr/share/man/man1
  jicha man --out target/man && man -l target/man/jicha-findings.1";

pub const QUALITY: &str = "Examples:
  jicha quality --period 2026-11
  jicha quality --period 2026-H2 --format md
  jicha quality trend --unit 城关供电所 --periods 12";

pub const THEME: &str = "Examples:
  jicha theme --rule BIL-05 --from 2026-01-01 --to 2026-11-30
  jicha theme --category billing --format csv";

/// Examples of `jicha quality …`.
pub mod quality {
    pub const INDICATOR: &str = "Examples:
  jicha quality indicator list
  jicha quality indicator disable 3";

    pub const INDICATOR_ADD: &str = "Examples:
  jicha quality indicator add --category 电费管理 --name 电费回收率 --kind main --base 0.9 --full-mark 1 --full-score 10 --direction higher
  jicha quality indicator add --category 稽查管理 --name 工单完成率 --kind process --base 0.6 --full-mark 1 --full-score 5 --direction higher --source completion_rate";

    pub const INDICATOR_EDIT: &str = "Examples:
  jicha quality indicator edit 3 --full-score 8
  jicha quality indicator edit 3 --base 0.85 --direction higher";

    pub const INDICATOR_ENABLE: &str = "Examples:
  jicha quality indicator enable 3";

    pub const INDICATOR_DISABLE: &str = "Examples:
  jicha quality indicator disable 3";

    pub const INDICATOR_LIST: &str = "Examples:
  jicha quality indicator list
  jicha quality indicator list --format csv";

    pub const VALUE: &str = "Examples:
  jicha quality value set --indicator 1 --unit 城关供电所 --period 2026-11 --value 0.97";

    pub const DEDUCT: &str = "Examples:
  jicha quality deduct business --ticket JC-20261102-001 --points 2 --reason \"倍率错误\"
  jicha quality deduct direct --unit 城关供电所 --level minor --reason \"营销差错\"";

    pub const DEDUCT_BUSINESS: &str = "Examples:
  jicha quality deduct business --ticket JC-20261102-001 --points 2 --reason \"倍率错误\"";

    pub const DEDUCT_DIRECT: &str = "Examples:
  jicha quality deduct direct --unit 城关供电所 --level minor --reason \"营销差错\"
  jicha quality deduct direct --unit 西湖区 --level accident --reason \"责任事故\" --date 2026-11-20";

    pub const BONUS: &str = "Examples:
  jicha quality bonus --unit 城关供电所 --points 1 --reason \"追补电费成效显著\"";

    pub const REVOKE: &str = "Examples:
  jicha quality entries --period 2026-11
  jicha quality revoke 5 --reason \"误录\"";

    pub const ENTRIES: &str = "Examples:
  jicha quality entries --period 2026-11
  jicha quality entries --unit 西湖区 --all --format csv";

    pub const LEVEL: &str = "Examples:
  jicha quality level list
  jicha quality level set minor 1 --label 一般差错";

    pub const LEVEL_SET: &str = "Examples:
  jicha quality level set minor 1 --label 一般差错
  jicha quality level set major 3";

    pub const TREND: &str = "Examples:
  jicha quality trend --unit 城关供电所
  jicha quality trend --unit 西湖区 --period 2026-H2 --periods 4 --format csv";

    pub const DRILL: &str = "Examples:
  jicha quality drill --unit 城关供电所 --period 2026-11
  jicha quality drill --unit 城关供电所 --format json";
}

pub const RULES: &str = "Examples:
  jicha rules list
  jicha rules test data/site-rules/x-mtr-event-drop.toml /data/export/latest --as-of 2026-11-30
  jicha rules add data/site-rules/x-mtr-event-drop.toml";

pub const RULES_LIST: &str = "Examples:
  jicha rules list
  jicha rules list --format json";

pub const RULES_SHOW: &str = "Examples:
  jicha rules show BIL-03
  jicha rules show X-MTR-EVT";

pub const RULES_ADD: &str = "Examples:
  jicha rules add data/site-rules/x-mtr-event-drop.toml
  jicha rules add my-rule.toml --as-of 2026-11-30";

pub const RULES_TEST: &str = "Examples:
  jicha rules test my-rule.toml /data/export/2026-11-30 --as-of 2026-11-30";

pub const RULES_DISABLE: &str = "Examples:
  jicha rules disable X-MTR-EVT";

pub const RULES_ENABLE: &str = "Examples:
  jicha rules enable X-MTR-EVT";

pub const RULES_REMOVE: &str = "Examples:
  jicha rules remove X-MTR-EVT";

pub const UNIT: &str = "Examples:
  jicha unit list
  jicha unit list --format csv > units.csv
  jicha unit show 西湖区";

pub const UNIT_LIST: &str = "Examples:
  jicha unit list
  jicha unit list --format json";

pub const UNIT_SHOW: &str = "Examples:
  jicha unit show 西湖区
  jicha unit show 米市巷供电所 --format json";

pub const CHANGES: &str = "Examples:
  jicha changes --cust 3301000001
  jicha changes --since 2026-06-01 --file bills.csv --format csv";
