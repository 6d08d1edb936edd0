package org.galley.bake;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Tells which of a set of files changed, from the file system's own notifications (inotify on
 * Linux) on their directories, so nothing polls. Editors that save by writing a new file and
 * renaming it show up as a create; events that come in a burst (one save can make several)
 * are gathered for a moment and reported once.
 */
final class FileWatch implements AutoCloseable {
    /** How long a save's burst of events is gathered before it is reported. */
    static final long SETTLE_MS = 50;
    private final WatchService service;
    private final Map<Path, WatchKey> dirs = new HashMap<>();
    private Set<Path> files = Set.of();

    FileWatch() throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
    }

    /** Watches exactly these files from now on (absolute, normalized). */
    void watch(Collection<Path> paths) throws IOException {
        files = Set.copyOf(paths.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        for (Path f : files) {
            Path dir = f.getParent();
            if (!dirs.containsKey(dir)) {
                dirs.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
            }
        }
    }

    Set<Path> files() {
        return files;
    }

    /** Blocks until a watched file changes; returns every watched file that changed in that burst. */
    Set<Path> next() throws InterruptedException {
        Set<Path> changed = new TreeSet<>();
        while (changed.isEmpty()) {
            collect(service.take(), changed);
        }
        for (WatchKey k; (k = service.poll(SETTLE_MS, TimeUnit.MILLISECONDS)) != null; ) collect(k, changed);
        return changed;
    }

    private void collect(WatchKey key, Set<Path> changed) {
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path name && files.contains(dir.resolve(name))) changed.add(dir.resolve(name));
        }
        key.reset();
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // nothing left to watch
        }
    }
}
