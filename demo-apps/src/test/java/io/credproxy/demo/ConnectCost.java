package io.credproxy.demo;

import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What a forced connect costs: {@code N} {@code AsynchronousSocketChannel} connects (connect, then
 * close) to the demo URL's host and port, the first timed alone (under the agent it includes the
 * admin exchange for the listener), the rest as a median and 90th percentile, in microseconds.
 * Run with and without the agent against a {@link DemoWorld}: {@code ConnectCost.Run}.
 */
public final class ConnectCost {
    private ConnectCost() {}

    public static void main(String[] args) throws Exception {
        DemoTarget target = DemoTarget.fromEnvironment();
        int n = Integer.parseInt(args.length > 0 ? args[0] : "500");
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
                channel.connect(new InetSocketAddress(target.host(), target.port())).get(10, TimeUnit.SECONDS);
            }
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        long[] rest = Arrays.copyOfRange(micros, 1, n);
        Arrays.sort(rest);
        System.out.println("connect-cost: first " + micros[0] + " us, then median " + rest[rest.length / 2] + " us, p90 "
                + rest[rest.length * 9 / 10] + " us over " + rest.length);
    }

    /** Starts a {@link DemoWorld} and runs {@link ConnectCost} in child JVMs without and with the agent, in turn. */
    public static final class Run {
        public static void main(String[] args) throws Exception {
            try (DemoWorld world = DemoWorld.start(java.nio.file.Files.createTempDirectory("connect-cost"))) {
                for (int round = 0; round < 3; round++) {
                    for (boolean agent : new boolean[] {false, true}) {
                        ChildJvm child = TestWorld.child(world, ChildJvm.Jdk.JAVA_17, "cost");
                        if (agent) {
                            child.agent(world.agentOptions("connect-cost"));
                        }
                        String line = child.run(ConnectCost.class, "500").stdout().strip();
                        System.out.println((agent ? "agent    " : "no agent ") + line);
                    }
                }
            }
        }
    }
}
