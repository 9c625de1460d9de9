package io.credproxy.agent;

import java.io.IOException;
import java.io.InputStream;

/**
 * Defines one (woven) class from bytes, and the rest of its package from the original class files
 * (package-private supertypes must share its loader); everything else comes from the test's loader,
 * and so from the JDK. Linking the class runs the JVM's verifier over what the weaver wrote. The
 * surefire configuration exports the JDK packages involved to the unnamed module.
 */
final class VerifyingLoader extends ClassLoader {
    private final String name;
    private final String packagePrefix;
    private final byte[] classFile;

    VerifyingLoader(String name, byte[] classFile) {
        super(VerifyingLoader.class.getClassLoader());
        this.name = name;
        this.packagePrefix = name.substring(0, name.lastIndexOf('.') + 1);
        this.classFile = classFile;
    }

    /** Defines {@code classFile} as {@code name} in a loader of its own and links it: the verifier runs now. */
    static Class<?> defineAndVerify(String name, byte[] classFile) throws ClassNotFoundException {
        Class<?> defined = new VerifyingLoader(name, classFile).loadClass(name);
        defined.getDeclaredMethods();
        return defined;
    }

    /** The class file of {@code binaryName} as this JVM's (or the class path's) resources hold it; {@code null} if none. */
    static byte[] originalClassFile(String binaryName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(binaryName.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(className)) {
            Class<?> loaded = findLoadedClass(className);
            if (loaded != null) {
                return loaded;
            }
            if (className.equals(name)) {
                return defineClass(className, classFile, 0, classFile.length);
            }
            if (className.startsWith(packagePrefix) && className.indexOf('.', packagePrefix.length()) < 0) {
                try {
                    byte[] original = originalClassFile(className);
                    if (original != null) {
                        return defineClass(className, original, 0, original.length);
                    }
                } catch (IOException e) {
                    throw new ClassNotFoundException(className, e);
                }
            }
            return super.loadClass(className, resolve);
        }
    }
}
