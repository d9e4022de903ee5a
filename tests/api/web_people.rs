//! People's accounts in the browser: a coordinator invites a technician, who
//! signs in with the first password and switches the pages to English; the
//! coordinator gives no more than they may, sets a forgotten password again
//! and disables the account of someone who left; anyone makes, uses and
//! revokes their own API token, whose secret is shown once.

use axum::http::StatusCode;
use retrace::principal::Role;

use crate::helpers::{TestApp, assert_in_database_files, assert_not_in_database_files};
use crate::html::{filled, form_to};
use crate::web::{Browser, field, user};

#[tokio::test]
async fn a_coordinator_invites_a_technician_who_signs_in_and_reads_english() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut desk = Browser::new(&app);
    desk.sign_in(&coordinator).await;

    let page = desk.get("/users").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains(&coordinator));
    let invite = form_to(&page.text, "/users");
    // A coordinator is offered technicians and viewers only.
    let roles: Vec<&str> = page
        .text
        .split("name=\"role\"")
        .nth(1)
        .unwrap()
        .split("</select>")
        .next()
        .unwrap()
        .split("value=\"")
        .skip(1)
        .map(|v| v.split('"').next().unwrap())
        .collect();
    assert_eq!(roles, ["technician", "viewer"]);

    // Asking for more anyway is refused, on the form, writing nothing.
    let before = app.ledger_seq().await;
    let email = "nolwenn.tanguy@atelier.test";
    let refused = desk
        .post(
            "/users",
            &filled(
                &invite,
                &[
                    ("email", email),
                    ("role", "admin"),
                    ("password", "un premier mot de passe"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let short = desk
        .post(
            "/users",
            &filled(&invite, &[("email", email), ("password", "court")]),
        )
        .await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        short.text
    );
    assert!(short.text.contains("Mot de passe"), "{}", short.text);
    assert!(short.text.contains(email), "what was typed is kept");
    assert_eq!(app.ledger_seq().await, before);

    let invited = desk
        .post(
            "/users",
            &filled(
                &invite,
                &[
                    ("email", email),
                    ("display_name", "Nolwenn Tanguy"),
                    ("language", "en"),
                    ("password", "un premier mot de passe"),
                ],
            ),
        )
        .await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.text);
    let person_page = invited.headers["location"].to_str().unwrap().to_owned();

    // She signs in with it; her pages speak English, whatever the browser says.
    let mut bench = Browser::new(&app);
    let signed = bench.sign_in_with(email, "un premier mot de passe").await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    let account = bench.get("/account").await;
    assert!(
        account.text.contains("<html lang=\"en\">"),
        "{}",
        account.text
    );
    assert!(account.text.contains("My account"));
    // And back to French from her account page.
    let language = form_to(&account.text, "/account/language");
    let switched = bench
        .post(
            "/account/language",
            &filled(&language, &[("language", "fr")]),
        )
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER, "{}", switched.text);
    let account = bench.get("/account").await;
    assert!(
        account.text.contains("<html lang=\"fr\">"),
        "{}",
        account.text
    );
    // A technician manages no one.
    assert_eq!(bench.get("/users").await.status, StatusCode::FORBIDDEN);

    // Forgotten: the coordinator sets a new password; the old one opens nothing.
    let page = desk.get(&person_page).await;
    let reset = form_to(&page.text, &format!("{person_page}/password"));
    let done = desk
        .post(
            &format!("{person_page}/password"),
            &filled(&reset, &[("new_password", "un second mot de passe")]),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(
        bench.get("/account").await.status,
        StatusCode::SEE_OTHER,
        "her session ended"
    );
    let old = Browser::new(&app)
        .sign_in_with(email, "un premier mot de passe")
        .await;
    assert_ne!(
        old.headers.get("location").map(|l| l.to_str().unwrap()),
        Some("/scan")
    );
    let mut again = Browser::new(&app);
    let signed = again.sign_in_with(email, "un second mot de passe").await;
    assert_eq!(signed.headers["location"], "/scan");

    // She leaves: the account is disabled, and her session with it.
    let page = desk.get(&person_page).await;
    let edit = form_to(&page.text, &person_page);
    let disabled = desk
        .post(&person_page, &filled(&edit, &[("disabled", "on")]))
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER, "{}", disabled.text);
    assert_eq!(again.get("/scan").await.status, StatusCode::SEE_OTHER);
    let page = desk.get("/users").await;
    assert!(page.text.contains("Nolwenn Tanguy"));
    assert!(page.text.contains("désactivé"));

    // Erased on request: her name is in no byte of the database.
    assert_in_database_files(&app, &["Nolwenn Tanguy", email]).await;
    let page = desk.get(&person_page).await;
    let csrf = field(&page.text, "csrf");
    let erased = desk
        .post(&format!("{person_page}/erase"), &[("csrf", &csrf)])
        .await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER, "{}", erased.text);
    let page = desk.get(&person_page).await;
    assert!(!page.text.contains("Nolwenn"), "{}", page.text);
    assert_not_in_database_files(&app, &["Nolwenn Tanguy", email]).await;
}

#[tokio::test]
async fn anyone_makes_uses_and_revokes_their_own_api_token_from_their_account_page() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = user(&app, Role::Technician, Some(site)).await;
    let mut bench = Browser::new(&app);
    bench.sign_in(&technician).await;
    let page = bench.get("/account").await;
    let form = form_to(&page.text, "/account/tokens");

    let refused = bench
        .post(
            "/account/tokens",
            &filled(&form, &[("name", "poste"), ("days", "99999")]),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert!(refused.text.contains("Durée (jours)"), "{}", refused.text);

    let made = bench
        .post(
            "/account/tokens",
            &filled(&form, &[("name", "poste d'effacement 2")]),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    assert_eq!(made.headers["cache-control"], "no-store");
    let secret = made
        .text
        .split("id=\"token-secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the secret, shown once")
        .to_owned();
    let me = app.get("/api/v1/users/me", &secret).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["email"], technician.as_str());

    // Never again: the page lists the token, not its secret.
    let page = bench.get("/account").await;
    assert!(
        page.text.contains("poste d&#39;effacement 2")
            || page.text.contains("poste d'effacement 2")
    );
    assert!(!page.text.contains(&secret));

    let revoke = form_to(&page.text, "/account/tokens/revoke");
    let revoked = bench
        .post("/account/tokens/revoke", &filled(&revoke, &[]))
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.text);
    let me = app.get("/api/v1/users/me", &secret).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}
