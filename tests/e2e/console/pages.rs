//! The console over plain HTTP, as a browser without JavaScript sees it: only staff sign in
//! (a customer's correct password opens nothing), with a cookie of the console's own; the
//! search opens a single match and offers to create a customer when none matches; a customer
//! is created from the form; the charges are previewed and invoiced; the API's refusals show
//! next to the field at fault, and support's next to the form.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use tests::html::{form, page, set_cookie};
use tests::{TestApp, e2e_test};

use super::{CONSOLE_SESSION, console_csrf, console_session, console_sign_in};

/// GETs `path` with `cookies`; the response, redirects not followed.
async fn get(app: &TestApp, cookies: &str, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header(COOKIE, cookies)
        .send()
        .await
        .expect("sent")
}

/// Where a response redirects to.
fn location(response: &reqwest::Response) -> String {
    response.headers()[LOCATION]
        .to_str()
        .expect("a location")
        .to_owned()
}

e2e_test!(
    only_staff_sign_in_to_the_console_with_a_cookie_of_its_own,
    |app| {
        // Without a session, every page leads to the sign-in form.
        let response = get(&app, "", "/admin/customers").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/admin/login");

        // A customer's right password: refused, and no session.
        for email in ["owner@acme.example", "billing@acme.example"] {
            let (response, _, _) = console_sign_in(&app, email).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{email}");
            assert!(set_cookie(&response, CONSOLE_SESSION).is_none(), "{email}");
            let html = response.text().await.expect("html");
            assert!(
                html.contains("The console is for operator staff."),
                "{email}: {html}"
            );
        }
        // A wrong password says so.
        let (csrf_cookie, token) = console_csrf(&app).await;
        let wrong = app
            .client
            .post(format!("{}/admin/login", app.address))
            .header(COOKIE, &csrf_cookie)
            .form(&[
                ("csrf", token.as_str()),
                ("email", "admin@billfold.example"),
                ("password", "nope-nope-nope"),
            ])
            .send()
            .await
            .expect("sent");
        assert!(
            wrong
                .text()
                .await
                .expect("html")
                .contains("The e-mail or password is incorrect.")
        );

        // Staff: a session cookie for the console only, HttpOnly and SameSite=Strict.
        let (response, _, _) = console_sign_in(&app, "support@billfold.example").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/admin/customers");
        let header = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(CONSOLE_SESSION))
            .expect("the console's session cookie")
            .to_owned();
        for attribute in ["Path=/admin", "HttpOnly", "SameSite=Strict"] {
            assert!(header.contains(attribute), "{header}");
        }
        let (cookies, token) = console_session(&app, "support@billfold.example").await;
        let html = page(&app, &cookies, "/admin/customers").await;
        assert!(html.contains("id=\"signed-in-role\">Support<"), "{html}");
        // The console's cookie is no portal session.
        let portal = get(&app, &cookies, "/").await;
        assert_eq!(portal.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&portal), "/login");

        // A form without its token is refused; signing out ends the session.
        let forged = form(&app, &cookies, "/admin/logout", &[("csrf", "forged")]).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let out = form(&app, &cookies, "/admin/logout", &[("csrf", token.as_str())]).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert!(
            out.headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|v| v.starts_with(&format!("{CONSOLE_SESSION}=;")) && v.contains("Max-Age=0"))
        );
    }
);

