namespace MLNet.Adam.Training;

/// <summary>One point of the L2 path: the value tried, the held-out log-loss it reached and the epochs it took (summed over folds).</summary>
/// <param name="L2Regularization">The L2 weight on the summed loss of all training rows (the value the final fit would use).</param>
/// <param name="HeldOutLoss">Mean log-loss on the held-out rows once that point's training converged (or reached its epoch cap).</param>
/// <param name="Epochs">Epochs trained at that point, summed over the folds (each warm-started from its previous point).</param>
public sealed record L2PathPoint(float L2Regularization, double HeldOutLoss, int Epochs);
