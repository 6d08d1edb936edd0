package org.galley.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** galley's SSH client reads the key files people have, and hosts' keys of every type, with the JDK's providers alone. */
class SshKeyFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} key in {1} format")
    @CsvSource({"ed25519, RFC4716, ED25519", "rsa, PEM, RSA", "ecdsa, PKCS8, ECDSA256", "rsa, RFC4716, RSA"})
    void identityFileLoads(String type, String format, KeyType expected) throws Exception {
        Path key = dir.resolve(type + "-" + format);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-m", format, "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();

        assertThat(KeyType.fromKey(SshRemote.loadKey(key).getPublic())).isEqualTo(expected);
        // A host offering such a key: its blob decoded as during key exchange.
        String blob = Files.readString(Path.of(key + ".pub")).split(" ")[1];
        assertThat(KeyType.fromKey(new Buffer.PlainBuffer(Base64.getDecoder().decode(blob)).readPublicKey()))
                .isEqualTo(expected);
    }
}
