//! Real server processes for the tests that need more than the router: several
//! nodes over one database, and the command line.

use super::encode;
use app::accounts::Login;
use leptos::server_fn::ServerFn;
use serde::Serialize;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Node {
    pub child: Child,
    pub port: u16,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn start(db_url: &str, data: &std::path::Path) -> Node {
    start_with(db_url, data, &[("CAREPORT_DEMO_DATA", "true")]).await
}

/// Starts a server process with extra environment variables; waits for /healthz.
pub async fn start_with(db_url: &str, data: &std::path::Path, env: &[(&str, &str)]) -> Node {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("CAREPORT_ADDR", format!("127.0.0.1:{port}"))
        .env("CAREPORT_DATABASE_URL", db_url)
        .env("CAREPORT_DATA_DIR", data)
        .env("CAREPORT_LOG", "warn")
        .envs(env.iter().copied())
        .env("LEPTOS_SITE_ROOT", data)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start a server process");
    let node = Node { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = node.request("GET", "/healthz", None, "").await {
            if r.status == 200 {
                return node;
            }
        }
        assert!(
            Instant::now() < deadline,
            "node on port {port} did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Answer {
    pub fn cookie(&self) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| {
                l.strip_prefix("set-cookie: ")
                    .or_else(|| l.strip_prefix("Set-Cookie: "))
            })
            .find(|v| v.starts_with("careport_session=") && !v.contains("Max-Age=0"))
            .map(|v| v.split(';').next().unwrap().to_string())
    }
}

impl Node {
    /// One HTTP/1.1 request on its own connection, as a browser on this site.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: &str,
    ) -> std::io::Result<Answer> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let cookie = cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let accept = if method == "GET" {
            "text/html"
        } else {
            "application/json"
        };
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\
             Sec-Fetch-Site: same-origin\r\nAccept: {accept}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{cookie}\r\n{body}",
            self.port,
            body.len()
        );
        s.write_all(req.as_bytes()).await?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok(Answer {
            status,
            head: head.to_string(),
            body: body.to_string(),
        })
    }

    pub async fn post(&self, path: &str, cookie: Option<&str>, body: &str) -> Answer {
        self.request("POST", path, cookie, body)
            .await
            .expect("node answers")
    }

    /// Calls a server function by its type (as `TestApp::call` does).
    pub async fn call<F>(&self, args: &F, cookie: Option<&str>) -> Answer
    where
        F: ServerFn + Serialize,
    {
        self.post(F::PATH, cookie, &encode(args)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Answer {
        let login = Login {
            email: email.into(),
            password: password.into(),
        };
        self.call(&login, None).await
    }
}

/// A fresh data directory for a server process.
pub fn data_dir(prefix: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("careport-{prefix}-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("a temporary data directory");
    dir
}

/// Everything a process printed, standard output then standard error.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs the server binary until it exits on its own (a start that must be
/// refused), logging at info; returns its exit code and output.
pub fn run_to_exit(
    db_url: &str,
    data: &std::path::Path,
    env: &[(&str, &str)],
) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("CAREPORT_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("CAREPORT_DATABASE_URL", db_url)
        .env("CAREPORT_DATA_DIR", data)
        .env("CAREPORT_LOG", "info")
        .envs(env.iter().copied())
        .output()
        .expect("run the server");
    (out.status.code(), output_text(&out))
}
