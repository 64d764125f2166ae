//! A certificate authority made for a test, and the server certificates it signs.

use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct TestCa {
    certificate: rcgen::Certificate,
    key: KeyPair,
}

/// A server's certificate chain and key.
#[derive(Clone)]
pub struct Leaf {
    pub chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

impl Leaf {
    pub(crate) fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.clone()))
    }
}

impl TestCa {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("no names to check");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("a key");
        let certificate = params.self_signed(&key).expect("a CA certificate");
        TestCa { certificate, key }
    }

    /// The CA's certificate, PEM: what a `ca_file` or `SSL_CERT_FILE` holds.
    pub fn pem(&self) -> String {
        self.certificate.pem()
    }

    /// A certificate for `names` (host names or IP addresses), valid from 1975 to 4096.
    pub fn leaf(&self, names: &[&str]) -> Leaf {
        self.issue(names, None)
    }

    /// A certificate for `names` that expired at the start of 2021.
    pub fn expired_leaf(&self, names: &[&str]) -> Leaf {
        self.issue(names, Some((2020, 2021)))
    }

    /// `years`: valid from the first day of the first to the first day of the second.
    fn issue(&self, names: &[&str], years: Option<(i32, i32)>) -> Leaf {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).expect("valid names");
        params.distinguished_name.push(DnType::CommonName, "test server");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        if let Some((from, until)) = years {
            params.not_before = rcgen::date_time_ymd(from, 1, 1);
            params.not_after = rcgen::date_time_ymd(until, 1, 1);
        }
        let key = KeyPair::generate().expect("a key");
        let certificate = params.signed_by(&key, &self.certificate, &self.key).expect("a signed certificate");
        Leaf { chain: vec![certificate.der().clone()], key: key.serialize_der() }
    }
}
