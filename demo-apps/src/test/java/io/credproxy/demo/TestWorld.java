package io.credproxy.demo;

import java.util.Map;

/** Child JVMs for {@link DemoWorld}: set up like the sandboxed apps of the demo. */
final class TestWorld {
    private TestWorld() {}

    static ChildJvm child(DemoWorld world, ChildJvm.Jdk jdk, String run) {
        ChildJvm child = new ChildJvm(jdk);
        world.childJvmOptions().forEach(child::option);
        for (Map.Entry<String, String> e : world.childEnvironment(run).entrySet()) {
            child.env(e.getKey(), e.getValue());
        }
        return child;
    }
}
