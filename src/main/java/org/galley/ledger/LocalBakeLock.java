package org.galley.ledger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A spec's bake lock in a local ledger: an OS lock on {@code locks/<key>.lock}, which the
 * OS drops when the holder dies. The holder writes who it is into the file, so a runner
 * that waits can say whom it waits for.
 */
final class LocalBakeLock implements BakeLock {
    /**
     * Locks this JVM holds, with their holder: a second lock from the same JVM would not
     * conflict at the OS level, and reading a file this JVM holds locked would drop the lock
     * (POSIX), so every acquisition and holder read happens under this class's monitor.
     */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final RandomAccessFile raf;
    private final FileLock lock;
    private final boolean waited;

    private LocalBakeLock(Path file, RandomAccessFile raf, FileLock lock, boolean waited) {
        this.file = file;
        this.raf = raf;
        this.lock = lock;
        this.waited = waited;
    }

    static BakeLock acquire(Path file, Map<String, String> holder, LockWait wait) throws IOException {
        Files.createDirectories(file.getParent());
        Path key = file.toAbsolutePath().normalize();
        boolean waited = false;
        String me = Ledger.JSON.writeValueAsString(holder);
        while (true) {
            String who;
            synchronized (LocalBakeLock.class) {
                LocalBakeLock l = tryAcquire(key, me, waited);
                if (l != null) return l;
                who = holder(key);
            }
            if (wait.noWait()) throw new BakeLockHeldException(Locks.busy(file.getFileName().toString().replaceFirst("[.]lock$", ""), who));
            if (!waited) wait.progress().accept(Locks.waiting(who));
            waited = true;
            Locks.pause(wait);
        }
    }

    private static LocalBakeLock tryAcquire(Path key, String me, boolean waited) throws IOException {
        if (HELD.putIfAbsent(key, me) != null) return null;
        RandomAccessFile raf = null;
        try {
            raf = new RandomAccessFile(key.toFile(), "rw");
            FileLock lock = raf.getChannel().tryLock();
            if (lock != null) {
                raf.setLength(0);
                raf.write(me.getBytes(StandardCharsets.UTF_8));
                return new LocalBakeLock(key, raf, lock, waited);
            }
        } catch (OverlappingFileLockException e) {
            // held by another channel of this JVM
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (raf != null) raf.close();
            throw e;
        }
        raf.close();
        HELD.remove(key);
        return null;
    }

    /** What the holder wrote: its build, host and pid. */
    private static String holder(Path file) {
        String here = HELD.get(file);
        if (here != null) return here;
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public boolean waited() {
        return waited;
    }

    @Override
    public void close() {
        LocalLedgerStore.release(lock, raf);
        HELD.remove(file);
    }
}
