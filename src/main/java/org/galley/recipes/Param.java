package org.galley.recipes;

import java.util.List;
import org.galley.yaml.Location;

/**
 * A declared recipe parameter. A secret's value is never part of the model, only its source.
 * {@code pattern} (or null): a regular expression the whole value must match, checked at load
 * time for a value written in the spec and after reading for a value from a source.
 */
public record Param(String name, Type type, Object defaultValue, boolean required, String description,
                    Location at, String pattern) {
    /** True when {@code value} is acceptable to the declared pattern (or there is none). */
    public boolean accepts(String value) {
        return pattern == null || java.util.regex.Pattern.compile(pattern).matcher(value).matches();
    }

    public enum Type {
        string, integer, bool, list, secret;

        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Enum::name).toList();
        }
    }
}
