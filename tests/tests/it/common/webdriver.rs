//! A small W3C WebDriver client: just what the e2e tests use, over plain HTTP.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    /// A session of `application`, or why the driver gave none.
    pub async fn start(driver: &str, application: &str) -> Result<Session, String> {
        // A driver that stops answering fails the test instead of hanging the run.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application}
        }}});
        let resp: Value = http
            .post(format!("{driver}/session"))
            .json(&caps)
            .send()
            .await
            .map_err(|e| format!("tauri-driver did not answer: {e}"))?
            .json()
            .await
            .map_err(|e| format!("tauri-driver's answer is not JSON: {e}"))?;
        let id = resp["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session: {resp}"))?
            .to_string();
        Ok(Session {
            http,
            base: format!("{driver}/session/{id}"),
        })
    }

    /// One WebDriver command: its value, or the driver's error (`{error, message}`).
    async fn try_cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        let value = v["value"].clone();
        if value["error"].is_string() {
            Err(value)
        } else {
            Ok(value)
        }
    }

    /// One WebDriver command that must succeed: an error fails the test, so an assertion on
    /// what it returned can never pass on an empty answer.
    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        match self.try_cmd(method.clone(), path, body).await {
            Ok(v) => v,
            Err(e) => panic!("WebDriver {method} {path} failed: {e}"),
        }
    }

    /// Whether a driver error is one a wait retries (the page is still rendering).
    fn transient(e: &Value) -> bool {
        matches!(
            e["error"].as_str(),
            Some("no such element" | "stale element reference")
        )
    }

    /// Waits up to 20 s for an element matching `css` to exist.
    pub async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self
                .try_cmd(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            let v = match v {
                Ok(v) => v,
                Err(e) if Self::transient(&e) => e,
                Err(e) => panic!("finding {css} failed: {e}"),
            };
            if let Some(id) = v[ELEMENT_KEY].as_str() {
                return id.to_string();
            }
            assert!(Instant::now() < deadline, "no element {css}: {v}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits up to 20 s for the element's text to contain `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let id = self.find(css).await;
            let text = self.text_now(&id).await.unwrap_or_default();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never showed {needle:?}; last: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// The element's text, or `None` if it was just re-rendered away (for the waits).
    async fn text_now(&self, element: &str) -> Option<String> {
        match self
            .try_cmd(
                reqwest::Method::GET,
                &format!("/element/{element}/text"),
                None,
            )
            .await
        {
            Ok(v) => Some(v.as_str().expect("an element's text").to_string()),
            Err(e) if Self::transient(&e) => None,
            Err(e) => panic!("reading {element}'s text failed: {e}"),
        }
    }

    /// The element's DOM property `name` (an input's `value` is one: page source never
    /// shows what was typed).
    pub async fn property(&self, css: &str, name: &str) -> Value {
        let id = self.find(css).await;
        self.element_property(&id, name).await
    }

    async fn element_property(&self, element: &str, name: &str) -> Value {
        let path = format!("/element/{element}/property/{name}");
        self.cmd(reqwest::Method::GET, &path, None).await
    }

    /// The `value` of every input and text area on the page, by id.
    pub async fn input_values(&self) -> Vec<(String, String)> {
        let found = self
            .cmd(
                reqwest::Method::POST,
                "/elements",
                Some(json!({"using": "css selector", "value": "input, textarea"})),
            )
            .await;
        let mut values = vec![];
        for el in found.as_array().expect("a list of elements") {
            let el = el[ELEMENT_KEY].as_str().expect("an element");
            let id = self.element_property(el, "id").await;
            let value = self.element_property(el, "value").await;
            values.push((
                id.as_str().unwrap_or_default().to_string(),
                value.as_str().expect("an input's value").to_string(),
            ));
        }
        values
    }

    /// Sends the element matching `css` an action (`click`, `clear`, `value`), finding it
    /// again if the page re-rendered it in between; any other driver error fails the test.
    async fn act(&self, css: &str, action: &str, body: Value) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let id = self.find(css).await;
            let path = format!("/element/{id}/{action}");
            match self
                .try_cmd(reqwest::Method::POST, &path, Some(body.clone()))
                .await
            {
                Ok(_) => return,
                Err(e) if Self::transient(&e) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(150)).await
                }
                Err(e) => panic!("{action} on {css} failed: {e}"),
            }
        }
    }

    pub async fn click(&self, css: &str) {
        self.act(css, "click", json!({})).await
    }

    pub async fn clear(&self, css: &str) {
        self.act(css, "clear", json!({})).await
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        self.act(css, "value", json!({"text": text})).await
    }

    /// Clicks the first enabled button whose text contains `label` (a click on a disabled
    /// one would be lost).
    pub async fn click_button(&self, label: &str) {
        // Long enough for a run the button waits on (it is disabled meanwhile) to finish on a
        // loaded machine.
        let deadline = Instant::now() + Duration::from_secs(45);
        loop {
            let found = self
                .cmd(
                    reqwest::Method::POST,
                    "/elements",
                    Some(json!({"using": "css selector", "value": "button"})),
                )
                .await;
            let mut buttons = vec![];
            for el in found.as_array().into_iter().flatten() {
                let id = el[ELEMENT_KEY].as_str().unwrap_or_default();
                let text = self.text_now(id).await.unwrap_or_default();
                buttons.push((id, text));
            }
            // A button labelled exactly so comes before one that only contains the label
            // ("Show" is not "Show the list").
            buttons.sort_by_key(|(_, text)| text.trim() != label);
            for (id, text) in buttons {
                let enabled = || async {
                    self.try_cmd(
                        reqwest::Method::GET,
                        &format!("/element/{id}/enabled"),
                        None,
                    )
                    .await
                        == Ok(json!(true))
                };
                if text.contains(label) && enabled().await {
                    let path = format!("/element/{id}/click");
                    match self
                        .try_cmd(reqwest::Method::POST, &path, Some(json!({})))
                        .await
                    {
                        Ok(_) => return,
                        // Re-rendered since it was found: look again.
                        Err(e) if Self::transient(&e) => break,
                        Err(e) => panic!("clicking {label:?} failed: {e}"),
                    }
                }
            }
            assert!(Instant::now() < deadline, "no button {label:?}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// The page's HTML, to assert what the web view holds. Fails loudly rather than return
    /// nothing (in which no secret would ever be found).
    pub async fn source(&self) -> String {
        let html = self.cmd(reqwest::Method::GET, "/source", None).await;
        let html = html.as_str().expect("the page source").to_string();
        assert!(html.contains("<main"), "not the app's page: {html:.200}");
        html
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        // WebKitWebDriver can hand back the previous frame: let the page paint, and keep
        // the second of two captures.
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Scrolls the first element matching `css` to the top of the view.
    pub async fn scroll_to(&self, css: &str) {
        self.find(css).await;
        let script = "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})";
        self.execute(script, json!([css])).await;
    }

    /// Runs `script` in the page (`arguments[0…]` are `args`) and returns its value.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Ends the session, which quits the app.
    pub async fn end(self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}

/// A free loopback port, for tauri-driver and its native driver.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
