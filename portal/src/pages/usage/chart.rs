//! The per-day chart of one item's usage, drawn on the server as inline SVG: bars on a grid
//! whose top is a round number, a few day labels along the bottom, and a text alternative
//! (`<title>` and `<desc>` in the SVG, and the same figures as a visually hidden table beside it,
//! which the template renders from [`Chart::days`]). No JavaScript; it scales with its box.
//!
//! Quantities are exact decimal text; bar heights are pixels, so they are computed from a
//! float of the quantity. The figures printed (labels, table) are the decimal text itself.

#![allow(
    clippy::float_arithmetic,
    reason = "pixel geometry of the chart; the figures printed are the exact decimal text"
)]

use std::fmt::Write;

use chrono::NaiveDate;

use crate::dates;

/// Drawing size in SVG units (the viewBox); the element is as wide as its container.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
/// Room for the y labels (left) and the x labels (bottom).
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;
/// At most this many day labels along the bottom.
const MAX_X_LABELS: usize = 8;

/// One item's chart, ready for the template.
pub struct Chart {
    /// The product ("Outbound minutes").
    pub product: String,
    /// The SVG element (markup built here, every text escaped).
    pub svg: String,
    /// `(day for people, quantity)`, for the visually hidden table.
    pub days: Vec<(String, String)>,
}

/// The chart of `product`'s `days` (every day of the range, in order, quantity as exact text);
/// `id` makes the SVG's title and description ids unique on the page.
pub fn chart(id: usize, product: &str, days: &[(NaiveDate, String)]) -> Chart {
    let values: Vec<f64> = days
        .iter()
        .map(|(_, q)| q.parse::<f64>().unwrap_or(0.0).max(0.0))
        .collect();
    let peak = values.iter().copied().fold(0.0, f64::max);
    let top = nice_ceiling(peak);
    let busiest = days
        .iter()
        .zip(&values)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .filter(|(_, v)| **v > 0.0);
    let (first, last) = match (days.first(), days.last()) {
        (Some(f), Some(l)) => (dates::day(f.0), dates::day(l.0)),
        _ => (String::new(), String::new()),
    };
    let title = format!("{product} per day, {first} to {last}");
    let desc = match busiest {
        Some(((day, quantity), _)) => format!(
            "{} days; busiest day {} with {quantity}; the table after the chart lists every day.",
            days.len(),
            dates::day(*day)
        ),
        None => format!("No {product} used in these {} days.", days.len()),
    };
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-{id}-title chart-{id}-desc" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg"><title id="chart-{id}-title">{}</title><desc id="chart-{id}-desc">{}</desc>"#,
        escape(&title),
        escape(&desc)
    );
    // Grid lines and their labels: 0, ¼, ½, ¾ and the top.
    for step in 0..=4 {
        let value = top * f64::from(step) / 4.0;
        let y = TOP + plot_h - plot_h * f64::from(step) / 4.0;
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - 8.0,
            LEFT - 6.0,
            y + 4.0,
            escape(&number(value))
        );
    }
    let count = days.len().max(1);
    let slot = plot_w / count as f64;
    let bar = (slot * 0.7).max(1.0);
    for (index, ((day, quantity), value)) in days.iter().zip(&values).enumerate() {
        let h = if top > 0.0 { plot_h * value / top } else { 0.0 };
        let x = LEFT + slot * index as f64 + (slot - bar) / 2.0;
        let y = TOP + plot_h - h;
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}"><title>{}: {}</title></rect>"#,
            escape(&dates::day(*day)),
            escape(quantity)
        );
    }
    let every = count.div_ceil(MAX_X_LABELS).max(1);
    for (index, (day, _)) in days.iter().enumerate().step_by(every) {
        let x = LEFT + slot * index as f64 + slot / 2.0;
        let _ = write!(
            svg,
            r#"<text class="axis" x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            HEIGHT - 6.0,
            escape(&day.format("%-d %b").to_string())
        );
    }
    svg.push_str("</svg>");
    Chart {
        product: product.to_owned(),
        svg,
        days: days
            .iter()
            .map(|(day, quantity)| (dates::day(*day), quantity.clone()))
            .collect(),
    }
}

/// The smallest of 1, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at least `value` (1 for nothing), so the
/// grid's quarter labels are round and the tallest bar fills most of the height.
fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|candidate| *candidate >= value)
        .unwrap_or(10.0 * magnitude)
}

/// A grid label: no decimals for whole numbers, else up to two.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Text for XML: `&`, `<`, `>`, `"` and `'` as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn the_grid_top_is_a_round_number_at_least_the_peak() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.0), 8.0);
        assert_eq!(nice_ceiling(9.0), 10.0);
        assert_eq!(nice_ceiling(180.0), 200.0);
        assert_eq!(nice_ceiling(200.0), 200.0);
        assert_eq!(nice_ceiling(201.0), 250.0);
        assert_eq!(nice_ceiling(260.0), 300.0);
        assert!((nice_ceiling(0.35) - 0.4).abs() < 1e-9);
    }

    #[test]
    fn one_bar_per_day_with_its_text_alternative() {
        let days = vec![
            (day(1), "10".to_owned()),
            (day(2), "0".to_owned()),
            (day(3), "25.5".to_owned()),
        ];
        let chart = chart(0, "Minutes <&>", &days);
        assert_eq!(chart.svg.matches("<rect class=\"bar\"").count(), 3);
        assert!(
            chart
                .svg
                .contains("<title id=\"chart-0-title\">Minutes &lt;&amp;&gt; per day")
        );
        assert!(
            chart.svg.contains("busiest day 3 Nov 2026 with 25.5"),
            "{}",
            chart.svg
        );
        assert_eq!(chart.days.len(), 3);
        assert_eq!(chart.days[2].1, "25.5");
        // The tallest bar (25.5) on a 0–30 grid.
        assert!(chart.svg.contains(">30</text>"), "{}", chart.svg);
    }
}
