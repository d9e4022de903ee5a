//! Bar charts as SVG, drawn by the server: no script, no CDN, the same
//! drawing on the page and — later — in the PDF. Each bar pairs the period
//! with the one before, so a funder sees the trend at a glance.

/// One bar of a chart: a label, this period's value and the previous one's.
pub struct Bar {
    pub label: String,
    pub current: f64,
    pub previous: f64,
}

use crate::i18n::Language;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn number(language: Language, value: f64) -> String {
    if value.fract() == 0.0 {
        crate::i18n::format::number(language, value, 0)
    } else {
        crate::i18n::format::number(language, value, 1)
    }
}

/// A horizontal bar chart: a row a label, written above its two bars —
/// the current period dark, the previous light beneath it — so that long
/// labels never run into the bars.
pub fn bars(title: &str, bars: &[Bar], legend: (&str, &str), language: Language) -> String {
    let width = 360.0;
    let row = 46.0;
    let top = 70.0;
    let rows = bars.len().max(1) as f64;
    let height = top + row * rows;
    let max = bars
        .iter()
        .flat_map(|b| [b.current, b.previous])
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let scale = (width - 50.0) / max;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{title}" class="chart"><title>{title}</title><text x="0" y="16" font-size="14" font-weight="bold">{title}</text><rect x="0" y="28" width="10" height="10" fill="#0b6e4f"/><text x="14" y="37" font-size="11">{current}</text><rect x="0" y="44" width="10" height="10" fill="#9cc9b6"/><text x="14" y="53" font-size="11">{previous}</text>"##,
        title = escape(title),
        current = escape(legend.0),
        previous = escape(legend.1),
    );
    if bars.is_empty() {
        svg.push_str(&format!(
            r##"<text x="0" y="{}" font-size="12" fill="#5b6b78">—</text>"##,
            top + 14.0
        ));
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        svg.push_str(&format!(
            r##"<text x="0" y="{ty}" font-size="12">{label}</text><rect x="0" y="{y1}" width="{w1}" height="12" fill="#0b6e4f"/><text x="{t1}" y="{y1t}" font-size="11">{v1}</text><rect x="0" y="{y2}" width="{w2}" height="8" fill="#9cc9b6"/><text x="{t2}" y="{y2t}" font-size="10" fill="#5b6b78">{v2}</text>"##,
            ty = y + 12.0,
            label = escape(&bar.label),
            y1 = y + 16.0,
            w1 = bar.current * scale,
            t1 = bar.current * scale + 4.0,
            y1t = y + 26.0,
            v1 = number(language, bar.current),
            y2 = y + 30.0,
            w2 = bar.previous * scale,
            t2 = bar.previous * scale + 4.0,
            y2t = y + 38.0,
            v2 = number(language, bar.previous),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_svg_with_its_labels_escaped_and_its_values_written() {
        let svg = bars(
            "Devices <reused>",
            &[Bar {
                label: "A & B".into(),
                current: 12.0,
                previous: 7.5,
            }],
            ("2026", "2025"),
            Language::Fr,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Devices &lt;reused&gt;") && svg.contains("A &amp; B"));
        assert!(
            svg.contains(">12<") && svg.contains(">7,5<"),
            "in French: {svg}"
        );
        assert!(!svg.contains("NaN"));
    }
}
