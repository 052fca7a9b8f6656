package dev.shepherd.onnx.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link PredictorTrainer} chose the model and what it must beat. Candidates are compared by their mean
 * out-of-fold ROC-AUC of the need-help head in stratified k-fold cross-validation over the training split
 * (the validation split is never seen), with the one-standard-error rule: the first (simplest) candidate whose
 * mean is within one standard error (of the best candidate's per-fold AUCs) of the best mean is chosen, so that
 * differences the folds cannot resolve do not flip the model family from one training set to the next. The single-feature
 * baseline is the cheap feature with the best sign-corrected ROC-AUC on the training rows, reported by its
 * ROC-AUC on the validation rows; if the chosen model scores below it there, the single-feature model is
 * kept instead ({@link #fellBackToFeature()}). Immutable.
 *
 * @param folds                 folds of the cross-validation (0 when it was off)
 * @param candidates            every candidate with its mean out-of-fold ROC-AUC (NaN when not cross-validated)
 * @param chosen                the candidate the final model was trained as
 * @param fellBackToFeature     true when the CV winner scored below the single-feature baseline on validation
 * @param bestFeature           the single-feature baseline's feature (chosen on the training rows)
 * @param bestFeatureAuc        its sign-corrected ROC-AUC on the validation rows (NaN without a validation split)
 * @param featureAucs           every feature's ROC-AUC on the validation rows, sign fixed on the training rows
 * @param outOfFoldScores       need-help logits of the chosen candidate for every training-split row (by example
 *                              id), each from the fold model that did not train on it; empty without CV
 */
public record ModelSelection(int folds, List<Scored> candidates, HeadCandidate chosen, boolean fellBackToFeature,
                             String bestFeature, double bestFeatureAuc, Map<String, Double> featureAucs,
                             Map<String, Double> outOfFoldScores) {

    public ModelSelection {
        candidates = List.copyOf(candidates);
        featureAucs = Collections.unmodifiableMap(new LinkedHashMap<>(featureAucs));
        outOfFoldScores = Collections.unmodifiableMap(new LinkedHashMap<>(outOfFoldScores));
    }

    /**
     * A candidate, its mean per-fold ROC-AUC and that mean's standard error (NaN when not cross-validated or
     * when the candidate could not be fitted, e.g. the answer-length model without recorded answer lengths).
     */
    public record Scored(HeadCandidate candidate, double meanAuc, double standardError) {

        /** Without a standard error. */
        public Scored(HeadCandidate candidate, double meanAuc) {
            this(candidate, meanAuc, Double.NaN);
        }
    }
}
