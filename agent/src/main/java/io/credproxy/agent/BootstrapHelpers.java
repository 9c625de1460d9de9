package io.credproxy.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Defines the {@code io.credproxy.agent.bootstrap} package in the bootstrap class loader.
 *
 * <p>Advice woven into JDK classes (loaded by the bootstrap loader) can only call classes that loader
 * sees. The documented way, {@link Instrumentation#appendToBootstrapClassLoaderSearch}, has a cost on
 * every start: once the bootstrap path is appended at run time, the JVM turns class-data sharing off
 * for every class outside the bootstrap loader and prints a warning saying so. So the package's class
 * files are read from the agent jar and defined in the bootstrap loader directly, through the JDK's
 * {@code JavaLangAccess.defineClass} (the method {@code ClassLoader} itself uses), which the
 * {@code Instrumentation} exports to the agent. The price of that export: code in the application's
 * unnamed module (where the agent lives) can reach {@code jdk.internal.access} too; an application
 * could already do worse with {@code sun.misc.Unsafe}, and the agent is not a fence against an
 * adversarial application (kernel egress rules are; see the README's security model).
 *
 * <p>Only this package goes there: Byte Buddy and the rest of the agent stay in the application loader,
 * out of sight of other code. This must run before anything loads a class of the package, or the
 * application loader would define it a second time.
 */
final class BootstrapHelpers {
    static final String PACKAGE_PATH = "io/credproxy/agent/bootstrap/";

    private BootstrapHelpers() {}

    static void inject(Instrumentation instrumentation) throws IOException, ReflectiveOperationException {
        Map<String, byte[]> classes = readClasses(agentLocation());
        if (classes.isEmpty()) {
            throw new IOException("no bootstrap helper classes in the agent jar");
        }
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.access",
                Set.of(BootstrapHelpers.class.getModule())), Map.of(), Set.of(), Map.of());
        Class<?> accessType = Class.forName("jdk.internal.access.JavaLangAccess");
        Object access = Class.forName("jdk.internal.access.SharedSecrets").getMethod("getJavaLangAccess").invoke(null);
        Method define = accessType.getMethod("defineClass", ClassLoader.class, String.class, byte[].class,
                ProtectionDomain.class, String.class);
        // A class can only be defined after its supertypes: retry what failed until nothing moves.
        Map<String, byte[]> left = new LinkedHashMap<>(classes);
        while (!left.isEmpty()) {
            int before = left.size();
            Throwable last = null;
            for (Iterator<Map.Entry<String, byte[]>> it = left.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, byte[]> entry = it.next();
                try {
                    define.invoke(access, null, entry.getKey(), entry.getValue(), null, "credproxy-agent");
                    it.remove();
                } catch (InvocationTargetException e) {
                    last = e.getCause();
                }
            }
            if (left.size() == before) {
                throw new IOException("cannot define " + left.keySet() + " in the bootstrap loader: " + last);
            }
        }
    }

    private static Path agentLocation() throws IOException {
        try {
            return Path.of(BootstrapHelpers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate the agent jar", e);
        }
    }

    /** Binary class name to class file, for every class of the package. */
    private static Map<String, byte[]> readClasses(Path source) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        if (Files.isDirectory(source)) { // running from target/classes (development, tests)
            try (Stream<Path> files = Files.list(source.resolve(PACKAGE_PATH))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".class")) {
                        classes.put(binaryName(PACKAGE_PATH + name), Files.readAllBytes(file));
                    }
                }
            }
            return classes;
        }
        try (JarFile agent = new JarFile(source.toFile())) {
            Enumeration<JarEntry> entries = agent.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(PACKAGE_PATH) && name.endsWith(".class") && name.indexOf('/', PACKAGE_PATH.length()) < 0) {
                    try (InputStream in = agent.getInputStream(entry)) {
                        classes.put(binaryName(name), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    private static String binaryName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
