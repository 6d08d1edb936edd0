package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.checks.SmartHostQueue;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;

/**
 * The dry run's smart host queue, read through the Docker API: {@code postqueue -j} lists
 * what postfix holds ({@code defer_transports=smtp} keeps it there), {@code postcat} shows
 * each mail so the check's token can be found.
 */
final class PostfixQueue implements SmartHostQueue {
    private static final Pattern ENTRY = Pattern.compile("\"queue_name\": *\"([^\"]+)\", *\"queue_id\": *\"([^\"]+)\"");
    private static final Pattern RECIPIENT = Pattern.compile("\"address\": *\"([^\"]+)\"");
    private final DockerClient client;
    private final InspectContainerResponse services;
    private final String host;

    /** @param client the target's bounded client, so a stuck engine fails the check instead of hanging it */
    PostfixQueue(DockerClient client, InspectContainerResponse services, String host) {
        this.client = client;
        this.services = services;
        this.host = host;
    }

    private ExecResult exec(String... command) throws Exception {
        return ExecInContainerPattern.execInContainer(client, services, command);
    }

    @Override
    public String host() {
        return host;
    }

    /** The certificate of the smart host's login port, when the spec gave it a login. */
    @Override
    public Optional<String> certificate() throws Exception {
        ExecResult pem = exec("cat", NetworkServices.CERTIFICATE);
        return pem.getExitCode() == 0 ? Optional.of(pem.getStdout()) : Optional.empty();
    }

    /**
     * One exec: the queue as JSON, then a line {@code galley-found ID} for the mail that holds
     * the token (each queued mail's headers and body shown by {@code postcat}).
     */
    @Override
    public Optional<String> find(String token) throws Exception {
        ExecResult r = exec("sh", "-c", "j=$(postqueue -j) || exit; echo \"$j\";"
                + " for q in $(echo \"$j\" | sed -n 's/.*\"queue_id\": *\"\\([^\"]*\\)\".*/\\1/p'); do"
                + " postcat -hbq \"$q\" 2>/dev/null | grep -qF -- \"$0\" && echo \"galley-found $q\"; done; true", token);
        if (r.getExitCode() != 0) throw new IllegalStateException("postqueue -j failed: " + r.getStderr());
        List<String> lines = r.getStdout().lines().toList();
        Optional<String> id = lines.stream().filter(l -> l.startsWith("galley-found ")).map(l -> l.substring(13)).findFirst();
        if (id.isEmpty()) return Optional.empty();
        for (String line : lines) {
            Matcher e = ENTRY.matcher(line);
            if (!e.find() || !e.group(2).equals(id.get())) continue;
            List<String> to = new ArrayList<>();
            Matcher m = RECIPIENT.matcher(line);
            while (m.find()) to.add(m.group(1));
            return Optional.of("queue id " + e.group(2) + " in the " + e.group(1) + " queue, for " + String.join(", ", to));
        }
        return Optional.of("queue id " + id.get());
    }
}
