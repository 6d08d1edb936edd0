package org.galley.cli;

import java.nio.file.Path;
import java.util.List;
import org.galley.imagespec.ImageSpec;
import org.galley.yaml.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks specs and the recipes they use; prints every problem as file:line:col: message.")
final class ValidateCommand extends Commands {
    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "image spec files (YAML)")
    List<Path> specs;

    @Override
    int execute() {
        int problems = 0;
        for (Path p : specs) {
            try {
                ImageSpec spec = load(p);
                int steps = spec.recipes().stream().mapToInt(r -> r.steps().size()).sum();
                out().println(p + ": ok (" + spec.recipes().size() + " recipes, " + steps + " steps, "
                        + spec.checks().size() + " checks)");
            } catch (SpecException e) {
                e.problems().forEach(err()::println);
                problems += e.problems().size();
            }
        }
        if (problems > 0) {
            err().println(problems + (problems == 1 ? " problem" : " problems") + " found.");
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }
}
