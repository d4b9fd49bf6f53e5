package org.slmworkbench.cli;

import java.util.Locale;
import org.slmworkbench.logs.LmContext;
import picocli.CommandLine.ITypeConverter;

/** {@code line} or {@code stream}, in lower case as the help shows them. */
final class LmContextConverter implements ITypeConverter<LmContext> {
    @Override
    public LmContext convert(String value) {
        try {
            return LmContext.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--context must be line or stream, got '" + value + "'");
        }
    }
}
