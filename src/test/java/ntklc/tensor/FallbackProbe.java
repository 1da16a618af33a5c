package ntklc.tensor;

/**
 * Main class run by {@link ScalarFallbackTest} in a JVM started without
 * {@code --add-modules jdk.incubator.vector}: multiplies a small known product and prints the
 * kernel in use, the notices received and the result.
 */
public final class FallbackProbe {
    private FallbackProbe() {
    }

    public static void main(String[] args) {
        StringBuilder notices = new StringBuilder();
        Notices.setListener(m -> notices.append("notice:").append(m).append('\n'));
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]] by hand.
        Tensor c = MatMul.matmul(Tensor.fromRows(new double[][] {{1, 2}, {3, 4}}),
                Tensor.fromRows(new double[][] {{5, 6}, {7, 8}}));
        MatMul.matmul(c, c);
        System.out.print(notices);
        System.out.println("kernel:" + MatMul.kernelDescription());
        System.out.println("result:" + c.get(0, 0) + "," + c.get(0, 1) + "," + c.get(1, 0) + "," + c.get(1, 1));
    }
}
