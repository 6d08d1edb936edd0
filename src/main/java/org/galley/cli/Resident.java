package org.galley.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.galley.imagespec.SpecDurations;

/**
 * Where a resident galley process listens and what it and its clients say to each other.
 * One resident process serves one galley (jar and its size and time) in one directory: its
 * socket's name is a hash of those two, so neither the environment nor a secret in it shows
 * in a file name. The socket lives in a directory only its user may open ({@code
 * GALLEY_RESIDENT_DIR}, else {@code $XDG_RUNTIME_DIR/galley}, else {@code /tmp/galley-<user>}).
 *
 * <p>Every message is a frame: a kind byte, then a length and bytes. The client opens with
 * {@link Hello}; the process answers {@link #ACCEPT} or {@link #REFUSE} with a reason, then
 * streams {@link #OUT}, {@link #ERR} and finally {@link #EXIT}; the client may send {@link
 * #SIGNAL} (Ctrl-C, SIGTERM) meanwhile, and closing the connection cancels the command too.
 *
 * <p>What a client runs here avoids lambdas and {@code +} on strings: each would bootstrap
 * {@code invokedynamic} machinery that costs a client more than the rest of its work.
 */
final class Resident {
    static final int MAGIC = 0x47414c31;
    static final byte RUN = 1, STATUS = 2, STOP = 3;
    static final byte ACCEPT = 1, REFUSE = 2, OUT = 3, ERR = 4, EXIT = 5, SIGNAL = 6;
    /** How long either side waits for the other's first frame (a client for the answer, the process for the hello). */
    static final int ANSWER_MS = 5_000;

    final Path dir;
    final Path socket;
    final Path log;
    /** This galley ({@link #identity()}) and directory, as found once by {@link #here}. */
    final String identity;
    final String cwd;

    private Resident(Path dir, String identity, String cwd) {
        this.dir = dir;
        this.identity = identity;
        this.cwd = cwd;
        String key = Long.toHexString(fnv(identity.concat("\0").concat(cwd)));
        this.socket = dir.resolve(key.concat(".sock"));
        this.log = dir.resolve(key.concat(".log"));
    }

    /** What a client tells the process: who it is, where and with what it runs, and what to do. */
    record Hello(byte op, String identity, String cwd, Map<String, String> env, boolean terminal, List<String> args) {
        static Hello of(Resident r, byte op, boolean terminal, List<String> args) {
            return new Hello(op, r.identity, r.cwd, System.getenv(), terminal, args);
        }

