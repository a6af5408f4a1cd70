/**
 * Training like Keras' {@code fit}: {@link convkit.training.Training} is a short loop that tells its
 * {@link convkit.training.Callback}s what happens (history, early stopping, best-only checkpoint, progress line, live
 * plot, and a learner's own); checkpoints that resume after an interruption; side-by-side comparison of trained models.
 */
package convkit.training;
