package io.credproxy.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import jdk.internal.access.JavaLangAccess;
import jdk.internal.access.SharedSecrets;

/**
 * Defines the {@code io.credproxy.agent.bootstrap} package in the bootstrap class loader.
 *
 * <p>Code woven into JDK classes (loaded by the bootstrap loader) can only call classes that loader
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
 * <p>Only this package goes there: ASM and the rest of the agent stay in the application loader, out
 * of sight of other code. This must run before anything loads a class of the package, or the
 * application loader would define it a second time. One class waits: {@code ForcedProxySelector},
 * defined when first needed ({@link #deferredDefiner()}; see {@code SelectorForcing} for why).
 */
final class BootstrapHelpers {
    static final String PACKAGE_PATH = "io/credproxy/agent/bootstrap/";
    /** Defined when first needed: defining it loads {@code java.net.ProxySelector}, which must then be woven. */
    static final String DEFERRED = "io.credproxy.agent.bootstrap.ForcedProxySelector";

    private static volatile ClassFile deferred;

    private BootstrapHelpers() {}

    static void inject(Instrumentation instrumentation) throws IOException {
        List<ClassFile> classes = readClasses(agentLocation());
        if (classes.isEmpty()) {
            throw new IOException("no bootstrap helper classes in the agent jar");
        }
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.access",
                Set.of(BootstrapHelpers.class.getModule())), Map.of(), Set.of(), Map.of());
        List<ClassFile> now = new ArrayList<>(classes.size());
        for (ClassFile file : classes) {
            if (file.name.equals(DEFERRED)) {
                deferred = file;
            } else {
                now.add(file);
            }
        }
        if (deferred == null) {
            throw new IOException("no " + DEFERRED + " in the agent jar");
        }
        define(now);
    }

    /** What defines the deferred class in the bootstrap loader, once, when asked ({@code SelectorForcing}). */
    static Supplier<Object> deferredDefiner() {
        // An anonymous class, not a lambda: this runs in premain, where the first lambda costs start-up time.
        return new Supplier<Object>() {
            @Override
            public Object get() {
                ClassFile file = deferred;
                if (file != null) {
                    try {
                        define(List.of(file));
                    } catch (IOException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                    deferred = null;
                }
                return null;
            }
        };
    }

    /** Defines {@code classes} in the bootstrap loader, each after its supertypes. */
    private static void define(List<ClassFile> classes) throws IOException {
        // A direct call, compiled with the package exported: reflection would cost more than the definitions.
        JavaLangAccess access = SharedSecrets.getJavaLangAccess();
        // A class can only be defined after its supertypes: retry what failed until nothing moves.
        List<ClassFile> left = new ArrayList<>(classes);
        while (!left.isEmpty()) {
            int before = left.size();
            Throwable last = null;
            for (Iterator<ClassFile> it = left.iterator(); it.hasNext(); ) {
                ClassFile file = it.next();
                try {
                    access.defineClass(null, file.name, file.bytes, null, "credproxy-agent");
                    it.remove();
                } catch (NoClassDefFoundError e) {
                    last = e;
                }
            }
            if (left.size() == before) {
                throw new IOException("cannot define " + left + " in the bootstrap loader: " + last);
            }
        }
    }

    /** One class file of the package. */
    private static final class ClassFile {
        final String name;
        final byte[] bytes;

        ClassFile(String name, byte[] bytes) {
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Path agentLocation() throws IOException {
        try {
            return Path.of(BootstrapHelpers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate the agent jar", e);
        }
    }

    /**
     * Every class file of the package; top-level classes first (nested ones implement or extend them,
     * so this order mostly defines each class after its supertypes on the first pass).
     */
    private static List<ClassFile> readClasses(Path source) throws IOException {
        List<ClassFile> classes = new ArrayList<>();
        if (Files.isDirectory(source)) { // running from target/classes (development, tests)
            try (Stream<Path> files = Files.list(source.resolve(PACKAGE_PATH))) {
                for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                    Path file = it.next();
                    String name = file.getFileName().toString();
                    if (name.endsWith(".class")) {
                        classes.add(new ClassFile(binaryName(PACKAGE_PATH + name), Files.readAllBytes(file)));
                    }
                }
            }
        } else {
            try (JarFile agent = new JarFile(source.toFile())) {
                Enumeration<JarEntry> entries = agent.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (name.startsWith(PACKAGE_PATH) && name.endsWith(".class") && name.indexOf('/', PACKAGE_PATH.length()) < 0) {
                        try (InputStream in = agent.getInputStream(entry)) {
                            classes.add(new ClassFile(binaryName(name), in.readAllBytes()));
                        }
                    }
                }
            }
        }
        List<ClassFile> ordered = new ArrayList<>(classes.size());
        for (ClassFile file : classes) {
            if (file.name.indexOf('$') < 0) {
                ordered.add(file);
            }
        }
        for (ClassFile file : classes) {
            if (file.name.indexOf('$') >= 0) {
                ordered.add(file);
            }
        }
        return ordered;
    }

    private static String binaryName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
