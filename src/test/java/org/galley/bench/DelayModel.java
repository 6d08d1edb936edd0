package org.galley.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.model.CopyImageResponse;
import software.amazon.awssdk.services.ec2.model.CreateImageResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputResponse;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.StopInstancesRequest;

/**
 * moto answers every state change at once; EC2 does not. This interceptor holds the states
 * for as long as AWS's published figures say, scaled down: an instance stays pending ~15 s,
 * SSH (and cloud-init's fingerprints on the console) come ~40 s after it runs, a stop takes
 * ~40 s, an image ~5 min to become available, a cross-region copy ~10 min. It wraps the
 * stand-in's own interceptor so the console shows nothing before the instance is ready.
 */
final class DelayModel implements ExecutionInterceptor {
    static final Duration RUNNING = Duration.ofSeconds(15);
    static final Duration SSH = Duration.ofSeconds(40);
    static final Duration STOP = Duration.ofSeconds(40);
    static final Duration IMAGE = Duration.ofMinutes(5);
    static final Duration COPY = Duration.ofMinutes(10);

    private final ExecutionInterceptor cloud;
    private final double scale;
    private final Map<String, Long> until = new ConcurrentHashMap<>();
    private final Map<String, String> holding = new ConcurrentHashMap<>();
    private volatile long sshReadyAt;

    DelayModel(ExecutionInterceptor cloud, double scale) {
        this.cloud = cloud;
        this.scale = scale;
    }

    /** When the newest instance answers SSH (for the gate in front of the stand-in's sshd). */
    long sshReadyAt() {
        return sshReadyAt;
    }

    private long after(Duration d) {
        return System.currentTimeMillis() + (long) (d.toMillis() / scale);
    }

    private boolean held(String id) {
        Long t = until.get(id);
        return t != null && System.currentTimeMillis() < t;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        cloud.beforeExecution(context, attributes);
        SdkRequest r = context.request();
        if (r instanceof StopInstancesRequest s) {
            s.instanceIds().forEach(id -> {
                until.put(id, after(STOP));
                holding.put(id, "stopping");
            });
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        cloud.afterExecution(context, attributes);
        SdkResponse r = context.response();
        if (r instanceof RunInstancesResponse run) {
            String id = run.instances().get(0).instanceId();
            until.put(id, after(RUNNING));
            holding.put(id, "pending");
            sshReadyAt = after(RUNNING.plus(SSH));
        } else if (r instanceof CreateImageResponse c) {
            until.put(c.imageId(), after(IMAGE));
        } else if (r instanceof CopyImageResponse c) {
            until.put(c.imageId(), after(COPY));
        }
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        SdkResponse r = context.response();
        if (r instanceof GetConsoleOutputResponse && context.request() instanceof GetConsoleOutputRequest
                && System.currentTimeMillis() < sshReadyAt) {
            return r;
        }
        r = cloud.modifyResponse(context, attributes);
        if (r instanceof DescribeInstancesResponse d) {
            return d.toBuilder().reservations(d.reservations().stream().map(res -> res.toBuilder().instances(
                    res.instances().stream().map(this::instance).toList()).build()).toList()).build();
        }
        if (r instanceof DescribeImagesResponse d) {
            List<Image> images = d.images().stream().map(i -> held(i.imageId())
                    ? i.toBuilder().state(ImageState.PENDING).build() : i).toList();
            return d.toBuilder().images(images).build();
        }
        return r;
    }

    private Instance instance(Instance i) {
        if (!held(i.instanceId())) return i;
        String state = holding.get(i.instanceId());
        InstanceStateName name = "stopping".equals(state) ? InstanceStateName.STOPPING : InstanceStateName.PENDING;
        if (i.state().name() == InstanceStateName.TERMINATED || i.state().name() == InstanceStateName.SHUTTING_DOWN) {
            return i;
        }
        return i.toBuilder().state(s -> s.name(name)).build();
    }
}