e2e_test!(
    the_search_opens_one_match_and_offers_to_create_a_customer,
    |app| {
        let (cookies, token) = console_session(&app, "admin@billfold.example").await;
        let acme = app.customer_id("Acme Telecom").await;
        let one = get(&app, &cookies, "/admin/customers?q=acme").await;
        assert_eq!(one.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&one), format!("/admin/customers/{acme}"));
        let every = page(&app, &cookies, "/admin/customers").await;
        assert!(
            every.contains("Acme Telecom") && every.contains("Globex"),
            "{every}"
        );
        let none = page(&app, &cookies, "/admin/customers?q=Initech").await;
        assert!(none.contains("No customer matches"), "{none}");
        assert!(
            none.contains("href=\"/admin/customers/new?name=Initech\""),
            "{none}"
        );

        // The form: a refusal next to its field, then the customer created.
        let fields = |currency: &'static str, postal_code: &'static str| {
            vec![
                ("csrf", token.clone()),
                ("name", "Initech".to_owned()),
                ("email", "ap@initech.example".to_owned()),
                ("currency", currency.to_owned()),
                ("time_zone", "Europe/Berlin".to_owned()),
                ("external_reference", "TEL-4242".to_owned()),
                ("payment_terms_days", "30".to_owned()),
                ("cycle_unit", "YEAR".to_owned()),
                ("cycle_count", "1".to_owned()),
                ("tags", "wholesale, Reseller".to_owned()),
                ("line1", "Friedrichstraße 68".to_owned()),
                ("city", "Berlin".to_owned()),
                ("postal_code", postal_code.to_owned()),
                ("country", "de".to_owned()),
            ]
        };
        let refused = app
            .client
            .post(format!("{}/admin/customers/new", app.address))
            .header(COOKIE, &cookies)
            .form(&fields("EURO", "10117"))
            .send()
            .await
            .expect("sent");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"currency-error\""), "{html}");
        // The address's postal code is checked against its country, nothing written.
        let refused = app
            .client
            .post(format!("{}/admin/customers/new", app.address))
            .header(COOKIE, &cookies)
            .form(&fields("EUR", "1011"))
            .send()
            .await
            .expect("sent");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"postal_code-error\""), "{html}");
        assert!(
            html.contains("value=\"wholesale, Reseller\""),
            "kept: {html}"
        );
        let none = page(&app, &cookies, "/admin/customers?q=Initech").await;
        assert!(
            none.contains("No customer matches"),
            "nothing written: {none}"
        );
        let created = app
            .client
            .post(format!("{}/admin/customers/new", app.address))
            .header(COOKIE, &cookies)
            .form(&fields("EUR", "10117"))
            .send()
            .await
            .expect("sent");
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        let customer = page(&app, &cookies, &location(&created)).await;
        assert!(customer.contains("The customer is created."), "{customer}");
        assert!(customer.contains("ap@initech.example"), "{customer}");
        assert!(
            customer.contains("id=\"external-reference\">TEL-4242<"),
            "{customer}"
        );
        assert!(
            customer.contains("id=\"billing-cycle\">Yearly<"),
            "{customer}"
        );
        assert!(
            customer.contains("<li class=\"badge\">Reseller</li>"),
            "{customer}"
        );
        assert!(customer.contains("30 days"), "{customer}");
        // Found by a tag, and its address is on the addresses tab.
        let by_tag = get(&app, &cookies, "/admin/customers?q=resell").await;
        assert_eq!(
            Some(location(&by_tag).as_str()),
            location(&created).split('?').next()
        );
        let id = location(&created)
            .split('?')
            .next()
            .and_then(|path| path.rsplit('/').next())
            .expect("id")
            .to_owned();
        let addresses = page(
            &app,
            &cookies,
            &format!("/admin/customers/{id}?tab=addresses"),
        )
        .await;
        assert!(addresses.contains("Friedrichstraße 68"), "{addresses}");
        // A new subscription starts at the customer's cycle.
        let new = page(
            &app,
            &cookies,
            &format!("/admin/customers/{id}/subscriptions/new"),
        )
        .await;
        assert!(new.contains("<option value=\"YEAR\" selected>"), "{new}");
        // Found by its external reference: the search opens it.
        let found = get(&app, &cookies, "/admin/customers?q=tel-4242").await;
        assert_eq!(
            Some(location(&found).as_str()),
            location(&created).split('?').next()
        );
    }
);

/// The fields of a one-line quick charge, with the form's token.
fn quick_charge<'a>(token: &'a str, amount: &'a str, po: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", token),
        ("description_0", "Installation"),
        ("amount_0", amount),
        ("po_number", po),
        ("action", "preview"),
    ]
}

