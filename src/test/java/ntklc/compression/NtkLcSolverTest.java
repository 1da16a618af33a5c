package ntklc.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.activation.PiecewiseConstant;
import org.junit.jupiter.api.Test;

class NtkLcSolverTest {
    private static final List<Activation> RELU3 = Activations.parseChain("relu,relu,relu");

    @Test
    void levenbergMarquardtSolvesRosenbrock() {
        // Rosenbrock as least squares, r = (10(y − x²), 1 − x): unique zero at (1, 1)
        // (Nocedal & Wright, Numerical Optimization, 2nd ed., Ex. 10.1), classic start (−1.2, 1).
        LevenbergMarquardt.Result r = LevenbergMarquardt.minimize(
                x -> new double[] {10 * (x[1] - x[0] * x[0]), 1 - x[0]}, new double[] {-1.2, 1}, 500);
        assertTrue(r.f() < 1e-24, "F = " + r.f());
        assertEquals(1, r.x()[0], 1e-10);
        assertEquals(1, r.x()[1], 1e-10);
    }

    @Test
    void reluHiddenLayerAtTauOneIsSolvedExactly() {
        // Spec §7.5: (s1, s2, a) = (0.99953, 2.21253, 2.40874) or its mirror (−2.21253, −0.99953, ±a),
        // τ' = 0.848858; targets D1 = 1/4, D2 = 1/(2π), D3 = 1 − 1/π (ReLU closed forms, spec §5.5).
        CompressionSolution s = NtkLcSolver.solve(List.of(Activations.relu(), Activations.relu()),
                1.0, LastLayerVariant.STEPWISE, 50, new SplittableRandom(7));
        LayerSolution first = s.layers().get(0);
        assertTrue(first.residual() < 1e-20, "F = " + first.residual());
        // σ_T = binary-zero:s1:s2:a: thresholds (s1, s2), levels (a, 0, a)
        PiecewiseConstant t = (PiecewiseConstant) first.compressed();
        double[] s12 = t.thresholds();
        double inner = Math.min(Math.abs(s12[0]), Math.abs(s12[1]));
        double outer = Math.max(Math.abs(s12[0]), Math.abs(s12[1]));
        assertEquals(0.99953, inner, 1e-5);
        assertEquals(2.21253, outer, 1e-5);
        assertEquals(2.40874, Math.abs(t.levels()[0]), 1e-5);
        assertEquals(0.848858, first.tauCompressed(), 1e-6);
        assertEquals(0.25, first.matched().d1(), 1e-10);
        assertEquals(1 / (2 * Math.PI), first.matched().d2(), 1e-10);
        assertEquals(1 - 1 / Math.PI, first.matched().d3(), 1e-10);
        assertEquals(first.target().d1(), 0.25, 1e-15);
        assertTrue(s.warnings().isEmpty(), s.warnings().toString());
    }

    @Test
    void reluHiddenLayerAtOtherScalesMatchesTheSpecSolutions() {
        // Spec §7.5: τ = 1.2 → (1.1994, 2.655, ±2.8905) up to mirror; the first layer's τ is τ0.
        LayerSolution l = NtkLcSolver.solve(RELU3, 1.2, LastLayerVariant.STEPWISE, 50, new SplittableRandom(3))
                .layers().get(0);
        PiecewiseConstant t = (PiecewiseConstant) l.compressed();
        double[] s12 = t.thresholds();
        assertTrue(l.residual() < 1e-20);
        assertEquals(1.1994, Math.min(Math.abs(s12[0]), Math.abs(s12[1])), 1e-3);
        assertEquals(2.655, Math.max(Math.abs(s12[0]), Math.abs(s12[1])), 1e-3);
        assertEquals(2.8905, Math.abs(t.levels()[0]), 1e-3);
    }

