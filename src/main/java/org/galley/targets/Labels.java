package org.galley.targets;

/** Label and tag keys galley puts on everything it creates, so a sweep can find orphans by build id. */
public final class Labels {
    public static final String MANAGED = "org.galley.managed";
    public static final String BUILD_ID = "org.galley.build-id";
    public static final String SPEC = "org.galley.spec";
    public static final String FINGERPRINT = "org.galley.fingerprint";
    public static final String RECIPES = "org.galley.recipes";
    public static final String VERSION = "org.galley.version";
    public static final String SOURCE = "org.galley.source";
    public static final String INPUTS = "org.galley.inputs";
    /** The rendered image name (a Docker tag cannot hold it: spaces), read back to bump ${version}. */
    public static final String IMAGE_NAME = "org.galley.image-name";
    /** When a temporary resource may be removed by any sweep, running build or not (ISO-8601 instant). */
    public static final String EXPIRES = "org.galley.expires";

    /** Dry runs under --docker-namespace: whose images, containers and networks these are. */
    public static final String NAMESPACE = "org.galley.namespace";
    /**
     * Build ids of dev sessions ({@code galley dev}) start with this, and so do the names of
     * their containers, so {@code galley dev --shell} finds a session's builder.
     */
    public static final String DEV_BUILD = "dev-";

    private Labels() {}
}
