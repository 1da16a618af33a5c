package ntklc.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Option values of one command invocation with typed getters. Every getter falls back to the
 * declared default and turns a malformed value into a {@link UserError} naming the option.
 */
public final class ParsedOptions {
    private final String command;
    private final OptionSpec spec;
    private final Map<String, String> given;

    ParsedOptions(String command, OptionSpec spec, Map<String, String> given) {
        this.command = command;
        this.spec = spec;
        this.given = given;
    }

    /** True if the user typed this option. */
    public boolean isGiven(String name) {
        return given.containsKey(name);
    }

    /** The raw text value (given, else default); {@code null} if neither exists. */
    public String raw(String name) {
        OptionSpec.Option option = spec.get(name);
        if (option == null) {
            throw new IllegalArgumentException("option not declared: " + name);
        }
        return given.getOrDefault(name, option.defaultValue());
    }

    /** Overrides a value (used by presets); the option must be declared. */
    public void put(String name, String value) {
        if (spec.get(name) == null) {
            throw new IllegalArgumentException("option not declared: " + name);
        }
        given.put(name, value);
    }

    public String getString(String name) {
        String v = raw(name);
        if (v == null) {
            throw new UserError(command + ": option --" + name + " is required");
        }
        return v;
    }

    public int getInt(String name) {
        String v = getString(name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(name, v, "an integer");
        }
    }

    /** An integer ≥ 1. */
    public int getPositiveInt(String name) {
        int v = getInt(name);
        if (v < 1) {
            throw bad(name, getString(name), "a positive integer");
        }
        return v;
    }

    /** An integer ≥ 0. */
    public int getNonNegativeInt(String name) {
        int v = getInt(name);
        if (v < 0) {
            throw bad(name, getString(name), "an integer ≥ 0");
        }
        return v;
    }

    /** A number > 0. */
    public double getPositiveDouble(String name) {
        double v = getDouble(name);
        if (!(v > 0)) {
            throw bad(name, getString(name), "a positive number");
        }
        return v;
    }

    /** A number ≥ 0. */
    public double getNonNegativeDouble(String name) {
        double v = getDouble(name);
        if (!(v >= 0)) {
            throw bad(name, getString(name), "a number ≥ 0");
        }
        return v;
    }

    /** A number in [0, 1) (a rate, a momentum, a fraction). */
    public double getUnitInterval(String name) {
        double v = getDouble(name);
        if (!(v >= 0 && v < 1)) {
            throw bad(name, getString(name), "a number in [0, 1)");
        }
        return v;
    }

    public long getLong(String name) {
        String v = getString(name);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw bad(name, v, "an integer");
        }
    }

    public double getDouble(String name) {
        String v = getString(name);
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw bad(name, v, "a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name, v, "a number");
        }
    }

    public boolean getBoolean(String name) {
        String v = getString(name).trim();
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw bad(name, v, "true or false");
    }

    /** A comma-separated list of integers, e.g. {@code 512,512}; empty text gives an empty array. */
    public int[] getIntList(String name) {
        String v = getString(name).trim();
        if (v.isEmpty()) {
            return new int[0];
        }
        String[] parts = v.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(name, v, "a comma-separated list of integers");
            }
        }
        return out;
    }

    /** A comma-separated list of numbers; empty text gives an empty array. */
    public double[] getDoubleList(String name) {
        String v = getString(name).trim();
        if (v.isEmpty()) {
            return new double[0];
        }
        String[] parts = v.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(name, v, "a comma-separated list of numbers");
            }
        }
        return out;
    }

    /** One of the allowed words (case-sensitive). */
    public String getChoice(String name, String... allowed) {
        String v = getString(name).trim();
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw bad(name, v, "one of " + String.join("|", allowed));
    }

    /** A {@link UserError} saying that {@code --name=value} is not {@code expected}. */
    public UserError bad(String name, String value, String expected) {
        return new UserError(command + ": --" + name + "=" + value + " is not " + expected);
    }

    /** Every declared option with its effective value, in declaration order (for config files). */
    public Map<String, String> effective() {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec.Option o : spec.options()) {
            String v = raw(o.name());
            out.put(o.name(), v == null ? "" : v);
        }
        return out;
    }

    /** {@link #effective()} as {@link Properties}. */
    public Properties toProperties() {
        Properties p = new Properties();
        effective().forEach(p::setProperty);
        return p;
    }

    /** The command name. */
    public String command() {
        return command;
    }

    /** Keys the user typed, in order. */
    public List<String> givenKeys() {
        return new ArrayList<>(given.keySet());
    }
}
