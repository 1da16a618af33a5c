package ntklc.nn;

import java.util.ArrayList;
import java.util.List;

import ntklc.autograd.Variable;

/** Modules applied one after the other; its parameters are theirs, in order. */
public final class Sequential implements Module {
    private final List<Module> layers;

    public Sequential(List<Module> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public Variable forward(Variable x, boolean training) {
        Variable h = x;
        for (Module m : layers) {
            h = m.forward(h, training);
        }
        return h;
    }

    @Override
    public List<Variable> parameters() {
        List<Variable> out = new ArrayList<>();
        for (Module m : layers) {
            out.addAll(m.parameters());
        }
        return out;
    }

    public List<Module> layers() {
        return layers;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Variable v : parameters()) {
            n += v.value().size();
        }
        return n;
    }
}
