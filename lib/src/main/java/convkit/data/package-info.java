/**
 * Data sets as a learner meets them: images with one-hot labels ({@link convkit.data.ImageSet}), MNIST and
 * Fashion-MNIST, folders of pictures (Keras' {@code flow_from_directory}), the sample photos, and the cache that
 * downloads, checks and keeps the files.
 */
package convkit.data;
