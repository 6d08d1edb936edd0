package org.galley.ledger;

/** A held bake lock of one spec; closing it lets the next runner bake. */
public interface BakeLock extends AutoCloseable {
    /** No ledger, no lock: builds of library callers and older tests. */
    BakeLock NONE = new BakeLock() {
        @Override
        public boolean waited() {
            return false;
        }

        @Override
        public void close() {}
    };

    /** True when another runner held the lock first, so what it baked must be looked for again. */
    boolean waited();

    @Override
    void close();
}
