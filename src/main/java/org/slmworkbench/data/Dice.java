package org.slmworkbench.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The only source of randomness for the sample-log generator: a seeded {@link SplittableRandom}
 * with the few draws the log formats need. Never touches the clock, so a seed fixes every byte;
 * the generator uses StrictMath rather than Math because Math may differ in the last bit
 * between JVMs and CPUs.
 */
final class Dice {
    private final SplittableRandom random;

    Dice(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** An independent stream, so one format's draws never shift another's. */
    Dice fork() {
        return new Dice(random.nextLong());
    }

    /** Uniform integer in [low, high], both inclusive. */
    int between(int low, int high) {
        return random.nextInt(low, high + 1);
    }

    /** Uniform long in [low, high), as used for timestamps. */
    long betweenLong(long low, long high) {
        return random.nextLong(low, high);
    }

    double uniform() {
        return random.nextDouble();
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    @SafeVarargs
    final <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }

    /** Exponentially distributed value with the given mean (Poisson inter-arrival times). */
    double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - random.nextDouble());
    }

    /** Log-normal value around a median: latencies and sizes are skewed like this in practice. */
    double logNormal(double median, double sigma) {
        return median * StrictMath.exp(sigma * gaussian());
    }

    /** A lowercase hex string of the given length. */
    String hex(int digits) {
        StringBuilder out = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }

    /** A private 10.x address, as seen inside a data centre. */
    String privateIp() {
        return "10." + between(0, 255) + "." + between(0, 255) + "." + between(1, 254);
    }

    /** An address outside the private ranges, as seen for internet clients. */
    String publicIp() {
        int first;
        do {
            first = between(1, 223);
        } while (first == 10 || first == 127 || first == 172 || first == 192 || first == 100);
        return first + "." + between(0, 255) + "." + between(0, 255) + "." + between(1, 254);
    }

    /** An ephemeral client port as Linux hands them out. */
    int ephemeralPort() {
        return between(32768, 60999);
    }

    private double gaussian() {
        // Box-Muller on the seeded stream; SplittableRandom has no nextGaussian in Java 17.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }
}
