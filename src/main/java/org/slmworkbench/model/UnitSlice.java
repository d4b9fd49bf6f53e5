package org.slmworkbench.model;

/**
 * The rows ({@code axis} 0) or columns (1) of a tensor that belong to attention heads or MLP
 * neurons: unit i spans indices {@code offset + i·size} up to {@code offset + (i+1)·size}. Structured
 * pruning scores units by these slices and removes them by them.
 */
public record UnitSlice(String tensor, Unit unit, int axis, int offset, int size) {
    public enum Unit { QUERY_HEAD, KV_HEAD, NEURON }
}
