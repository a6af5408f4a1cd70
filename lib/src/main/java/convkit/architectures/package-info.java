/**
 * The CNN families of lesson 07 (LeNet-5, AlexNet, VGG, GoogLeNet, ResNet, DenseNet, EfficientNet) and their blocks,
 * built as DL4J networks with width and resolution knobs, counted from the configuration against the published
 * figures, and checked for shapes that cannot work before any weights exist.
 */
package convkit.architectures;