    @Test
    void lastLayerVariantsOfTheReluChainBehaveAsTheSpecFound() {
        // Spec §12 R4 / §7.6 at τ0 = 1: hidden layers solvable; code variant F ≈ 0.04–0.95 (not
        // solvable); free b1, b2 F ≈ 0.02–0.09; σ_T everywhere solvable.
        CompressionSolution code = NtkLcSolver.solve(RELU3, 1.0, LastLayerVariant.CODE, 100, new SplittableRandom(1));
        CompressionSolution paper = NtkLcSolver.solve(RELU3, 1.0, LastLayerVariant.PAPER, 40, new SplittableRandom(1));
        CompressionSolution step = NtkLcSolver.solve(RELU3, 1.0, LastLayerVariant.STEPWISE, 40, new SplittableRandom(1));
        for (CompressionSolution s : List.of(code, paper, step)) {
            assertTrue(s.layers().get(0).residual() < 1e-20);
            assertTrue(s.layers().get(1).residual() < 1e-20);
        }
        double fCode = code.layers().get(2).residual();
        double fPaper = paper.layers().get(2).residual();
        assertTrue(fCode > 0.04 && fCode < 0.96, "code F = " + fCode);
        assertTrue(fPaper > 0.02 && fPaper < 0.09, "paper F = " + fPaper);
        assertEquals(1, code.warnings().size());
        assertEquals(1, paper.warnings().size());
        assertTrue(step.layers().get(2).residual() < 1e-20);
        assertTrue(step.warnings().isEmpty());
        // identity shift = τ_L² − τ'_L² by definition
        LayerSolution last = step.layers().get(2);
        assertEquals(last.tauOriginal() * last.tauOriginal() - last.tauCompressed() * last.tauCompressed(),
                step.readoutShift(), 1e-15);
        // original chain: τ_3 = 0.1984 at τ0 = 1.0021 (spec §5.5); at τ0 = 1 ReLU is homogeneous: τ_ℓ = τ0·√v(1)^ℓ
        double v1 = 0.5 - 0.5 / Math.PI;
        assertEquals(Math.pow(v1, 1.5), last.tauOriginal(), 1e-12);
    }

    @Test
    void tauMatchedChainStaysCloseToTheOriginalScales() {
        // Our extension (not in the spec): σ_Q on every layer with v = τ_ℓ² as a fourth equation.
        // Property: τ' stays far closer to τ than with σ_T hidden layers (τ'_2 = 0.677 vs τ_2 = 0.341
        // in the paper variant, spec §7.6), and the last-layer residual is far below the paper
        // variant's (F ≈ 0.02–0.09, spec §12 R4). The system is not exactly solvable (F ~ 1e−3 at
        // layer 1): a three-level step cannot reach ReLU's (D1, D2, D3, v) at the same τ.
        CompressionSolution m = NtkLcSolver.solve(RELU3, 1.0, LastLayerVariant.TAU_MATCHED, 20, new SplittableRandom(1));
        CompressionSolution paper = NtkLcSolver.solve(RELU3, 1.0, LastLayerVariant.PAPER, 20, new SplittableRandom(1));
        for (LayerSolution l : m.layers()) {
            assertTrue(l.matchesTau());
            assertTrue(l.residual() < 5e-3, "layer " + l.layer() + " F = " + l.residual());
            assertTrue(Math.abs(l.tauCompressed() / l.tauOriginal() - 1) < 0.25,
                    "layer " + l.layer() + " τ' = " + l.tauCompressed() + " vs τ = " + l.tauOriginal());
        }
        assertTrue(m.layers().get(2).residual() < paper.layers().get(2).residual() / 10);
    }

    @Test
    void sameSeedSameSolution() {
        CompressionSolution a = NtkLcSolver.solve(RELU3, 1.0, LastLayerVariant.PAPER, 20, new SplittableRandom(5));
        CompressionSolution b = NtkLcSolver.solve(RELU3, 1.0, LastLayerVariant.PAPER, 20, new SplittableRandom(5));
        assertEquals(Activations.chainSpec(a.compressedChain()), Activations.chainSpec(b.compressedChain()));
    }
}
