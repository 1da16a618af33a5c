package ntklc.nn.vgg;

import java.util.SplittableRandom;

import ntklc.data.Dataset;
import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * The image pipeline of the reference VGG training (docs/theory.md §1.4): optional augmentation
 * {@code RandomCrop(S, padding=pad)} then {@code RandomHorizontalFlip()}, then per-channel
 * normalisation {@code (x − mean_c)/std_c}, as torchvision applies them.
 *
 * <p>Input rows are images {@code C×S×S} flattened in CHW order with values in {@code [0, 1]}
 * ({@link ntklc.data.Cifar10}); output a batch {@code N×C×S×S}. For one image, with a crop offset
 * {@code (a, b) ∈ {0…2·pad}²} and a flip bit {@code f} drawn in that order (two {@code nextInt},
 * one {@code nextBoolean}):
 * <pre>
 *   out[c, h, v] = (img[c, h + a − pad, v' + b − pad] − mean_c) / std_c,   v' = f ? S−1−v : v
 * </pre>
 * where {@code img} is 0 outside the image (the zero padding is applied to the raw pixels, before
 * normalisation, as torchvision does).
 *
 * @param channels {@code C}
 * @param size     {@code S}
 * @param pad      crop padding (4 in docs/theory.md §1.4)
 * @param mean     per-channel means
 * @param std      per-channel standard deviations
 */
public record ImageTransform(int channels, int size, int pad, float[] mean, float[] std) {
    public ImageTransform {
        if (channels < 1 || size < 1 || pad < 0 || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("image transform needs C ≥ 1, S ≥ 1, pad ≥ 0 and C means and stds");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** CIFAR-10: 3×32×32, pad 4, mean (0.4914, 0.4822, 0.4465), std (0.2023, 0.1994, 0.2010) (docs/theory.md §1.4). */
    public static ImageTransform cifar10() {
        return new ImageTransform(3, 32, 4, new float[] {0.4914f, 0.4822f, 0.4465f},
                new float[] {0.2023f, 0.1994f, 0.2010f});
    }

    /**
     * The batch of the given rows of {@code data}.
     *
     * @param rows    indices into {@code data}, in batch order
     * @param augment draws the crops and flips, image by image in batch order (Modified); {@code null}
     *                for no augmentation (the evaluation transform)
     * @return {@code N×C×S×S}, {@code N = rows.length}
     */
    public Tensor batch(Dataset data, int[] rows, SplittableRandom augment) {
        int plane = size * size;
        if (data.p() != channels * plane) {
            throw new IllegalArgumentException("images of " + data.p() + " values, expected " + channels + "×" + size
                    + "×" + size);
        }
        int n = rows.length;
        int[] shiftH = new int[n];
        int[] shiftW = new int[n];
        boolean[] flip = new boolean[n];
        if (augment != null) {
            for (int i = 0; i < n; i++) {
                shiftH[i] = augment.nextInt(2 * pad + 1) - pad;
                shiftW[i] = augment.nextInt(2 * pad + 1) - pad;
                flip[i] = augment.nextBoolean();
            }
        }
        Tensor out = Tensor.zeros(n, channels, size, size);
        float[] o = out.data();
        float[] x = data.x().data();
        int p = data.p();
        Parallel.forRange(n, 8, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int src = rows[i] * p;
                for (int c = 0; c < channels; c++) {
                    float m = mean[c];
                    float inv = 1f / std[c];
                    int dst = (i * channels + c) * plane;
                    for (int h = 0; h < size; h++) {
                        int sh = h + shiftH[i];
                        for (int v = 0; v < size; v++) {
                            int sv = (flip[i] ? size - 1 - v : v) + shiftW[i];
                            float pixel = sh >= 0 && sh < size && sv >= 0 && sv < size
                                    ? x[src + c * plane + sh * size + sv] : 0f;
                            o[dst + h * size + v] = (pixel - m) * inv;
                        }
                    }
                }
            }
        });
        return out;
    }
}
