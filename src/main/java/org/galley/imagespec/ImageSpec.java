package org.galley.imagespec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.galley.recipes.Recipe;

/** A loaded, validated image definition: builders per target, bound recipes, checks, output image. */
public record ImageSpec(Path file, String name, String description, Builders builders, List<Recipe> recipes,
                        List<Check> checks, Output output) {

    public record Builders(Docker docker, Ssh ssh, Ec2 ec2) {}

    /**
     * The dry-run builder: a local image that runs sshd; the result is committed to
     * {@code repository}. {@code servicesImage} runs the build network's DNS (and, when
     * {@code smartHost} names one, a postfix relay under that name accepting mail from
     * {@code relayNetworks}, default the build network's subnet).
     */
    public record Docker(String image, String repository, String user, String servicesImage, String smartHost,
                         java.util.List<String> relayNetworks, Newest newestOf) {
        public Docker(String image, String repository, String user, String servicesImage, String smartHost,
                      java.util.List<String> relayNetworks) {
            this(image, repository, user, servicesImage, smartHost, relayNetworks, null);
        }
    }

    /**
     * A source that is the newest image of a lineage, so a nightly build upgrades the current
     * image instead of starting over: the images tagged {@code tag}={@code value}, or (with
     * {@code spec}) the images galley built for that spec. Images of unfinished builds never count.
     */
    public record Newest(String spec, String tag, String value) {
        public String describe() {
            return spec != null ? "the newest image of spec " + spec : "the newest image tagged " + tag + "=" + value;
        }
    }

    /** An existing host: recipes are applied, no image is made. */
    public record Ssh(String host, int port, String user, String identityFile, String hostKey) {}

    /**
     * An EC2 builder; the source AMI is given, or comes from an SSM parameter or a name filter.
     * {@code sshCidr} is the only source admitted to port 22 (null: set on the command line, or
     * private mode); {@code connectAddress} ("host:port") replaces the instance's address, for a
     * tunnel or bastion; {@code privateIp} connects to the private address from inside the VPC.
     */
    public record Ec2(String region, String instanceType, String sourceAmi, String sourceSsmParameter,
                      String sourceNameFilter, List<String> sourceOwners, String sshUser, String subnetId,
                      int volumeSize, String volumeType, String sshCidr, String connectAddress, boolean privateIp,
                      List<String> copyToRegions, List<String> launchPermissions, Newest sourceNewest) {
        public Ec2(String region, String instanceType, String sourceAmi, String sourceSsmParameter,
                   String sourceNameFilter, List<String> sourceOwners, String sshUser, String subnetId,
                   int volumeSize, String volumeType, String sshCidr, String connectAddress, boolean privateIp,
                   List<String> copyToRegions, List<String> launchPermissions) {
            this(region, instanceType, sourceAmi, sourceSsmParameter, sourceNameFilter, sourceOwners, sshUser, subnetId,
                    volumeSize, volumeType, sshCidr, connectAddress, privateIp, copyToRegions, launchPermissions, null);
        }

        /** True when a fixed source (ami, ssm_parameter or name) is given besides, or instead of, newest_of. */
        public boolean hasFixedSource() {
            return sourceAmi != null || sourceSsmParameter != null || sourceNameFilter != null;
        }
    }

    /**
     * {@code name} may use ${spec}, ${date}, ${timestamp}, ${fingerprint} and ${version}: the
     * previous image's version with {@code bump} applied, or {@code firstVersion} when there is none.
     */
    public record Output(String name, Map<String, String> tags, ImageVersion.Bump bump, String firstVersion) {
        public Output(String name, Map<String, String> tags) {
            this(name, tags, ImageVersion.Bump.minor, ImageVersion.FIRST);
        }

        public boolean versioned() {
            return name.contains("${version}");
        }
    }
}
