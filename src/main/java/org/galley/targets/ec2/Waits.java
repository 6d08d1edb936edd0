package org.galley.targets.ec2;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.galley.imagespec.ImageSpec;

/**
 * The build's waits, each with its deadline: an instance's state changes, the candidate
 * image, the copies. They poll at AWS's documented waiter cadence (15 s, what {@code aws ec2
 * wait instance-running} and {@code image-available} use) unless the command line paces them;
 * console output and a group still in use are probed three times as often, since they are
 * no state change AWS documents a cadence for and sit on the critical path.
 * Deadlines: the command line's {@code --timeout KIND=D}, else the spec's {@code timeouts:},
 * else the options' (tests), else 10 min, 60 min and 120 min.
 */
final class Waits {
    static final String INSTANCE = "instance";
    static final String IMAGE = "image";
    static final String COPY = "copy";
    static final Map<String, Duration> DEFAULTS = Map.of(INSTANCE, Duration.ofMinutes(10), IMAGE,
            Duration.ofMinutes(60), COPY, Duration.ofMinutes(120));
    private final AtomicLong slept = new AtomicLong();
    private final Poller instance;
    private final Poller image;
    private final Poller copy;
    private final Poller quick;

    Waits(Ec2Options o, ImageSpec.Ec2.Timeouts spec) {
        ImageSpec.Ec2.Timeouts t = spec == null ? ImageSpec.Ec2.Timeouts.DEFAULT : spec;
        Duration interval = o.pollInterval();
        instance = new Poller(interval, deadline(o, INSTANCE, t.instance()), slept);
        image = new Poller(interval, deadline(o, IMAGE, t.image()), slept);
        copy = new Poller(interval, deadline(o, COPY, t.copy()), slept);
        quick = instance.thriceAsOften();
    }

    private static Duration deadline(Ec2Options o, String kind, Duration spec) {
        Duration cli = o.timeouts().get(kind);
        if (cli != null) return cli;
        if (spec != null) return spec;
        return o.waitTimeout() != null ? o.waitTimeout() : DEFAULTS.get(kind);
    }

    /** Instance state changes (running, stopped, terminated). */
    Poller instance() {
        return instance;
    }

    Poller image() {
        return image;
    }

    Poller copy() {
        return copy;
    }

    /** Console fingerprints, a group that its instance still holds. */
    Poller quick() {
        return quick;
    }

    Duration slept() {
        return Duration.ofNanos(slept.get());
    }
}
