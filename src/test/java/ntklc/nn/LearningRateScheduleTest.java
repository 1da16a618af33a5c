package ntklc.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import ntklc.autograd.Variable;
import ntklc.tensor.Tensor;

/** Schedules against their closed forms, and optimizers taking a new rate. */
class LearningRateScheduleTest {
    @Test
    void cosineClosedForm() {
        LearningRateSchedule s = LearningRateSchedule.COSINE;
        // e = 1: cos 0 = 1 → η. E = 10, e = 6: cos(π/2) = 0 → η/2. e = 10: ½(1 + cos(0.9π)) = 0.0244717…
        assertEquals(0.01, s.rate(0.01, 1, 10), 1e-15);
        assertEquals(0.005, s.rate(0.01, 6, 10), 1e-15);
        assertEquals(0.01 * 0.5 * (1 - 0.9510565162951535), s.rate(0.01, 10, 10), 1e-15);
        assertEquals(0.01, LearningRateSchedule.CONSTANT.rate(0.01, 7, 10));
        assertThrows(IllegalArgumentException.class, () -> s.rate(0.01, 11, 10));
        assertEquals(s, LearningRateSchedule.of("cosine"));
    }

    @Test
    void sgdStepScalesWithTheNewRate() {
        // One plain SGD step from w = 0 on f(w) = Σ w (gradient 1): w = −η, with η set after construction.
        Variable w = Variable.parameter(Tensor.zeros(2));
        Sgd sgd = new Sgd(List.of(w), 1.0, 0, 0);
        sgd.setLearningRate(0.25);
        w.sum().backward();
        sgd.step();
        assertEquals(-0.25f, w.value().data()[0]);
        assertEquals(0.25, sgd.learningRate());
        Adam adam = new Adam(List.of(w), 0.1);
        adam.setLearningRate(0.5);
        assertEquals(0.5, adam.learningRate());
    }
}
