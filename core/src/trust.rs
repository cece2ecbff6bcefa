//! Which certificate authorities a TLS connection trusts: the public web roots everywhere,
//! and the extra CA of `GOLIVE_EXTRA_CA` (the sandbox's test CA) only for the hosts the
//! `GOLIVE_*` variables point at. A vendor's real address is thus verified against the
//! public roots alone, whatever CA file is set. The vendor API client and the HTTPS probes
//! share this configuration.

use std::collections::BTreeSet;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::config::Endpoints;
use crate::error::{Error, Result};

/// The TLS client configuration for `endpoints`.
pub fn client_config(endpoints: &Endpoints) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let public = || RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let webpki = |roots: RootCertStore| {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| Error::Config(format!("TLS: {e}")))
    };
    let standard = webpki(public())?;
    let verifier: Arc<dyn ServerCertVerifier> = match &endpoints.extra_ca {
        None => standard,
        Some(path) => {
            let mut roots = public();
            for cert in read_pem(path)? {
                roots.add(cert).map_err(|e| {
                    Error::Config(format!("GOLIVE_EXTRA_CA {}: {e}", path.display()))
                })?;
            }
            Arc::new(ScopedTrust {
                standard,
                extended: webpki(roots)?,
                hosts: endpoints.overridden_hosts(),
            })
        }
    };
    Ok(ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

fn read_pem(path: &std::path::Path) -> Result<Vec<CertificateDer<'static>>> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::Config(format!("GOLIVE_EXTRA_CA {}: {e}", path.display())))?;
    let certs = rustls_pemfile::certs(&mut &pem[..])
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::Config(format!("GOLIVE_EXTRA_CA {}: not PEM ({e})", path.display())))?;
    if certs.is_empty() {
        return Err(Error::Config(format!(
            "GOLIVE_EXTRA_CA {}: no certificate in it",
            path.display()
        )));
    }
    Ok(certs)
}

/// Verifies with the extra CA for the overridden hosts, with the public roots for the rest.
/// Only the chain's anchor differs: signatures are checked the same way for both.
#[derive(Debug)]
struct ScopedTrust {
    standard: Arc<WebPkiServerVerifier>,
    extended: Arc<WebPkiServerVerifier>,
    hosts: BTreeSet<String>,
}

impl ScopedTrust {
    fn for_name(&self, name: &ServerName<'_>) -> &WebPkiServerVerifier {
        let host = match name {
            ServerName::DnsName(d) => d.as_ref().to_ascii_lowercase(),
            ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
            _ => return &self.standard,
        };
        if self.hosts.contains(&host) {
            &self.extended
        } else {
            &self.standard
        }
    }
}

impl ServerCertVerifier for ScopedTrust {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        self.for_name(server_name).verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.standard.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.standard.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.standard.supported_verify_schemes()
    }
}
