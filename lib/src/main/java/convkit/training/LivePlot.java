package convkit.training;

import convkit.display.Display;

/**
 * The loss and accuracy curves in the notebook, drawn after the first epoch and redrawn in place after each one; a fit
 * that found every epoch already trained draws the saved curves once.
 */
final class LivePlot implements Callback {

    private String lossId;
    private String accuracyId;

    @Override
    public void onTrainBegin(Run run) {
        lossId = null;
        accuracyId = null;
    }

    @Override
    public void onEpochEnd(Run run, Logs logs) {
        if (!Display.inNotebook()) {
            return;
        }
        draw(run.history());
    }

    @Override
    public void onTrainEnd(Run run) {
        if (lossId == null && run.history().epochs() > 0 && Display.inNotebook()) {
            draw(run.history());
        }
    }

    private void draw(History history) {
        if (lossId == null) {
            lossId = history.lossPlot().show();
            accuracyId = history.accuracyPlot().show();
        } else {
            history.lossPlot().update(lossId);
            history.accuracyPlot().update(accuracyId);
        }
    }
}
