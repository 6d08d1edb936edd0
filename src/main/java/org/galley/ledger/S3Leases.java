package org.galley.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Leases as S3 objects, taken and renewed only with conditional writes: a free lease is
 * created with {@code If-None-Match: *}; an expired or released one is taken over, and a
 * held one renewed or released, with {@code If-Match} on the ETag last seen, so of two
 * runners racing for one lease exactly one wins. Expiry is judged on S3's clock (the
 * object's Last-Modified against the answer's Date), never on a runner's. A heartbeat
 * renews every held lease three times per lease period.
 */
final class S3Leases implements AutoCloseable {
    private static final int PRECONDITION_FAILED = 412;
    /** S3's answer to two conditional writes of one key at the same moment: the other one won. */
    private static final int CONFLICT = 409;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Duration lease;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "galley-ledger-lease");
        t.setDaemon(true);
        return t;
    });

    S3Leases(S3Client s3, String bucket, String prefix, Duration lease) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.lease = lease;
        long every = Math.max(200, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** A lease this runner holds until it releases it or fails to renew it in time. */
    final class Held {
        private final String name;
        private final String holder;
        private volatile String etag;
        private volatile long seq;
        private volatile boolean lost;

        private Held(String name, String holder, String etag, long seq) {
            this.name = name;
            this.holder = holder;
            this.etag = etag;
            this.seq = seq;
        }

        /** True once another runner took the lease over because this one did not renew it in time. */
        boolean lost() {
            return lost;
        }

        String where() {
            return "s3://" + bucket + "/" + key(name);
        }

        synchronized void renew() {
            if (lost) return;
            try {
                etag = put(name, body(holder, seq + 1, false), null, etag);
                seq++;
            } catch (S3Exception e) {
                if (e.statusCode() == PRECONDITION_FAILED || e.statusCode() == CONFLICT || e.statusCode() == 404) {
                    lost = true;
                    held.remove(this);
                }
                // anything else: the next beat tries again, until the lease runs out
            } catch (SdkException e) {
                // unreachable for now: the next beat tries again
            }
        }

        /** Marks the lease released (conditionally: a lease lost meanwhile stays with its new holder). */
        synchronized void release() {
            held.remove(this);
            if (lost) return;
            try {
                put(name, body(holder, seq + 1, true), null, etag);
            } catch (SdkException e) {
                // it expires on its own
            }
        }
    }

    /**
     * Takes the lease when it is free, expired or released.
     *
     * @param holder who takes it (build, host, pid), shown to runners that find it held
     * @return empty when another runner holds it
     */
    Optional<Held> tryAcquire(String name, Map<String, String> holder) {
        String who = json(holder);
        try {
            return Optional.of(track(new Held(name, who, put(name, body(who, 1, false), "*", null), 1)));
        } catch (S3Exception e) {
            if (!contended(e)) throw e;
        }
        Optional<State> now = state(name);
        if (now.isPresent() && now.get().held()) return Optional.empty();
        try {
            String etag = now.isEmpty() ? put(name, body(who, 1, false), "*", null)
                    : put(name, body(who, now.get().seq() + 1, false), null, now.get().etag());
            return Optional.of(track(new Held(name, who, etag, now.map(State::seq).orElse(0L) + 1)));
        } catch (S3Exception e) {
            if (contended(e)) return Optional.empty();
            throw e;
        }
    }

    /** The holder's record while the lease is held; empty when it is free, expired or released. */
    Optional<String> holder(String name) {
        return state(name).filter(State::held).map(State::holder);
    }

    void delete(String name) {
        s3.deleteObject(b -> b.bucket(bucket).key(key(name)));
    }

    /** What the lease object says, judged on S3's clock. */
    private record State(String holder, long seq, boolean released, Instant renewed, Duration lease, Instant now,
                         String etag) {
        boolean held() {
            return !released && now.isBefore(renewed.plus(lease));
        }
    }

    private Optional<State> state(String name) {
        ResponseBytes<GetObjectResponse> got;
        try {
            got = s3.getObject(b -> b.bucket(bucket).key(key(name)), ResponseTransformer.toBytes());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        try {
            JsonNode n = Ledger.JSON.readTree(got.asByteArray());
            GetObjectResponse r = got.response();
            Instant now = r.sdkHttpResponse().firstMatchingHeader("Date").map(S3Leases::httpDate).orElse(Instant.now());
            return Optional.of(new State(n.path("holder").toString(), n.path("seq").asLong(),
                    n.path("released").asBoolean(), r.lastModified(), Duration.ofMillis(n.path("lease_ms").asLong()),
                    now, r.eTag()));
        } catch (IOException e) {
            // Not a lease galley wrote: treat it as expired, so the conditional takeover replaces it.
            return Optional.of(new State("{}", 0, true, Instant.EPOCH, Duration.ZERO, Instant.now(), got.response().eTag()));
        }
    }

    /** Writes the lease object on one condition and returns its new ETag. */
    private String put(String name, String body, String ifNoneMatch, String ifMatch) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(key(name))
                .contentType("application/json");
        if (ifNoneMatch != null) req.ifNoneMatch(ifNoneMatch);
        if (ifMatch != null) req.ifMatch(ifMatch);
        return s3.putObject(req.build(), RequestBody.fromString(body)).eTag();
    }

    private String body(String holder, long seq, boolean released) {
        try {
            ObjectNode n = Ledger.JSON.createObjectNode();
            n.set("holder", Ledger.JSON.readTree(holder));
            n.put("seq", seq);
            n.put("lease_ms", lease.toMillis());
            n.put("released", released);
            return Ledger.JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Map<String, String> holder) {
        try {
            return Ledger.JSON.writeValueAsString(holder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Held track(Held h) {
        held.add(h);
        return h;
    }

    private static boolean contended(S3Exception e) {
        return e.statusCode() == PRECONDITION_FAILED || e.statusCode() == CONFLICT;
    }

    private String key(String name) {
        return prefix + "leases/" + name;
    }

    private void renewAll() {
        for (Held h : held) h.renew();
    }

    private static Instant httpDate(String date) {
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
