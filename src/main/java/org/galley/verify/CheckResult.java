package org.galley.verify;

import java.time.Duration;

public record CheckResult(String name, boolean passed, String detail, Duration took) {}
