package org.galley.pipeline;

import java.util.Map;

/** What a build produced: an image id (AMI id or docker image id) and its name, per region or host. */
public record Artifact(String id, String name, Map<String, String> labels) {}
