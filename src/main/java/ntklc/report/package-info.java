/**
 * Run folders with fsynced atomic writes ({@link ntklc.report.AtomicFiles}), the finished units of a
 * resumable run ({@link ntklc.report.FinishedRows}), CSV tables (Apache Commons CSV), PNG charts
 * (JFreeChart, headless) and console progress bars.
 */
package ntklc.report;
