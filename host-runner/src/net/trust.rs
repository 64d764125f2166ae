//! Which server certificates the host accepts: the operating system's trust store (on Linux the
//! system bundle, or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, as OpenSSL reads them) together
//! with the public web roots, plus an instance's `ca_file`; or, with `insecure`, any certificate.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The certificates an instance trusts.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Trust {
    /// Accept any certificate (the reference's "Trust any certificate (not secure)").
    pub insecure: bool,
    /// Certificates trusted in addition to the system's and the web's: a `ca_file`.
    extra: Option<ExtraRoots>,
}

/// The certificates of a PEM bundle, and where they came from (to name it in messages).
#[derive(Clone, PartialEq, Eq, Hash)]
struct ExtraRoots {
    path: PathBuf,
    certificates: Arc<Vec<Vec<u8>>>,
}

impl fmt::Debug for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trust")
            .field("insecure", &self.insecure)
            .field("ca_file", &self.extra.as_ref().map(|e| &e.path))
            .finish()
    }
}

impl Trust {
    /// The system's and the web's roots plus every certificate of the PEM bundle at `path`.
    pub fn with_ca_file(mut self, path: &Path) -> Result<Self, String> {
        let shown = path.display();
        let text = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {}", io_reason(&e)))?;
        let certificates: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(&text)
            .map(|c| c.map(|c| c.to_vec()))
            .collect::<Result<_, _>>()
            .map_err(|_| format!("{shown} is not a PEM file of certificates"))?;
        if certificates.is_empty() {
            return Err(format!("{shown} holds no PEM certificate"));
        }
        self.extra = Some(ExtraRoots { path: path.to_path_buf(), certificates: Arc::new(certificates) });
        Ok(self)
    }

    /// The TLS client configuration these settings describe. Reading the system's store costs a
    /// few milliseconds, so it is built on a process's first HTTPS connection, not at start.
    pub(crate) fn client_config(&self) -> Result<ClientConfig, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS cannot be set up: {e}"))?;
        if self.insecure {
            return Ok(builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
                .with_no_client_auth());
        }
        let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        // Unreadable entries of the system store are skipped, as curl and OpenSSL skip them.
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if let Some(extra) = &self.extra {
            for der in extra.certificates.iter() {
                roots.add(CertificateDer::from(der.as_slice()).into_owned()).map_err(|_| {
                    format!("{} holds a certificate that cannot be used as a trust anchor", extra.path.display())
                })?;
            }
        }
        Ok(builder.with_root_certificates(roots).with_no_client_auth())
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Why a TLS connection failed, as the end of a sentence that names the host.
pub(crate) fn describe(error: &rustls::Error) -> String {
    use CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            C::Expired | C::ExpiredContext { .. } => "its certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => "its certificate is not valid yet".into(),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "its certificate was issued for another name".into()
            }
            C::UnknownIssuer => "its certificate is not trusted (its issuer is not a trusted authority; \
                                 add it with ca_file or SSL_CERT_FILE)"
                .into(),
            C::Revoked => "its certificate has been revoked".into(),
            C::BadSignature | C::BadEncoding => "its certificate is malformed or badly signed".into(),
            _ => "its certificate was not accepted".into(),
        },
        rustls::Error::AlertReceived(_) => "the server refused the handshake".into(),
        rustls::Error::NoCertificatesPresented => "the server presented no certificate".into(),
        _ => "the TLS handshake failed".into(),
    }
}

/// `insecure`: every certificate is accepted, but the handshake's signatures are still checked,
/// so the connection is at least bound to the key the server presented.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_must_hold_certificates() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Trust::default().with_ca_file(&dir.path().join("nope.pem")).unwrap_err();
        assert!(missing.ends_with("nope.pem: no such file"), "{missing}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let said = Trust::default().with_ca_file(&empty).unwrap_err();
        assert!(said.ends_with("empty.pem holds no PEM certificate"), "{said}");
    }

    #[test]
    fn reasons_never_name_a_type() {
        for error in [
            rustls::Error::InvalidCertificate(CertificateError::Expired),
            rustls::Error::InvalidCertificate(CertificateError::NotValidForName),
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            rustls::Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(Arc::new(std::fmt::Error)))),
            rustls::Error::DecryptError,
        ] {
            let said = describe(&error);
            let plain = !said.contains("Error") && !said.contains("::");
            assert!(plain && (said.starts_with("its ") || said.starts_with("the ")), "{said}");
        }
    }
}
