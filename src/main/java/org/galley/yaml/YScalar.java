package org.galley.yaml;


/** A scalar; {@code value} is null for an empty or {@code null} value. */
public record YScalar(String value, Location at) implements YNode {
    @Override
    public String kind() {
        return value == null ? "an empty value" : "a scalar";
    }
}
