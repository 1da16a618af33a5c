/**
 * One thin main class per paper figure or table, plus the jar's dispatcher Main. Nothing depends on this package.
 */
package ntklc.experiments;
