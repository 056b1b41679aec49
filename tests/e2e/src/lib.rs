//! Harness for driving the real app: starts tauri-driver, opens a WebDriver session on the
//! app binary (which WebKitWebDriver launches), and stops everything cleanly.
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    /// Starts tauri-driver; environment variables (LOTWISE_WORKSPACE) pass through to the app.
    pub async fn start(workspace: &Path) -> Driver {
        Driver::start_as(workspace, "e2e-officer", "officer").await
    }

    /// For the app opened on a scoresheet on an evaluator's own computer: no workspace, and
    /// their own data folder (their key, their kept scores).
    pub async fn start_on_own_computer(data_home: &Path) -> Driver {
        Driver::start_with(
            Path::new("/nonexistent/no-workspace.lotwise"),
            "",
            "",
            Some(data_home),
        )
        .await
    }

    /// As `start`, with the app acting as a named user (a panel member, say).
    pub async fn start_as(workspace: &Path, user: &str, role: &str) -> Driver {
        Driver::start_with(workspace, user, role, None).await
    }

    async fn start_with(
        workspace: &Path,
        user: &str,
        role: &str,
        data_home: Option<&Path>,
    ) -> Driver {
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new("tauri-driver");
        if let Some(d) = data_home {
            cmd.env("XDG_DATA_HOME", d);
        }
        let child = cmd
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("LOTWISE_WORKSPACE", workspace)
            .env("LOTWISE_USER", user)
            .env("LOTWISE_ROLE", role)
            // "Open in the PDF viewer" runs this instead of a desktop viewer: no window opens.
            .env("LOTWISE_PDF_VIEWER", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver is installed (make test installs it)");
        wait_listening(port, "tauri-driver").await;
        Driver { child, port }
    }

    pub async fn session(&self, app: &Path) -> Client {
        self.session_with(app, &[]).await
    }

    /// A session on the app started with these arguments (a scoresheet to open, say).
    pub async fn session_with(&self, app: &Path, args: &[&str]) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app, "args": args }),
        );
        // tauri-driver listens before WebKitWebDriver behind it is ready: a first request
        // can be cut off (IncompleteMessage), so a session is asked for up to three times.
        let mut tries = 0;
        loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(c) => return c,
                Err(e) if tries < 2 => {
                    tries += 1;
                    eprintln!("WebDriver session not started ({e}); asking again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("WebDriver session on the Lotwise app: {e}"),
            }
        }
    }

    /// SIGTERM, never SIGKILL: a killed tauri-driver orphans WebKitWebDriver.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            unsafe { kill(pid as i32, 15) };
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

/// A browser of its own for files Lotwise writes to be read without it (the web edition of a
/// paper): WebKitWebDriver driving WebKitGTK's MiniBrowser, the engine the app runs on.
pub struct Browser {
    child: Child,
    pub client: Client,
}

fn mini_browser() -> PathBuf {
    std::fs::read_dir("/usr/lib")
        .unwrap()
        .flatten()
        .map(|d| d.path().join("webkit2gtk-4.1/MiniBrowser"))
        .find(|p| p.exists())
        .expect("WebKitGTK's MiniBrowser (package libwebkit2gtk-4.1-0, which make test installs)")
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let child = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("WebKitWebDriver is installed (make test installs webkit2gtk-driver)");
        wait_listening(port, "WebKitWebDriver").await;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "webkitgtk:browserOptions".into(),
            serde_json::json!({ "binary": mini_browser(), "args": ["--automation"] }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("WebDriver session on MiniBrowser: {e}"));
        Browser { child, client }
    }

    pub async fn stop(mut self) {
        let _ = self.client.close().await;
        if let Some(pid) = self.child.id() {
            unsafe { kill(pid as i32, 15) };
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

unsafe extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}

/// Waits (up to 20 s) until a driver started on `port` accepts connections.
async fn wait_listening(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "{what} did not start listening");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn app_path() -> PathBuf {
    let p = PathBuf::from(std::env::var("LOTWISE_APP").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../target/debug/lotwise-desktop"
        )
        .to_string()
    }));
    assert!(
        p.exists(),
        "build the app first (make app): {} is missing",
        p.display()
    );
    p
}

/// The `lotwise` CLI built beside the app, for setting up what a test does not click through.
pub fn cli(workspace: &Path, user: &str, args: &[&str]) -> String {
    cli_as(workspace, user, "officer", args)
}

