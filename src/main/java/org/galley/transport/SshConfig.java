package org.galley.transport;

import com.hierynomus.sshj.key.KeyAlgorithms;
import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import com.hierynomus.sshj.transport.kex.DHGroups;
import com.hierynomus.sshj.transport.kex.ExtInfoClientFactory;
import com.hierynomus.sshj.transport.mac.Macs;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.List;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.cipher.Cipher;
import net.schmizz.sshj.transport.kex.Curve25519SHA256;
import net.schmizz.sshj.transport.kex.DHGexSHA256;
import net.schmizz.sshj.transport.kex.ECDHNistP;

/**
 * The SSH client's algorithms: those OpenSSH itself prefers (curve25519, ECDH and SHA-2 DH key
 * exchange; ed25519, ECDSA and RSA-SHA2 keys; AES-GCM and AES-CTR;
 * HMAC-SHA2), all from the JDK's own providers. SSHJ's defaults would also register Bouncy
 * Castle as a JCE provider and try thirty ciphers (Serpent, Twofish, RC4, ...) for every
 * client, which costs every CLI run about a third of a second of CPU and adds nothing a
 * builder's sshd would choose. {@code ssh-rsa} stays last, for existing hosts with old keys.
 */
final class SshConfig extends DefaultConfig {
    static {
        SecurityUtils.setRegisterBouncyCastle(false);
        if (Security.getProvider(EcdsaName.NAME) == null) Security.addProvider(new EcdsaName());
    }

    /** SSHJ asks for EC keys under Bouncy Castle's name, ECDSA; the JDK's EC key factory answers to it here. */
    static final class EcdsaName extends Provider {
        static final String NAME = "galley-ecdsa-name";

        EcdsaName() {
            super(NAME, "1.0", "the JDK's EC key factory under the name ECDSA");
            putService(new Service(this, "KeyFactory", "ECDSA", EcKeys.class.getName(), null, null) {
                @Override
                public Object newInstance(Object param) {
                    return new EcKeys();
                }
            });
        }
    }

    /** Every call goes to the JDK's own EC key factory. */
    static final class EcKeys extends KeyFactorySpi {
        private final KeyFactory ec;

        EcKeys() {
            try {
                ec = KeyFactory.getInstance("EC");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected PublicKey engineGeneratePublic(KeySpec spec) throws InvalidKeySpecException {
            return ec.generatePublic(spec);
        }

        @Override
        protected PrivateKey engineGeneratePrivate(KeySpec spec) throws InvalidKeySpecException {
            return ec.generatePrivate(spec);
        }

        @Override
        protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> type) throws InvalidKeySpecException {
            return ec.getKeySpec(key, type);
        }

        @Override
        protected Key engineTranslateKey(Key key) throws InvalidKeyException {
            return ec.translateKey(key);
        }
    }

    @Override
    protected void initKeyExchangeFactories() {
        setKeyExchangeFactories(new Curve25519SHA256.Factory(), new Curve25519SHA256.FactoryLibSsh(),
                new ECDHNistP.Factory256(), new ECDHNistP.Factory384(), new ECDHNistP.Factory521(),
                new DHGexSHA256.Factory(), DHGroups.Group16SHA512(), DHGroups.Group18SHA512(),
                DHGroups.Group14SHA256(), new ExtInfoClientFactory());
    }

    @Override
    protected void initKeyAlgorithms() {
        setKeyAlgorithms(List.of(KeyAlgorithms.EdDSA25519CertV01(), KeyAlgorithms.EdDSA25519(),
                KeyAlgorithms.ECDSASHANistp256CertV01(), KeyAlgorithms.ECDSASHANistp256(),
                KeyAlgorithms.ECDSASHANistp384CertV01(), KeyAlgorithms.ECDSASHANistp384(),
                KeyAlgorithms.ECDSASHANistp521CertV01(), KeyAlgorithms.ECDSASHANistp521(),
                KeyAlgorithms.RSASHA512(), KeyAlgorithms.RSASHA256(), KeyAlgorithms.SSHRSACertV01(),
                KeyAlgorithms.SSHRSA()));
    }

    /**
     * All in the JDK, so none needs SSHJ's trial run that drops what the providers lack. (SSHJ asks
     * for ChaCha20-Poly1305 under Bouncy Castle's name, which the JDK does not know.)
     */
    @Override
    protected void initCipherFactories() {
        setCipherFactories(List.<Factory.Named<Cipher>>of(GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM(),
                BlockCiphers.AES128CTR(), BlockCiphers.AES192CTR(), BlockCiphers.AES256CTR()));
    }

    @Override
    protected void initMACFactories() {
        setMACFactories(Macs.HMACSHA2256Etm(), Macs.HMACSHA2512Etm(), Macs.HMACSHA2256(), Macs.HMACSHA2512());
    }
}
