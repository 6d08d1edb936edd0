package org.galley.pipeline;

/** What to do with the builder when a stage fails: remove everything, or keep it for debugging. */
public enum OnError { cleanup, abort }
