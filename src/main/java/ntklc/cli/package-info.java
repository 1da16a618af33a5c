/**
 * Command-line plumbing shared by every experiment, the one layer that reads strings: strict
 * --key=value options with defaults and help, the option groups several commands share
 * ({@link ntklc.cli.DataOptions}, {@link ntklc.cli.DeviceOption}), and one-line user errors with a
 * non-zero exit status. The library packages below it take typed values and throw typed
 * exceptions ({@link ntklc.data.DataException}, {@link java.lang.IllegalArgumentException} for a
 * spelling they do not know), which this layer turns into those one-line errors.
 */
package ntklc.cli;
