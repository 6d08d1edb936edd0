package org.galley.targets.ec2;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import org.galley.transport.HostKeys;

/**
 * The build's login key for EC2: a fresh Ed25519 pair, never written to disk. EC2 imports
 * only RSA and Ed25519 keys (not the engine's ECDSA one), and SSHJ 0.40 signs with the
 * JDK's Ed25519 keys directly, so no conversion is needed.
 */
final class LoginKey {
    private LoginKey() {}

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** "ssh-ed25519 AAAA… comment", the form ImportKeyPair takes. */
    static String openSsh(KeyPair key, String comment) {
        return HostKeys.authorizedKeyLine(key.getPublic(), comment);
    }

    /** The base64 blob alone, to find galley's line in authorized_keys. */
    static String blob(KeyPair key) {
        return openSsh(key, "x").split(" ")[1];
    }
}
