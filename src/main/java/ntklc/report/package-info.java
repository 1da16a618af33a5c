/**
 * Run folders with atomic writes, CSV tables (Apache Commons CSV), PNG charts (JFreeChart, headless) and console progress bars.
 */
package ntklc.report;