        byte[] bytes() {
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                DataOutputStream d = new DataOutputStream(b);
                d.writeInt(MAGIC);
                d.writeBoolean(terminal);
                writeStrings(d, List.of(identity, cwd));
                writeStrings(d, args);
                List<String> kv = new ArrayList<>();
                for (Map.Entry<String, String> e : env.entrySet()) {
                    kv.add(e.getKey());
                    kv.add(e.getValue());
                }
                writeStrings(d, kv);
                return b.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The hello a client sent as the payload of its first frame, whose kind is the op. */
        static Hello read(Frame f) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(f.payload()));
            if (f.kind() < RUN || f.kind() > STOP || in.readInt() != MAGIC) throw new IOException("not a galley client");
            boolean terminal = in.readBoolean();
            List<String> where = readStrings(in);
            if (where.size() != 2) throw new IOException("malformed message");
            List<String> args = readStrings(in);
            List<String> kv = readStrings(in);
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i + 1 < kv.size(); i += 2) env.put(kv.get(i), kv.get(i + 1));
            return new Hello(f.kind(), where.get(0), where.get(1), env, terminal, args);
        }
    }

    /**
     * The resident process of this galley in this directory, or null (after saying why on
     * stderr) when there is no private directory for its socket.
     */
    static Resident here() {
        String where = System.getenv("GALLEY_RESIDENT_DIR");
        Path dir;
        if (where != null && !where.isEmpty()) dir = Path.of(where);
        else if (System.getenv("XDG_RUNTIME_DIR") != null) dir = Path.of(System.getenv("XDG_RUNTIME_DIR"), "galley");
        else dir = Path.of(System.getProperty("java.io.tmpdir"), "galley-".concat(System.getProperty("user.name")));
        String unusable = privateDirectory(dir);
        if (unusable != null) {
            System.err.println("galley: not using a resident process: " + unusable);
            return null;
        }
        return new Resident(dir, identity(), cwd());
    }

    /** How long a resident process may idle: {@code text} (90s, 30m, 2h), else GALLEY_RESIDENT_IDLE, else 30 minutes; null when not a duration. */
    static Duration idle(String text) {
        String t = text != null ? text : System.getenv().getOrDefault("GALLEY_RESIDENT_IDLE", "30m");
        Duration d = SpecDurations.parse(t);
        return d == null || d.isZero() ? null : d;
    }

    /** Why {@link #idle} said null, in words for stderr. */
    static String badIdle(String option, String text) {
        return "galley: " + option + " must be a duration like 90s or 30m, found '"
                + (text != null ? text : System.getenv("GALLEY_RESIDENT_IDLE")) + "'";
    }

    /** Null when dir is (or now is) a directory that only this user can enter, else why not. */
    static String privateDirectory(Path dir) {
        Set<PosixFilePermission> only = PosixFilePermissions.fromString("rwx------");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(only));
                Files.setPosixFilePermissions(dir, only);
            }
            String owner = Files.getOwner(dir).getName();
            if (!owner.equals(System.getProperty("user.name"))) {
                return dir + " belongs to " + owner + "; set GALLEY_RESIDENT_DIR to a directory of your own";
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            if (!perms.equals(only)) {
                return dir + " is open to others (" + PosixFilePermissions.toString(perms) + "); chmod 700 it";
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot make a private directory " + dir + ": " + e;
        }
    }

    /** This galley: its class path, with the size and time of every file on it (a new jar is another galley). */
    static String identity() {
        StringBuilder b = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            b.append(entry);
            try {
                BasicFileAttributes a = Files.readAttributes(Path.of(entry), BasicFileAttributes.class);
                if (a.isRegularFile()) b.append(':').append(a.size()).append(':').append(a.lastModifiedTime().toMillis());
            } catch (IOException | RuntimeException e) {
                b.append(":missing");
            }
            b.append(File.pathSeparator);
        }
        return b.toString();
    }

    static String cwd() {
        return Path.of("").toAbsolutePath().toString();
    }

    /** Whether a resident process may run these arguments: the quick commands that need no terminal and create nothing to clean up after a crash. */
    static boolean serves(List<String> args) {
        if (args.isEmpty()) return false;
        switch (args.get(0)) {
            case "validate", "plan", "apply":
                return !args.contains("-");
            case "build":
                return "ssh".equals(option(args, "--target")) && !"ask".equals(option(args, "--on-error"));
            default:
                return false;
        }
    }

    /** The value of a --name VALUE or --name=VALUE option, or null. */
    static String option(List<String> args, String name) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(name) && i + 1 < args.size()) value = args.get(i + 1);
            else if (a.startsWith(name.concat("="))) value = a.substring(name.length() + 1);
        }
        return value;
    }

    static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes one frame at once; its own lock, so a signal can be sent while the other side streams. */
    static void send(SocketChannel ch, byte kind, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(5 + payload.length).put(kind).putInt(payload.length).put(payload).flip();
        synchronized (ch) {
            while (b.hasRemaining()) ch.write(b);
        }
    }

    static void send(SocketChannel ch, byte kind, String text) throws IOException {
        send(ch, kind, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame read back: its kind and payload. */
    record Frame(byte kind, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int number() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    static Frame read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        int n = in.readInt();
        if (n < 0 || n > 16 << 20) throw new IOException("malformed message");
        byte[] payload = new byte[n];
        in.readFully(payload);
        return new Frame(kind, payload);
    }

    /**
     * Reads the channel straight, not through {@code Channels.newInputStream}, whose reads hold
     * the channel's blocking lock and would keep a signal from being written while waiting.
     */
    static DataInputStream input(SocketChannel ch) {
        return new DataInputStream(new BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ch.read(ByteBuffer.wrap(b, off, len));
            }
        }));
    }

    /** The next frame, or null when none came within ms (the channel is then closed). */
    static Frame readWithin(SocketChannel ch, DataInputStream in, int ms) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean decided = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watchdog = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    Thread.sleep(ms);
                    if (decided.compareAndSet(false, true)) ch.close();
                } catch (InterruptedException | IOException ignored) {
                    // answered in time
                }
            }
        }, "galley-resident-answer");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Frame f = read(in);
            return decided.compareAndSet(false, true) ? f : null;
        } catch (IOException e) {
            if (decided.get()) return null;
            throw e;
        } finally {
            watchdog.interrupt();
        }
    }

    static byte[] number(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    private static void writeStrings(DataOutputStream d, List<String> values) throws IOException {
        d.writeInt(values.size());
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            d.writeInt(b.length);
            d.write(b);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000) throw new IOException("malformed message");
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > 1 << 20) throw new IOException("malformed message");
            byte[] b = new byte[len];
            in.readFully(b);
            values.add(new String(b, StandardCharsets.UTF_8));
        }
        return values;
    }

    /** FNV-1a, 64 bits: a short, stable file name; nothing secret goes into it. */
    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
