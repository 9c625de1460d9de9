package io.credproxy.bench;

import io.credproxy.bench.scenario.Scenario;

/** A scenario and how many interleaved rounds it gets. */
public record PlannedScenario(Scenario scenario, int rounds) {}
