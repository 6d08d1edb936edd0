package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.galley.pipeline.BuildContext;

/**
 * The containers of a build (services, builder, booted candidate), made with plain Docker
 * API calls: create with their files, start, and follow their log for readiness. Each one's
 * name is in the ledger before its create call and its id right after.
 */
final class Containers {
    private Containers() {}

    /**
     * What a container is made of. {@code files}: absolute path to content, written root-owned
     * (in directories of mode 0755) before the container starts.
     */
    record Plan(String image, String name, String hostName, Map<String, String> labels, String network,
                List<String> aliases, String dns, List<String> cmd, boolean publishSsh, Map<String, File> files) {}

    /** A file's content and its mode (e.g. 0644, or 0600 for a secret). */
    record File(String content, int mode) {}

    /** Creates the container with its files and starts it; returns its id and its log, followed from the start. */
    static Started start(BuildContext ctx, DockerClient client, Plan p) {
        ctx.ledger().intent(Machines.CONTAINER, p.name(), Map.of());
        String id = create(client, p);
        ctx.ledger().created(Machines.CONTAINER, id, Map.of("name", p.name()));
        if (!p.files().isEmpty()) {
            client.copyArchiveToContainerCmd(id).withRemotePath("/")
                    .withTarInputStream(new ByteArrayInputStream(tar(p.files()))).exec();
        }
        client.startContainerCmd(id).exec();
        // Docker keeps the log from the start: following it now misses nothing the container printed.
        LogWatch log = LogWatch.follow(client, id);
        return new Started(id, log);
    }

    /** A started container and its followed log (close it once the container is ready). */
    record Started(String id, LogWatch log) {}

    private static String create(DockerClient client, Plan p) {
        HostConfig host = HostConfig.newHostConfig().withNetworkMode(p.network());
        if (p.dns() != null) host.withDns(p.dns());
        CreateContainerCmd cmd = client.createContainerCmd(p.image()).withName(p.name()).withHostName(p.hostName())
                .withLabels(p.labels()).withCmd(p.cmd()).withHostConfig(host);
        if (p.publishSsh()) {
            ExposedPort ssh = ExposedPort.tcp(22);
            cmd.withExposedPorts(ssh);
            host.withPortBindings(new PortBinding(Ports.Binding.empty(), ssh));
        }
        if (!p.aliases().isEmpty()) {
            cmd.withAliases(p.aliases());
        }
        return cmd.exec().getId();
    }

    /** A tar of root-owned files in their directories (0755), for the copy into a container. */
    static byte[] tar(Map<String, File> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            // Only each file's own directory, and not a top-level one: an entry for /run or /etc
            // would reset their modes.
            java.util.Set<String> dirs = new java.util.TreeSet<>();
            for (String path : files.keySet()) {
                String dir = path.substring(0, path.lastIndexOf('/'));
                if (dir.lastIndexOf('/') > 0) dirs.add(dir.substring(1) + "/");
            }
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(040755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, File> f : files.entrySet()) {
                byte[] data = f.getValue().content().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey().substring(1));
                e.setMode(0100000 | f.getValue().mode());
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
