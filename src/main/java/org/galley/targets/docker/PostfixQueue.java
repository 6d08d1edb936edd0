package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.checks.SmartHostQueue;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.containers.GenericContainer;

/**
 * The dry run's smart host queue, read through the Docker API: {@code postqueue -j} lists
 * what postfix holds ({@code defer_transports=smtp} keeps it there), {@code postcat} shows
 * each mail so the check's token can be found.
 */
final class PostfixQueue implements SmartHostQueue {
    private static final Pattern ENTRY = Pattern.compile("\"queue_name\": *\"([^\"]+)\", *\"queue_id\": *\"([^\"]+)\"");
    private static final Pattern RECIPIENT = Pattern.compile("\"address\": *\"([^\"]+)\"");
    private final DockerClient client;
    private final GenericContainer<?> services;
    private final String host;

    /** @param client the target's bounded client, so a stuck engine fails the check instead of hanging it */
    PostfixQueue(DockerClient client, GenericContainer<?> services, String host) {
        this.client = client;
        this.services = services;
        this.host = host;
    }

    private ExecResult exec(String... command) throws Exception {
        return ExecInContainerPattern.execInContainer(client, services.getContainerInfo(), command);
    }

    @Override
    public String host() {
        return host;
    }

    /** The certificate of the smart host's login port, when the spec gave it a login. */
    @Override
    public Optional<String> certificate() throws Exception {
        ExecResult pem = services.execInContainer("cat", NetworkServices.CERTIFICATE);
        return pem.getExitCode() == 0 ? Optional.of(pem.getStdout()) : Optional.empty();
    }

    @Override
    public Optional<String> find(String token) throws Exception {
        ExecResult list = exec("postqueue", "-j");
        if (list.getExitCode() != 0) throw new IllegalStateException("postqueue -j failed: " + list.getStderr());
        for (String line : list.getStdout().lines().toList()) {
            Matcher e = ENTRY.matcher(line);
            if (!e.find()) continue;
            ExecResult mail = exec("postcat", "-hbq", e.group(2));
            if (mail.getExitCode() == 0 && mail.getStdout().contains(token)) {
                List<String> to = new ArrayList<>();
                Matcher r = RECIPIENT.matcher(line);
                while (r.find()) to.add(r.group(1));
                return Optional.of("queue id " + e.group(2) + " in the " + e.group(1) + " queue, for " + String.join(", ", to));
            }
        }
        return Optional.empty();
    }
}
