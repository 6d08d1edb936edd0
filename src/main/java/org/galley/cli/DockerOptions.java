package org.galley.cli;

import picocli.CommandLine.Option;

/** Dry-run settings shared by build, plan and cleanup. */
final class DockerOptions {
    @Option(names = "--docker-namespace", paramLabel = "NAME",
            description = "docker: bake into NAME/<repository>, label everything NAME, and let skip, ${version} and"
                    + " cleanup see only NAME's images, so a CI run or a test never touches images made outside it")
    String namespace;
}
