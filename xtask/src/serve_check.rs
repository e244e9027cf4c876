//! Proves `cargo xtask serve` is stable: it starts, the page answers (with its security policy),
//! and in the following minute no build starts again, so nothing reloads the page under the user.
//!
//! A build that wrote into a path trunk watches would start the next build, and trunk would reload
//! every open page after each one; this check watches trunk's own log for a second build.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::setup::Toolchain;

/// How long the server must stay quiet after its first build.
const QUIET: Duration = Duration::from_secs(60);
/// How long the first build may take (a cold one compiles the app).
const FIRST_BUILD: Duration = Duration::from_secs(900);
/// What trunk logs when a build starts.
const BUILD_STARTS: &str = "starting build";

/// Kills the server when the check ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        // Already gone is fine.
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The body of `GET /` on `port`, if the server answers with 200.
fn fetch_index(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(stream, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let ok = response.starts_with("HTTP/1.1 200");
    ok.then(|| response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default())
}

fn builds_started(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |text| text.matches(BUILD_STARTS).count())
}

/// Starts `trunk serve` as `cargo xtask serve` does, waits for the page, then watches for a minute.
/// It serves from its own folder under `target/`, so the live-reload page it writes never
/// replaces the `dist/` that the end-to-end tests serve.
///
/// # Errors
/// The server did not come up, the page lacked its policy, or a build started again.
pub fn check(tools: &Toolchain, root: &Path, env: &[(&str, &str)]) -> Result<()> {
    std::fs::create_dir_all(root.join("target"))?;
    let port = free_port()?;
    let log_path = root.join("target/serve-check.log");
    let log = std::fs::File::create(&log_path)?;
    let hosts = format!("127.0.0.1:{port},localhost:{port}");
    let mut cmd = tools.command("trunk");
    cmd.args(["serve", "--address", "127.0.0.1", "--port", &port.to_string(), "--dist", "target/dist-serve-check"])
        .current_dir(root)
        .env("PT_CSP_SERVE_HOSTS", &hosts)
        .env("NO_COLOR", "true")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut server = Server(cmd.spawn().context("could not start trunk serve")?);
    let started = Instant::now();
    let page = loop {
        if let Some(body) = fetch_index(port) {
            break body;
        }
        if let Some(status) = server.0.try_wait()? {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            bail!("trunk serve exited ({status}) before the page answered:\n{log}");
        }
        if started.elapsed() > FIRST_BUILD {
            bail!("trunk serve did not answer within {} s; its log is {}", FIRST_BUILD.as_secs(), log_path.display());
        }
        std::thread::sleep(Duration::from_secs(1));
    };
    if !page.contains("Content-Security-Policy") {
        bail!("the served page has no Content-Security-Policy");
    }
    let first = builds_started(&log_path);
    eprintln!(
        "    serve answered after {:.0} s with {first} build(s); watching for {} s",
        started.elapsed().as_secs_f64(),
        QUIET.as_secs()
    );
    std::thread::sleep(QUIET);
    let after = builds_started(&log_path);
    if after != first {
        bail!(
            "trunk serve started {} more build(s) in {} s with no source change (each reloads the page); see {}",
            after - first,
            QUIET.as_secs(),
            log_path.display()
        );
    }
    if fetch_index(port).is_none() {
        bail!("trunk serve stopped answering during the quiet minute; see {}", log_path.display());
    }
    eprintln!("    no rebuild and no reload in {} s", QUIET.as_secs());
    Ok(())
}
