package org.galley.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one moto server on loopback for the whole test run (stopped when JUnit's root
 * store closes), resets its state before each test, and sets fake credentials. moto
 * keeps real EC2 state, so leaks can be asserted; it boots nothing, and the addresses it
 * invents must never be contacted.
 */
public final class MotoServer implements BeforeAllCallback, BeforeEachCallback {
    static final Path BIN = Path.of(System.getenv().getOrDefault("GALLEY_MOTO", "/opt/galley-moto/bin/moto_server"));
    /** moto_server plus the EC2 image calls moto 5.1 answers with a 500 (src/test/resources/moto/galley_moto.py). */
    static final String LAUNCHER = "moto/galley_moto.py";
    private static volatile Running running;
    private static volatile String external;

    /** For the benchmark: a moto started outside JUnit. */
    public static void useEndpoint(String endpoint) {
        external = endpoint;
    }

    public static String endpoint() {
        if (external != null) return external;
        if (running == null) throw new IllegalStateException("moto is not running; use @ExtendWith(MotoServer.class)");
        return running.endpoint;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (MotoServer.class) {
            if (running == null) {
                running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .getOrComputeIfAbsent("galley-moto", k -> start(), Running.class);
            }
        }
        // The SDK's default chain reads these first; IMDS must never be asked (no network).
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/moto-api/reset").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        if (c.getResponseCode() != 200) throw new IOException("moto reset answered " + c.getResponseCode());
        c.disconnect();
        if (running != null) Files.writeString(running.recording, "");
    }

    /**
     * Every request moto received since this test started (moto's recorder, MOTO_ENABLE_RECORDING):
     * the proof of parameters moto accepts but does not act on (CopyImage's Encrypted, ImdsSupport,
     * EnableImageDeprecation).
     */
    public static List<MotoRequest> recording() {
        if (running == null) throw new IllegalStateException("moto is not running here; no recording");
        return MotoRequest.read(running.recording);
    }

    private static Running start() {
        if (!Files.isExecutable(BIN)) {
            throw new IllegalStateException(BIN + " is missing; run .ci/setup-machine.sh (it installs moto)");
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("galley-moto", ".log");
            Path recording = Files.createTempFile("galley-moto", ".requests.jsonl");
            ProcessBuilder pb = new ProcessBuilder(command(port)).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MOTO_ENABLE_RECORDING", "True");
            pb.environment().put("MOTO_RECORDER_FILEPATH", recording.toString());
            Process p = pb.start();
            Running r = new Running(p, "http://127.0.0.1:" + port, recording);
            Instant end = Instant.now().plus(Duration.ofSeconds(30));
            while (!r.answers()) {
                if (!p.isAlive() || Instant.now().isAfter(end)) {
                    r.close();
                    throw new IllegalStateException("moto did not start on port " + port + ": " + Files.readString(log));
                }
                Thread.sleep(100);
            }
            return r;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start moto", e);
        }
    }

    /** moto's own python running galley's launcher beside the moto_server it replaces. */
    static List<String> command(int port) throws IOException {
        Path launcher = Files.createTempFile("galley-moto", ".py");
        try (var in = MotoServer.class.getClassLoader().getResourceAsStream(LAUNCHER)) {
            if (in == null) throw new IOException(LAUNCHER + " is not on the test classpath");
            Files.write(launcher, in.readAllBytes());
        }
        return List.of(BIN.resolveSibling("python3").toString(), launcher.toString(), "-H", "127.0.0.1", "-p",
                String.valueOf(port));
    }

    private record Running(Process process, String endpoint, Path recording)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        boolean answers() {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                return c.getResponseCode() > 0;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() {
            Processes.stop(process);
        }
    }
}
