package org.galley.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.galley.imagespec.SpecLoader;
import org.galley.recipes.Step;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps docs/specs.md and the JSON Schemas true to the code: the keys each part of a
 * spec or recipe accepts are read from the loader itself (its "allowed keys" answer to
 * an unknown key) and must all be in the schema and the reference.
 */
class ReferenceTest {
    static final Path REPO = Path.of(System.getProperty("galley.repo", "."));
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern ALLOWED = Pattern.compile("allowed keys: ([a-z_, -]+)");

    @TempDir
    Path dir;

    static JsonNode schema(String name) throws IOException {
        return new ObjectMapper().readTree(REPO.resolve("docs/schema/" + name).toFile());
    }

    static Stream<Path> specsAndRecipes() throws IOException {
        try (Stream<Path> specs = Files.list(REPO.resolve("ami-specs"));
             Stream<Path> recipes = Files.list(REPO.resolve("recipes"))) {
            return Stream.concat(specs.toList().stream(), recipes.toList().stream())
                    .filter(p -> p.toString().endsWith(".yaml"));
        }
    }

    @ParameterizedTest
    @MethodSource("specsAndRecipes")
    void everyShippedSpecAndRecipeValidatesAgainstThePublishedSchema(Path file) throws IOException {
        String schemaName = file.getParent().getFileName().toString().equals("recipes") ? "recipe.schema.json"
                : "spec.schema.json";
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema(schemaName));
        Set<ValidationMessage> errors = schema.validate(YAML.readTree(file.toFile()));
        assertThat(errors).as(file + " against " + schemaName).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("specsAndRecipes")
    void everyShippedSpecLoadsWithItsRecipesWithoutProblems(Path file) {
        if (file.getParent().getFileName().toString().equals("ami-specs")) {
            assertThat(SpecLoader.load(file).recipes()).as(file.toString()).isNotEmpty();
        }
    }

