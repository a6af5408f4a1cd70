/**
 * Data augmentation, Keras' {@code ImageDataGenerator}: random rotations, zooms, shifts and flips of training images
 * ({@link convkit.augment.Augmentation}), the geometry behind them ({@link convkit.augment.Geometry}), and batches that
 * are augmented afresh every epoch.
 */
package convkit.augment;
