//! The sandbox's test certificate authority and the certificates it serves: the one Clerk
//! would issue for the production domain's hosts, Clerk's shared one (what a browser sees
//! before Clerk has issued the domain's certificate), and the site's own.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

/// The name on Clerk's shared certificate.
pub const PENDING_NAME: &str = "frontend-api.clerk.services";

pub struct TestCa {
    /// The CA certificate, for `GOLIVE_EXTRA_CA`.
    pub pem: String,
    pub issued: Arc<ServerConfig>,
    pub pending: Arc<ServerConfig>,
    /// For the site itself: the domain and `www.`.
    pub site: Arc<ServerConfig>,
    /// For the development instance's Frontend API.
    pub development: Arc<ServerConfig>,
}

impl TestCa {
    /// A CA, and certificates for `clerk.` and `accounts.` of each domain.
    pub fn new(domains: &[&str]) -> TestCa {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Golive Sandbox CA");
        ca_params
            .distinguished_name
            .push(DnType::OrganizationName, "Golive Sandbox CA");
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let names = domains
            .iter()
            .flat_map(|d| [format!("clerk.{d}"), format!("accounts.{d}")])
            .collect();
        TestCa {
            pem: ca_cert.pem(),
            issued: server_config(&issuer, names),
            pending: server_config(&issuer, vec![PENDING_NAME.to_string()]),
            site: server_config(
                &issuer,
                domains
                    .iter()
                    .flat_map(|d| [d.to_string(), format!("www.{d}")])
                    .collect(),
            ),
            development: server_config(&issuer, vec![crate::scenario::DEV_FRONTEND_API.into()]),
        }
    }
}

fn server_config(issuer: &Issuer<'_, KeyPair>, names: Vec<String>) -> Arc<ServerConfig> {
    let mut params = CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "Golive Sandbox");
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, issuer).unwrap();
    let der_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(cert.der().to_vec())], der_key)
        .unwrap();
    Arc::new(config)
}
