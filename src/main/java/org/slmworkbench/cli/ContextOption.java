package org.slmworkbench.cli;

import java.util.Locale;
import org.slmworkbench.logs.LmContext;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The --context flag of score, logbench and the Spark job: how the language model reads a log. */
public final class ContextOption {
    @Option(names = "--context", defaultValue = "line", paramLabel = "line|stream", converter = Converter.class,
            description = "line (default): each line alone as its masked skeleton, fast; stream: each file as one stream of raw text,"
                    + " every line in the context of the ones before it (sees bursts and impossible values, but reads every token)")
    LmContext context;

    public LmContext context() {
        return context;
    }

    /** {@code line} or {@code stream}, in lower case as the help shows them. */
    static final class Converter implements ITypeConverter<LmContext> {
        @Override
        public LmContext convert(String value) {
            try {
                return LmContext.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--context must be line or stream, got '" + value + "'");
            }
        }
    }
}
