package org.slmworkbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slmworkbench.logs.AlertGroup;
import org.slmworkbench.logs.ScoredLine;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** Drives the Logs tab headless on the shipped model and the sample logs: shaded tokens, expected text, alert groups per rate. */
class LogsViewTest {
    private static final FxRobot robot = new FxRobot();
    private static TestWindow window;

    @BeforeAll
    static void open() throws Exception {
        window = TestWindow.open("loglm-tiny");
    }

    @AfterAll
    static void close() throws Exception {
        window.close();
    }

    @Test
    void worstLinesAreShadedByTheirSurpriseAndAlertsAreGroupedAtTheChosenRate() throws Exception {
        robot.clickOn("Logs");
        LogsViewModel vm = window.main().logs().viewModel();
        long fewer = scoreAt(10);
        List<AlertGroup> groupsAtTen = List.copyOf(vm.groups);
        long more = scoreAt(500);
        assertTrue(more > fewer, "a higher rate raises more alerts: " + fewer + " vs " + more);

        TableView<AlertGroup> table = robot.lookup("#groupTable").queryTableView();
        assertEquals(vm.groups.size(), table.getItems().size(), "one row per group");
        assertTrue(vm.groups.size() < more, "alerts of one skeleton share a row: " + vm.groups.size() + " groups for " + more + " alerts");
        assertTrue(robot.lookup("#summary").queryAs(Label.class).getText().contains(String.format("%,d alerts in %d groups", more,
                vm.groups.size())));
        for (AlertGroup g : groupsAtTen) {
            int atFiveHundred = vm.groups.stream().filter(h -> h.skeleton().equals(g.skeleton())).mapToInt(AlertGroup::count).sum();
            assertTrue(atFiveHundred >= g.count(), "a group only grows with the rate: " + g.skeleton());
        }

        // the worst line comes first, its most surprising token in the darkest shade it earned, with the expected text on hover
        ScoredLine top = vm.worst.get(0);
        assertTrue(vm.worst.stream().allMatch(s -> s.score() <= top.score()));
        VBox first = (VBox) robot.lookup("#lineList").queryAs(VBox.class).getChildren().get(0);
        List<Label> tokens = robot.from(first).lookup(".log-token").queryAllAs(Label.class).stream().toList();
        assertFalse(tokens.isEmpty());
        int worst = top.tokens().worst();
        String darkest = "surprise-" + LogsPanelController.shade(top.tokens().excess()[worst]);
        Label worstToken = tokens.stream().filter(t -> t.getText().equals(top.tokens().pieces()[worst]) && t.getStyleClass().contains(darkest))
                .findFirst().orElseThrow(() -> new AssertionError("no token '" + top.tokens().pieces()[worst] + "' shaded " + darkest));
        assertTrue(worstToken.getTooltip().getText().startsWith("expected `" + top.tokens().expected()[worst].replace("\n", "\\n") + "`"),
                worstToken.getTooltip().getText());
        for (Label t : tokens) {
            int shade = Integer.parseInt(t.getStyleClass().stream().filter(c -> c.startsWith("surprise-")).findFirst().orElseThrow()
                    .substring("surprise-".length()));
            assertTrue(shade <= LogsPanelController.shade(top.tokens().excess()[worst]), "no token is shaded darker than the worst");
        }
    }

    /** Sets the alert rate, scores, and returns the number of alerts the groups hold. */
    private static long scoreAt(double rate) throws Exception {
        LogsViewModel vm = window.main().logs().viewModel();
        Spinner<Double> spinner = robot.lookup("#alertRate").queryAs(Spinner.class);
        robot.interact(() -> spinner.getValueFactory().setValue(rate));
        assertEquals(rate, vm.alertRate.get());
        String before = vm.summary.get();
        Node button = robot.lookup("#scoreButton").query();
        robot.clickOn(button);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.running.get() && !vm.summary.get().equals(before));
        WaitForAsyncUtils.waitForFxEvents();
        return vm.groups.stream().mapToLong(AlertGroup::count).sum();
    }
}