    @Test
    void schemaRejectsAnUnknownKeyLikeTheLoaderDoes() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema("spec.schema.json"));
        JsonNode bad = YAML.readTree("name: x\nbuilders: {docker: {image: i}}\nrecipes: []\npackages: [a]\n");
        assertThat(schema.validate(bad)).isNotEmpty();
    }

    /** A spec part, how to make the loader reject an unknown key in it, and where the schema describes it. */
    record Part(String label, String spec, String recipe, String schemaFile, String schemaPointer) {}

    static final String STEP = "/$defs/step/properties/";

    static List<Part> parts() {
        String minimal = "builders: {docker: {image: galley/x:1}}\nrecipes: [{use: r}]\n";
        String recipe = "name: r\nsteps: [{run: 'true'}]\n";
        List<Part> parts = new java.util.ArrayList<>(List.of(
                new Part("spec", "name: s\nzz_probe: 1\n" + minimal, recipe, "spec.schema.json", ""),
                new Part("builders.docker", "name: s\nbuilders: {docker: {image: galley/x:1, zz_probe: 1}}\nrecipes: [{use: r}]\n",
                        recipe, "spec.schema.json", "/properties/builders/properties/docker"),
                new Part("builders.docker.smart_host_login", "name: s\nbuilders: {docker: {image: galley/x:1, smart_host:"
                        + " smtp.example.org, smart_host_login: {user: u, password: 'env:P', zz_probe: 1}}}\nrecipes: [{use: r}]\n",
                        recipe, "spec.schema.json", "/properties/builders/properties/docker/properties/smart_host_login"),
                new Part("builders.ssh", "name: s\nbuilders: {ssh: {host: h, zz_probe: 1}}\nrecipes: [{use: r}]\n",
                        recipe, "spec.schema.json", "/properties/builders/properties/ssh"),
                new Part("builders.ec2", "name: s\nbuilders: {ec2: {source: {ami: ami-1}, zz_probe: 1}}\nrecipes: [{use: r}]\n",
                        recipe, "spec.schema.json", "/properties/builders/properties/ec2"),
                new Part("recipe use", "name: s\nbuilders: {docker: {image: galley/x:1}}\nrecipes: [{use: r, zz_probe: 1}]\n",
                        recipe, "spec.schema.json", "/properties/recipes/items"),
                new Part("image", "name: s\n" + minimal + "image: {zz_probe: 1}\n", recipe, "spec.schema.json",
                        "/properties/image"),
                new Part("image.version", "name: s\n" + minimal + "image: {name: 'x ${version}', version: {zz_probe: 1}}\n",
                        recipe, "spec.schema.json", "/properties/image/properties/version"),
                new Part("newest_of", "name: s\nbuilders: {docker: {image: galley/x:1, newest_of: {spec: s, zz_probe: 1}}}\n"
                        + "recipes: [{use: r}]\n", recipe, "spec.schema.json", "/$defs/newest"),
                new Part("builders.ec2.source", "name: s\nbuilders: {ec2: {source: {ami: ami-1, zz_probe: 1}}}\n"
                        + "recipes: [{use: r}]\n", recipe, "spec.schema.json",
                        "/properties/builders/properties/ec2/properties/source"),
                new Part("command check", "name: s\n" + minimal + "verify: [{command: {run: x, zz_probe: 1}}]\n", recipe,
                        "spec.schema.json", "/$defs/check/properties/command"),
                new Part("file check", "name: s\n" + minimal + "verify: [{file: {path: /x, zz_probe: 1}}]\n", recipe,
                        "spec.schema.json", "/$defs/check/properties/file"),
                new Part("mail-relay check", "name: s\n" + minimal + "verify: [{mail-relay: {to: a@b.org, zz_probe: 1}}]\n",
                        recipe, "spec.schema.json", "/$defs/check/properties/mail-relay"),
                new Part("smtp-login check", "name: s\n" + minimal + "verify: [{smtp-login: {zz_probe: 1}}]\n", recipe,
                        "spec.schema.json", "/$defs/check/properties/smtp-login"),
                new Part("dns check", "name: s\n" + minimal + "verify: [{dns: {name: x.org, type: MX, expect: y,"
                        + " zz_probe: 1}}]\n", recipe, "spec.schema.json", "/$defs/check/properties/dns"),
                new Part("recipe", "name: s\n" + minimal, recipe + "zz_probe: 1\n", "recipe.schema.json", ""),
                new Part("param", "name: s\n" + minimal, "name: r\nparams: {p: {default: x, zz_probe: 1}}\nsteps: [{run: 'true'}]\n",
                        "recipe.schema.json", "/properties/params/additionalProperties")));
        String[][] bodies = {
                {"package", "{name: make, zz_probe: 1}"}, {"line-in-file", "{path: /x, line: y, zz_probe: 1}"},
                {"file", "{path: /x, content: y, zz_probe: 1}"}, {"run", "{command: x, zz_probe: 1}"},
                {"service", "{name: x, zz_probe: 1}"}, {"upload", "{src: r.yaml, dest: /x, zz_probe: 1}"},
                {"local", "{command: x, zz_probe: 1}"}, {"reboot", "{when: x, zz_probe: 1}"}};
        for (String[] b : bodies) {
            String pointer = STEP + b[0] + (List.of("package", "run", "local", "reboot").contains(b[0]) ? "/oneOf/1" : "");
            parts.add(new Part(b[0] + " step", "name: s\n" + minimal, "name: r\nsteps: [{" + b[0] + ": " + b[1] + "}]\n",
                    "recipe.schema.json", pointer));
        }
        assertThat(Arrays.stream(bodies).map(b -> b[0]).toList()).containsExactlyInAnyOrderElementsOf(Step.TYPES);
        return parts;
    }

    private Set<String> keysTheLoaderAccepts(Part part) throws IOException {
        Files.writeString(dir.resolve("spec.yaml"), part.spec());
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/r.yaml"), part.recipe());
        SpecException e = (SpecException) org.assertj.core.api.Assertions.catchThrowable(
                () -> SpecLoader.load(dir.resolve("spec.yaml")));
        assertThat(e).as(part.label() + " must reject zz_probe").isNotNull();
        String probe = e.problems().stream().map(Object::toString).filter(m -> m.contains("zz_probe")).findFirst()
                .orElseThrow(() -> new AssertionError(part.label() + ": no problem names zz_probe: " + e.getMessage()));
        Matcher m = ALLOWED.matcher(probe);
        assertThat(m.find()).as(probe).isTrue();
        return new LinkedHashSet<>(Arrays.asList(m.group(1).split(",\\s*")));
    }

    @ParameterizedTest
    @MethodSource("parts")
    void everyKeyTheLoaderAcceptsIsInTheSchemaAndTheReference(Part part) throws IOException {
        Set<String> accepted = keysTheLoaderAccepts(part);
        JsonNode node = schema(part.schemaFile()).at(part.schemaPointer());
        Set<String> inSchema = new LinkedHashSet<>();
        for (Iterator<String> it = node.path("properties").fieldNames(); it.hasNext(); ) inSchema.add(it.next());
        // The step level lists the common keys and only the one type key that was used.
        if (part.label().endsWith(" step") || part.label().equals("recipe use")) {
            assertThat(inSchema).as(part.label() + " in " + part.schemaFile()).containsAll(accepted);
        } else {
            // A builder's `with` (per-target parameter values) is taken out before the builder is read.
            if (part.label().startsWith("builders.")) inSchema.remove("with");
            assertThat(inSchema).as(part.label() + " in " + part.schemaFile()).containsAll(accepted);
            assertThat(accepted).as(part.label() + ": schema keys the loader does not know").containsAll(inSchema);
        }
        String reference = Files.readString(REPO.resolve("docs/specs.md"));
        for (String key : accepted) {
            assertThat(reference).as(part.label() + " key '" + key + "' in docs/specs.md")
                    .containsAnyOf("`" + key + "`", key + ":");
        }
    }

    @Test
    void referenceHasARowForEveryStepType() throws IOException {
        String reference = Files.readString(REPO.resolve("docs/specs.md"));
        for (String type : Step.TYPES) {
            assertThat(reference).contains("| `" + type + "` |");
        }
        assertThatThrownBy(() -> Step.TYPES.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
