package org.galley.recipes;

import java.util.List;
import org.galley.yaml.Location;

/** A declared recipe parameter. A secret's value is never part of the model, only its source. */
public record Param(String name, Type type, Object defaultValue, boolean required, String description,
                    Location at) {
    public enum Type {
        string, integer, bool, list, secret;

        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Enum::name).toList();
        }
    }
}
