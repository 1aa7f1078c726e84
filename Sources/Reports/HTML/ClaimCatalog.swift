/// Where each experiment sits in the talk: its place in the report, the claim in our own
/// words, and the slides of ../shared/TALK.txt it comes from.
public struct ClaimEntry: Sendable {
    public var experiment: String
    public var title: String
    public var claim: String
    public var slides: [String]
}

public enum ClaimCatalog {
    /// In the talk's order.
    public static let entries: [ClaimEntry] = [
        ClaimEntry(experiment: "perceptron-mistakes", title: "The perceptron's mistake bound",
                   claim: "If some hyperplane through the origin separates the data with margin γ and every input has norm at most R, the perceptron corrects itself at most R²/γ² times, however the samples are ordered and however many passes it makes. The proof rests on two inequalities: the weights gain at least γ of alignment with the separator per mistake, while their squared norm grows by at most R².",
                   slides: ["Perceptron: Mistake Bound", "Bonus: Perceptron Mistake Bound (1)", "Bonus: Perceptron Mistake Bound (2)"]),
        ClaimEntry(experiment: "perceptron-risk", title: "From few mistakes to low risk",
                   claim: "Few mistakes mean good generalization: after one pass, a weight vector picked at random among the iterates has expected risk at most R²/(γ²n); run to zero training mistakes, the final weights have expected risk at most R²/(γ²(n+1)). Neither bound counts parameters — the margin is the capacity.",
                   slides: ["Perceptron: First Risk Bound", "Perceptron: Second Risk Bound", "Perceptron shows us:"]),
        ClaimEntry(experiment: "perceptron-fit", title: "The perceptron on real images",
                   claim: "The same algorithm on Fashion-MNIST: one-vs-rest, the multiclass rule and the averaged perceptron, trained and tested on the real images.",
                   slides: ["Perceptron: Learning Algorithm"]),
        ClaimEntry(experiment: "bias-variance", title: "Bias, variance and noise",
                   claim: "The expected squared test error splits exactly into bias², variance and the noise σ². Classically, more capacity trades bias for variance (the U-curve); past interpolation the variance peaks and falls again.",
                   slides: ["Deep Learning Works: Bias-Variance", "Bias-Variance: Deep Models"]),
        ClaimEntry(experiment: "bias-variance-zero-one", title: "Bias and variance for classification",
                   claim: "For the 0-1 loss of a classifier, bias and variance do not simply add up: variance raises the error where the average classifier is right and lowers it where it is wrong (Domingos 2000). With that correction the decomposition is exact, and variance again peaks at the interpolation threshold.",
                   slides: ["Deep Learning Works: Bias-Variance", "Bias-Variance: Deep Models"]),
        ClaimEntry(experiment: "bias-variance-cross-entropy", title: "Bias and variance of the cross-entropy",
                   claim: "For the cross-entropy the decomposition is exact again when the average prediction is the normalized geometric mean of the fitted distributions (Yang et al. 2020). Trained networks of growing width: variance rises to a peak near the width that first fits the training set and then falls, so wider networks generalize better.",
                   slides: ["Bias-Variance: Deep Models", "Deep Learning: Filling in the Gap"]),
        ClaimEntry(experiment: "double-descent-ridgeless", title: "Double descent in ridgeless regression",
                   claim: "Minimum-norm least squares on p random Gaussian features and n samples: the test error follows an exact formula that blows up at p = n, where the model can just interpolate, and falls again beyond it. Past the threshold, more parameters help.",
                   slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        ClaimEntry(experiment: "double-descent-samples", title: "Sample-wise double descent",
                   claim: "The same threshold seen from the data side: with the number of parameters fixed, adding training samples until there are as many samples as parameters makes the interpolating fit worse — near the threshold, more data can hurt.",
                   slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        ClaimEntry(experiment: "double-descent-random-features", title: "Double descent with random features",
                   claim: "On real data, a linear fit on N random features has its worst test error when N equals the number of training samples, where the interpolating solution needs the largest weights; with many more features than samples it generalizes better than any under-parameterized fit.",
                   slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        ClaimEntry(experiment: "double-descent-width", title: "Double descent with network width",
                   claim: "Networks trained on data with noisy labels get worse as they grow toward the width that first fits every training label, then better again as they keep growing: bigger networks that interpolate still generalize, and the classical U-curve is only the first half of the story.",
                   slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap", "Bias-Variance: Deep Models"]),
        ClaimEntry(experiment: "double-descent-epochs", title: "Epoch-wise double descent",
                   claim: "Training time is a capacity axis too: with noisy labels, a large network's test error can fall, rise while it memorizes the noise, and fall again. One explanation (Heckel & Yilmaz 2021): parts of the model learn at different speeds, and each has its own early-stopping trade-off; gradient descent on features of two scales shows it exactly.",
                   slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        ClaimEntry(experiment: "model-size", title: "Bigger is better",
                   claim: "Wider networks keep generalizing better even after every width fits the training data perfectly: once training accuracy has saturated, the parameter count alone does not predict overfitting, and more parameters still lower the test error.",
                   slides: ["Deep Learning Works: Model Sizes (1)", "Deep Learning Works: Model Sizes (2)", "Bias-Variance: What's Happening?"]),
    ]

    public static func entry(_ experiment: String) -> ClaimEntry? { entries.first { $0.experiment == experiment } }

    public static func order(_ experiment: String) -> Int { entries.firstIndex { $0.experiment == experiment } ?? entries.count }
}
