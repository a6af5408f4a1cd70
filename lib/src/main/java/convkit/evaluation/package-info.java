/**
 * How good a trained network is: accuracy and loss on a test set, the confusion matrix, the worst mistakes, and the
 * ReLU units that died in training.
 */
package convkit.evaluation;
