package org.galley.targets.ec2;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.galley.Version;
import org.galley.pipeline.BuildContext;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Tags galley puts on everything it creates, so {@code galley cleanup} finds the orphans of
 * a build that died and {@code findExisting}/{@code prune} find the images of a spec.
 */
public final class Ec2Tags {
    public static final String MANAGED = "galley:managed";
    public static final String BUILD_ID = "galley:build-id";
    public static final String SPEC = "galley:spec";
    public static final String FINGERPRINT = "galley:fingerprint";
    public static final String SOURCE_AMI = "galley:source-ami";
    public static final String RECIPES = "galley:recipes";
    public static final String VERSION = "galley:version";
    public static final String CREATED = "galley:created";
    /** Set on an image only once its build succeeded; images without it are unfinished. */
    public static final String COMPLETE = "galley:complete";
    /** An image not yet verified on its first boot: not shared, not copied, never a fingerprint match. */
    public static final String CANDIDATE = "galley:candidate";
    /** When any sweep may remove a temporary resource, running build or not (ISO-8601 instant). */
    public static final String EXPIRES = "galley:expires";

    private Ec2Tags() {}

    /** Tags of the temporary resources: instance, volume, key pair, security group. */
    static List<Tag> temporary(BuildContext ctx) {
        List<Tag> tags = new ArrayList<>();
        tags.add(tag("Name", "galley " + ctx.spec.name() + " " + ctx.buildId));
        tags.add(tag(MANAGED, "true"));
        tags.add(tag(BUILD_ID, ctx.buildId));
        tags.add(tag(SPEC, ctx.spec.name()));
        tags.add(tag(CREATED, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        tags.add(tag(EXPIRES, expires(ctx)));
        return tags;
    }

    /** Tags of the image and its snapshots: the spec's own tags first, so galley's always win. */
    static Map<String, String> image(BuildContext ctx) {
        Map<String, String> t = new LinkedHashMap<>(ctx.spec.output().tags());
        t.put(MANAGED, "true");
        t.put(SPEC, ctx.spec.name());
        t.put(FINGERPRINT, ctx.fingerprint);
        t.put(BUILD_ID, ctx.buildId);
        t.put(SOURCE_AMI, ctx.sourceId);
        t.put(VERSION, Version.get());
        t.put(RECIPES, ctx.spec.recipes().stream()
                .map(r -> r.name() + (r.version() != null ? "@" + r.version() : "")).collect(Collectors.joining(",")));
        t.put(CREATED, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return t;
    }

    static String expires(BuildContext ctx) {
        return ctx.started.plus(org.galley.ledger.Reclaim.KEEP_ABORTED).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Tag tag(String key, String value) {
        // EC2 tag values are at most 256 characters.
        return Tag.builder().key(key).value(value.length() > 256 ? value.substring(0, 256) : value).build();
    }

    static List<Tag> tags(Map<String, String> map) {
        return map.entrySet().stream().map(e -> tag(e.getKey(), e.getValue())).toList();
    }

    static TagSpecification on(ResourceType type, List<Tag> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags).build();
    }

    static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    static Filter tagFilter(String key, String... values) {
        return filter("tag:" + key, values);
    }

    static Optional<String> value(List<Tag> tags, String key) {
        return tags == null ? Optional.empty()
                : tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
    }
}
