//! 抽检 from the campaigns screen: the sample key opens a form for the campaign under the
//! cursor — ratio, seed (empty: one is chosen), unit (empty: the operator's, or every unit),
//! what is drawn, and the inspections to plan from it (`jicha sample --campaign … --inspect`):
//! inspectors (empty: the sample only), planned date, method. One change, as the CLI's.

use super::{Cx, Invalid};
use crate::actions::sampling::{InspectPlan, SampleDraw};
use crate::context::Lang;
use crate::i18n::campaigns::CampWord as W;
use crate::inspections::Method;
use crate::sampling::{Basis, Of};
use crate::text::escape;
use crate::ui::dialog::{Field, Form, Value};
use crate::ui::worker::Change;
use crate::ui::write::Write;

/// The tag of the sample form: the campaign it draws from.
#[derive(Debug, Clone)]
pub struct SampleAsk {
    pub campaign: String,
}

/// Opens the sample form for campaign `campaign`.
pub fn form(campaign: &str, cx: &mut Cx) {
    let lang = cx.lang();
    let today = cx.ctx.today.to_string();
    let fields = vec![
        Field::new(W::FieldRatio.text(lang).to_string(), false, "0.1"),
        Field::new(W::FieldSeed.text(lang).to_string(), false, ""),
        Field::new(
            W::FieldUnit.text(lang).to_string(),
            false,
            cx.ctx.unit.as_deref().unwrap_or(""),
        ),
        Field::new(
            W::FieldOf.text(lang).to_string(),
            false,
            of_word(lang, Of::Findings),
        ),
        Field::new(W::FieldInspectors.text(lang).to_string(), false, ""),
        Field::new(W::FieldPlanned.text(lang).to_string(), false, &today),
        Field::new(
            W::FieldMethod.text(lang).to_string(),
            false,
            method_word(lang),
        ),
    ];
    let title = format!("{} — {}", W::FormSample.text(lang), escape(campaign));
    let ask = SampleAsk {
        campaign: campaign.to_string(),
    };
    cx.dialog(Form::new(title, fields, ask));
}

fn of_word(lang: Lang, of: Of) -> &'static str {
    match (of, lang) {
        (Of::Findings, Lang::Zh) => "异常",
        (Of::Customers, Lang::Zh) => "用户",
        (Of::Findings, Lang::En) => "findings",
        (Of::Customers, Lang::En) => "customers",
    }
}

fn method_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "现场",
        Lang::En => "onsite",
    }
}

fn bad(lang: Lang, w: W, field: usize) -> Invalid {
    Invalid {
        message: w.text(lang).to_string(),
        field: Some(field),
    }
}

/// The form's answer as a draw, or the field to fix.
pub fn parse(ask: &SampleAsk, v: &[String], lang: Lang) -> Result<SampleDraw, Invalid> {
    let ratio = v[0]
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|r| *r > 0.0 && *r <= 1.0)
        .ok_or_else(|| bad(lang, W::BadRatioField, 0))?;
    let seed = match v[1].trim() {
        "" => crate::sampling::fresh_seed(),
        s => s.parse::<u64>().map_err(|_| bad(lang, W::BadSeed, 1))?,
    };
    let unit = Some(v[2].trim().to_string()).filter(|u| !u.is_empty());
    let of = match v[3].trim() {
        "" | "异常" | "findings" => Of::Findings,
        "用户" | "customers" => Of::Customers,
        _ => return Err(bad(lang, W::BadOf, 3)),
    };
    let inspectors: Vec<String> = v[4]
        .split([',', '，', '、', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let inspect = if inspectors.is_empty() {
        None
    } else {
        let planned_on =
            crate::dates::parse_date(v[5].trim()).ok_or_else(|| bad(lang, W::BadPlanned, 5))?;
        let method = match v[6].trim() {
            "现场" | "" => Method::Onsite,
            "电话" => Method::Phone,
            "资料核查" | "资料" => Method::Records,
            other => Method::parse(other).map_err(|_| bad(lang, W::BadMethod, 6))?,
        };
        Some(InspectPlan {
            inspectors,
            planned_on,
            method,
        })
    };
    Ok(SampleDraw {
        basis: Basis::Campaign(ask.campaign.clone()),
        unit,
        ratio,
        seed,
        of,
        inspect,
    })
}

/// The form's answer: the draw performed, or the field to fix.
pub fn reply(ask: &SampleAsk, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
    let Value::Fields(v) = value else {
        return Ok(());
    };
    let draw = parse(ask, &v, cx.lang())?;
    cx.perform(Write::new(Change::Sample(draw)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_form_reads_a_draw_with_its_inspections() {
        let ask = SampleAsk {
            campaign: "ZX-20261105-001".into(),
        };
        let d = parse(
            &ask,
            &fields(&["0.5", "42", "", "用户", "张工、李工", "2026-11-08", "电话"]),
            Lang::Zh,
        )
        .unwrap();
        assert_eq!(d.basis, Basis::Campaign("ZX-20261105-001".into()));
        assert_eq!((d.ratio, d.seed, d.of), (0.5, 42, Of::Customers));
        let p = d.inspect.unwrap();
        assert_eq!(p.inspectors, ["张工", "李工"]);
        assert_eq!(p.method, Method::Phone);
        assert_eq!(p.planned_on.to_string(), "2026-11-08");
        let d = parse(
            &ask,
            &fields(&["1", "7", "城关供电所", "findings", "", "", ""]),
            Lang::En,
        )
        .unwrap();
        assert!(d.inspect.is_none(), "no inspectors: the sample only");
        assert_eq!(d.unit.as_deref(), Some("城关供电所"));
        let e = parse(&ask, &fields(&["2", "", "", "", "", "", ""]), Lang::En).unwrap_err();
        assert_eq!(e.field, Some(0));
        let e = parse(&ask, &fields(&["0.5", "x", "", "", "", "", ""]), Lang::En).unwrap_err();
        assert_eq!(e.field, Some(1));
        let e = parse(
            &ask,
            &fields(&["0.5", "1", "", "", "王工", "明天", ""]),
            Lang::Zh,
        )
        .unwrap_err();
        assert_eq!(e.field, Some(5));
    }
}
