package org.galley.targets.ec2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import org.galley.yaml.SpecException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;

/**
 * Points launch templates at the released image, as the sailing team's console does after an
 * upgrade ({@code AwsLandscapeImpl.createUpdatedDefaultLaunchTemplateVersion}): a new version
 * copied from the template's {@code $Default} with only the image id changed, then made the
 * default, so auto-scaling groups that launch {@code $Default} start the new image from now on
 * and running instances are untouched. A build that does not succeed takes the versions back:
 * the previous default is restored and the new version deleted.
 */
final class LaunchTemplates {
    /** The version the team's auto-scaling groups launch and new versions are copied from. */
    static final String DEFAULT = "$Default";
    private final Ec2Target target;
    private final List<Made> made = Collections.synchronizedList(new ArrayList<>());

    /** A version this build created, and the default it replaced. */
    record Made(String id, String name, long previousDefault, long version) {}

    LaunchTemplates(Ec2Target target) {
        this.target = target;
    }

    /**
     * Before anything is created: every named template must exist in the build's region. A
     * missing one is bad input at the spec's line, like a source that cannot be found.
     */
    static void check(Ec2Clients clients, ImageSpec.Ec2 e) {
        for (String name : e.launchTemplates()) {
            try {
                describe(clients.ec2(), name);
            } catch (RuntimeException ex) {
                if (Ec2Exception.code(ex) == null || !Ec2Exception.code(ex).startsWith("InvalidLaunchTemplateName")) {
                    throw new org.galley.targets.TargetUnavailableException("could not look up launch template '" + name
                            + "' in " + clients.region() + ": " + Ec2Exception.describe(ex), ex);
                }
                throw SpecException.of(e.at("launch_templates"), "launch template '" + name + "' does not exist in "
                        + clients.region() + "; create it there, or remove it from launch_templates");
            }
        }
    }

    /** A new default version of every named template with {@code imageId}; each is recorded before it is made default. */
    void update(BuildContext ctx, String imageId, String imageName) {
        Ec2Client ec2 = target.clients().ec2();
        for (String name : Ec2Target.settings(ctx.spec).launchTemplates()) {
            ctx.checkCancelled("promote");
            LaunchTemplate t;
            try {
                t = describe(ec2, name);
            } catch (RuntimeException ex) {
                throw new Ec2Exception("looking up launch template " + name, ex);
            }
            long version;
            try {
                version = ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(t.launchTemplateId())
                        .sourceVersion(DEFAULT)
                        .versionDescription(description(ctx, imageId, imageName))
                        .launchTemplateData(d -> d.imageId(imageId))).launchTemplateVersion().versionNumber();
            } catch (RuntimeException ex) {
                throw new Ec2Exception("creating a version of launch template " + name + " with image " + imageId, ex);
            }
            made.add(new Made(t.launchTemplateId(), name, t.defaultVersionNumber(), version));
            try {
                ec2.modifyLaunchTemplate(r -> r.launchTemplateId(t.launchTemplateId()).defaultVersion(Long.toString(version)));
            } catch (RuntimeException ex) {
                throw new Ec2Exception("making version " + version + " the default of launch template " + name, ex);
            }
            ctx.listener.info("launch template " + name + ": version " + version + " with " + imageId
                    + " is the default (was " + t.defaultVersionNumber() + ")");
        }
    }

    /** The previous default back and this build's version gone, for every template this build changed. */
    void rollback(BuildContext ctx) {
        List<Made> undo;
        synchronized (made) {
            undo = new ArrayList<>(made);
            made.clear();
        }
        Collections.reverse(undo);
        Ec2Client ec2 = target.clients().ec2();
        for (Made m : undo) {
            try {
                ec2.modifyLaunchTemplate(r -> r.launchTemplateId(m.id()).defaultVersion(Long.toString(m.previousDefault())));
                ec2.deleteLaunchTemplateVersions(r -> r.launchTemplateId(m.id()).versions(Long.toString(m.version())));
                ctx.listener.info("launch template " + m.name() + ": version " + m.version() + " removed, default "
                        + m.previousDefault() + " restored");
            } catch (RuntimeException ex) {
                ctx.leftover("version " + m.version() + " of launch template " + m.name() + " (" + Ec2Exception.describe(ex)
                        + "): restore with aws ec2 modify-launch-template --region " + target.clients().region()
                        + " --launch-template-id " + m.id() + " --default-version " + m.previousDefault()
                        + " && aws ec2 delete-launch-template-versions --region " + target.clients().region()
                        + " --launch-template-id " + m.id() + " --versions " + m.version());
            }
        }
    }

    /** The team's description ("Using AMI <name> with ID <id>"), with the build that made it. */
    private static String description(BuildContext ctx, String imageId, String imageName) {
        String d = "Using AMI " + imageName + " with ID " + imageId + " (galley build " + ctx.buildId + ")";
        return d.length() > 255 ? d.substring(0, 255) : d;
    }

    private static LaunchTemplate describe(Ec2Client ec2, String name) {
        return ec2.describeLaunchTemplates(r -> r.launchTemplateNames(name)).launchTemplates().get(0);
    }
}
