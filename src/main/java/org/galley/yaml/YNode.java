package org.galley.yaml;


/** A YAML node that remembers where it stood, so every later check can name file:line:col. */
public sealed interface YNode permits YMap, YList, YScalar {
    Location at();

    /** What a user would call this kind of node in an error message. */
    String kind();
}
