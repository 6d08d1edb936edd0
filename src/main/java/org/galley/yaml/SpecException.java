package org.galley.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** Bad input: a spec, recipe or option that cannot be used. Maps to exit code 2. */
public final class SpecException extends RuntimeException {
    private final List<Problem> problems;

    public SpecException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public static SpecException of(Location at, String message) {
        return new SpecException(List.of(new Problem(at, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
