package org.galley.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs the Docker engine and galley's local test images. When
 * they are missing the class fails (it is never skipped): a CI run without Docker must not
 * report success for container tests that did not run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerGuard.class)
@Tag("docker")
public @interface RequiresDocker {}
