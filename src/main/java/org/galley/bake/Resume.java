package org.galley.bake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.ledger.LedgerStore;
import org.galley.targets.Target;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;

/**
 * {@code galley build --resume BUILD_ID}: continues a build that failed with
 * --on-error=abort, on the builder it kept. Its journal says how far it got; the stages
 * that only change the builder (apply, verify) and passed are not run again. Provision
 * becomes a reattach, connect always runs again, and everything from the snapshot on is
 * redone, since the images of the failed attempt are not trusted.
 */
final class Resume {
    /** Stages whose result lives on the builder alone, so a pass survives the failed attempt. */
    private static final List<String> SKIPPABLE = List.of("apply", "verify");

    private Resume() {}

    static Journal journal(BuildOptions opts, ImageSpec spec, Target target) {
        String id = opts.resume();
        LedgerStore store = opts.ledger();
        if (store == null) throw bad("--resume needs the build ledger (--ledger-dir or --ledger)");
        Journal j = store.read(id).orElseThrow(() -> bad("no build " + id + " in " + store.where()
                + " (nothing to resume)"));
        if (store.live(id)) throw bad("build " + id + " is still running");
        if (!spec.name().equals(j.header("spec"))) {
            throw bad("build " + id + " built spec '" + j.header("spec") + "', not '" + spec.name() + "'");
        }
        if (!target.name().equals(j.header("target"))) {
            throw bad("build " + id + " ran on target " + j.header("target") + ", not " + target.name());
        }
        if (!"aborted".equals(j.end())) {
            throw bad("build " + id + " cannot be resumed: it " + (j.end() == null ? "died without keeping its builder"
                    : "ended " + j.end()) + "; only a build that failed with --on-error=abort keeps its builder");
        }
        if (!Files.exists(j.keyFile())) {
            throw bad("build " + id + " has no login key left in " + store.keyDir() + " (resume it on the runner that"
                    + " started it)");
        }
        return j;
    }

    static void checkFingerprint(Journal j, String fingerprint) {
        if (!fingerprint.equals(j.header("fingerprint"))) {
            throw bad("the spec, a recipe or the source image changed since build " + j.buildId()
                    + " failed (fingerprint " + fingerprint.substring(0, 12) + ", was "
                    + String.valueOf(j.header("fingerprint")).substring(0, 12) + "); start a new build instead");
        }
    }

    /** Stages that passed (or were skipped as passed) in an earlier attempt and may be skipped now. */
    static Set<String> passed(Journal j) {
        Set<String> passed = new LinkedHashSet<>();
        for (String s : SKIPPABLE) {
            String status = j.stages().get(s);
            if ("passed".equals(status) || "skipped".equals(status)) passed.add(s);
        }
        return passed;
    }

    static void saveKey(Path file, KeyPair key) throws IOException {
        if (key == null) return;
        String text = key.getPrivate().getAlgorithm() + "\n"
                + Base64.getEncoder().encodeToString(key.getPrivate().getEncoded()) + "\n"
                + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()) + "\n";
        Files.createDirectories(file.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    static KeyPair loadKey(Journal j) {
        try {
            List<String> lines = Files.readAllLines(j.keyFile());
            KeyFactory f = KeyFactory.getInstance(lines.get(0));
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(2)))),
                    f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(1)))));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw bad("the login key of build " + j.buildId() + " cannot be read: " + e.getMessage());
        }
    }

    private static SpecException bad(String message) {
        return SpecException.of(Location.of("--resume"), message);
    }
}
