package org.slmworkbench.cli;

import org.slmworkbench.model.MatVec;

/** The one line that tells a user of a decode-timing command how to get the faster decode kernel. */
final class DecodeKernelNote {
    private DecodeKernelNote() {}

    static void printIfMissing() {
        if (!MatVec.available()) {
            System.err.println("note: java was started without --add-modules jdk.incubator.vector, so decoding uses PyTorch's"
                    + " matrix-vector products, 1.3-1.7x slower on models of 100M parameters and more");
        }
    }
}
