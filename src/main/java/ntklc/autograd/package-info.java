/**
 * Hand-written reverse-mode automatic differentiation (the engine behind every trained network:
 * the MLPs of the paper's Fig. 3–4 baselines and the final classifier of NTK-LC, docs/theory.md §2, §6.4).
 *
 * <p>{@link ntklc.autograd.Variable} is a graph node (value, accumulated gradient, creator); each
 * {@link ntklc.autograd.Primitive} subclass is one operation with its forward pass ({@code apply})
 * and its chain rule ({@code backward}) side by side. Composite operations get no backward of their
 * own. {@link ntklc.autograd.GradCheck} verifies every rule by central finite differences.
 */
package ntklc.autograd;
