//! `GOLIVE_EXTRA_CA` vouches only for the hosts the `GOLIVE_*` variables point at: the vendor
//! client verifies any other host against the public roots alone, so a CA set for the
//! sandbox can never stand in for a real vendor.

use golive_core::config::Endpoints;
use golive_core::http::Http;
use golive_core::https_probe::Prober;
use golive_sandbox::tls::TestCa;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An HTTPS server on loopback with a certificate for `localhost` from the test CA; it
/// answers every request with `{}`.
async fn https_localhost(ca: &TestCa) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = tokio_rustls::TlsAcceptor::from(ca.site.clone());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                // A bodiless GET fits in one read.
                let _ = tls.read(&mut [0u8; 4096]).await;
                let answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

fn endpoints(vars: &[(&str, String)]) -> Endpoints {
    Endpoints::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.clone()))).unwrap()
}

async fn get(endpoints: &Endpoints, url: &str) -> Result<u16, String> {
    let http = Http::new(endpoints).unwrap();
    http.read("Test", |c| c.get(url))
        .await
        .map(|r| r.status().as_u16())
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn the_extra_ca_is_trusted_only_for_overridden_hosts() {
    let ca = TestCa::new(&["localhost"]);
    let ca_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(ca_file.path(), &ca.pem).unwrap();
    let ca_path = ca_file.path().display().to_string();
    let port = https_localhost(&ca).await;
    let url = format!("https://localhost:{port}/v1/domains");

    // Overridden: the extra CA vouches for it.
    let overridden = endpoints(&[
        ("GOLIVE_EXTRA_CA", ca_path.clone()),
        ("GOLIVE_CLERK_API_URL", format!("https://localhost:{port}")),
    ]);
    assert_eq!(get(&overridden, &url).await, Ok(200));

    // Another vendor's address on the same host, not overridden: public roots only, even
    // though another variable is set and the CA file is the same.
    let elsewhere = endpoints(&[
        ("GOLIVE_EXTRA_CA", ca_path.clone()),
        ("GOLIVE_VERCEL_API_URL", "https://127.0.0.1:9".to_string()),
        (
            "GOLIVE_CONNECT_TO",
            "clerk.quillmate.test:443:127.0.0.1:9".to_string(),
        ),
    ]);
    let refused = get(&elsewhere, &url).await.unwrap_err();
    assert!(refused.contains("UnknownIssuer"), "{refused}");

    // The HTTPS probes trust it for the hosts GOLIVE_CONNECT_TO routes.
    let routed = endpoints(&[
        ("GOLIVE_EXTRA_CA", ca_path),
        (
            "GOLIVE_CONNECT_TO",
            format!("localhost:443:127.0.0.1:{port}"),
        ),
    ]);
    let probed = Prober::new(&routed)
        .unwrap()
        .get("localhost", "/", &[])
        .await;
    assert_eq!(probed.map(|r| r.status), Ok(200));
}
