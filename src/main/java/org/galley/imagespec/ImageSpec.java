package org.galley.imagespec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.galley.recipes.Recipe;
import org.galley.transport.Become;
import org.galley.yaml.Location;

/** A loaded, validated image definition: builders per target, bound recipes, checks, output image. */
public record ImageSpec(Path file, String name, String description, Builders builders, List<Recipe> recipes,
                        List<Check> checks, Output output) {

    public record Builders(Docker docker, Ssh ssh, Ec2 ec2) {
        /** The targets this spec can build for, as written under {@code builders:}, in a fixed order. */
        public List<String> targets() {
            List<String> names = new java.util.ArrayList<>();
            if (docker != null) names.add("docker");
            if (ec2 != null) names.add("ec2");
            if (ssh != null) names.add("ssh");
            return List.copyOf(names);
        }
    }

    /** The lineage the target's source is the newest image of, or null when it has a fixed source. */
    public Newest newestOf(String target) {
        if (builders == null) return null;
        if (target.equals("docker") && builders.docker() != null) return builders.docker().newestOf();
        if (target.equals("ec2") && builders.ec2() != null) return builders.ec2().source().newestOf();
        return null;
    }

    /**
     * The dry-run builder: a local image that runs sshd; the result is committed to
     * {@code repository}. {@code servicesImage} runs the build network's DNS (and, when
     * {@code smartHost} names one, a postfix relay under that name accepting mail from
     * {@code relayNetworks}, default the build network's subnet, and logins as {@code smartHostLogin}).
     */
    public record Docker(String image, String repository, String user, Become become, String servicesImage,
                         String smartHost, List<String> relayNetworks, Newest newestOf, SmartHostLogin smartHostLogin) {
        public Docker(String image, String repository, String user, Become become, String servicesImage,
                      String smartHost, List<String> relayNetworks, Newest newestOf) {
            this(image, repository, user, become, servicesImage, smartHost, relayNetworks, newestOf, null);
        }
    }

    /**
     * The login the dry run's smart host takes on port 587 (STARTTLS, then AUTH, as SES does), so
     * an {@code smtp-login} check proves the baked credentials for real. {@code password} is a
     * secret source; {@code at} is where the spec names it.
     */
    public record SmartHostLogin(String user, String password, Location at) {}

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
    public record Ssh(String host, int port, String user, Become become, String identityFile, String hostKey) {}

    /**
     * An EC2 builder. {@code at} holds where the user wrote each key (e.g. {@code volume_size}),
     * so a problem found only once AWS answers is still reported at the spec's line.
     * {@code launchTemplates}: templates that get a new default version with the released image.
     */
    public record Ec2(String region, Launch launch, Source source, Login login, Network network,
                      Volume rootVolume, List<String> copyToRegions, List<String> launchPermissions,
                      Encryption encryption, Hardening hardening, Timeouts timeouts, Map<String, Location> at,
                      List<String> launchTemplates) {
        /** Any architecture: the instance types of an {@code instance_type} given without one. */
        public static final String ANY_ARCH = "*";


        /**
         * The source AMI: given, from an SSM parameter, or the newest match of a name filter
         * among {@code owners}; or the newest image of a lineage ({@code newestOf}) with one of
         * those as the fallback for the first build.
         */
        public record Source(String ami, String ssmParameter, String nameFilter, List<String> owners, Newest newestOf) {
            /** True when a fixed source (ami, ssm_parameter or name) is given besides, or instead of, newest_of. */
            public boolean fixed() {
                return ami != null || ssmParameter != null || nameFilter != null;
            }
        }

        /**
         * How the builder is launched: instance types to try in order, per source architecture
         * ({@link #ANY_ARCH} when not by architecture); spot capacity; an instance profile (name or
         * ARN); the user's tags on the instance and its volumes (galley's own win).
         */
        public record Launch(Map<String, List<String>> instanceTypes, boolean spot, String iamInstanceProfile,
                             Map<String, String> runTags) {
            public static Launch of(String instanceType) {
                return new Launch(Map.of(ANY_ARCH, List.of(instanceType)), false, null, Map.of());
            }

            /** The types to try for a source of {@code architecture}; empty: none fits it. */
            public List<String> typesFor(String architecture) {
                List<String> exact = architecture == null ? null : instanceTypes.get(architecture);
                return exact != null ? exact : instanceTypes.getOrDefault(ANY_ARCH, List.of());
            }
        }

        /**
         * How galley logs in: the user, how commands get root, the only source range admitted
         * to port 22 (null: the command line's, or the VPC's own with a private address), and
         * an address replacing the instance's own ("host:port", for a tunnel or bastion).
         */
        public record Login(String user, Become become, String sshCidr, String connectAddress) {}

        /**
         * Where the builder runs: a subnet by id or by its tags (the one with most free
         * addresses), within a VPC found by its tags, reached at its private address from inside
         * the VPC or at a public one; existing security groups instead of galley's temporary one.
         */
        public record Network(String subnetId, Map<String, String> subnetTags, Map<String, String> vpcTags,
                              List<String> securityGroupIds, boolean privateIp, boolean associatePublicIp) {
            public Network(String subnetId, Map<String, String> subnetTags, boolean privateIp, boolean associatePublicIp) {
                this(subnetId, subnetTags, Map.of(), List.of(), privateIp, associatePublicIp);
            }
        }

        /** The root volume: size in GiB (null: the source snapshot's), type, IOPS and throughput. */
        public record Volume(Integer size, String type, Integer iops, Integer throughput) {}

        /**
         * Encryption of the builder's root volume (so of the image's snapshots) and of every copy:
         * {@code kmsKeyId} null is the account's default EBS key; {@code regionKeys} per copy region.
         * {@code secretFiles}: the files the recipes write a secret into (encryption is on by
         * default for them); {@code explicit}: the spec said {@code encrypt:} itself.
         */
        public record Encryption(boolean enabled, String kmsKeyId, Map<String, String> regionKeys,
                                 List<String> secretFiles, boolean explicit) {
            public static final Encryption NONE = new Encryption(false, null, Map.of(), List.of(), false);

            /** The key for a copy in {@code region}: its own, else null (that region's default EBS key). */
            public String keyFor(String region) {
                return regionKeys.get(region);
            }

            /** A secret baked without encryption, because the spec said so. */
            public boolean secretUnencrypted() {
                return !enabled && !secretFiles.isEmpty();
            }
        }

        /**
         * What every image and copy is marked with: instances launched from it must use IMDSv2
         * ({@code imdsV2}, ImdsSupport v2.0), deprecation after {@code deprecateAfter} (null: never),
         * deregistration protection.
         */
        public record Hardening(boolean imdsV2, java.time.Duration deprecateAfter, boolean deregistrationProtection) {
            public static final java.time.Duration DEFAULT_DEPRECATION = java.time.Duration.ofDays(730);
            public static final Hardening DEFAULT = new Hardening(true, DEFAULT_DEPRECATION, false);
        }

        /** Deadlines of the waits for an instance, the image and its copies; null: the command line's or galley's. */
        public record Timeouts(java.time.Duration instance, java.time.Duration image, java.time.Duration copy) {
            public static final Timeouts DEFAULT = new Timeouts(null, null, null);
        }

        /** Where the user wrote {@code key}, else the section itself. */
        public Location at(String key) {
            return at.getOrDefault(key, at.get(""));
        }

        public Ec2 withEncryption(Encryption e) {
            return new Ec2(region, launch, source, login, network, rootVolume, copyToRegions, launchPermissions, e,
                    hardening, timeouts, at, launchTemplates);
        }

        /** Launch permissions for other accounts (or everyone). */
        public boolean shared() {
            return !launchPermissions.isEmpty();
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
