package org.galley.cli;

import java.util.Iterator;
import org.galley.targets.Targets;

/** The registry's target names, for picocli's help and shell completion. */
final class TargetNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Targets.NAMES.iterator();
    }
}
