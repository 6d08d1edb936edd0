package org.galley.yaml;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one validation run, so a user sees all of them at once. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(Location at, String message) {
        list.add(new Problem(at, message));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws one exception with every problem found, sorted by place. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(list);
            sorted.sort(null);
            throw new SpecException(sorted);
        }
    }
}
