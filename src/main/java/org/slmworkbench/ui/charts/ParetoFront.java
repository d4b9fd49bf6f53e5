package org.slmworkbench.ui.charts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The items no other item beats on two costs that are both minimised. Pure: no JavaFX, no charts. */
public final class ParetoFront {
    private ParetoFront() {}

    /**
     * Items that no other item dominates (is at most as large on both x and y and smaller on one),
     * ordered by x ascending, so they can be drawn as a line. Exact duplicates of a front point are
     * all kept, since neither dominates the other. Items with a NaN cost cannot be placed and are
     * left out.
     */
    public static <T> List<T> of(List<? extends T> items, ToDoubleFunction<? super T> x, ToDoubleFunction<? super T> y) {
        List<T> sorted = new ArrayList<>();
        for (T item : items) {
            if (!Double.isNaN(x.applyAsDouble(item)) && !Double.isNaN(y.applyAsDouble(item))) {
                sorted.add(item);
            }
        }
        sorted.sort(Comparator.<T>comparingDouble(x).thenComparingDouble(y));
        List<T> front = new ArrayList<>();
        double bestY = Double.POSITIVE_INFINITY;
        double xOfBest = Double.NaN;
        for (T item : sorted) {
            double itemX = x.applyAsDouble(item);
            double itemY = y.applyAsDouble(item);
            // Sorted by x, so an item is on the front iff it beats every y seen so far,
            // or equals the last front point exactly.
            if (itemY < bestY || (itemY == bestY && itemX == xOfBest)) {
                front.add(item);
                bestY = itemY;
                xOfBest = itemX;
            }
        }
        return front;
    }
}
