package org.slmworkbench.compress;

/** Quickselect: the k-th smallest of an array in linear expected time (the array is reordered). */
final class Select {
    private Select() {}

    /** @param k 1-based rank in 1..a.length */
    static double kthSmallest(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        int target = k - 1;
        while (lo < hi) {
            // median of three keeps sorted and reversed rows linear
            int mid = (lo + hi) >>> 1;
            double pivot = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
