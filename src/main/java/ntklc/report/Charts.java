package ntklc.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts rendered headless to PNG with JFreeChart. Charts are drawn from the same {@link Table}s
 * that are written as CSV, so a picture never shows a number the CSV lacks.
 */
public final class Charts {
    /** Colour cycle shared by every chart (colour-blind-safe palette of Wong, Nature Methods 2011). */
    public static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(240, 228, 66), Color.BLACK,
    };

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** A named series of points. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
            }
        }
    }

    /**
     * An XY line chart (with point markers when {@code markers}); {@code logX} uses a log10 x axis.
     * NaN points are skipped.
     *
     * <p>NOTE: JFreeChart's {@link LogAxis} refuses a zero-length range (it throws when the plot
     * is built, for some values only: 6.714163199999985E7 fails, 6.7e7 passes), so when the plotted
     * points have fewer than two distinct x values the chart uses a linear x axis instead.
     */
    public static JFreeChart lines(String title, String xLabel, String yLabel, Iterable<Series> series,
                                   boolean markers, boolean logX) {
        List<Series> list = new ArrayList<>();
        series.forEach(list::add);
        XYSeriesCollection data = collection(list);
        NumberAxis yAxis = new NumberAxis(yLabel);
        yAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        boolean log = logX && distinctX(data) > 1;
        XYPlot plot = new XYPlot(data, log ? new LogAxis(xLabel) : new NumberAxis(xLabel), yAxis, renderer);
        if (!log) {
            ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        }
        return style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    /**
     * Measured curves with reference points overlaid, in the layout of the paper's Fig. 3–4: every
     * {@code measured} series is a line with filled markers; every {@code variants} series is a
     * dashed line in the colour of the measured series whose name is the longest prefix of its own
     * (e.g. {@code "ntk-lc ε=0.9 tau-matched"} beside {@code "ntk-lc ε=0.9"}); a {@code reference}
     * series with the same name as a measured one is drawn in its colour as hollow markers without
     * a line (the paper's points). Reference series without a measured namesake get the next
     * colours. NaN points are skipped.
     */
    public static JFreeChart linesWithReference(String title, String xLabel, String yLabel, List<Series> measured,
                                                List<Series> variants, List<Series> reference, boolean logX) {
        List<Series> lineSeries = new ArrayList<>(measured);
        lineSeries.addAll(variants);
        XYSeriesCollection lineData = collection(lineSeries);
        XYSeriesCollection pointData = collection(reference);
        NumberAxis yAxis = new NumberAxis(yLabel);
        yAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        List<String> names = new ArrayList<>();
        for (Series s : measured) {
            names.add(s.name());
        }
        int extra = measured.size();
        for (int i = 0; i < lineSeries.size(); i++) {
            if (i < measured.size()) {
                lines.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
                lines.setSeriesStroke(i, new BasicStroke(2f));
                continue;
            }
            String name = lineSeries.get(i).name();
            int colour = -1;
            for (int j = 0; j < names.size(); j++) {
                if (name.startsWith(names.get(j)) && (colour < 0 || names.get(j).length() > names.get(colour).length())) {
                    colour = j;
                }
            }
            lines.setSeriesPaint(i, PALETTE[(colour >= 0 ? colour : extra++) % PALETTE.length]);
            lines.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {8f, 5f}, 0f));
        }
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < reference.size(); i++) {
            int colour = names.indexOf(reference.get(i).name());
            points.setSeriesPaint(i, PALETTE[(colour >= 0 ? colour : extra++) % PALETTE.length]);
            points.setSeriesShapesFilled(i, false);
            points.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
            points.setSeriesOutlineStroke(i, new BasicStroke(1.5f));
            points.setSeriesStroke(i, new BasicStroke(1.5f));
            points.setSeriesVisibleInLegend(i, colour < 0);
        }
        points.setUseOutlinePaint(false);
        boolean log = logX && distinctX(lineData, pointData) > 1;
        XYPlot plot = new XYPlot(lineData, log ? new LogAxis(xLabel) : new NumberAxis(xLabel), yAxis, lines);
        plot.setDataset(1, pointData);
        plot.setRenderer(1, points);
        if (!log) {
            ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        }
        return style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    private static XYSeriesCollection collection(List<Series> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isNaN(s.x()[i]) && !Double.isNaN(s.y()[i])) {
                    xy.add(s.x()[i], s.y()[i]);
                }
            }
            data.addSeries(xy);
        }
        return data;
    }

    /**
     * Marks {@code values} on the x axis of an XY chart with vertical lines labelled
     * {@code label + value}, in {@code colour}, dashed when {@code dashed}: the isolated
     * eigenvalues of a spectrum, whose count-1 bars are too thin to see in a histogram.
     */
    public static JFreeChart markX(JFreeChart chart, double[] values, Color colour, boolean dashed, String label) {
        XYPlot plot = (XYPlot) chart.getPlot();
        for (double v : values) {
            ValueMarker m = new ValueMarker(v, colour, dashed
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(1.5f));
            m.setLabel(label + Table.formatNumber(v, 4));
            m.setLabelPaint(colour);
            m.setLabelAnchor(dashed ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(dashed ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
            m.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(dashed ? 20 : 4, 2, 2, 2));
            plot.addDomainMarker(m);
        }
        return chart;
    }

    /** Number of distinct x values over all series of {@code data}. */
    private static long distinctX(XYSeriesCollection... data) {
        Set<Double> xs = new HashSet<>();
        for (XYSeriesCollection d : data) {
            for (int s = 0; s < d.getSeriesCount(); s++) {
                for (int i = 0; i < d.getItemCount(s); i++) {
                    xs.add(d.getXValue(s, i));
                }
            }
        }
        return xs.size();
    }

    /**
     * Overlaid histograms on common bins, drawn semi-transparent so that overlaps show (the
     * eigenvalue histograms of the paper's Fig. 2, top). Bin {@code i} spans
     * {@code [table.loColumn[i], table.hiColumn[i]]}; each count column is one histogram.
     */
    public static JFreeChart histograms(String title, String xLabel, String yLabel, Table table, String loColumn,
                                        String hiColumn, String... countColumns) {
        double[] lo = table.doubles(loColumn);
        double[] hi = table.doubles(hiColumn);
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        for (String c : countColumns) {
            double[] counts = table.doubles(c);
            XYIntervalSeries s = new XYIntervalSeries(c);
            for (int i = 0; i < counts.length; i++) {
                s.add(0.5 * (lo[i] + hi[i]), lo[i], hi[i], counts[i], 0, counts[i]);
            }
            data.addSeries(s);
        }
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        for (int i = 0; i < countColumns.length; i++) {
            Color c = PALETTE[i % PALETTE.length];
            renderer.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), 120));
        }
        NumberAxis xAxis = new NumberAxis(xLabel);
        xAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, new NumberAxis(yLabel), renderer);
        return style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    /** Series from columns of a table: one series per y column against {@code xColumn}. */
    public static Iterable<Series> fromTable(Table table, String xColumn, String... yColumns) {
        Map<String, Series> out = new LinkedHashMap<>();
        double[] x = table.doubles(xColumn);
        for (String y : yColumns) {
            out.put(y, new Series(y, x, table.doubles(y)));
        }
        return out.values();
    }

    /**
     * Training curves: {@code top} (e.g. loss) above {@code bottom} (e.g. accuracy), sharing one
     * integer epoch axis, styled, with a legend.
     */
    public static JFreeChart overEpochs(String title, XYPlot top, XYPlot bottom) {
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setAutoRangeIncludesZero(false);
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        plot.add(top, 1);
        plot.add(bottom, 1);
        return style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    /** White background and light grid lines. */
    public static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(220, 220, 220));
            plot.setRangeGridlinePaint(new Color(220, 220, 220));
        }
        return chart;
    }

    /** Renders {@code chart} to a PNG inside the run folder, atomically. */
    public static Path savePng(RunFolder run, String name, JFreeChart chart, int width, int height) {
        return run.write(name, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }
}
