package convkit.galaxy;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Paints one synthetic survey cutout: light profiles of the galaxy (and of the odd neighbour or star) in three bands,
 * blurred by the seeing, with sky and photon noise, then stretched to 8-bit RGB the way survey colour images are.
 * All lengths are in pixels of the final image; one random stream decides everything, so an image is a function of
 * its seed.
 */
final class GalaxyPainter {

    /** Bands z, r, g drawn as red, green, blue (the Legacy Surveys' colour convention). */
    private static final int BANDS = 3;
    /** Samples per pixel side: the cores of steep profiles are integrated, not point-sampled. */
    private static final int OVERSAMPLE = 2;

    /** Band weights: old red stars (bulges, ellipticals), young blue stars (disks, arms), stars in the Milky Way. */
    private static final double[] RED = {1.00, 0.72, 0.42};
    private static final double[] YELLOW = {0.95, 0.80, 0.58};
    private static final double[] BLUE = {0.62, 0.80, 1.00};

    private final int size;

    GalaxyPainter(int size) {
        this.size = size;
    }

    /** The image of a galaxy of class {@code kind} (see {@link Galaxies#CLASSES}) drawn from {@code random}. */
    BufferedImage paint(Galaxies.Kind kind, SplittableRandom random) {
        double[][] light = new double[BANDS][size * size];
        double cx = (size - 1) / 2.0 + uniform(random, -0.09, 0.09) * size;
        double cy = (size - 1) / 2.0 + uniform(random, -0.09, 0.09) * size;
        double scale = size / 50.0;
        // Total flux in units of the sky noise per pixel: from barely detected to bright.
        double flux = logUniform(random, 120, 7000) * scale * scale;
        switch (kind) {
            case SMOOTH -> smooth(light, random, cx, cy, scale, flux);
            case SPIRAL -> spiral(light, random, cx, cy, scale, flux);
            case EDGE -> edge(light, random, cx, cy, scale, flux);
        }
        if (random.nextDouble() < 0.25) {
            neighbour(light, random, cx, cy, scale, flux);
        }
        int stars = random.nextDouble() < 0.35 ? 1 + random.nextInt(3) : 0;
        double psf = uniform(random, 0.7, 1.4) * scale;
        double[][] blurred = new double[BANDS][];
        for (int b = 0; b < BANDS; b++) {
            blurred[b] = blur(light[b], psf * (1.0 + 0.08 * (2 - b)));
        }
        for (int s = 0; s < stars; s++) {
            star(blurred, random, psf, flux);
        }
        return expose(blurred, random);
    }

    // Smooth: a Sersic profile, round to cigar-shaped, concentrated (n ~ 4) or not (n ~ 1.5); a few lenticulars
    // carry a faint disk, which is what makes some of them look like a featureless spiral or a thick edge-on disk.
    private void smooth(double[][] light, SplittableRandom random, double cx, double cy, double scale, double flux) {
        double shape = random.nextDouble();
        double q = shape < 0.4 ? uniform(random, 0.75, 1.0) : shape < 0.72 ? uniform(random, 0.5, 0.75) : uniform(random, 0.25, 0.5);
        double re = logUniform(random, 1.8, 7.5) * scale;
        double n = uniform(random, 1.5, 5.5);
        double angle = uniform(random, 0, Math.PI);
        double[] colour = jitter(random, mix(RED, random.nextDouble() < 0.1 ? BLUE : YELLOW, uniform(random, 0, 0.7)), 0.08);
        if (random.nextDouble() < 0.3) {
            double disk = uniform(random, 0.2, 0.6);
            add(light, sersic(re * uniform(random, 1.4, 2.2), 1.0, q * uniform(random, 0.6, 1.0), angle, cx, cy), flux * disk,
                    jitter(random, YELLOW, 0.08));
            flux *= 1 - disk;
        }
        add(light, sersic(re, n, q, angle, cx, cy), flux, colour);
    }

