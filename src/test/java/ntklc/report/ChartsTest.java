package ntklc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.awt.image.BufferedImage;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.junit.jupiter.api.Test;

class ChartsTest {
    @Test
    void logAxisWithOneDistinctXStillDraws() {
        // Regression (found by compress with one dense network): JFreeChart's LogAxis throws "A positive
        // range length is required" when the plot is built and every x is 6.714163199999985E7 bits,
        // the memory of the R6 dense network (6.7e7 itself happens to pass). Every point at the same
        // x must still draw, on a linear axis.
        JFreeChart chart = Charts.lines("t", "x", "y",
                List.of(new Charts.Series("a", new double[] {6.714163199999985E7, 6.714163199999985E7}, new double[] {0.5, 0.7}),
                        new Charts.Series("b", new double[] {6.714163199999985E7, Double.NaN}, new double[] {0.6, 0.8})),
                true, true);
        BufferedImage image = chart.createBufferedImage(900, 600);
        assertEquals(900, image.getWidth());
        assertInstanceOf(NumberAxis.class, chart.getXYPlot().getDomainAxis());
    }

    @Test
    void logAxisIsKeptWhenXVaries() {
        JFreeChart chart = Charts.lines("t", "x", "y",
                List.of(new Charts.Series("a", new double[] {1e3, 1e6}, new double[] {0.5, 0.7})), true, true);
        chart.createBufferedImage(400, 300);
        assertInstanceOf(LogAxis.class, chart.getXYPlot().getDomainAxis());
    }
}
