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
        /// The input field (`input.password`, `input.newPassword`).
        field: &'static str,
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
    /// No such contact in the caller's organisations.
    ContactNotFound,
    /// No such billing address in the caller's organisations.
    AddressNotFound,
    /// No such member in the caller's organisations.
    MemberNotFound,
    /// A phone number that is not in international form.
    Phone,
    /// An address that breaks a rule of its country.
    Address(super::addresses::rules::AddressError),
    /// The organisation has as many contacts as it may have.
    TooManyContacts {
        /// The most an organisation may have.
        max: usize,
    },
    /// The organisation has as many billing addresses as it may have.
    TooManyAddresses {
        /// The most an organisation may have.
        max: usize,
    },
    /// Removing the default address while others remain, without naming the next default.
    DefaultAddressNeedsSuccessor,
    /// The next default named is the address being removed.
    SuccessorIsRemoved,
    /// A next default named while removing an address that is not the default.
    SuccessorNotNeeded,
    /// Deleting a team that still has members, without saying where they go.
    TeamHasMembers {
        /// How many members it has.
        count: u64,
    },
    /// Moving a deleted team's members into that same team.
    MoveIntoDeletedTeam,
    /// Removing a member who holds a license seat.
    MemberHoldsLicense {
        /// The member's name.
        name: String,
    },
    /// The current password given to change it is not the user's.
    CurrentPasswordWrong,
    /// The new password is the current one.
    PasswordUnchanged,
    /// No such invitation in the caller's organisations, or no invitation has this token.
    InvitationNotFound,
    /// The invitation's validity has run out.
    InvitationExpired,
    /// The invitation was accepted already: its token works once.
    InvitationUsed,
    /// An owner withdrew the invitation.
    InvitationRevoked,
    /// The organisation has as many open invitations as it may have.
    TooManyInvitations {
        /// The most an organisation may have.
        max: usize,
    },
    /// The change would leave the organisation without an owner.
    LastOwner,
    /// A customer's role given to a staff user.
    CustomerRoleForStaff,
    /// An administrator disabling their own account.
    DisableSelf,
    /// The change would leave the operator without an enabled administrator.
    LastAdmin,
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
            PasswordLength { field, min } => {
                ServiceError::bad_input(field, format!("a password has {min} to 1024 characters"))
            }
            EmailTaken => {
                ServiceError::bad_input("input.email", "this e-mail already signs in to Billfold")
            }
            SignInPassword { max } => ServiceError::bad_input(
                "input.password",
                format!("password must be 1 to {max} characters"),
            ),
            UserNotFound => ServiceError::NotFound { entity: "user" },
            ContactNotFound => ServiceError::NotFound { entity: "contact" },
            AddressNotFound => ServiceError::NotFound {
                entity: "billing address",
            },
            MemberNotFound => ServiceError::NotFound { entity: "member" },
            Phone => ServiceError::bad_input(
                "input.phone",
                "enter the number in international form, e.g. +33 1 23 45 67 89",
            ),
            Address(rule) => ServiceError::invalid(
                format!("input.{}", rule.field()),
                rule.reason(),
                rule.message(),
            ),
            TooManyContacts { max } => ServiceError::Refused {
                reason: "TOO_MANY_CONTACTS",
                message: format!("an organisation has at most {max} contacts: remove one first"),
            },
            TooManyAddresses { max } => ServiceError::Refused {
                reason: "TOO_MANY_ADDRESSES",
                message: format!(
                    "an organisation has at most {max} billing addresses: remove one first"
                ),
            },
            DefaultAddressNeedsSuccessor => ServiceError::Refused {
                reason: "DEFAULT_ADDRESS",
                message: "this is the default billing address: choose another default first".into(),
            },
            SuccessorIsRemoved => ServiceError::bad_input(
                "input.newDefaultAddressId",
                "choose another address than the one removed",
            ),
            SuccessorNotNeeded => ServiceError::bad_input(
                "input.newDefaultAddressId",
                "only removing the default address needs a new default",
            ),
            TeamHasMembers { count } => ServiceError::Refused {
                reason: "TEAM_HAS_MEMBERS",
                message: format!(
                    "the team has {count} member{}: move them to another team first",
                    if count == 1 { "" } else { "s" }
                ),
            },
            MoveIntoDeletedTeam => ServiceError::bad_input(
                "input.moveMembersToTeamId",
                "choose another team than the one deleted",
            ),
            MemberHoldsLicense { name } => ServiceError::Refused {
                reason: "MEMBER_HOLDS_LICENSE",
                message: format!("{name} holds a license: you must first unassign the license"),
            },
            CurrentPasswordWrong => ServiceError::bad_input(
                "input.currentPassword",
                "this is not your current password",
            ),
            PasswordUnchanged => ServiceError::bad_input(
                "input.newPassword",
                "choose a password other than your current one",
            ),
            InvitationNotFound => ServiceError::NotFound {
                entity: "invitation",
            },
            InvitationExpired => ServiceError::Refused {
                reason: "INVITATION_EXPIRED",
                message: "this invitation has expired: ask for a new one".into(),
            },
            InvitationUsed => ServiceError::Refused {
                reason: "INVITATION_USED",
                message: "this invitation was already accepted: sign in instead".into(),
            },
            InvitationRevoked => ServiceError::Refused {
                reason: "INVITATION_REVOKED",
                message: "this invitation was withdrawn: ask for a new one".into(),
            },
            TooManyInvitations { max } => ServiceError::Refused {
                reason: "TOO_MANY_INVITATIONS",
                message: format!(
                    "an organisation has at most {max} open invitations: withdraw one first"
                ),
            },
            LastOwner => ServiceError::Refused {
                reason: "LAST_OWNER",
                message: "the organisation needs an owner: make someone else owner first".into(),
            },
            CustomerRoleForStaff => ServiceError::bad_input(
                "input.role",
                "staff users are administrators, billing staff or support",
            ),
            DisableSelf => ServiceError::bad_input(
                "input.userId",
                "you cannot disable your own account: ask another administrator",
            ),
            LastAdmin => ServiceError::Refused {
                reason: "LAST_ADMIN",
                message: "the operator needs an enabled administrator: make someone else \
                          administrator first"
                    .into(),
            },
        }
    }
}
