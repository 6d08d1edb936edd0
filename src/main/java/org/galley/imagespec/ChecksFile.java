package org.galley.imagespec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.galley.yaml.Display;
import org.galley.yaml.Fields;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;
import org.galley.yaml.SpecException;
import org.galley.yaml.YMap;
import org.galley.yaml.YNode;
import org.galley.yaml.YamlReader;

/**
 * What {@code galley verify} reads: an image spec (its checks), or a checks file of its own
 * ({@code name}, {@code description}, {@code verify}), e.g. the DNS records a mail set-up needs,
 * which hold for no image but for the world. Either way the result is an {@link ImageSpec}; a
 * checks file's has no builders and no recipes.
 */
public final class ChecksFile {
    private ChecksFile() {}

    /** @param target whose checks apply ({@code targets:}); null: all */
    public static ImageSpec load(Path file, String target) {
        String display = Display.path(file);
        if (!Files.isRegularFile(file)) {
            throw SpecException.of(Location.of(display), "file not found; give an image spec or a checks file (YAML)");
        }
        YNode root = YamlReader.read(file, display);
        if (root instanceof YMap m && (m.entries().containsKey("builders") || m.entries().containsKey("recipes"))) {
            return SpecLoader.load(file, target);
        }
        Problems problems = new Problems();
        Fields f = Fields.of(root, problems, "the checks file");
        if (f == null) problems.throwIfAny();
        String name = f.requiredString("name");
        String description = f.string("description");
        if (!f.has("verify")) problems.add(f.at(), "the checks file has no 'verify' list; add the checks to run");
        List<Check> checks = CheckParser.parse(f.node("verify"), target, problems);
        f.finish();
        problems.throwIfAny();
        return new ImageSpec(file.toAbsolutePath().normalize(), name, description,
                new ImageSpec.Builders(null, null, null), List.of(), checks,
                new ImageSpec.Output("${spec}-${timestamp}", Map.of()));
    }
}
