/**
 * The arithmetic of convolution and pooling layers, checked against DL4J: output sizes, parameter counts, receptive
 * fields, filters applied to pictures, and a Keras-style summary of a network.
 */
package convkit.layers;
