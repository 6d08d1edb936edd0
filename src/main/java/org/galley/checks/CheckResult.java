package org.galley.checks;

import java.time.Duration;

public record CheckResult(String name, boolean passed, String detail, Duration took) {}
