package org.galley.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.galley.aws.AwsErrors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A build's journal in S3: every entry rewrites the object whole (S3 cannot append), and
 * only while the build's lease is held, so a cleanup that took the lease over is never
 * written across.
 */
final class S3JournalObject implements Ledger.Sink {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String buildId;
    private final S3Leases.Held lease;
    private final ByteArrayOutputStream lines;

    S3JournalObject(S3Client s3, String bucket, String key, String buildId, S3Leases.Held lease,
                    ByteArrayOutputStream lines) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.buildId = buildId;
        this.lease = lease;
        this.lines = lines;
    }

    @Override
    public void append(byte[] line) throws IOException {
        if (lease.lost()) {
            throw new Ledger.LeaseLostException("build " + buildId + " lost its lease " + lease.where()
                    + " (not renewed in time; a cleanup may be removing what it made)");
        }
        lines.writeBytes(line);
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"),
                    RequestBody.fromBytes(lines.toByteArray()));
        } catch (SdkException e) {
            throw new IOException(AwsErrors.describe(e), e);
        }
    }

    @Override
    public String where() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void close() {
        lease.release();
    }
}
