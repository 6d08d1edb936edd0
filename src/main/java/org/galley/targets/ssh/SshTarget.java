package org.galley.targets.ssh;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Stage;
import org.galley.targets.StagePlan;
import org.galley.targets.Target;
import org.galley.targets.TargetKind;
import org.galley.targets.TargetUnavailableException;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;

/**
 * An existing host: recipes are applied and verified, no image is made and nothing is
 * created or removed. The host key must be pinned (host_key) or be in ~/.ssh/known_hosts.
 */
public final class SshTarget implements Target {
    public static final TargetKind KIND = TargetKind.withoutMaintenance("ssh", s -> new SshTarget(s.sshHost()));
    private final ImageSpec.Ssh override;

    /** @param override host settings from the command line, or null to use the spec's builders.ssh */
    public SshTarget(ImageSpec.Ssh override) {
        this.override = override;
    }

    @Override
    public String name() {
        return "ssh";
    }

    private ImageSpec.Ssh settings(ImageSpec spec) {
        ImageSpec.Ssh s = override != null ? override : spec.builders().ssh();
        if (s == null || s.host() == null) {
            throw new TargetUnavailableException("no host to apply to: give --host user@host or add"
                    + " 'builders.ssh.host' to the spec");
        }
        return s;
    }

    @Override
    public Source resolveSource(ImageSpec spec) {
        ImageSpec.Ssh s = settings(spec);
        return Source.of("ssh://" + s.user() + "@" + s.host() + ":" + s.port());
    }

    @Override
    public Optional<Artifact> findExisting(ImageSpec spec, String fingerprint) {
        return Optional.empty();
    }

    /** A provision stage that only points the build at the host; no image, nothing to clean up. */
    @Override
    public StagePlan plan(ImageSpec spec, Journal resume) {
        if (resume != null) throw SpecException.of(Location.of("--resume"), "target ssh cannot resume a build");
        return StagePlan.applyOnly(new Stage() {
            @Override
            public String name() {
                return "provision";
            }

            @Override
            public void run(BuildContext ctx) throws IOException {
                ImageSpec.Ssh s = settings(ctx.spec);
                KeyProvider key = identity(s);
                ctx.builder(new Builder(s.host(), new SshRemote.Endpoint(s.host(), s.port(), s.user()), s.become(), verifier(s),
                        () -> key, "ssh -p " + s.port() + " " + s.user() + "@" + s.host(), "nothing to remove"));
            }
        });
    }

    @Override
    public List<String> describe(ImageSpec spec, Optional<String> imageName) {
        return List.of("would change: the existing host only; no image is made");
    }

    private static HostKeyVerifier verifier(ImageSpec.Ssh s) throws IOException {
        if (s.hostKey() != null) return new HostKeys(Set.of(s.hostKey()));
        File known = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toFile();
        if (!known.isFile()) {
            throw new TargetUnavailableException("no host key to trust for " + s.host() + ": pin it with"
                    + " builders.ssh.host_key (SHA256:…) or add it to ~/.ssh/known_hosts");
        }
        return new OpenSSHKnownHosts(known);
    }

    private static KeyProvider identity(ImageSpec.Ssh s) throws IOException {
        Path file = s.identityFile() != null ? Path.of(s.identityFile().replaceFirst("^~", System.getProperty("user.home")))
                : defaultIdentity();
        return SshRemote.loadKey(file);
    }

    private static Path defaultIdentity() {
        for (String name : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
            Path p = Path.of(System.getProperty("user.home"), ".ssh", name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new TargetUnavailableException("no SSH key found in ~/.ssh; give builders.ssh.identity_file");
    }

}
