package org.galley.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.galley.checks.CheckRunner;
import org.galley.imagespec.Check;
import org.galley.recipes.Step;
import org.galley.steps.StepRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adding a step or check type is one record, one executor, one schema entry and one docs
 * row: a type that lacks any of them fails here, before any build meets it.
 */
class EveryTypeIsCompleteTest {
    private static final Path REPO = Path.of(System.getProperty("galley.repo", "."));

    static Stream<Class<?>> stepTypes() {
        return Arrays.stream(Step.class.getPermittedSubclasses());
    }

    static Stream<Class<?>> checkTypes() {
        return Arrays.stream(Check.class.getPermittedSubclasses());
    }

    @ParameterizedTest
    @MethodSource("stepTypes")
    void everyStepTypeHasAnExecutorASchemaEntryAndADocsRow(Class<?> type) throws Exception {
        String key = ((Step) instance(type)).type();
        assertThat(StepRunner.executors()).as("executor of " + type.getSimpleName()).containsKey(type.asSubclass(Step.class));
        assertThat(Step.TYPES).as("Step.TYPES").contains(key);
        assertThat(schema("recipe.schema.json").at("/$defs/step/properties/" + key).isMissingNode())
                .as(key + " in docs/schema/recipe.schema.json").isFalse();
        assertThat(Files.readString(REPO.resolve("docs/specs.md"))).as(key + " row in docs/specs.md")
                .contains("| `" + key + "` |");
    }

    @ParameterizedTest
    @MethodSource("checkTypes")
    void everyCheckTypeHasAnExecutorASchemaEntryAndADocsRow(Class<?> type) throws Exception {
        String key = ((Check) instance(type)).type();
        assertThat(CheckRunner.executors()).as("executor of " + type.getSimpleName())
                .containsKey(type.asSubclass(Check.class));
        assertThat(Check.TYPES).as("Check.TYPES").contains(key);
        assertThat(schema("spec.schema.json").at("/$defs/check/properties/" + key).isMissingNode())
                .as(key + " in docs/schema/spec.schema.json").isFalse();
        assertThat(Files.readString(REPO.resolve("docs/specs.md"))).as(key + " row in docs/specs.md")
                .contains("| `" + key + "` |");
    }

    @ParameterizedTest
    @MethodSource("checkTypes")
    void everyCheckTypeKeyIsOneTheParserKnows(Class<?> type) throws Exception {
        assertThat(Check.TYPES).contains(((Check) instance(type)).type());
        assertThat(Check.TYPES).hasSize(Check.class.getPermittedSubclasses().length);
        assertThat(Step.TYPES).hasSize(Step.class.getPermittedSubclasses().length);
    }

    private static JsonNode schema(String name) throws IOException {
        return new ObjectMapper().readTree(REPO.resolve("docs/schema/" + name).toFile());
    }

    /** A record with every component at its type's empty value: enough to ask it for its type key. */
    private static Object instance(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> c = type.getDeclaredConstructor(types);
        Object[] args = Arrays.stream(types).map(EveryTypeIsCompleteTest::empty).toArray();
        return c.newInstance(args);
    }

    private static Object empty(Class<?> t) {
        if (t == int.class) return 0;
        if (t == boolean.class) return false;
        if (t == List.class) return List.of();
        if (t == Map.class) return Map.of();
        return null;
    }
}
