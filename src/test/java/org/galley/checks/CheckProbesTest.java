package org.galley.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.galley.imagespec.Check;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.transport.ObservedRemote;
import org.galley.transport.Remote;
import org.galley.transport.SshRemote;
import org.galley.yaml.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks decided by one command on the builder are asked together, against a real sshd container. */
@RequiresDocker
class CheckProbesTest {
    private static final Location AT = Location.of("spec.yaml");
    private static SshdContainer builder;
    private static SshRemote ssh;

    @BeforeAll
    static void startBuilder() {
        builder = SshdContainer.start();
        ssh = builder.connect();
        builder.sh("mkdir -p /t && printf 'mail.smtp.password = hush-123\\n' > /t/props && chmod 600 /t/props");
    }

    @AfterAll
    static void stopBuilder() {
        if (ssh != null) ssh.close();
        if (builder != null) builder.close();
    }

    @Test
    void fileAndCommandChecksTakeOneRoundTripAndKeepTheirVerdicts() throws IOException {
        List<String> commands = new ArrayList<>();
        List<String> logged = new ArrayList<>();
        Remote observed = new ObservedRemote(ssh, (target, command, result) -> {
            commands.add(command);
            logged.add(result.stdout() + result.stderr());
        });
        List<Check> checks = List.of(
                new Check.FileCheck("private", "/t/props", true, "0600", "root", null,
                        "^mail\\.smtp\\.password = \\S+$", AT),
                new Check.FileCheck("wrong mode", "/t/props", true, "0644", null, null, null, AT),
                new Check.FileCheck("absent", "/t/nothing", false, null, null, null, null, AT),
                new Check.CommandCheck("stderr counts", "echo on-stderr >&2", 0, "on-stderr", AT),
                new Check.CommandCheck("exit code", "exit 3", 0, null, AT));
        CheckRunner runner = new CheckRunner(observed);

        runner.probe(checks);
        List<CheckResult> results = checks.stream().map(runner::run).toList();

        assertThat(results).extracting(CheckResult::passed).containsExactly(true, false, true, true, false);
        assertThat(results.get(1).detail()).isEqualTo("/t/props has mode 0600, expected 0644");
        assertThat(results.get(4).detail()).startsWith("exited 3, expected 0");
        assertThat(commands).hasSize(1);
        assertThat(logged).noneMatch(l -> l.contains("hush-123"));
    }
}
