package io.credproxy.demo;

import software.amazon.awssdk.crt.CRT;

/**
 * AWS CRT, the native runtime behind the AWS SDK's CRT HTTP client: its JNI library opens its own
 * connections, which no hook in the JVM can see. Under the agent it must not load at all.
 */
public final class AwsCrtDemo {
    private AwsCrtDemo() {}

    public static void main(String[] args) {
        try {
            System.out.println("aws-crt: native library loaded (" + CRT.getOSIdentifier() + ")");
        } catch (LinkageError e) {
            System.out.println("aws-crt: FAILED " + e);
            System.exit(1);
        }
    }
}
