package io.credproxy.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads AWS CRT's JNI library the two ways it can be loaded (by name from the library path, and by
 * file, as AWS CRT extracts it from its jar), with an empty stand-in file: without the agent the
 * JVM fails to link it (it is no library), with the agent it is refused before that.
 */
public final class LoadsNativeLibraries {
    private LoadsNativeLibraries() {}

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempDirectory("crt").resolve("AWSCRT_1234libaws-crt-jni.so");
        Files.write(file, new byte[0]);
        try {
            System.load(file.toString());
            System.out.println("load: loaded");
        } catch (UnsatisfiedLinkError e) {
            System.out.println("load: " + e.getMessage());
        }
        try {
            System.loadLibrary("aws-crt-jni");
            System.out.println("loadLibrary: loaded");
        } catch (UnsatisfiedLinkError e) {
            System.out.println("loadLibrary: " + e.getMessage());
        }
    }
}
