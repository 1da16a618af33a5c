package ntklc.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options one command accepts, each with a default and a help line, in declaration order.
 * Parsing is strict: an unknown key, a missing value or a value of the wrong type is a
 * {@link UserError}.
 */
public final class OptionSpec {
    /** One declared option. {@code defaultValue} is the text form; {@code null} means "no default". */
    public record Option(String name, String defaultValue, String help, boolean flag) {
    }

    private final Map<String, Option> options = new LinkedHashMap<>();

    /** Declares {@code --name=VALUE} with a default (text, parsed on use) and a help line. */
    public OptionSpec add(String name, String defaultValue, String help) {
        if (options.put(name, new Option(name, defaultValue, help, false)) != null) {
            throw new IllegalArgumentException("option declared twice: " + name);
        }
        return this;
    }

    /** Declares a boolean switch: {@code --name} or {@code --name=true|false}; default false. */
    public OptionSpec flag(String name, String help) {
        if (options.put(name, new Option(name, "false", help, true)) != null) {
            throw new IllegalArgumentException("option declared twice: " + name);
        }
        return this;
    }

    public List<Option> options() {
        return Collections.unmodifiableList(new ArrayList<>(options.values()));
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    Option get(String name) {
        return options.get(name);
    }

    /**
     * Parses {@code --key=value} arguments.
     *
     * @param command name used in messages
     * @throws UserError on an unknown key, a positional argument or a repeated key
     */
    public ParsedOptions parse(String command, String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UserError(command + ": unexpected argument '" + arg + "' (options are written --key=value; see "
                        + command + " --help)");
            }
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            Option option = options.get(key);
            if (option == null) {
                throw new UserError(command + ": unknown option --" + key + " (see " + command + " --help)");
            }
            String value;
            if (eq < 0) {
                if (!option.flag()) {
                    throw new UserError(command + ": option --" + key + " needs a value: --" + key + "=VALUE");
                }
                value = "true";
            } else {
                value = arg.substring(eq + 1);
            }
            if (given.put(key, value) != null) {
                throw new UserError(command + ": option --" + key + " given twice");
            }
        }
        return new ParsedOptions(command, this, given);
    }

    /** The help text: one line per option with its default. */
    public String help() {
        StringBuilder sb = new StringBuilder();
        int width = 0;
        for (Option o : options.values()) {
            width = Math.max(width, label(o).length());
        }
        for (Option o : options.values()) {
            String label = label(o);
            sb.append("  ").append(label).append(" ".repeat(width - label.length() + 2)).append(o.help());
            if (!o.flag()) {
                sb.append(o.defaultValue() == null || o.defaultValue().isEmpty()
                        ? " (no default)" : " (default: " + o.defaultValue() + ")");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String label(Option o) {
        return o.flag() ? "--" + o.name() : "--" + o.name() + "=…";
    }
}
