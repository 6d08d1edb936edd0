package org.galley.pipeline;

/**
 * What to do with the builder when a stage fails: remove everything, keep it for debugging
 * (and {@code --resume}), or ask on the terminal: keep, retry the failed step, or clean up.
 */
public enum OnError { cleanup, abort, ask }