    // Spiral: an exponential disk seen at moderate inclination, a red bulge, and logarithmic arms of varied number,
    // pitch and contrast (weak arms in a small faint galaxy are what a human also calls "smooth"); some have a bar.
    private void spiral(double[][] light, SplittableRandom random, double cx, double cy, double scale, double flux) {
        double q = random.nextDouble() < 0.25 ? uniform(random, 0.25, 0.42) : uniform(random, 0.42, 1.0);
        double h = logUniform(random, 1.5, 6.5) * scale;
        double angle = uniform(random, 0, Math.PI);
        double bulge = uniform(random, 0.05, 0.6);
        double armCount = pickArms(random);
        double pitch = Math.toRadians(uniform(random, 8, 35));
        double contrast = uniform(random, 0.05, 1.0);
        double sharpness = uniform(random, 2, 6);
        double phase = uniform(random, 0, 2 * Math.PI);
        int sense = random.nextBoolean() ? 1 : -1;
        double[] diskColour = jitter(random, mix(BLUE, YELLOW, uniform(random, 0, 0.85)), 0.08);
        double norm = Math.sqrt(Math.PI * sharpness);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        Profile disk = (x, y) -> {
            double u = (x - cx) * cos + (y - cy) * sin;
            double v = (-(x - cx) * sin + (y - cy) * cos) / q;
            double r = Math.hypot(u, v);
            double theta = Math.atan2(v, u);
            double spiralPhase = armCount * (theta - sense * Math.log(r / h + 0.3) / Math.tan(pitch)) + phase;
            double arm = Math.pow((1 + Math.cos(spiralPhase)) / 2, sharpness) * norm;
            // arms fade into the bulge: no arm pattern inside about one scale length
            double reach = 1 - Math.exp(-(r * r) / (h * h));
            double modulation = 1 - contrast * reach + contrast * reach * arm;
            return Math.exp(-r / h) * modulation;
        };
        add(light, disk, flux * (1 - bulge), diskColour);
        if (random.nextDouble() < 0.3) {
            add(light, sersic(h * uniform(random, 0.8, 1.6), 0.5, uniform(random, 0.25, 0.4),
                    angle + uniform(random, -1.2, 1.2), cx, cy), flux * bulge * 0.5, jitter(random, YELLOW, 0.06));
            bulge *= 0.5;
        }
        add(light, sersic(h * uniform(random, 0.25, 0.6), uniform(random, 1.5, 4), Math.max(q, uniform(random, 0.7, 1.0)),
                angle, cx, cy), flux * bulge, jitter(random, RED, 0.06));
    }

