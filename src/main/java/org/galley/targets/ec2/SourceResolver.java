package org.galley.targets.ec2;

import java.util.Comparator;
import java.util.List;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.TargetUnavailableException;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Image;

/** Finds the source AMI: as given, from an SSM parameter, or the newest match of a name filter. */
final class SourceResolver {
    private final Ec2Clients clients;

    SourceResolver(Ec2Clients clients) {
        this.clients = clients;
    }

    Image resolve(ImageSpec.Ec2.Source s) {
        String id;
        if (s.ami() != null) {
            id = s.ami();
        } else if (s.ssmParameter() != null) {
            id = fromSsm(s.ssmParameter());
        } else {
            return newest(s.nameFilter(), s.owners());
        }
        return describe(id);
    }

    /**
     * The newest available image of a lineage owned by this account: tagged {@code tag=value}, or
     * galley's images of a spec. Images of galley builds that never completed do not count.
     */
    java.util.Optional<Image> newestOf(ImageSpec.Newest n) {
        var filter = n.spec() != null ? Ec2Tags.tagFilter(Ec2Tags.SPEC, n.spec()) : Ec2Tags.tagFilter(n.tag(), n.value());
        List<Image> found;
        try {
            found = clients.ec2().describeImages(r -> r.owners("self")
                    .filters(filter, Ec2Tags.filter("state", "available"))).images();
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not search for " + n.describe() + " in " + clients.region()
                    + ": " + Ec2Exception.describe(ex), ex);
        }
        // galley's own images were made from an HVM, EBS-backed source, checked when it was resolved.
        return found.stream().filter(SourceResolver::finished)
                .max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()))
                .map(i -> Ec2Tags.value(i.tags(), Ec2Tags.MANAGED).isPresent() ? i : check(i));
    }

    /** Images made before galley (the old upgrade procedure) count; galley's only once complete. */
    private static boolean finished(Image i) {
        boolean galleys = Ec2Tags.value(i.tags(), Ec2Tags.MANAGED).isPresent();
        return !galleys || Ec2Tags.value(i.tags(), Ec2Tags.COMPLETE).isPresent();
    }

    private String fromSsm(String name) {
        try {
            return clients.ssm().getParameter(r -> r.name(name)).parameter().value();
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not read the source AMI from SSM parameter " + name
                    + " in " + clients.region() + ": " + Ec2Exception.describe(ex), ex);
        }
    }

    private Image describe(String id) {
        try {
            List<Image> found = clients.ec2().describeImages(r -> r.imageIds(id)).images();
            if (found.isEmpty()) throw new TargetUnavailableException("source AMI " + id + " not found in "
                    + clients.region());
            return check(found.get(0));
        } catch (TargetUnavailableException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not look up source AMI " + id + " in " + clients.region()
                    + ": " + Ec2Exception.describe(ex), ex);
        }
    }

    private Image newest(String filter, List<String> owners) {
        DescribeImagesRequest.Builder req = DescribeImagesRequest.builder()
                .filters(Ec2Tags.filter("name", filter), Ec2Tags.filter("state", "available"));
        if (!owners.isEmpty()) req.owners(owners);
        List<Image> found;
        try {
            found = clients.ec2().describeImages(req.build()).images();
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not search source AMIs named '" + filter + "': "
                    + Ec2Exception.describe(ex), ex);
        }
        // CreationDate is ISO-8601 in UTC, so text order is time order.
        return found.stream().max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()))
                .map(SourceResolver::check)
                .orElseThrow(() -> new TargetUnavailableException("no available AMI named '" + filter + "'"
                        + (owners.isEmpty() ? "" : " owned by " + owners) + " in " + clients.region()));
    }

    /** galley bakes HVM images from EBS-backed sources only; anything else would fail much later. */
    private static Image check(Image i) {
        if (i.virtualizationType() != null && !"hvm".equals(i.virtualizationTypeAsString())) {
            throw new TargetUnavailableException("source AMI " + i.imageId() + " is " + i.virtualizationTypeAsString()
                    + ", not HVM");
        }
        if (i.rootDeviceType() != null && !"ebs".equals(i.rootDeviceTypeAsString())) {
            throw new TargetUnavailableException("source AMI " + i.imageId() + " is not EBS-backed");
        }
        return i;
    }
}
