package org.galley.targets.ec2;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.galley.targets.TargetUnavailableException;

/**
 * {@code ssh_cidr: auto}: this runner's public address as AWS's own address service sees it
 * (what Packer's temporary_security_group_source_public_ip uses), admitted as a /32 only. A
 * GitHub-hosted runner cannot know its address in advance. {@code GALLEY_CHECKIP_URL}
 * replaces the service, for tests.
 */
final class RunnerAddress {
    static final String AUTO = "auto";
    static final String SERVICE = "https://checkip.amazonaws.com";
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private RunnerAddress() {}

    static String url() {
        String override = System.getenv("GALLEY_CHECKIP_URL");
        return override == null || override.isBlank() ? SERVICE : override;
    }

    /** The runner's public address as a /32. */
    static String cidr(String url) {
        String fix = "; give --ssh-cidr <this runner's address>/32, or private_ip: true when galley runs inside the VPC";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        String body;
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new TargetUnavailableException("ssh_cidr auto: " + url + " answered HTTP " + r.statusCode() + fix);
            }
            body = r.body().strip();
        } catch (IOException e) {
            throw new TargetUnavailableException("ssh_cidr auto: could not ask " + url + " for this runner's public"
                    + " address (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")" + fix, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailableException("ssh_cidr auto: interrupted while asking " + url + fix, e);
        }
        if (!IPV4.matcher(body).matches()) {
            throw new TargetUnavailableException("ssh_cidr auto: " + url + " answered '"
                    + (body.length() > 40 ? body.substring(0, 40) + "…" : body) + "', not an IPv4 address" + fix);
        }
        return body + "/32";
    }
}