e2e_test!(
    charges_are_previewed_then_invoiced_and_refusals_show_where_they_belong,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let preview_path = format!("/admin/customers/{acme}/charges/preview");
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let tab = page(&app, &cookies, &format!("/admin/customers/{acme}/charges")).await;
        assert!(
            tab.contains("Add one-time addons and quick charges"),
            "{tab}"
        );

        // Too many decimals: the API's message next to the amount.
        let refused = form(
            &app,
            &cookies,
            &preview_path,
            &quick_charge(&token, "12.345", ""),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"amount_0-error\""), "{html}");

        // The preview: the server's figures, nothing written yet.
        let preview = form(
            &app,
            &cookies,
            &preview_path,
            &quick_charge(&token, "150", "PO-4711"),
        )
        .await;
        assert_eq!(preview.status(), StatusCode::OK);
        let html = preview.text().await.expect("html");
        assert!(html.contains("id=\"preview-total\">€150.00<"), "{html}");
        assert!(html.contains("id=\"preview-po\">PO-4711<"), "{html}");
        let key = tests::html::field(&html, "key");
        let staff = app.as_staff().await;
        let invoices = "query I($id: ID!) { customer(id: $id) { invoices(first: 10) {
        nodes { number poNumber total { amount } } } } }";
        let count = |body: &Value| {
            body["customer"]["invoices"]["nodes"]
                .as_array()
                .map_or(0, Vec::len)
        };
        let before: Value = staff
            .data("invoices", invoices, json!({ "id": acme }))
            .await;

        // "Leave unbilled" with a PO number: refused next to the PO number (it belongs to an
        // invoice made now).
        let mut unbilled = quick_charge(&token, "150", "PO-4711");
        unbilled.extend([("timing", "unbilled"), ("key", key.as_str())]);
        let refused = form(
            &app,
            &cookies,
            &format!("/admin/customers/{acme}/charges"),
            &unbilled,
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text()
                .await
                .expect("html")
                .contains("id=\"po_number-error\"")
        );

        // "Create invoice": the invoices tab, with the new invoice and its PO number; the same
        // submission again (a double click) creates nothing more.
        let mut create = quick_charge(&token, "150", "PO-4711");
        create.extend([("timing", "invoice_now"), ("key", key.as_str())]);
        for _ in 0..2 {
            let created = form(
                &app,
                &cookies,
                &format!("/admin/customers/{acme}/charges"),
                &create,
            )
            .await;
            assert_eq!(created.status(), StatusCode::SEE_OTHER);
            assert_eq!(
                location(&created),
                format!("/admin/customers/{acme}?tab=invoices&done=charges-invoiced")
            );
        }
        let after: Value = staff
            .data("invoices", invoices, json!({ "id": acme }))
            .await;
        assert_eq!(count(&after), count(&before) + 1, "{after}");
        let tab = page(
            &app,
            &cookies,
            &format!("/admin/customers/{acme}?tab=invoices"),
        )
        .await;
        assert!(tab.contains("PO-4711") && tab.contains("€150.00"), "{tab}");

        // Support reads every tab but cannot charge: the API's refusal above the form, nothing
        // written.
        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        for tab in ["", "?tab=invoices", "?tab=usage", "?tab=contacts"] {
            page(&app, &support, &format!("/admin/customers/{acme}{tab}")).await;
        }
        let refused = form(
            &app,
            &support,
            &preview_path,
            &quick_charge(&support_token, "150", ""),
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(
            html.contains("id=\"form-error\">Not allowed: your role does not allow this.<"),
            "{html}"
        );
        let mut create = quick_charge(&support_token, "150", "");
        create.extend([("timing", "invoice_now")]);
        let refused = form(
            &app,
            &support,
            &format!("/admin/customers/{acme}/charges"),
            &create,
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let last: Value = staff
            .data("invoices", invoices, json!({ "id": acme }))
            .await;
        assert_eq!(count(&last), count(&after), "support wrote nothing: {last}");

        // Acme now owes an open invoice: the preview asks to confirm, a creation without the
        // confirmation is refused (the preview again, saying why), with it goes through.
        let preview = form(
            &app,
            &cookies,
            &preview_path,
            &quick_charge(&token, "20", ""),
        )
        .await;
        let html = preview.text().await.expect("html");
        assert!(html.contains("id=\"confirm_unpaid\""), "{html}");
        let key = tests::html::field(&html, "key");
        let charges_path = format!("/admin/customers/{acme}/charges");
        let mut create = quick_charge(&token, "20", "");
        create.extend([("timing", "invoice_now"), ("key", key.as_str())]);
        let refused = form(&app, &cookies, &charges_path, &create).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        let html = refused.text().await.expect("html");
        assert!(html.contains("1 unpaid invoice"), "{html}");
        create.push(("confirm_unpaid", "yes"));
        let created = form(&app, &cookies, &charges_path, &create).await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        let confirmed: Value = staff
            .data("invoices", invoices, json!({ "id": acme }))
            .await;
        assert_eq!(count(&confirmed), count(&after) + 1, "{confirmed}");
    }
);

e2e_test!(
    the_charges_form_grows_a_line_at_a_time_and_previews_every_line,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let preview_path = format!("/admin/customers/{acme}/charges/preview");
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let tab = page(&app, &cookies, &format!("/admin/customers/{acme}/charges")).await;
        assert!(tab.contains("id=\"add-line\""), "{tab}");
        assert!(tab.contains("name=\"description_2\"") && !tab.contains("name=\"description_3\""));

        // Three lines typed, then "Add a line": the same three and an empty fourth.
        let mut fields = vec![
            ("csrf", token.as_str()),
            ("rows", "3"),
            ("action", "add_line"),
        ];
        let lines = [
            ("description_0", "amount_0", "Line one", "1"),
            ("description_1", "amount_1", "Line two", "2"),
            ("description_2", "amount_2", "Line three", "3"),
        ];
        for (d, a, text, amount) in lines {
            fields.extend([(d, text), (a, amount)]);
        }
        let grown = form(&app, &cookies, &preview_path, &fields).await;
        assert_eq!(grown.status(), StatusCode::OK);
        let html = grown.text().await.expect("html");
        assert!(html.contains("value=\"Line three\""), "{html}");
        assert!(
            html.contains("name=\"description_3\""),
            "a fourth line: {html}"
        );
        assert!(html.contains("name=\"rows\" value=\"4\""), "{html}");

        // The fourth line filled: the preview bills all four, to the cent.
        fields.retain(|(name, _)| !matches!(*name, "rows" | "action"));
        fields.extend([
            ("rows", "4"),
            ("action", "preview"),
            ("description_3", "Line four"),
            ("amount_3", "4"),
        ]);
        let preview = form(&app, &cookies, &preview_path, &fields).await;
        assert_eq!(preview.status(), StatusCode::OK);
        let html = preview.text().await.expect("html");
        assert!(html.contains("Line four"), "{html}");
        assert!(
            html.contains("id=\"preview-total\">€10.00<"),
            "1+2+3+4: {html}"
        );
        // "Change the charges" comes back with four lines.
        assert!(html.contains("name=\"rows\" value=\"4\""), "{html}");
    }
);
