package org.galley.ledger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The ledger in a local directory ({@code <dir>/<build-id>.jsonl}, 0700): a running build
 * holds an OS lock on its journal. A new journal is written and locked under a temporary
 * name and renamed into place, so a reclaim never sees a journal whose lock is not yet held.
 */
public final class LocalLedgerStore implements LedgerStore {
    private static final String NEW = ".new";
    private static final Duration HALF_MADE = Duration.ofMinutes(1);
    /**
     * Journals this JVM holds locked. POSIX drops a process's lock when any descriptor of the
     * file closes, so this JVM never opens a journal it holds: it asks this set instead.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;

    public LocalLedgerStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public String where() {
        return dir.toString();
    }

    @Override
    public Path keyDir() {
        return dir;
    }

    @Override
    public Ledger create(String buildId, Map<String, String> header) {
        Path file = journal(buildId);
        Path fresh = dir.resolve(buildId + Journal.SUFFIX + NEW);
        try {
            ensureDir();
            Files.createFile(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileSink sink = FileSink.lock(fresh, file);
            Ledger l = new Ledger(sink, buildId, Journal.keyFile(dir, buildId));
            l.begin(header);
            // The lock belongs to the file, not its name: the journal appears locked and begun.
            Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the build ledger in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Ledger reopen(String buildId) {
        Path file = journal(buildId);
        try {
            return new Ledger(FileSink.lock(file, file), buildId, Journal.keyFile(dir, buildId));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the build ledger " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Build ids with a journal. The half-made journal of a build killed while creating it goes
     * once it is a minute old (nothing of that build exists); a younger one may be about to be locked.
     */
    @Override
    public List<String> buildIds() {
        if (!Files.isDirectory(dir)) return List.of();
        Instant stale = Instant.now().minus(HALF_MADE);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(Journal.SUFFIX + NEW)).toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(stale) && !locked(p)) Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // its build renamed it meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Journal.all(dir).stream().map(LocalLedgerStore::buildId).toList();
    }

    @Override
    public Optional<Journal> read(String buildId) {
        return Journal.readIfPresent(journal(buildId));
    }

    @Override
    public boolean live(String buildId) {
        return locked(journal(buildId));
    }

    @Override
    public Optional<Claim> claim(String buildId) {
        Path file = journal(buildId);
        FileSink held;
        try {
            held = FileSink.lock(file, file);
        } catch (IllegalStateException | NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Journal> j = Journal.readIfPresent(file);
        if (j.isEmpty()) {
            held.close();
            return Optional.empty();
        }
        return Optional.of(new Claim() {
            @Override
            public Journal journal() {
                return j.get();
            }

            @Override
            public void forget() {
                try {
                    Files.deleteIfExists(j.get().keyFile());
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                held.close();
            }
        });
    }

    @Override
    public BakeLock lock(String key, Map<String, String> holder, LockWait wait) {
        try {
            ensureDir();
            return LocalBakeLock.acquire(dir.resolve("locks").resolve(key + ".lock"), holder, wait);
        } catch (IOException e) {
            throw new LedgerUnavailableException("could not lock spec " + key + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path journal(String buildId) {
        return Journal.file(dir, buildId).toAbsolutePath().normalize();
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static String buildId(Path journal) {
        String f = journal.getFileName().toString();
        return f.substring(0, f.length() - Journal.SUFFIX.length());
    }

    /** True while some process (this one included) holds the file's lock. */
    static boolean locked(Path file) {
        if (HELD.contains(file.toAbsolutePath().normalize())) return true;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A journal file held locked by this process, appended to with an fsync per line. */
    static final class FileSink implements Ledger.Sink {
        private final Path name;
        private final RandomAccessFile raf;
        private final FileLock lock;

        private FileSink(Path name, RandomAccessFile raf, FileLock lock) {
            this.name = name;
            this.raf = raf;
            this.lock = lock;
        }

        /**
         * Opens {@code file} and takes its lock, registered under {@code name} (where it will be found).
         *
         * @throws IllegalStateException another galley process, or another build of this one, holds it
         */
        static FileSink lock(Path file, Path name) throws IOException {
            Path key = name.toAbsolutePath().normalize();
            if (!HELD.add(key)) throw new IllegalStateException("build " + buildId(name) + " is running in this process");
            try {
                // RandomAccessFile's writes, unlike a FileChannel's, are not cut by Thread.interrupt
                // (which Ctrl-C uses to stop a build), so the journal stays open while cleanup runs.
                if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
                RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
                FileLock lock = raf.getChannel().tryLock();
                if (lock == null) {
                    raf.close();
                    throw new IllegalStateException("build " + buildId(name) + " is running in another galley process ("
                            + name + " is locked)");
                }
                return new FileSink(key, raf, lock);
            } catch (IOException | RuntimeException e) {
                HELD.remove(key);
                throw e;
            }
        }

        @Override
        public void append(byte[] line) throws IOException {
            raf.seek(raf.length());
            raf.write(line);
            // Durable before the create call it announces, so a SIGKILL cannot lose it.
            raf.getFD().sync();
        }

        @Override
        public String where() {
            return name.toString();
        }

        @Override
        public void close() {
            release(lock, raf);
            HELD.remove(name);
        }
    }

    /** Releases a file lock and closes its file; the OS drops the lock with the descriptor anyway. */
    static void release(FileLock lock, RandomAccessFile raf) {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the file releases it
        }
        try {
            raf.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
