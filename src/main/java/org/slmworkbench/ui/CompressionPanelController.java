package org.slmworkbench.ui;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.StringConverter;
import org.slmworkbench.compress.PruneMethod;
import org.slmworkbench.compress.Quantization;

/** The compression sliders, the setting as a string, and the measured figures before and after. */
public final class CompressionPanelController implements Panel {
    @FXML private Slider pruneSlider;
    @FXML private ChoiceBox<PruneMethod> pruneMethod;
    @FXML private Label pruneLabel;
    @FXML private Slider clustersSlider;
    @FXML private Label clustersLabel;
    @FXML private ChoiceBox<Quantization> quant;
    @FXML private Label quantLabel;
    @FXML private Slider exitSlider;
    @FXML private Label exitLabel;
    @FXML private Slider thresholdSlider;
    @FXML private Label thresholdLabel;
    @FXML private Label configLabel;
    @FXML private TableView<FigureRow> figures;
    @FXML private Button measureButton;
    @FXML private Button exportButton;
    private CompressionPanelViewModel vm;
    private WorkbenchModel workbench;

    @Override
    public void init(WorkbenchModel workbench) {
        this.workbench = workbench;
        vm = new CompressionPanelViewModel(workbench);
        pruneSlider.setMax(CompressionPanelViewModel.MAX_PRUNE_PERCENT);
        pruneSlider.valueProperty().bindBidirectional(vm.prunePercent);
        pruneMethod.getItems().setAll(PruneMethod.values());
        pruneMethod.setConverter(byId(PruneMethod::id, PruneMethod::parse));
        pruneMethod.valueProperty().bindBidirectional(vm.method);
        quant.getItems().setAll(Quantization.values());
        quant.setConverter(byId(Quantization::id, Quantization::parse));
        quant.valueProperty().bindBidirectional(vm.quantization);
        quantLabel.textProperty().bind(vm.quantText);
        clustersSlider.setMax(CompressionPanelViewModel.MAX_SHARE_STEP);
        clustersSlider.valueProperty().bindBidirectional(vm.shareStep);
        exitSlider.maxProperty().bind(vm.layers);
        exitSlider.valueProperty().bindBidirectional(vm.exitLayer);
        thresholdSlider.valueProperty().bindBidirectional(vm.threshold);
        pruneLabel.textProperty().bind(vm.pruneText);
        clustersLabel.textProperty().bind(vm.shareText);
        exitLabel.textProperty().bind(vm.exitText);
        thresholdLabel.textProperty().bind(vm.thresholdText);
        configLabel.textProperty().bind(vm.configText);
        figures.getColumns().setAll(column("Figure", FigureRow::figure, 120), column("Base", FigureRow::base, 100),
                column("Compressed", FigureRow::compressed, 100), column("Change", FigureRow::change, 55));
        figures.setItems(vm.figures);
        measureButton.disableProperty().bind(workbench.upToDate.not());
        exportButton.disableProperty().bind(workbench.upToDate.not());
    }

    /** A choice shown by the id the setting string uses. */
    private static <T> StringConverter<T> byId(Function<T, String> id, Function<String, T> parse) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : id.apply(value);
            }

            @Override
            public T fromString(String s) {
                return parse.apply(s);
            }
        };
    }

    CompressionPanelViewModel viewModel() {
        return vm;
    }

    private static TableColumn<FigureRow, String> column(String title, Function<FigureRow, String> value, double width) {
        TableColumn<FigureRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setSortable(false);
        return c;
    }

    @FXML
    private void onMeasure() {
        workbench.measureFull();
    }

    @FXML
    void onExport() {
        ExportDialog.show(workbench, figures.getScene().getWindow());
    }
}
