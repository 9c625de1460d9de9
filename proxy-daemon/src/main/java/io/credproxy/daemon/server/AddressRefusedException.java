package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.StageResult;

/** The upstream address was refused by a stage before any connect; carries the stage's answer. */
final class AddressRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient StageResult answer;

    AddressRefusedException(StageResult answer) {
        super("upstream address refused", null, false, false);
        this.answer = answer;
    }

    StageResult answer() {
        return answer;
    }
}
