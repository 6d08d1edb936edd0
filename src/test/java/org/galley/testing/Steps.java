package org.galley.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.galley.recipes.Step;
import org.galley.yaml.Location;

/** Step records built in code, the way the recipe loader would produce them. */
public final class Steps {
    public static final String RECIPE = "test";

    private Steps() {}

    public static Step.Meta meta(String id, String... onChange) {
        return new Step.Meta(id, null, List.of(onChange), RECIPE, Location.of("test.yaml"));
    }

    public static Step.LineInFileStep lineInFile(String path, String line, String regexp, String before, String after) {
        return new Step.LineInFileStep(meta("line"), path, line, regexp, before, after, false);
    }

    public static Step.FileStep file(String id, String path, String content, String owner, String group, String mode,
                                     boolean sensitive) {
        return new Step.FileStep(meta(id), path, content, owner, group, mode, sensitive);
    }

    public static Step.RunStep run(String id, String command, String creates, String unless, String... onChange) {
        return new Step.RunStep(meta(id, onChange), command, creates, unless);
    }

    public static Step.ServiceStep service(String name, Step.ServiceState state) {
        return new Step.ServiceStep(meta("service"), name, state, null);
    }

    public static Step.UploadStep upload(Path source, String destination) {
        return new Step.UploadStep(meta("upload"), source, destination, null, null, null);
    }

    public static Step.LocalStep local(String command, Path directory) {
        return new Step.LocalStep(meta("local"), command, directory);
    }

    public static Step.PackageStep pkg(Map<String, List<String>> names) {
        return new Step.PackageStep(meta("package"), names, Step.PackageState.present);
    }
}
