package org.galley.testing;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.galley.ledger.Journal;

/**
 * What a test's ledger directory says of the builds it killed: a build whose journal ends
 * "succeeded" released its outputs, even if its JVM was still exiting when the kill came.
 */
public final class LedgerTally {
    private final Path dir;
    private final Set<String> counted = new HashSet<>();
    private List<Journal> journals;

    /** Builds already in {@code dir} are counted. */
    public LedgerTally(Path dir) {
        this.dir = dir;
        read().forEach(j -> counted.add(j.buildId()));
    }

    /** Reads the journals again: how many builds have succeeded since the last read. */
    public int newlySucceeded() {
        int n = 0;
        for (Journal j : read()) {
            if ("succeeded".equals(j.end()) && counted.add(j.buildId())) n++;
        }
        return n;
    }

    /** The builds of the last read that did not succeed. */
    public List<String> unfinished() {
        return journals.stream().filter(j -> !"succeeded".equals(j.end())).map(Journal::buildId).toList();
    }

    private List<Journal> read() {
        journals = Journal.all(dir).stream().map(Journal::read).toList();
        return journals;
    }
}
