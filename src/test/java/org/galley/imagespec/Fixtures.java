package org.galley.imagespec;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.galley.yaml.Display;
import org.galley.yaml.Location;
import org.galley.yaml.Problem;

/** Test fixtures on the classpath, and problems printed relative to a fixture directory. */
final class Fixtures {
    private Fixtures() {}

    static Path dir(String name) {
        URL url = Fixtures.class.getResource("/" + name);
        if (url == null) throw new IllegalArgumentException("no fixture " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code problem} as {@code file:line:col: message}, with the file relative to {@code base}. */
    static String relative(Problem problem, Path base) {
        String prefix = Display.path(base) + "/";
        String file = problem.at().file();
        String rel = file.startsWith(prefix) ? file.substring(prefix.length()) : file;
        return new Problem(new Location(rel, problem.at().line(), problem.at().column()), problem.message()).toString();
    }

    static List<String> relative(List<Problem> problems, Path base) {
        return problems.stream().map(p -> relative(p, base)).toList();
    }
}
