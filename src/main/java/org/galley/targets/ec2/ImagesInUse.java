package org.galley.targets.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

/**
 * Which images of a region something still launches from, so prune never pulls one from
 * under it: instances that are not terminated, and the latest and default version of every
 * launch template (an auto-scaling group launches the next server from those).
 */
final class ImagesInUse {
    private static final List<String> LIVE = List.of("pending", "running", "stopping", "stopped");

    private ImagesInUse() {}

    /** Image id to what uses it ("instance i-… (running)", "launch template lt-… (name) version 3, default"). */
    static Map<String, List<String>> find(Ec2Client ec2, List<String> imageIds) {
        Map<String, List<String>> users = new LinkedHashMap<>();
        if (imageIds.isEmpty()) return users;
        ec2.describeInstancesPaginator(r -> r.filters(Ec2Tags.filter("image-id", imageIds.toArray(String[]::new)),
                Ec2Tags.filter("instance-state-name", LIVE.toArray(String[]::new)))).reservations().stream()
                .flatMap(r -> r.instances().stream())
                .forEach(i -> users.computeIfAbsent(i.imageId(), k -> new ArrayList<>())
                        .add("instance " + i.instanceId() + " (" + i.state().nameAsString() + ")"));
        for (LaunchTemplate t : templates(ec2)) {
            List<LaunchTemplateVersion> versions = ec2.describeLaunchTemplateVersions(r -> r
                    .launchTemplateId(t.launchTemplateId()).versions("$Latest", "$Default")).launchTemplateVersions();
            for (LaunchTemplateVersion v : versions) {
                String image = v.launchTemplateData() == null ? null : v.launchTemplateData().imageId();
                if (image == null || !imageIds.contains(image)) continue;
                String use = "launch template " + t.launchTemplateId() + " (" + t.launchTemplateName() + ") version "
                        + v.versionNumber() + (Boolean.TRUE.equals(v.defaultVersion()) ? ", its default" : ", its latest");
                List<String> list = users.computeIfAbsent(image, k -> new ArrayList<>());
                if (!list.contains(use)) list.add(use);
            }
        }
        return users;
    }

    private static List<LaunchTemplate> templates(Ec2Client ec2) {
        List<LaunchTemplate> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var page = ec2.describeLaunchTemplates(r -> r.maxResults(200).nextToken(t));
            all.addAll(page.launchTemplates());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return all;
    }
}
