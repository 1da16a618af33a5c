package ntklc.report;

import java.util.List;

/**
 * One row of a paper-versus-measured report: a metric of an item of an artefact (a figure or a
 * table of the paper), the reference value, the measured one, their deviation, the tolerance
 * and the verdict.
 *
 * <p>The verdict rule, applied by {@link #compare}: {@code reproduced} when
 * {@code |deviation| ≤ tolerance}, {@code deviates} otherwise, {@code not-run} when nothing was
 * measured (a NaN measurement or deviation). The deviation and the tolerance are in the same unit,
 * chosen per metric by the caller: an accuracy difference, a relative error, a count.
 *
 * @param artefact  the paper artefact, e.g. {@code fig3-mnist}
 * @param item      what was measured inside it, e.g. {@code ntk-lc ε=0.9 1500,1500,1500}
 * @param metric    e.g. {@code test_accuracy}
 * @param paper     the reference: the paper's number, or the theory's value where the paper prints none
 *                  (the note says which); NaN when there is none
 * @param measured  the measured value (NaN when not run)
 * @param deviation measured against the reference, in the metric's unit (NaN when not run)
 * @param tolerance the largest {@code |deviation|} that counts as reproduced
 * @param verdict   derived from the three above by the rule
 * @param note      why the tolerance is what it is, what was reduced, why it deviates; may be empty
 */
public record Comparison(String artefact, String item, String metric, double paper, double measured,
                         double deviation, double tolerance, Verdict verdict, String note) {

    /** The CSV header of {@link #table}, in order. */
    public static final List<String> COLUMNS = List.of("artefact", "item", "metric", "paper", "measured", "deviation",
            "tolerance", "verdict", "note");

    /** The three verdicts, spelt as they appear in the CSV. */
    public enum Verdict {
        REPRODUCED("reproduced"), DEVIATES("deviates"), NOT_RUN("not-run");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** Applies the verdict rule to a measured deviation. */
    public static Comparison compare(String artefact, String item, String metric, double paper, double measured,
                                     double deviation, double tolerance, String note) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be a non-negative number, got " + tolerance);
        }
        Verdict verdict = Double.isNaN(measured) || Double.isNaN(deviation) ? Verdict.NOT_RUN
                : Math.abs(deviation) <= tolerance ? Verdict.REPRODUCED : Verdict.DEVIATES;
        return new Comparison(artefact, item, metric, paper, measured, deviation, tolerance, verdict, note);
    }

    /** A row that was not measured (no data, no features, the run failed): the reason is the note. */
    public static Comparison notRun(String artefact, String item, String metric, double paper, double tolerance,
                                    String note) {
        return new Comparison(artefact, item, metric, paper, Double.NaN, Double.NaN, tolerance, Verdict.NOT_RUN, note);
    }

    /** The rows as a table with {@link #COLUMNS}; NaN numbers become empty cells. */
    public static Table table(List<Comparison> rows) {
        Table t = new Table(COLUMNS);
        for (Comparison c : rows) {
            t.add(c.artefact(), c.item(), c.metric(), cell(c.paper()), cell(c.measured()), cell(c.deviation()),
                    cell(c.tolerance()), c.verdict().word(), c.note());
        }
        return t;
    }

    /** Reads rows back from a table written by {@link #table} (for a resumed report). */
    public static List<Comparison> fromTable(Table t) {
        double[] paper = t.doubles("paper");
        double[] measured = t.doubles("measured");
        double[] deviation = t.doubles("deviation");
        double[] tolerance = t.doubles("tolerance");
        java.util.ArrayList<Comparison> out = new java.util.ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            Verdict v = null;
            for (Verdict candidate : Verdict.values()) {
                if (candidate.word().equals(t.text(i, "verdict"))) {
                    v = candidate;
                }
            }
            if (v == null) {
                throw new IllegalArgumentException("row " + (i + 1) + ": unknown verdict '" + t.text(i, "verdict") + "'");
            }
            out.add(new Comparison(t.text(i, "artefact"), t.text(i, "item"), t.text(i, "metric"), paper[i], measured[i],
                    deviation[i], tolerance[i], v, t.text(i, "note")));
        }
        return out;
    }

    private static Object cell(double v) {
        return Double.isNaN(v) ? "" : (Object) v;
    }
}
