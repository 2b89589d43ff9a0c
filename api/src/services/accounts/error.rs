//! Why an accounts use case refuses: one variant per reason, each with a fixed code and field.

use crate::error::ServiceError;

/// A refused accounts request.
#[derive(Debug)]
pub enum AccountError {
    /// No such organisation visible to the caller.
    CustomerNotFound,
    /// No such team in the organisation.
    TeamNotFound,
    /// A currency code that is not ISO 4217, with `billing`'s reason.
    UnknownCurrency(billing::Error),
    /// A time zone that is not an IANA name.
    UnknownTimeZone,
    /// A tax rate that is not a percentage from 0 to 100.
    TaxRate,
    /// Another team of the organisation has the name.
    TeamNameTaken,
    /// A staff role given to an organisation's user.
    StaffRoleForCustomer,
    /// A password outside the accepted lengths.
    PasswordLength {
        /// The fewest characters accepted.
        min: usize,
    },
    /// Another login has the e-mail address.
    EmailTaken,
    /// A sign-in password that cannot be one (empty, or longer than any we accept).
    SignInPassword {
        /// The most bytes accepted.
        max: usize,
    },
    /// No such user (command line).
    UserNotFound,
}

impl From<AccountError> for ServiceError {
    fn from(error: AccountError) -> Self {
        use AccountError::*;
        match error {
            CustomerNotFound => ServiceError::NotFound { entity: "customer" },
            TeamNotFound => ServiceError::NotFound { entity: "team" },
            UnknownCurrency(reason) => ServiceError::from_billing(reason, "input.currency"),
            UnknownTimeZone => ServiceError::bad_input(
                "input.timeZone",
                "use an IANA time zone such as Europe/Paris",
            ),
            TaxRate => ServiceError::bad_input("input.taxRate", "a percentage from 0 to 100"),
            TeamNameTaken => ServiceError::bad_input(
                "input.name",
                "the organisation already has a team with this name",
            ),
            StaffRoleForCustomer => ServiceError::bad_input(
                "input.role",
                "an organisation's users are owners, billing admins or viewers",
            ),
            PasswordLength { min } => ServiceError::bad_input(
                "input.password",
                format!("a password has {min} to 1024 characters"),
            ),
            EmailTaken => {
                ServiceError::bad_input("input.email", "this e-mail already signs in to Billfold")
            }
            SignInPassword { max } => ServiceError::bad_input(
                "input.password",
                format!("password must be 1 to {max} characters"),
            ),
            UserNotFound => ServiceError::NotFound { entity: "user" },
        }
    }
}
