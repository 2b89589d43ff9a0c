//! The calls of the consumption page: their row in the totals, their billed minutes per day
//! (one more chart, drawn like a product's) and the rows of the calls table.

use chrono::NaiveDate;

use crate::operations::consumption::{
    CallDirection, ConsumptionType,
    ConsumptionViewerOrganisationConsumptionCallTotals as CallTotals,
    ConsumptionViewerOrganisationConsumptionCallsNodes as CallNode,
};

/// The chart's title for the calls: what its bars measure.
pub const CHART_TITLE: &str = "Billed call minutes";

/// The type filter's value as the schema's enum.
pub fn consumption_type(value: &str) -> ConsumptionType {
    match value {
        "calls" => ConsumptionType::CALLS,
        _ => ConsumptionType::USAGE,
    }
}

/// The calls' row of the totals table: (label, calls, billed minutes, amount); `None` when the
/// selection holds no calls at all (a row of zeros would say nothing).
pub fn total_row(totals: &CallTotals) -> Option<(String, u64, String, String)> {
    if totals.calls == 0 {
        return None;
    }
    let label = match totals.unrated {
        0 => "Calls".to_owned(),
        n => format!("Calls ({n} not yet rated)"),
    };
    Some((
        label,
        u64::try_from(totals.calls).unwrap_or(0),
        format!("{} min", totals.billed_minutes),
        totals.amount.formatted.clone(),
    ))
}

/// The calls' chart: (title, billed minutes per day); `None` when no call was rated.
pub fn chart_days(totals: &CallTotals) -> Option<(String, Vec<(NaiveDate, String)>)> {
    (totals.calls > totals.unrated).then(|| {
        (
            CHART_TITLE.to_owned(),
            totals
                .days
                .iter()
                .map(|d| (d.date, d.billed_minutes.clone()))
                .collect(),
        )
    })
}

/// One call of the table.
pub struct CallRow {
    /// Local start.
    pub started: String,
    /// The organisation's number.
    pub number: String,
    /// "To +49…" or "From +49…".
    pub party: String,
    /// Connected time, "2 min 5 s".
    pub duration: String,
    /// Billed time after the tariff's increment, or "Not yet rated".
    pub billed: String,
    /// Its cost, or "—" while unrated.
    pub amount: String,
    /// "Invoiced" or "Not yet".
    pub invoiced: &'static str,
}

impl From<CallNode> for CallRow {
    fn from(call: CallNode) -> Self {
        let party = match call.direction {
            CallDirection::INBOUND => format!("From {}", call.destination),
            _ => format!("To {}", call.destination),
        };
        CallRow {
            started: call.local_start,
            number: call.number,
            party,
            duration: seconds(call.duration_seconds),
            billed: call
                .billed_seconds
                .map_or_else(|| "Not yet rated".to_owned(), seconds),
            amount: call.amount.map_or_else(|| "—".to_owned(), |a| a.formatted),
            invoiced: if call.invoiced { "Invoiced" } else { "Not yet" },
        }
    }
}

/// "45 s", "2 min", "2 min 5 s".
fn seconds(total: i64) -> String {
    match (total / 60, total % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(seconds(0), "0 s");
        assert_eq!(seconds(45), "45 s");
        assert_eq!(seconds(120), "2 min");
        assert_eq!(seconds(125), "2 min 5 s");
    }
}
