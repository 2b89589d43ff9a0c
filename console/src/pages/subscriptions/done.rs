//! What the last change of a subscription did, read back from the redirect's parameters
//! (`?done=…&next=…&credited=…&seats=…&invoice=…`: amounts the API computed and ids, never
//! personal data) and said in words above the change page's forms.

use serde::Deserialize;

/// The change page's parameters: what the last change did.
#[derive(Deserialize)]
pub(super) struct ItemsParams {
    /// `added`, `removed`, `quantity`, `unit-price`, `details`, `seats`.
    done: Option<String>,
    /// The proration the next invoice charges, formatted.
    next: Option<String>,
    /// What was credited, formatted.
    credited: Option<String>,
    /// A license line's seats after a quote was applied.
    seats: Option<String>,
    /// The invoice issued at once for seats charged immediately (`inv_…`).
    invoice: Option<String>,
}

/// What the last change did.
pub(super) struct Done {
    /// In words.
    pub(super) words: String,
    /// The invoice it issued (`inv_…`), linked beside the words.
    pub(super) invoice: Option<String>,
}

impl Done {
    /// What `params` say was done; `None` for no change or an unknown one.
    pub(super) fn from_params(params: &ItemsParams) -> Option<Done> {
        let mut words = match params.done.as_deref()? {
            "added" => "The line is added.".to_owned(),
            "removed" => "The line is removed.".to_owned(),
            "quantity" => "The quantity is changed.".to_owned(),
            "unit-price" => "The unit price is changed: the next invoice bills it.".to_owned(),
            "details" => {
                "The PO number and notes are saved: the next invoices carry them.".to_owned()
            }
            "seats" => match params.seats.as_deref() {
                Some("1") => "The quote is applied: the line has 1 seat now.".to_owned(),
                Some(seats) => format!("The quote is applied: the line has {seats} seats now."),
                None => "The quote is applied.".to_owned(),
            },
            _ => return None,
        };
        if let Some(next) = &params.next {
            words.push_str(&format!(
                " The next invoice charges {next} for the rest of the period"
            ));
            match &params.credited {
                Some(credited) => {
                    words.push_str(&format!("; {credited} is credited to the balance."))
                }
                None => words.push('.'),
            }
        }
        Some(Done {
            words,
            invoice: params.invoice.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters of `pairs` (`done=seats&seats=12`), as the page's query reads them.
    fn params(pairs: &str) -> ItemsParams {
        let mut params = ItemsParams {
            done: None,
            next: None,
            credited: None,
            seats: None,
            invoice: None,
        };
        for pair in pairs.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap();
            let value = Some(value.to_owned());
            match key {
                "done" => params.done = value,
                "next" => params.next = value,
                "credited" => params.credited = value,
                "seats" => params.seats = value,
                "invoice" => params.invoice = value,
                _ => panic!("{key}"),
            }
        }
        params
    }

    #[test]
    fn a_quantity_change_says_what_the_next_invoice_charges_and_credits() {
        let done = Done::from_params(&params("done=quantity&next=€12.00&credited=€3.00")).unwrap();
        assert_eq!(
            done.words,
            "The quantity is changed. The next invoice charges €12.00 for the rest of the \
             period; €3.00 is credited to the balance."
        );
        assert_eq!(done.invoice, None);
    }

    #[test]
    fn applied_seats_say_how_many_and_link_the_invoice_issued() {
        let done = Done::from_params(&params("done=seats&seats=12&invoice=inv_1")).unwrap();
        assert_eq!(
            done.words,
            "The quote is applied: the line has 12 seats now."
        );
        assert_eq!(done.invoice.as_deref(), Some("inv_1"));
        let one = Done::from_params(&params("done=seats&seats=1")).unwrap();
        assert_eq!(one.words, "The quote is applied: the line has 1 seat now.");
    }

    #[test]
    fn nothing_or_an_unknown_change_says_nothing() {
        assert!(Done::from_params(&params("")).is_none());
        assert!(Done::from_params(&params("done=exploded")).is_none());
    }
}
