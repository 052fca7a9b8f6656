package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EigenPcaTest {

    @Test
    void should_diagonalise_a_symmetric_matrix() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 40;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                a[i][j] = a[j][i] = rng.nextGaussian();
            }
        }
        assertEigen(a);
    }

    @Test
    void should_diagonalise_degenerate_matrices() {
        // repeated eigenvalues, an already diagonal matrix, a rank-one matrix, zeros
        assertEigen(new double[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 1}});
        assertEigen(new double[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}});
        assertEigen(new double[][] {{0, 0}, {0, 0}});
        assertEigen(new double[][] {{3}});
    }

    private static void assertEigen(double[][] a) {
        // given
        int n = a.length;
        double[][] copy = new double[n][];
        for (int i = 0; i < n; i++) {
            copy[i] = a[i].clone();
        }
        double[][] v = new double[n][n];

        // when
        double[] values = EigenPca.symmetricEigen(copy, v);

        // then: A v_k = λ_k v_k, and the vectors are orthonormal
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i][j] * v[j][k];
                }
                assertThat(av).isCloseTo(values[k] * v[i][k], within(1e-9));
            }
            for (int m = 0; m < n; m++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i][k] * v[i][m];
                }
                assertThat(dot).isCloseTo(k == m ? 1 : 0, within(1e-9));
            }
        }
    }

    @Test
    void should_find_the_directions_of_largest_variance_first() {
        // given: variance 9 along (1, 1, 0)/√2, 1 along z, 0.01 along (1, -1, 0)/√2, centred at (5, 5, 5)
        SplittableRandom rng = new SplittableRandom(6);
        float[][] rows = new float[5000][];
        for (int i = 0; i < rows.length; i++) {
            double a = 3 * rng.nextGaussian();
            double b = rng.nextGaussian();
            double c = 0.1 * rng.nextGaussian();
            rows[i] = new float[] {(float) (5 + (a + c) / Math.sqrt(2)), (float) (5 + (a - c) / Math.sqrt(2)),
                (float) (5 + b)};
        }

        // when
        EigenPca.Projection p = EigenPca.fit(rows, 2);

        // then
        assertThat(p.outputDimension()).isEqualTo(2);
        assertThat(p.mean()[0]).isCloseTo(5, within(0.2));
        assertThat(p.variances()[0]).isCloseTo(9, within(0.5));
        assertThat(p.variances()[1]).isCloseTo(1, within(0.1));
        assertThat(Math.abs(p.components()[0][0])).isCloseTo(Math.sqrt(0.5), within(0.01));
        assertThat(p.components()[0][0] * p.components()[1][0]).isGreaterThan(0); // same sign: (1, 1, 0)
        assertThat(Math.abs(p.components()[2][1])).isCloseTo(1, within(0.01));
        float[] y = p.apply(new float[][] {{5, 5, 5}})[0];
        assertThat(y[0]).isCloseTo(0, within(0.2f));
    }
}
