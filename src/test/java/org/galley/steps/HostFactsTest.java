package org.galley.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** os-release samples as the probe prints them, followed by the tools it found. */
class HostFactsTest {
    private static final String AL2 = """
            NAME="Amazon Linux"
            VERSION="2"
            ID="amzn"
            ID_LIKE="centos rhel fedora"
            VERSION_ID="2"
            --galley--
            has:yum
            has:systemd
            """;
    private static final String AL2023 = """
            NAME="Amazon Linux"
            VERSION="2023"
            ID="amzn"
            ID_LIKE="fedora"
            VERSION_ID="2023"
            --galley--
            has:dnf
            has:yum
            has:systemd
            """;
    private static final String DEBIAN = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            ID=debian
            --galley--
            has:apt-get
            """;
    private static final String UBUNTU = """
            NAME="Ubuntu"
            VERSION="22.04.4 LTS (Jammy Jellyfish)"
            ID=ubuntu
            ID_LIKE=debian
            --galley--
            has:apt-get
            has:systemd
            """;

    @Test
    void amazonLinux2UsesYum() {
        HostFacts f = HostFacts.parse(AL2);

        assertThat(f.packageManager()).isEqualTo(HostFacts.PackageManager.yum);
        assertThat(f.osId()).isEqualTo("amzn");
        assertThat(f.systemd()).isTrue();
    }

    @Test
    void amazonLinux2023UsesDnfEvenThoughYumIsAnAlias() {
        assertThat(HostFacts.parse(AL2023).packageManager()).isEqualTo(HostFacts.PackageManager.dnf);
    }

    @Test
    void debianUsesAptAndHasNoSystemdInAContainer() {
        HostFacts f = HostFacts.parse(DEBIAN);

        assertThat(f.packageManager()).isEqualTo(HostFacts.PackageManager.apt);
        assertThat(f.osId()).isEqualTo("debian");
        assertThat(f.systemd()).isFalse();
    }

    @Test
    void ubuntuIsRecognisedThroughIdLike() {
        HostFacts f = HostFacts.parse(UBUNTU);

        assertThat(f.packageManager()).isEqualTo(HostFacts.PackageManager.apt);
        assertThat(f.osLike()).contains("ubuntu", "debian");
    }

    @Test
    void unknownOsWithoutPackageToolsHasNoPackageManager() {
        assertThat(HostFacts.parse("ID=alpine\n--galley--\n").packageManager()).isNull();
    }
}
