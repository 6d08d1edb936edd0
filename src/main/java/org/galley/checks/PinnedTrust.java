package org.galley.checks;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS that trusts exactly one certificate (the dry run's smart host, made when it starts), so
 * its login is verified like SES's: the certificate must chain to the anchor and name the host.
 */
final class PinnedTrust {
    private PinnedTrust() {}

    static SSLSocketFactory socketFactory(String pem) throws GeneralSecurityException {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            anchors.setCertificateEntry("smart-host", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot read the smart host's certificate: " + e.getMessage(), e);
        }
    }
}
