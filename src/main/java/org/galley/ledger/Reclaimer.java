package org.galley.ledger;

import java.util.List;

/** Removes what a dead build of one target left, by its journal and by the build's label or tag. */
public interface Reclaimer {
    /** The target whose journals this reclaimer handles (the journal's "target" header). */
    String target();

    /** Removal order: lower first (instances before the groups they hold, images before snapshots). */
    int order(String kind);

    /** Removes one recorded resource; gone already is success; throws with the reason otherwise. */
    void remove(Journal journal, Journal.Resource resource);

    /**
     * After the recorded resources: anything else labelled or tagged with the build id that
     * is not one of its outputs (a create whose intent and id were both lost). Returns what it removed.
     */
    List<String> sweep(Journal journal);
}
