package org.slmworkbench.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Items drawn with fixed relative weights. Built either from explicit weights (template mixes,
 * status codes) or with Zipf weights over a pool, so that a few hosts, users or IPs dominate and
 * values repeat the way they do in real logs.
 */
final class WeightedChoice<T> {
    private final List<T> items;
    private final double[] cumulative;

    private WeightedChoice(List<T> items, double[] weights) {
        if (items.isEmpty() || items.size() != weights.length) {
            throw new IllegalArgumentException("need one weight per item and at least one item");
        }
        this.items = List.copyOf(items);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
    }

    static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** Rank r (0-based) gets weight 1/(r+1)^exponent. */
    static <T> WeightedChoice<T> zipf(List<T> items, double exponent) {
        double[] weights = new double[items.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1.0 / StrictMath.pow(i + 1, exponent);
        }
        return new WeightedChoice<>(items, weights);
    }

    /** A Zipf pool of {@code size} values made by {@code make}, e.g. a stable set of client IPs. */
    static <T> WeightedChoice<T> zipfPool(int size, double exponent, Function<Integer, T> make) {
        List<T> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(make.apply(i));
        }
        return zipf(items, exponent);
    }

    T draw(Dice dice) {
        double target = dice.uniform() * cumulative[cumulative.length - 1];
        int index = Arrays.binarySearch(cumulative, target);
        return items.get(index >= 0 ? index : -index - 1);
    }

    static final class Builder<T> {
        private final List<T> items = new ArrayList<>();
        private final List<Double> weights = new ArrayList<>();

        Builder<T> add(double weight, T item) {
            items.add(item);
            weights.add(weight);
            return this;
        }

        WeightedChoice<T> build() {
            return new WeightedChoice<>(items, weights.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
