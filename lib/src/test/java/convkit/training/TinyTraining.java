package convkit.training;

import convkit.data.ImageSet;
import convkit.data.TinyData;
import convkit.models.Models;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;

/** What the training tests train: 90 tiny training images, 30 validation images, a small MLP that learns them in a few epochs. */
final class TinyTraining {

    static final ImageSet TRAIN = TinyData.rows("train", 90, 1);
    static final ImageSet VALIDATION = TinyData.rows("validation", 30, 2);

    private TinyTraining() {
    }

    static MultiLayerNetwork mlp() {
        return Models.mlp(4, 4, 1, 3, new Adam(0.01));
    }
}
