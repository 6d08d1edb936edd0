package org.galley.targets;

import java.time.Duration;
import java.util.Set;
import org.galley.imagespec.ImageSpec;

/**
 * What the command line says about targets, in galley's words: each target reads the parts
 * it uses, so the commands pass settings without knowing which target takes which.
 *
 * @param endpointUrl    cloud API endpoint (null: AWS_ENDPOINT_URL, else the provider's own)
 * @param region         overrides the spec's region
 * @param sshCidr        the only source range admitted to the builder's SSH port
 * @param hostKeyPolicy  how to trust a cloud builder's host key (null: the strict default)
 * @param hostKeyPins    SHA256 fingerprints to trust instead
 * @param pollInterval   how often waits poll (null: the provider's pace)
 * @param sshHost        an existing host to apply to, instead of the spec's builders.ssh
 * @param timeouts       deadlines of a cloud builder's waits by kind (instance, image, copy), over the spec's
 * @param dockerNamespace images, containers and networks of dry runs go under this name and only its
 *                       images count (null: none), so a run never touches images made outside it
 */
public record TargetSettings(String endpointUrl, String region, String sshCidr, String hostKeyPolicy,
                             Set<String> hostKeyPins, Duration pollInterval, ImageSpec.Ssh sshHost,
                             java.util.Map<String, Duration> timeouts, String dockerNamespace) {
    public TargetSettings {
        hostKeyPins = hostKeyPins == null ? Set.of() : Set.copyOf(hostKeyPins);
        timeouts = timeouts == null ? java.util.Map.of() : java.util.Map.copyOf(timeouts);
    }

    public TargetSettings(String endpointUrl, String region, String sshCidr, String hostKeyPolicy,
                          Set<String> hostKeyPins, Duration pollInterval, ImageSpec.Ssh sshHost) {
        this(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, sshHost, null, null);
    }

    public TargetSettings(String endpointUrl, String region, String sshCidr, String hostKeyPolicy,
                          Set<String> hostKeyPins, Duration pollInterval, ImageSpec.Ssh sshHost,
                          java.util.Map<String, Duration> timeouts) {
        this(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, sshHost, timeouts, null);
    }

    public static final TargetSettings DEFAULTS = new TargetSettings(null, null, null, null, null, null, null, null, null);

    public TargetSettings withSshHost(ImageSpec.Ssh host) {
        return new TargetSettings(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, host,
                timeouts, dockerNamespace);
    }

    public TargetSettings withDockerNamespace(String namespace) {
        return new TargetSettings(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, sshHost,
                timeouts, namespace);
    }
}
