package io.credproxy.daemon.identity;

/** The two files that list the TCP sockets of this network namespace. */
enum ProcNetFile {
    TCP("tcp"), TCP6("tcp6");

    final String fileName;

    ProcNetFile(String fileName) {
        this.fileName = fileName;
    }
}
