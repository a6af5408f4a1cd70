package convkit.data;

import java.util.Random;

/**
 * Fisher-Yates shuffles drawn from a seeded {@link Random}: the one place the kit puts images in a random order
 * (mini-batches, samples) or picks some of them (class-balanced subsets), so the same seed gives the same images.
 *
 * <pre>{@code
 * int[] order = Shuffle.order(10, new Random(42));        // 0..9, shuffled
 * Shuffle.pickFirst(members, 5, random);                  // 5 of members, drawn, now at the front
 * }</pre>
 */
public final class Shuffle {

    private Shuffle() {
    }

    /** 0 .. n-1 in an order drawn from {@code random}. */
    public static int[] order(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            swap(order, i, random.nextInt(i + 1));
        }
        return order;
    }

    /** Moves {@code k} of {@code values}, drawn from {@code random}, to its front, in the order drawn. */
    public static void pickFirst(int[] values, int k, Random random) {
        if (k < 0 || k > values.length) {
            throw new IllegalArgumentException("cannot pick " + k + " of " + values.length + " values");
        }
        for (int i = 0; i < k; i++) {
            swap(values, i, i + random.nextInt(values.length - i));
        }
    }

    private static void swap(int[] values, int i, int j) {
        int t = values[i];
        values[i] = values[j];
        values[j] = t;
    }
}
