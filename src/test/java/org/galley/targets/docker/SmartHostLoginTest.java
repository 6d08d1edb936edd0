package org.galley.targets.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.galley.transport.Become;
import org.galley.yaml.Location;
import org.junit.jupiter.api.Test;

/**
 * The dry run's smart host gets its login password as a 0600 file copied in through the Docker
 * API: never in the container's command, environment or labels, which `docker inspect` shows anyone.
 */
class SmartHostLoginTest {
    private static final String PASSWORD = "BKVmjjMDFk/qqw8EROW99bjCS65PF8WKvK5bSr4Y6EqF";

    @Test
    void passwordTravelsAsACopiedFileAndNotInCommandEnvironmentOrLabels() {
        ImageSpec.Docker d = new ImageSpec.Docker("galley/debian-sshd:bookworm", null, "root", Become.NONE,
                "galley/postfix:bookworm", "smtp.internalsapsailing.com", List.of(), null,
                new ImageSpec.SmartHostLogin("AKIAIOSFODNN7EXAMPLE", "env:SMART_HOST_PASSWORD", Location.of("test")));
        // Never started: nothing is created, only the container's definition is looked at.
        Containers.Plan c = NetworkServices.plan(d, "galley-login-test", Map.of("purpose", "test"), "login-test",
                source -> source.equals("env:SMART_HOST_PASSWORD") ? PASSWORD : null);

        String inspectable = String.join(" ", c.cmd()) + c.labels() + c.name() + c.hostName();
        assertThat(inspectable).doesNotContain(PASSWORD).contains("saslpasswd2 -p", "smtpd_tls_auth_only=yes",
                "smtpd_tls_security_level=encrypt", NetworkServices.LOGIN_FILE);
        assertThat(c.files()).containsOnlyKeys(NetworkServices.LOGIN_FILE);
        assertThat(c.files().get(NetworkServices.LOGIN_FILE).mode()).isEqualTo(0600);
        assertThat(c.files().get(NetworkServices.LOGIN_FILE).content()).contains(PASSWORD);
    }

    @Test
    void withoutALoginTheSmartHostTakesNoSubmissions() {
        ImageSpec.Docker d = new ImageSpec.Docker("galley/debian-sshd:bookworm", null, "root", Become.NONE,
                "galley/postfix:bookworm", "smtp.internalsapsailing.com", List.of(), null);

        assertThat(NetworkServices.script(d)).doesNotContain("submission", "saslpasswd2");
    }
}
