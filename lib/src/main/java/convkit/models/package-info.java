/**
 * Networks: a list of layers written like Keras' {@code Sequential} ({@link convkit.models.Sequential}), the course's
 * models by name, pretrained networks from DL4J's zoo, and transfer learning (cut, freeze, new head).
 */
package convkit.models;
