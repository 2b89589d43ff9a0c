//! Headless Chromium driven through Debian's `chromedriver` (WebDriver), for portal journeys
//! as a person makes them. Screenshots land in `target/browser-screenshots/<backend>/`, so the
//! SQLite and PostgreSQL runs of a journey keep their own.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::sync::{Mutex, MutexGuard};

use crate::TestApp;

/// One browser at a time: the suite runs each journey on both backends in parallel, and two
/// headless Chromiums beside the rest of the suite on a two-core machine would compete for the
/// CPU the page waits are timed against. Taking turns costs a few seconds.
static ONE_BROWSER: Mutex<()> = Mutex::const_new(());

/// A browser session with its own chromedriver process, pointed at one server.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    address: String,
    driver: Child,
    _profile: tempfile::TempDir,
    shots: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium session for `app`, once no
    /// other test holds a browser. Fails, saying what to install, when Chromium or its driver
    /// is missing: the journey is never skipped.
    pub async fn start(app: &TestApp) -> Browser {
        let turn = ONE_BROWSER.lock().await;
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect(
                "Chromium is missing: install Debian's `chromium chromium-driver` (.ci/run does)",
            );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is missing: install Debian's `chromium chromium-driver` (.ci/run does)");
        let profile = tempfile::tempdir().expect("profile directory");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        // chromedriver takes a moment to listen.
        for _ in 0..50 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let shots = PathBuf::from(concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/../target/browser-screenshots"
                    ))
                    .join(app.database().backend_name());
                    std::fs::create_dir_all(&shots).expect("screenshot directory");
                    return Browser {
                        client,
                        address: app.address.clone(),
                        driver,
                        _profile: profile,
                        shots,
                        _turn: turn,
                    };
                }
                Err(error) => last_error = error.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("cannot start a Chromium session through chromedriver: {last_error}");
    }

    /// Opens `path` (e.g. `/charges`) on the server.
    pub async fn visit(&self, path: &str) {
        let url = format!("{}{path}", self.address);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Saves a screenshot of the page as `<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Types into the field with `id`, replacing its value.
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"));
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Clicks the element matching a CSS selector.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Clicks what submits a form, then waits for the next page to show `expected` (a CSS
    /// selector): a click returns before the browser has navigated.
    pub async fn submit(&self, css: &str, expected: &str) {
        self.click(css).await;
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(expected))
            .await
            .unwrap_or_else(|e| panic!("after clicking {css}, {expected} never appeared: {e}"));
    }

    /// The text of the element matching a CSS selector. A page that re-renders between the
    /// find and the read (a form submitted by a script, a redirect landing) leaves a stale
    /// element: it is found again, a few times, rather than failing on the race.
    pub async fn text(&self, css: &str) -> String {
        let mut attempts = 0;
        loop {
            let element = self
                .client
                .find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("{css}: {e}"));
            match element.text().await {
                Ok(text) => return text,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference
                        && attempts < 5 =>
                {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{css}: text: {e}"),
            }
        }
    }

    /// Lays the page out as it prints (`@media print`), or back as on screen: a screenshot
    /// then shows what paper would (Chromium's DevTools `Emulation.setEmulatedMedia`, through
    /// chromedriver's `goog/cdp/execute`).
    pub async fn emulate_print(&self, print: bool) {
        let media = if print { "print" } else { "" };
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params: json!({ "media": media }),
            })
            .await
            .unwrap_or_else(|e| panic!("cannot emulate media {media:?}: {e}"));
    }

    /// The computed `display` of the first element matching a CSS selector (`none` when
    /// hidden).
    pub async fn display(&self, css: &str) -> String {
        let value = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]);
                 return e ? getComputedStyle(e).display : 'missing';",
                vec![json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("display of {css}: {e}"));
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The page's HTML.
    pub async fn source(&self) -> String {
        self.client.source().await.expect("source")
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A Chrome DevTools command sent through chromedriver.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
