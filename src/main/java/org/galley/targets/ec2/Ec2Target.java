package org.galley.targets.ec2;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.pipeline.Artifact;
import org.galley.targets.StagePlan;
import org.galley.targets.Target;
import org.galley.targets.TargetKind;
import org.galley.targets.TargetUnavailableException;
import org.galley.yaml.SpecException;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * Bakes an HVM AMI: a temporary instance (with its own key pair and security group) is
 * launched from the source AMI, configured over SSH by the shared stages, stopped and
 * imaged. Clients are created on first use, for the spec's region.
 */
public final class Ec2Target implements Target {
    public static final TargetKind KIND = new TargetKind("ec2", s -> new Ec2Target(Ec2Options.from(s)),
            (s, progress) -> Optional.of(new Ec2Housekeeping(Ec2Options.from(s), progress)));
    private final Ec2Options options;
    private final Map<String, Ec2Resources> resources = new ConcurrentHashMap<>();
    /** Runs the calls of one build that AWS lets run at once: copies, tags, permissions. */
    private final java.util.concurrent.ExecutorService calls = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "galley-ec2");
        t.setDaemon(true);
        return t;
    });
    private volatile Waits waits;
    private Ec2Clients clients;
    private String rootDevice;
    private Integer rootVolumeSize;
    private List<String> instanceTypes;
    private volatile KmsKeys keys = KmsKeys.NONE;
    private volatile Placement placement;
    /** The spec's newest image, looked up with the source for the preflight's next question. */
    private volatile Prefetched newest;

    private record Prefetched(String spec, java.util.concurrent.Future<Optional<Artifact>> answer) {}
    private Instances instances;

    public Ec2Target(Ec2Options options) {
        this.options = options;
        this.waits = new Waits(options, null);
    }

    @Override
    public String name() {
        return "ec2";
    }

    static ImageSpec.Ec2 settings(ImageSpec spec) {
        ImageSpec.Ec2 e = spec.builders().ec2();
        if (e == null) {
            throw new TargetUnavailableException("spec '" + spec.name() + "' has no 'builders.ec2' section;"
                    + " add one to bake an AMI");
        }
        return e;
    }

    /**
     * Pre-validation, before anything is created, all at once: credentials (GetCallerIdentity,
     * whose failure is the one reported), the source AMI (whose id goes into the fingerprint)
     * with its root snapshot's size and architecture, the KMS keys, and the subnet with the
     * source range admitted to SSH. The spec's newest image, which {@link #findNewest} asks for
     * next, is looked up meanwhile.
     */
    @Override
    public Source resolveSource(ImageSpec spec) {
        ImageSpec.Ec2 e = settings(spec);
        if (clients == null) clients = new Ec2Clients(options, e.region());
        waits = new Waits(options, e.timeouts());
        newest = new Prefetched(spec.name(), calls.submit(() -> newestComplete(spec)));
        Source[] source = new Source[1];
        Fanout.all(calls, List.of(this::checkCredentials, () -> source[0] = resolveImage(e),
                () -> keys = KmsKeys.resolve(clients, e),
                () -> placement = Placement.resolve(clients.ec2(), clients.region(), e, options.sshCidr()),
                () -> LaunchTemplates.check(clients, e)));
        return source[0];
    }

    /** First in the fan-out, so its failure is the one thrown (the other look-ups fail alike without credentials). */
    private void checkCredentials() {
        try {
            clients.sts().getCallerIdentity();
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("AWS credentials for " + clients.region() + " do not work: "
                    + Ec2Exception.describe(ex) + "; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", ex);
        }
    }

    private Source resolveImage(ImageSpec.Ec2 e) {
        SourceResolver resolver = new SourceResolver(clients);
        Image source = null;
        Optional<Artifact> lineage = Optional.empty();
        ImageSpec.Ec2.Source s = e.source();
        if (s.newestOf() != null) {
            source = resolver.newestOf(s.newestOf()).orElse(null);
            if (source == null && !s.fixed()) {
                throw new TargetUnavailableException("newest_of found no image in " + clients.region() + " ("
                        + s.newestOf().describe() + "); give a fallback source (ssm_parameter, ami or name) beside"
                        + " newest_of for the first build");
            }
            lineage = Optional.ofNullable(source).map(Ec2Target::artifact);
        }
        if (source == null) source = resolver.resolve(s);
        rootDevice = source.rootDeviceName() != null ? source.rootDeviceName() : "/dev/xvda";
        rootVolumeSize = rootVolumeSize(e, source);
        instanceTypes = instanceTypes(e, source);
        return new Source(source.imageId(), lineage);
    }

    /** The spec's types for the source image's architecture (t3.medium for x86_64, t4g.medium for arm64, ...). */
    private static List<String> instanceTypes(ImageSpec.Ec2 e, Image source) {
        String arch = source.architectureAsString();
        List<String> types = e.launch().typesFor(arch);
        if (types.isEmpty()) {
            throw SpecException.of(e.at(e.at().containsKey("instance_types") ? "instance_types" : "instance_type"),
                    "source image " + source.imageId() + " is " + arch + ", but no instance type is given for " + arch
                    + "; add " + arch + ": <type> (e.g. " + ("arm64".equals(arch) ? "t4g.medium" : "t3.medium") + ")");
        }
        return types;
    }

    /**
     * The spec's size, else the source's root snapshot size: EC2 refuses a smaller volume than
     * the snapshot (InvalidBlockDeviceMapping), so that is bad input, found before any launch.
     */
    private static Integer rootVolumeSize(ImageSpec.Ec2 e, Image source) {
        Integer snapshot = source.blockDeviceMappings().stream()
                .filter(m -> m.deviceName() != null && m.deviceName().equals(source.rootDeviceName()) && m.ebs() != null)
                .map(m -> m.ebs().volumeSize()).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        Integer wanted = e.rootVolume().size();
        if (wanted != null && snapshot != null && wanted < snapshot) {
            throw SpecException.of(e.at("volume_size"), "volume_size " + wanted + " GiB is smaller than the root"
                    + " snapshot of source image " + source.imageId() + " (" + snapshot + " GiB), which EC2 refuses;"
                    + " set volume_size to " + snapshot + " or more, or leave it out to use the snapshot's size");
        }
        return wanted != null ? wanted : snapshot;
    }

    static Artifact artifact(Image i) {
        return new Artifact(i.imageId(), i.name(), i.tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value(), (a, b) -> a)));
    }

    /** The spec's newest complete image, for ${version} and for plan to compare against. */
    @Override
    public Optional<Artifact> findNewest(ImageSpec spec) {
        // The answer looked up with the source, once; a later preflight (after a bake lock wait) asks again.
        Prefetched f = newest;
        newest = null;
        if (f == null || !f.spec().equals(spec.name())) return newestComplete(spec);
        try {
            return org.galley.pipeline.Uninterruptibly.get(f.answer());
        } catch (java.util.concurrent.ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException r ? r : new Ec2Exception("looking up the newest image", ex.getCause());
        }
    }

    private Optional<Artifact> newestComplete(ImageSpec spec) {
        try {
            return new SourceResolver(clients()).newestOf(new ImageSpec.Newest(spec.name(), null, null))
                    .map(Ec2Target::artifact);
        } catch (TargetUnavailableException ex) {
            return Optional.empty();
        }
    }

    /** Only images whose build succeeded count: an unfinished one must not skip a bake. */
    @Override
    public Optional<Artifact> findExisting(ImageSpec spec, String fingerprint) {
        try {
            return clients().ec2().describeImages(r -> r.owners("self").filters(
                            Ec2Tags.tagFilter(Ec2Tags.FINGERPRINT, fingerprint),
                            Ec2Tags.tagFilter(Ec2Tags.SPEC, spec.name()),
                            Ec2Tags.tagFilter(Ec2Tags.COMPLETE, "true"),
                            Ec2Tags.filter("state", "available")))
                    .images().stream().max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()))
                    .map(i -> new Artifact(i.imageId(), i.name(), i.tags().stream()
                            .collect(Collectors.toMap(t -> t.key(), t -> t.value(), (a, b) -> a))));
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not look for an image with fingerprint " + fingerprint
                    + ": " + Ec2Exception.describe(ex), ex);
        }
    }

    /**
     * Key pair, group and builder instance; the candidate AMI of the stopped builder; a fresh
     * instance from it for first boot; copies, permissions and the complete tag on promote.
     */
    @Override
    public StagePlan plan(ImageSpec spec, Journal resume) {
        instances = new Instances(this);
        LaunchStage launch = new LaunchStage(this, instances, resume);
        ImageStage image = new ImageStage(this, launch);
        CandidateStage candidate = new CandidateStage(this, instances);
        return StagePlan.image(launch, image, candidate, new PromoteStage(this, launch, image, candidate))
                .withReclaimer(reclaimer());
    }

    /** For the engine's reclaim of this spec's dead builds before a new one starts. */
    Ec2Reclaimer reclaimer() {
        return new Ec2Reclaimer(clients(), waits.instance(), org.galley.pipeline.BuildListener.NONE);
    }

    @Override
    public List<String> describe(ImageSpec spec, Optional<String> imageName) {
        return Ec2Plan.lines(settings(spec), keys, instanceTypes, placement, imageName);
    }

    @Override
    public java.util.List<String> apiFailures() {
        return clients == null ? java.util.List.of() : clients.failures();
    }

    Ec2Options options() {
        return options;
    }

    Waits waits() {
        return waits;
    }

    java.util.concurrent.ExecutorService calls() {
        return calls;
    }

    List<String> instanceTypes() {
        return instanceTypes;
    }

    KmsKeys keys() {
        return keys;
    }

    Ec2Clients clients() {
        if (clients == null) throw new IllegalStateException("resolveSource() first");
        return clients;
    }

    Ec2Resources resources() {
        return resources(clients().region());
    }

    Ec2Resources resources(String region) {
        return resources.computeIfAbsent(region, r -> new Ec2Resources(clients().ec2(r), waits.instance(), r));
    }

    String rootDevice() {
        return rootDevice;
    }

    /** Null: the source snapshot's size, as EC2 decides. */
    Integer rootVolumeSize() {
        return rootVolumeSize;
    }

    /** A call on a resource this build just made, retried while EC2 does not see the resource yet. */
    <T> T eventually(org.galley.pipeline.BuildContext ctx, String stage, String what,
                     java.util.function.Supplier<T> call) {
        return Eventually.retry(what, options.eventual(), Eventually.NOT_VISIBLE_YET, ctx.listener,
                () -> ctx.checkCancelled(stage), call);
    }

    Placement placement() {
        if (placement == null) throw new IllegalStateException("resolveSource() first");
        return placement;
    }

    String loginBlob() {
        return instances.loginBlob();
    }

    /** Time spent sleeping in waits so far; the rest of a stage's time is orchestration. */
    public java.time.Duration waited() {
        return waits.slept();
    }

    @Override
    public void close() {
        calls.shutdownNow();
        if (clients != null) clients.close();
    }
}