    // Edge-on: a thin disk inclined by 65-90 degrees (axis ratio 0.07-0.4), often a bulge, often a dust lane that
    // dims the blue bands most; the thickest ones overlap with cigar-shaped ellipticals and inclined spirals.
    private void edge(double[][] light, SplittableRandom random, double cx, double cy, double scale, double flux) {
        double q = random.nextDouble() < 0.3 ? uniform(random, 0.22, 0.4) : uniform(random, 0.07, 0.22);
        double h = logUniform(random, 2.2, 8.0) * scale;
        double angle = uniform(random, 0, Math.PI);
        double bulge = random.nextDouble() < 0.55 ? uniform(random, 0.1, 0.45) : 0;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double z0 = q * h;
        Profile disk = (x, y) -> {
            double u = (x - cx) * cos + (y - cy) * sin;
            double v = -(x - cx) * sin + (y - cy) * cos;
            double sech = 1 / Math.cosh(v / z0);
            return Math.exp(-Math.abs(u) / h) * sech * sech;
        };
        double[] diskColour = jitter(random, mix(YELLOW, random.nextBoolean() ? RED : BLUE, uniform(random, 0, 0.6)), 0.1);
        add(light, disk, flux * (1 - bulge), diskColour);
        if (bulge > 0) {
            add(light, sersic(h * uniform(random, 0.2, 0.45), uniform(random, 1.5, 4), uniform(random, 0.6, 1.0), angle,
                    cx, cy), flux * bulge, jitter(random, RED, 0.06));
        }
        if (random.nextDouble() < 0.5) {
            double depth = uniform(random, 0.3, 0.85);
            double width = z0 * uniform(random, 0.3, 0.7);
            double offset = z0 * uniform(random, -0.4, 0.4);
            for (int b = 0; b < BANDS; b++) {
                double tau = Math.min(0.95, depth * (1.0 + 0.3 * b));
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double v = -(x - cx) * sin + (y - cy) * cos - offset;
                        double u = (x - cx) * cos + (y - cy) * sin;
                        double along = Math.exp(-Math.abs(u) / (3 * h));
                        light[b][y * size + x] *= 1 - tau * along * Math.exp(-(v * v) / (width * width));
                    }
                }
            }
        }
    }

    // A smaller galaxy in the same cutout, at least a third of the frame away from the target.
    private void neighbour(double[][] light, SplittableRandom random, double cx, double cy, double scale, double flux) {
        double distance = uniform(random, 0.3, 0.6) * size;
        double direction = uniform(random, 0, 2 * Math.PI);
        double x = cx + distance * Math.cos(direction);
        double y = cy + distance * Math.sin(direction);
        add(light, sersic(logUniform(random, 0.8, 3.0) * scale, uniform(random, 1, 4), uniform(random, 0.3, 1.0),
                uniform(random, 0, Math.PI), x, y), flux * logUniform(random, 0.03, 0.5),
                jitter(random, random.nextBoolean() ? RED : BLUE, 0.1));
    }

    // A foreground star: a point source, so after the blur it is exactly the seeing disk.
    private void star(double[][] light, SplittableRandom random, double psf, double flux) {
        double x = uniform(random, 0, size - 1);
        double y = uniform(random, 0, size - 1);
        double[] colour = jitter(random, random.nextBoolean() ? YELLOW : new double[] {0.9, 0.9, 0.9}, 0.1);
        double total = flux * logUniform(random, 0.02, 0.8);
        double s2 = 2 * psf * psf;
        int r = (int) Math.ceil(4 * psf);
        for (int py = Math.max(0, (int) y - r); py <= Math.min(size - 1, (int) y + r); py++) {
            for (int px = Math.max(0, (int) x - r); px <= Math.min(size - 1, (int) x + r); px++) {
                double value = total * Math.exp(-((px - x) * (px - x) + (py - y) * (py - y)) / s2) / (Math.PI * s2);
                for (int b = 0; b < BANDS; b++) {
                    light[b][py * size + px] += value * colour[b];
                }
            }
        }
    }

    // Sky noise of 1 per pixel plus photon noise of the source; an imperfect sky subtraction; an asinh stretch
    // (Lupton et al. 2004) that keeps faint outskirts visible without burning out the core.
    private BufferedImage expose(double[][] light, SplittableRandom random) {
        double gain = uniform(random, 8, 30);
        double softening = uniform(random, 1.5, 3.5);
        double top = asinh(uniform(random, 120, 260) / softening);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        double[] skyError = {random.nextGaussian() * 0.3, random.nextGaussian() * 0.3, random.nextGaussian() * 0.3};
        int[] rgb = new int[size * size];
        for (int b = 0; b < BANDS; b++) {
            for (int i = 0; i < size * size; i++) {
                double signal = Math.max(0, light[b][i]);
                double value = signal + skyError[b] + random.nextGaussian() * Math.sqrt(1 + signal / gain);
                int level = (int) Math.round(255 * clamp(asinh(value / softening) / top));
                rgb[i] |= level << (8 * (2 - b));
            }
        }
        image.setRGB(0, 0, size, size, rgb, 0, size);
        return image;
    }

    /** A surface-brightness profile, any units: it is normalised to the wanted flux before it is added. */
    @FunctionalInterface
    interface Profile {
        double at(double x, double y);
    }

    private static Profile sersic(double re, double n, double q, double angle, double cx, double cy) {
        double bn = 2 * n - 1.0 / 3 + 4 / (405 * n) + 46 / (25515 * n * n);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double inverse = 1 / n;
        return (x, y) -> {
            double u = (x - cx) * cos + (y - cy) * sin;
            double v = (-(x - cx) * sin + (y - cy) * cos) / q;
            return Math.exp(-bn * (Math.pow(Math.hypot(u, v) / re, inverse) - 1));
        };
    }

    private double[] sample(Profile shape) {
        double[] out = new double[size * size];
        double step = 1.0 / OVERSAMPLE;
        double start = -0.5 + step / 2;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int sy = 0; sy < OVERSAMPLE; sy++) {
                    for (int sx = 0; sx < OVERSAMPLE; sx++) {
                        sum += shape.at(x + start + sx * step, y + start + sy * step);
                    }
                }
                out[y * size + x] = sum / (OVERSAMPLE * OVERSAMPLE);
            }
        }
        return out;
    }

    /** Adds a profile to the three bands, scaled so that its pixels inside the frame sum to {@code flux}. */
    private void add(double[][] light, Profile shape, double flux, double[] colour) {
        double[] pixels = sample(shape);
        double sum = 0;
        for (double v : pixels) {
            sum += v;
        }
        if (sum <= 0) {
            return;
        }
        for (int b = 0; b < BANDS; b++) {
            double k = flux / sum * colour[b];
            double[] band = light[b];
            for (int i = 0; i < band.length; i++) {
                band[i] += k * pixels[i];
            }
        }
    }

    /** A separable Gaussian blur: the atmosphere's and telescope's point-spread function. */
    private double[] blur(double[] image, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) {
            kernel[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
            total += kernel[i + r];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= total;
        }
        double[] rows = new double[image.length];
        double[] out = new double[image.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int k = -r; k <= r; k++) {
                    int xx = Math.min(size - 1, Math.max(0, x + k));
                    sum += kernel[k + r] * image[y * size + xx];
                }
                rows[y * size + x] = sum;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sum = 0;
                for (int k = -r; k <= r; k++) {
                    int yy = Math.min(size - 1, Math.max(0, y + k));
                    sum += kernel[k + r] * rows[yy * size + x];
                }
                out[y * size + x] = sum;
            }
        }
        return out;
    }

    private static int pickArms(SplittableRandom random) {
        double p = random.nextDouble();
        return p < 0.6 ? 2 : p < 0.75 ? 3 : p < 0.9 ? 4 : 1;
    }

    /** A colour between {@code a} (t = 0) and {@code b} (t = 1): stellar populations are not one age. */
    private static double[] mix(double[] a, double[] b, double t) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * (1 - t) + b[i] * t;
        }
        return out;
    }

    private static double[] jitter(SplittableRandom random, double[] colour, double amount) {
        double[] out = new double[colour.length];
        for (int i = 0; i < colour.length; i++) {
            out[i] = colour[i] * (1 + amount * (2 * random.nextDouble() - 1));
        }
        return out;
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    private static double logUniform(SplittableRandom random, double lo, double hi) {
        return Math.exp(uniform(random, Math.log(lo), Math.log(hi)));
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
