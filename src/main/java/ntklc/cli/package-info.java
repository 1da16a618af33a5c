/**
 * Command-line plumbing shared by every experiment: strict --key=value options with defaults and help, one-line user errors with a non-zero exit status.
 */
package ntklc.cli;
