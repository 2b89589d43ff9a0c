//! `GET /admin/staff`: the operator's staff users with their role and whether they may sign
//! in; `POST /admin/staff` adds one and shows its initial password on the answer only (never
//! in a URL, never again); `POST /admin/staff/role` changes a role; `POST /admin/staff/access`
//! disables or enables an account. Other roles than admin get the API's refusal.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, either, typed};
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{
    ChangeStaffRole, CreateStaffUser, DisableStaffUser, EnableStaffUser, Role, StaffUsers,
    change_staff_role, create_staff_user, disable_staff_user, enable_staff_user, staff_users,
};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::day;

/// The staff page.
#[derive(Template)]
#[template(path = "accounts/staff.html")]
struct StaffPage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// The staff users, oldest first.
    users: Vec<StaffRow>,
    /// The list's filter, as the URL carries it.
    filter_form: FilterForm,
    /// The next page's link (same filter), if there is one.
    next: Option<String>,
    /// The add form as typed.
    form: NewStaffForm,
    /// The add form's refusal.
    errors: FormErrors,
    /// A user just added: their e-mail and initial password, shown this once.
    created: Option<(String, String)>,
}

/// One staff user.
struct StaffRow {
    /// Their id (`usr_…`).
    id: String,
    name: String,
    email: String,
    role: Role,
    disabled: bool,
    /// Added on.
    created: String,
}

/// The add form's fields.
#[derive(Default, Deserialize)]
pub(super) struct NewStaffForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

impl StaffPage {
    fn name_field(&self) -> InputField {
        InputField::text("name".into(), "Name", &self.form.name, &self.errors, "name")
            .kind("text", "off")
    }

    fn email_field(&self) -> InputField {
        InputField::text(
            "email".into(),
            "E-mail",
            &self.form.email,
            &self.errors,
            "email",
        )
        .kind("email", "off")
        .hint("They sign in with it.")
    }

    /// The message beside the role.
    fn role_error(&self) -> Option<&str> {
        self.errors.get("role")
    }

    /// The staff roles, for the selects.
    fn roles(&self) -> [Role; 3] {
        Role::STAFF_ROLES
    }
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct StaffParams {
    done: Option<String>,
    #[serde(flatten)]
    filter: StaffFilter,
}

/// The part of the list the URL asks for: its filter and its page.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct StaffFilter {
    /// The page's cursor.
    after: Option<String>,
    /// A piece of the name or e-mail.
    #[serde(default)]
    q: String,
    /// A staff role's form value (`SUPPORT`), or empty for every role.
    #[serde(default)]
    role: String,
    /// `enabled`, `disabled`, or empty for both.
    #[serde(default)]
    access: String,
}

/// The access filter's choices: (value, words).
const ACCESS: [(&str, &str); 2] = [("enabled", "May sign in"), ("disabled", "Disabled")];

impl StaffFilter {
    fn form(&self) -> FilterForm {
        let roles: Vec<(&str, &str)> = Role::STAFF_ROLES
            .iter()
            .map(|r| (r.form_value(), r.label()))
            .collect();
        FilterForm {
            route: Route::Staff(None),
            label: "Find staff users",
            fields: vec![
                FilterField::text("q", "Name or e-mail", &self.q),
                FilterField::select("role", "Role", "Every role", &roles, &self.role),
                FilterField::select("access", "Access", "Any access", &ACCESS, &self.access),
            ],
        }
    }

    /// The operation's variables from `after`; a role or access the selects do not offer is
    /// a bad request, not "every user".
    fn variables(&self) -> Result<staff_users::Variables, PageError> {
        let role = match self.role.as_str() {
            "" => None,
            value => Some(Role::staff_from_form(value).ok_or_else(|| {
                PageError::BadRequest("Choose a value the filter offers.".into())
            })?),
        };
        Ok(staff_users::Variables {
            after: self.after.clone(),
            search: typed(&self.q),
            role,
            enabled: either(&self.access, "enabled", "disabled")?,
        })
    }
}

/// The role form of one row.
#[derive(Deserialize)]
pub(super) struct RoleForm {
    csrf: String,
    user: String,
    role: String,
}

