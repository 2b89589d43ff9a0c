//! What a picker offers when the list behind it is paged: every page read, up to a bound, so
//! that a choice past the first page can still be made (and a value the picker does not
//! offer can be refused as one).

use crate::Console;
use crate::error::PageError;
use crate::operations::{TariffChoices, tariff_choices};
use crate::session::Visitor;

/// Most pages of tariffs a picker reads (100 each): a picker must not loop without end, and
/// an operator with more tariffs than this needs a search, not a select.
const TARIFF_PAGES: usize = 10;

/// One tariff as a picker offers it.
pub struct TariffChoice {
    /// `trf_…`.
    pub id: String,
    pub name: String,
    pub currency: String,
    /// Its current version's number.
    pub version: i64,
}

/// Every tariff, newest first, or only those in `currency`.
pub async fn every_tariff(
    console: &Console,
    visitor: &Visitor,
    currency: Option<&str>,
) -> Result<Vec<TariffChoice>, PageError> {
    let mut choices = Vec::new();
    let mut after = None;
    for _ in 0..TARIFF_PAGES {
        let variables = tariff_choices::Variables {
            after,
            currency: currency.map(str::to_owned),
        };
        let page = console
            .run::<TariffChoices>(variables, Some(&visitor.session))
            .await?
            .tariffs;
        choices.extend(page.nodes.into_iter().map(|t| TariffChoice {
            id: t.id,
            name: t.name,
            currency: t.currency,
            version: t.current_version.version,
        }));
        match page.page_info.end_cursor {
            Some(cursor) if page.page_info.has_next_page => after = Some(cursor),
            _ => break,
        }
    }
    Ok(choices)
}