/// As `cli`, acting in a role (evaluator, moderator, legal).
pub fn cli_as(workspace: &Path, user: &str, role: &str, args: &[&str]) -> String {
    let out = cli_output(workspace, user, role, args);
    assert!(
        out.status.success(),
        "lotwise {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The CLI's output, whether or not it succeeded (a refusal a test expects, say).
pub fn cli_output(workspace: &Path, user: &str, role: &str, args: &[&str]) -> std::process::Output {
    let bin = app_path().with_file_name("lotwise");
    std::process::Command::new(&bin)
        .arg("--workspace")
        .arg(workspace)
        .args(["--user", user, "--role", role])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{} (make cli builds it): {e}", bin.display()))
}

/// Waits for an element, polling; the UI loads data asynchronously.
pub async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

/// Waits until an element's text contains `text`.
pub async fn wait_text(c: &Client, css: &str, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(t) = el.text().await
            && t.contains(text)
        {
            return t;
        }
        assert!(Instant::now() < deadline, "{css} never contained {text:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the element at a CSS selector, once it is there (a page loads its data after it
/// shows, and on a busy machine that takes a moment).
pub async fn click(c: &Client, css: &str) {
    wait_for(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

/// Clicks the button with exactly this text, as a person would find it.
pub async fn click_button(c: &Client, text: &str) {
    let xpath = format!("//button[normalize-space()='{text}']");
    c.find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("button {text}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Types into the field at a CSS selector.
pub async fn type_into(c: &Client, css: &str, text: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

/// Replaces a field's text as a person would: select all, then type over it.
pub async fn replace(el: &fantoccini::elements::Element, text: &str) {
    el.send_keys("\u{E009}a\u{E000}").await.unwrap();
    el.send_keys("\u{E017}").await.unwrap();
    // Emptying a field is just the delete.
    if !text.is_empty() {
        el.send_keys(text).await.unwrap();
    }
}

/// `replace` on the field at a CSS selector.
pub async fn replace_text(c: &Client, css: &str, text: &str) {
    let f = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    replace(&f, text).await;
}

/// Scrolls an element to the middle of the window (clear of sticky bars), e.g. before a
/// screenshot.
pub async fn scroll_to(c: &Client, el: &fantoccini::elements::Element) {
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![serde_json::to_value(el).unwrap()],
    )
    .await
    .unwrap();
}

/// Scrolls the element at a CSS selector into the middle of the window, before a screenshot.
pub async fn show(c: &Client, css: &str) {
    scroll_to(c, &wait_for(c, css).await).await;
}

/// Picks a file in a file input, as WebDriver does: by sending its path.
pub async fn pick(c: &Client, css: &str, path: &Path) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
}

/// From the pipeline board to one tab of the lot with this title, as a person would: click
/// its card, wait for the lot page, click the tab.
pub async fn open_lot_tab(c: &Client, title: &str, tab: &str) {
    wait_text(c, "[data-testid=board]", title).await;
    c.find(Locator::XPath(&format!(
        "//a[contains(@class,'card')][.//span[text()='{title}']]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_text(c, "[data-testid=lot-title]", title).await;
    click(c, &format!("[data-testid=lot-tab-{tab}]")).await;
}

/// On the Route tab: fills in the conflicts assessment (officers, panel and legal; none
/// identified) dated `on`, and saves it.
pub async fn fill_conflicts(c: &Client, on: &str) {
    replace_text(c, "#field-conflicts-assessedOn", on).await;
    type_into(
        c,
        "#field-conflicts-scope",
        "Commissioning officers, the evaluation panel and legal",
    )
    .await;
    type_into(c, "#field-conflicts-findings", "None identified").await;
    click(c, "[data-testid=save-conflicts]").await;
}

/// From a lot page back to the pipeline board, by the page's own link.
pub async fn back_to_board(c: &Client) {
    c.find(Locator::XPath(
        "//a[normalize-space()='← Back to the pipeline']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

/// axe-core, as pinned in ui/package.json (installed by `npm ci` in ui/).
fn axe_source() -> String {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(p)
        .unwrap_or_else(|e| panic!("{p}: {e} (make ui-deps installs axe-core in ui/)"))
}

/// The WCAG 2.2 A and AA rules axe-core runs (its tags for 2.0, 2.1 and 2.2, levels A and AA).
const WCAG_TAGS: &str = r#"["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22a","wcag22aa"]"#;

/// Runs axe-core inside the app on the screen as it is now and fails naming each rule broken,
/// the elements that break it and the screen, so a regression says where to look.
pub async fn check_accessible(c: &Client, screen: &str) {
    let loaded = c
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await
        .unwrap();
    if loaded != serde_json::Value::Bool(true) {
        c.execute(&axe_source(), vec![]).await.unwrap();
    }
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        window.axe.run(document, {{ runOnly: {{ type: "tag", values: {WCAG_TAGS} }}, resultTypes: ["violations"] }})
          .then(r => done(JSON.stringify({{ version: r.testEngine.version, passed: r.passes.length,
              violations: r.violations.map(v => ({{
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => ({{ target: n.target.join(" "), summary: n.failureSummary, html: n.html.slice(0, 160) }}))
          }})) }})))
          .catch(e => done(JSON.stringify({{ error: String(e) }})));"#
    );
    let out = c.execute_async(&script, vec![]).await.unwrap();
    let result: serde_json::Value = serde_json::from_str(out.as_str().unwrap_or("{}")).unwrap();
    assert!(
        result["error"].is_null(),
        "screen \"{screen}\": axe-core failed: {}",
        result["error"]
    );
    // A check that ran no rule proves nothing: the screen has content every rule set covers.
    assert!(
        result["passed"].as_u64().unwrap_or(0) > 0,
        "screen \"{screen}\": axe-core ran no rule ({result})"
    );
    let list = result["violations"].as_array().cloned().unwrap_or_default();
    if std::env::var_os("LOTWISE_AXE_LOG").is_some() {
        eprintln!(
            "axe-core {} on \"{screen}\": {} rules passed, {} broken",
            result["version"],
            result["passed"],
            list.len()
        );
    }
    if !list.is_empty() {
        let mut report = format!(
            "screen \"{screen}\": {} WCAG 2.2 A/AA rule(s) broken (axe-core):",
            list.len()
        );
        for v in &list {
            report += &format!("\n- {} ({}): {}", v["id"], v["impact"], v["help"]);
            for n in v["nodes"].as_array().into_iter().flatten().take(8) {
                report += &format!(
                    "\n    at {}: {}\n      {}",
                    n["target"].as_str().unwrap_or(""),
                    n["html"].as_str().unwrap_or(""),
                    n["summary"].as_str().unwrap_or("").replace('\n', " ")
                );
            }
        }
        panic!("{report}");
    }
}

/// WebDriver key codes, for walking the app with the keyboard alone.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";
pub const SPACE: &str = "\u{E00D}";
pub const ARROW_DOWN: &str = "\u{E015}";

/// The id of the element that has focus ("" for none, or one without an id).
pub async fn focused_id(c: &Client) -> String {
    c.execute(
        "return (document.activeElement && document.activeElement.id) || '';",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or("")
    .to_string()
}

/// Presses a key (or types text) into whatever has focus, as a keyboard user does.
pub async fn press(c: &Client, keys: &str) {
    c.active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Presses Tab until the focused element matches `css` (and contains `text`, if given),
/// checking at every stop that focus can be seen (an outline or a shadow, WCAG 2.4.7) and is
/// not hidden under anything (2.4.11: the middle of the element is the element itself). A
/// target never reached in `max` presses fails: the focus order is broken or trapped.
pub async fn tab_to(c: &Client, css: &str, text: Option<&str>, max: usize) {
    let want = serde_json::json!(css);
    let contains = serde_json::json!(text.unwrap_or(""));
    for n in 0..max {
        press(c, TAB).await;
        // Let the browser scroll the newly focused element into view.
        tokio::time::sleep(Duration::from_millis(30)).await;
        let state = c
            .execute(
                r#"const [css, text] = arguments;
                const el = document.activeElement;
                if (!el || el === document.body) return { none: true };
                const st = getComputedStyle(el);
                const seen = (st.outlineStyle !== "none" && parseFloat(st.outlineWidth) > 0)
                    || (st.boxShadow && st.boxShadow !== "none");
                const r = el.getBoundingClientRect();
                const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
                const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
                const top = document.elementFromPoint(x, y);
                const clear = !!top && (el === top || el.contains(top) || top.contains(el) || (el.labels && [...el.labels].some(l => l.contains(top))));
                return { seen, clear, matches: el.matches(css) && el.textContent.includes(text),
                         what: el.outerHTML.slice(0, 120) };"#,
                vec![want.clone(), contains.clone()],
            )
            .await
            .unwrap();
        if state["none"] == true {
            continue;
        }
        assert_eq!(
            state["seen"], true,
            "focus cannot be seen on {} (press {n} towards {css})",
            state["what"]
        );
        assert_eq!(
            state["clear"], true,
            "focus is hidden under something on {} (press {n} towards {css})",
            state["what"]
        );
        if state["matches"] == true {
            return;
        }
    }
    panic!("{css} {text:?} was not reached with {max} presses of Tab");
}

/// Captures the X display the app runs on: the pixels a person would see, and checks the
/// screen with axe-core first. (WebKitWebDriver's own screenshot hangs on some pages when
/// WebKit runs without GL compositing, as the app does.)
pub async fn screenshot(c: &Client, name: &str) {
    // The picture first: a failing check leaves the screen it was about to look at.
    shoot(name).await;
    check_accessible(c, name).await;
}

pub async fn shoot(name: &str) {
    let dir = PathBuf::from(
        std::env::var("LOTWISE_ARTEFACTS").unwrap_or_else(|_| "artefacts/e2e".into()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    // Let the last change paint before capturing.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let out = dir.join(format!("{name}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&out)
        .status()
        .await
        .expect("ImageMagick's import is installed (make test installs it)");
    assert!(status.success(), "screenshot {name} failed");
}

/// From the board to the demo's Nottingham 0-5 lot's evaluation (in evaluation: two
/// evaluators submitted, r.hughes part-way through).
pub async fn open_evaluation(c: &Client) {
    wait_text(
        c,
        "[data-testid=board]",
        "Integrated 0-5 Public Health Services",
    )
    .await;
    c.find(Locator::XPath(
        "//a[contains(@class,'card')][.//span[text()='Integrated 0-5 Public Health Services']]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    click(c, "[data-testid=open-evaluation]").await;
    wait_text(c, "[data-testid=eval-title]", "Evaluation: Integrated 0-5").await;
}