/// The disable / enable form of one row.
#[derive(Deserialize)]
pub(super) struct AccessForm {
    csrf: String,
    user: String,
    /// `disable` or `enable`.
    action: String,
}

/// The page, with the add form's state.
async fn staff_page(
    console: &Console,
    visitor: &Visitor,
    filter: StaffFilter,
    flash: Option<Flash>,
    form: NewStaffForm,
    errors: FormErrors,
    created: Option<(String, String)>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Staff).await?;
    let data = console
        .run::<StaffUsers>(filter.variables()?, Some(&visitor.session))
        .await?;
    let status = errors.status();
    let connection = data.staff_users;
    let filter_form = filter.form();
    let page = StaffPage {
        chrome,
        flash,
        users: connection
            .nodes
            .into_iter()
            .map(|u| StaffRow {
                created: day(u.created_at.date_naive()),
                id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
                disabled: u.disabled,
            })
            .collect(),
        next: filter_form.next_href(
            connection
                .page_info
                .has_next_page
                .then_some(connection.page_info.end_cursor)
                .flatten(),
        ),
        filter_form,
        form,
        errors,
        created,
    };
    Ok(render(status, &page))
}

/// `GET /admin/staff`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<StaffParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    let form = NewStaffForm {
        role: Role::SUPPORT.form_value().to_owned(),
        ..NewStaffForm::default()
    };
    staff_page(
        &console,
        &visitor,
        params.filter,
        flash,
        form,
        FormErrors::none(),
        None,
    )
    .await
}

/// `POST /admin/staff`: the page with the new user's initial password, or the form's refusal.
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<NewStaffForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let Some(role) = Role::staff_from_form(&form.role) else {
        let errors = FormErrors::on("role", "Choose a role.");
        return staff_page(
            &console,
            &visitor,
            StaffFilter::default(),
            None,
            form,
            errors,
            None,
        )
        .await;
    };
    let variables = create_staff_user::Variables {
        input: create_staff_user::CreateStaffUserInput {
            email: form.email.clone(),
            name: form.name.clone(),
            role,
        },
    };
    match console
        .run::<CreateStaffUser>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let created = data.create_staff_user;
            let shown = Some((created.user.email, created.initial_password));
            let blank = NewStaffForm {
                role: role.form_value().to_owned(),
                ..NewStaffForm::default()
            };
            staff_page(
                &console,
                &visitor,
                StaffFilter::default(),
                None,
                blank,
                FormErrors::none(),
                shown,
            )
            .await
        }
        Err(error) => {
            let errors =
                FormErrors::from_refusal(error, |f| matches!(f, "name" | "email" | "role"))?;
            staff_page(
                &console,
                &visitor,
                StaffFilter::default(),
                None,
                form,
                errors,
                None,
            )
            .await
        }
    }
}

/// `POST /admin/staff/role`.
pub(super) async fn change_role(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<RoleForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let role = Role::staff_from_form(&form.role)
        .ok_or_else(|| PageError::BadRequest("Choose a staff role.".into()))?;
    let variables = change_staff_role::Variables {
        input: change_staff_role::ChangeStaffRoleInput {
            user_id: form.user,
            role,
        },
    };
    console
        .run::<ChangeStaffRole>(variables, Some(&visitor.session))
        .await?;
    Ok(Redirect::to(&Flash::StaffRoleChanged.href(&Route::Staff(None))).into_response())
}

/// `POST /admin/staff/access`.
pub(super) async fn change_access(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<AccessForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let session = Some(visitor.session.as_str());
    let flash = match form.action.as_str() {
        "disable" => {
            let input = disable_staff_user::StaffUserIdInput { user_id: form.user };
            console
                .run::<DisableStaffUser>(disable_staff_user::Variables { input }, session)
                .await?;
            Flash::StaffDisabled
        }
        "enable" => {
            let input = enable_staff_user::StaffUserIdInput { user_id: form.user };
            console
                .run::<EnableStaffUser>(enable_staff_user::Variables { input }, session)
                .await?;
            Flash::StaffEnabled
        }
        _ => return Err(PageError::BadRequest("Disable or enable.".into())),
    };
    Ok(Redirect::to(&flash.href(&Route::Staff(None))).into_response())
}
