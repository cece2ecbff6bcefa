//! A small W3C WebDriver client: just what the e2e tests use, over plain HTTP.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    pub async fn start(driver: &str, application: &str) -> Session {
        let http = reqwest::Client::new();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application}
        }}});
        let resp: Value = http
            .post(format!("{driver}/session"))
            .json(&caps)
            .send()
            .await
            .expect("tauri-driver answers")
            .json()
            .await
            .unwrap();
        let id = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_string();
        Session {
            http,
            base: format!("{driver}/session/{id}"),
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        v["value"].clone()
    }

    /// Waits up to 20 s for an element matching `css` to exist.
    pub async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self
                .cmd(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
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
            let text = self.text(&id).await;
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

    pub async fn text(&self, element: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::GET,
                &format!("/element/{element}/text"),
                None,
            )
            .await;
        v.as_str().unwrap_or_default().to_string()
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn clear(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    /// Clicks the first enabled button whose text contains `label` (a click on a disabled
    /// one would be lost).
    pub async fn click_button(&self, label: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self
                .cmd(
                    reqwest::Method::POST,
                    "/elements",
                    Some(json!({"using": "css selector", "value": "button"})),
                )
                .await;
            for el in found.as_array().into_iter().flatten() {
                let id = el[ELEMENT_KEY].as_str().unwrap_or_default();
                let enabled = || async {
                    self.cmd(
                        reqwest::Method::GET,
                        &format!("/element/{id}/enabled"),
                        None,
                    )
                    .await
                        == json!(true)
                };
                if self.text(id).await.contains(label) && enabled().await {
                    self.cmd(
                        reqwest::Method::POST,
                        &format!("/element/{id}/click"),
                        Some(json!({})),
                    )
                    .await;
                    return;
                }
            }
            assert!(Instant::now() < deadline, "no button {label:?}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// The page's HTML, to assert what the web view holds.
    pub async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
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
