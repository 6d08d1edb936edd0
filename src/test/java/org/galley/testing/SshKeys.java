package org.galley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A throw-away ed25519 key made with ssh-keygen (installed by bin/setup), for tests that SSH into a container. */
public record SshKeys(Path privateKey, String publicLine) {
    public static SshKeys generate(Path dir) throws IOException, InterruptedException {
        Path key = dir.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "galley-test", "-f",
                key.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("ssh-keygen failed: " + out);
        return new SshKeys(key, Files.readString(dir.resolve("id_ed25519.pub")).strip());
    }
}
