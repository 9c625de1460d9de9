package io.credproxy.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which library names and files the agent refuses to load. */
class NativeLibraryGuardTest {
    @Test
    void awsCrtAndZeroMqAreRefusedByNameAndByFileWhateverTheirPrefix() {
        assertThat(NativeLibraryGuard.refused("aws-crt-jni")).isEqualTo("aws-crt-jni");
        assertThat(NativeLibraryGuard.refused("/tmp/AWSCRT_1712345678libaws-crt-jni.so")).isEqualTo("aws-crt-jni");
        assertThat(NativeLibraryGuard.refused("C:\\Temp\\AWS-CRT-JNI.DLL")).isEqualTo("aws-crt-jni");
        assertThat(NativeLibraryGuard.refused("/usr/lib/libjzmq.so")).isEqualTo("jzmq");
    }

    @Test
    void nettysOwnTransportsAndOtherLibrariesAreNot() {
        assertThat(NativeLibraryGuard.refused("netty_transport_native_epoll_x86_64")).isNull();
        assertThat(NativeLibraryGuard.refused("/tmp/libio_grpc_netty_shaded_netty_transport_native_epoll_x86_64123.so")).isNull();
        assertThat(NativeLibraryGuard.refused("netty_transport_native_io_uring42_x86_64")).isNull();
        assertThat(NativeLibraryGuard.refused("zip")).isNull();
        // A directory that happens to carry the name does not make a library one.
        assertThat(NativeLibraryGuard.refused("/opt/aws-crt-jni/libother.so")).isNull();
    }

    @Test
    void withoutTheAgentNothingIsRefused() {
        NativeLibraryGuard.check("aws-crt-jni"); // no policy installed in this JVM: nothing happens
    }
}
