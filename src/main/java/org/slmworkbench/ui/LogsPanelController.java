package org.slmworkbench.ui;

import java.util.Locale;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import org.slmworkbench.bench.TokenSurprise;
import org.slmworkbench.logs.AlertGroup;
import org.slmworkbench.logs.ScoredLine;

/** The Logs tab: alert groups in a table, then the worst held-out lines with each token shaded by its surprise. */
public final class LogsPanelController implements Panel {
    /** Excess surprise (nats) per shade step; five steps, the last for 4 nats and more. */
    static final double NATS_PER_SHADE = 1.0;
    static final int SHADES = 5;

    @FXML private Spinner<Double> alertRate;
    @FXML private CheckBox streamBox;
    @FXML private Button scoreButton;
    @FXML private Label summary;
    @FXML private TableView<AlertGroup> groupTable;
    @FXML private VBox lineList;
    private LogsViewModel vm;

    @Override
    public void init(WorkbenchModel workbench) {
        vm = new LogsViewModel(workbench);
        alertRate.setValueFactory(new SpinnerValueFactory.DoubleSpinnerValueFactory(1, 10_000, vm.alertRate.get(), 10));
        alertRate.valueProperty().addListener((obs, old, v) -> vm.alertRate.set(v));
        streamBox.selectedProperty().bindBidirectional(vm.stream);
        scoreButton.disableProperty().bind(vm.running.or(workbench.upToDate.not()));
        summary.textProperty().bind(vm.summary);
        groupTable.setItems(vm.groups);
        column("count", g -> String.valueOf(g.count()));
        column("first seen", g -> g.first().source() + ":" + g.first().number());
        column("last seen", g -> g.last().source() + ":" + g.last().number());
        column("worst", g -> String.format(Locale.ROOT, "%.2f", g.worst().score()));
        column("skeleton", AlertGroup::skeleton);
        vm.worst.addListener((ListChangeListener<ScoredLine>) c -> lineList.getChildren().setAll(vm.worst.stream().map(this::row).toList()));
    }

    LogsViewModel viewModel() {
        return vm;
    }

    private void column(String header, java.util.function.Function<AlertGroup, String> value) {
        TableColumn<AlertGroup, String> col = new TableColumn<>(header);
        col.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        groupTable.getColumns().add(col);
    }

    /** One line: its score and place, then its masked tokens as the model read them, shaded, with what it expected on hover. */
    private VBox row(ScoredLine s) {
        Label head = new Label(String.format(Locale.ROOT, "%.2f  %s:%d  %s", s.score(), s.line().source(), s.line().number(),
                s.tokens().explanation()));
        head.getStyleClass().add("log-line-head");
        head.setTooltip(new Tooltip(s.line().text()));
        FlowPane tokens = new FlowPane();
        tokens.getStyleClass().add("log-tokens");
        TokenSurprise t = s.tokens();
        for (int i = 0; i < t.pieces().length; i++) {
            if (t.pieces()[i].equals("\n")) {
                continue;
            }
            Label token = new Label(t.pieces()[i]);
            token.getStyleClass().addAll("log-token", "surprise-" + shade(t.excess()[i]));
            token.setTooltip(new Tooltip(String.format(Locale.ROOT, "expected `%s` · %.2f nats beyond the model's uncertainty",
                    t.expected()[i].replace("\n", "\\n"), t.excess()[i])));
            tokens.getChildren().add(token);
        }
        VBox box = new VBox(2, head, tokens);
        box.getStyleClass().add("log-line");
        return box;
    }

    static int shade(double excess) {
        return (int) Math.max(0, Math.min(SHADES - 1, Math.floor(excess / NATS_PER_SHADE)));
    }

    @FXML
    private void onScore() {
        vm.score();
    }
}
