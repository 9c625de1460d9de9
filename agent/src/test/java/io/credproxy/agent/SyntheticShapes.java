package io.credproxy.agent;

import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Class files, written with ASM, in the shapes the agent's targets have had in the JDK and library
 * versions it must serve, for {@link KnownShapesTest}: the same class name and the same method, with
 * its parameters as that version declares them, and a body that does what the real one does with the
 * value the hook changes. None of them has a branch, so they need no stack map frames of their own.
 */
final class SyntheticShapes {
    static final String HTTP_REQUEST = "Ljava/net/http/HttpRequest;";
    static final String PROXY_SELECTOR = "Ljava/net/ProxySelector;";
    static final String URI = "Ljava/net/URI;";
    static final String HTTP_HOST = "Lorg/apache/hc/core5/http/HttpHost;";
    private static final String PROXY = "Ljava/net/Proxy;";
    private static final String ROUTE = "org/apache/hc/client5/http/HttpRoute";

    private SyntheticShapes() {}

    /**
     * {@code jdk.internal.net.http.HttpRequestImpl} with a public {@code proxy} field, whose constructor
     * takes {@code constructorParameters} (an {@code HttpRequest} and a {@code ProxySelector} among
     * them) and sets {@code proxy = retrieveProxy(...)}, a private static method taking
     * {@code retrieveProxyParameters} (a {@code ProxySelector} and a {@code URI} among them; an
     * {@code HttpRequest} too in later Java 17 updates) that answers {@code ps.select(uri).get(0)}.
     */
    static byte[] httpRequestImpl(List<String> constructorParameters, List<String> retrieveProxyParameters) {
        String owner = "jdk/internal/net/http/HttpRequestImpl";
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, owner, null, "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_PUBLIC, "proxy", PROXY, null, null).visitEnd();

        String constructor = descriptor(constructorParameters, "V");
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", constructor, null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        for (String parameter : retrieveProxyParameters) {
            if (parameter.equals(URI)) {
                init.visitVarInsn(Opcodes.ALOAD, slot(constructorParameters, HTTP_REQUEST));
                init.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/net/http/HttpRequest", "uri", "()" + URI, false);
            } else {
                init.visitVarInsn(Opcodes.ALOAD, slot(constructorParameters, parameter));
            }
        }
        String retrieveProxy = descriptor(retrieveProxyParameters, PROXY);
        init.visitMethodInsn(Opcodes.INVOKESTATIC, owner, "retrieveProxy", retrieveProxy, false);
        init.visitFieldInsn(Opcodes.PUTFIELD, owner, "proxy", PROXY);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor retrieve = writer.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "retrieveProxy", retrieveProxy,
                null, null);
        retrieve.visitCode();
        retrieve.visitVarInsn(Opcodes.ALOAD, retrieveProxyParameters.indexOf(PROXY_SELECTOR));
        retrieve.visitVarInsn(Opcodes.ALOAD, retrieveProxyParameters.indexOf(URI));
        retrieve.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/net/ProxySelector", "select", "(" + URI + ")Ljava/util/List;", false);
        retrieve.visitInsn(Opcodes.ICONST_0);
        retrieve.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/List", "get", "(I)Ljava/lang/Object;", true);
        retrieve.visitTypeInsn(Opcodes.CHECKCAST, "java/net/Proxy");
        retrieve.visitInsn(Opcodes.ARETURN);
        retrieve.visitMaxs(0, 0);
        retrieve.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /**
     * An Apache client class ({@code InternalHttpClient} or {@code InternalHttpAsyncClient}) with a
     * public no-argument constructor and a private {@code determineRoute} taking {@code parameters} (an
     * {@code HttpHost} among them) that answers {@code new HttpRoute(host, null, true)}: direct and
     * secure, as a client built without a proxy routes {@code https://} targets.
     */
    static byte[] apacheClient(String binaryName, List<String> parameters) {
        String owner = binaryName.replace('.', '/');
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, owner, null, "java/lang/Object", null);
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor route = writer.visitMethod(Opcodes.ACC_PRIVATE, "determineRoute", descriptor(parameters, "L" + ROUTE + ";"),
                null, new String[] {"org/apache/hc/core5/http/HttpException"});
        route.visitCode();
        route.visitTypeInsn(Opcodes.NEW, ROUTE);
        route.visitInsn(Opcodes.DUP);
        route.visitVarInsn(Opcodes.ALOAD, slot(parameters, HTTP_HOST));
        route.visitInsn(Opcodes.ACONST_NULL);
        route.visitInsn(Opcodes.ICONST_1);
        route.visitMethodInsn(Opcodes.INVOKESPECIAL, ROUTE, "<init>", "(" + HTTP_HOST + "Ljava/net/InetAddress;Z)V", false);
        route.visitInsn(Opcodes.ARETURN);
        route.visitMaxs(0, 0);
        route.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static String descriptor(List<String> parameters, String returnType) {
        return "(" + String.join("", parameters) + ")" + returnType;
    }

    /** The local slot of the (reference) parameter of {@code type} in an instance method, after {@code this}. */
    private static int slot(List<String> parameters, String type) {
        int slot = 1;
        for (String parameter : parameters) {
            if (parameter.equals(type)) {
                return slot;
            }
            slot += Type.getType(parameter).getSize();
        }
        throw new IllegalArgumentException(type + " is not among " + parameters);
    }
}
