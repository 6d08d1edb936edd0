package org.galley.testing;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A bucket of the test's own on moto, for the shared ledger; what galley left in it can be listed. */
public final class S3Buckets {
    private S3Buckets() {}

    public static S3Client client() {
        return S3Client.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(MotoServer.endpoint()))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Creates {@code name} and returns it. */
    public static String create(String name) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        }
        return name;
    }

    /** Every key under {@code prefix}. */
    public static List<String> keys(String bucket, String prefix) {
        try (S3Client s3 = client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).toList();
        }
    }
}
