package org.slmworkbench.ui.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {
    private record P(String name, double x, double y) {}

    private static List<String> front(P... points) {
        return ParetoFront.of(List.of(points), P::x, P::y).stream().map(P::name).toList();
    }

    @Test
    void keepsUndominatedPointsOrderedByX() {
        assertEquals(List.of("a", "b", "e"), front(
                new P("e", 4, 1),
                new P("a", 1, 5),
                new P("f", 5, 2),   // dominated by e
                new P("b", 2, 3),
                new P("c", 3, 4))); // dominated by b
    }

    @Test
    void tiesOnOneCostKeepOnlyTheBetterOnTheOther() {
        assertEquals(List.of("b", "e"), front(
                new P("worse y, same x", 2, 4),
                new P("b", 2, 3),
                new P("worse x, same y", 3, 3),
                new P("e", 4, 1)));
    }

    @Test
    void exactDuplicatesOnTheFrontAreBothKept() {
        assertEquals(List.of("b1", "b2", "e"), front(new P("b1", 2, 3), new P("e", 4, 1), new P("b2", 2, 3)));
    }

    @Test
    void pointsWithANaNCostAreLeftOut() {
        assertEquals(List.of("a"), front(new P("a", 1, 5), new P("nan x", Double.NaN, 0), new P("nan y", 0, Double.NaN)));
    }

    @Test
    void emptyAndSingleInputs() {
        assertEquals(List.of(), front());
        assertEquals(List.of("only"), front(new P("only", 7, 7)));
    }
}
