/// The claims of the talk, in our own words, keyed by experiment name, with the slides of
/// ../shared/TALK.txt each comes from. The report shows them above each experiment's verdicts.
extension Registry {
    public static let claims: [String: Claim] = [
        "sharpness-rescaling": Claim(
            title: "Sharp vs flat minima: sharpness is not a property of the function",
            text:
                "The talk asks whether some minima generalize better because they are flat. Flatness measured by the "
                + "Hessian cannot be the whole story: in a ReLU network, multiplying one layer by α and the next "
                + "by 1/α computes exactly the same function, with the same test error, while the Hessian's "
                + "largest eigenvalue and trace move by orders of magnitude. Any sharpness measure worth the name "
                + "has to be invariant to such reparametrizations.",
            slides: ["Deep Learning: Frontiers of Research"]),
        "batch-size-sharpness": Claim(
            title: "Sharp vs flat minima: does the batch size choose the minimum?",
            text:
                "A common refrain says that SGD finds flat minima and that flat minima generalize. Keskar et al. made "
                + "it measurable: the same network trained with small batches and with large ones, to the same "
                + "training loss, ends in minima of different sharpness, and the large-batch ones test worse. We "
                + "train one network from the same start with plain SGD at one learning rate and each batch size "
                + "— a small batch, 10% of the training set, and the whole set (full-batch gradient descent) — "
                + "and measure the Hessian's largest eigenvalue, its "
                + "trace, ε-sharpness and the test error at each minimum.",
            slides: ["Why Does Deep Learning Work?", "Deep Learning: Frontiers of Research"]),
        "edge-of-stability": Claim(
            title: "Sharp vs flat minima: gradient descent sets its own sharpness",
            text:
                "On a quadratic, gradient descent with step size η is stable only where the curvature is below 2/η. "
                + "Cohen et al. found that on neural networks full-batch gradient descent does not stay below that "
                + "line: the sharpness λ_max rises during training until it reaches 2/η and then hovers there, "
                + "while the loss keeps falling in a non-monotone way. The step size, not the landscape alone, "
                + "decides how sharp the minimum found is.",
            slides: ["Deep Learning: Frontiers of Research"]),
        "bad-minima": Claim(
            title: "Sharp vs flat minima: some global minima generalize much worse than others",
            text:
                "The talk's frontier slide says some local minima generalize much better than others. Liu, "
                + "Papailiopoulos and Achlioptas made the point with minima that fit the training set equally "
                + "well: a network first trained to fit random labels, then trained on the true labels, reaches "
                + "zero training error like a network trained directly, yet tests far worse. We take both routes "
                + "from the same initialization to the same training loss and compare their test error, and ask "
                + "whether the worse minimum is also the sharper one, as the sharp-minima story would have it.",
            slides: ["Deep Learning: Frontiers of Research"]),
        "double-descent-samples-network": Claim(
            title: "Double descent in the samples: more data can hurt a network",
            text:
                "If the trouble near the interpolation threshold comes from a model that can only just fit its "
                + "training set, then the threshold can be crossed from the other side too: keep the network fixed "
                + "and add data. Nakkiran and colleagues found that near the threshold more training samples can "
                + "make a network test worse, for a while. We fix one MLP width, add label noise, train on nested "
                + "training sets of growing size for the same number of steps, and ask whether the test error "
                + "rises from one size to the next anywhere on the grid.",
            slides: ["Deep Learning: Frontiers of Research"]),
        "landscape-trajectory": Claim(
            title: "Sharp vs flat minima: what a picture of the landscape can show",
            text:
                "Talk of sharp and flat minima rests on pictures of the loss around a solution, and a network has "
                + "thousands of dimensions to picture. Li et al. draw the training path on the plane of its own "
                + "two main directions of motion and report that the path is nearly two-dimensional. A random walk "
                + "in many dimensions looks nearly two-dimensional on such a plane too: about 76% of its variance "
                + "falls in two directions. So the measured claim is that training moves more nearly in a plane "
                + "than a random walk of the same length does. The plot "
                + "of the loss on that plane shows what the path crossed.",
            slides: ["Deep Learning: Frontiers of Research"]),
        "implicit-bias-guess-and-check": Claim(
            title: "The implicit bias of SGD: better than fitting the data at random?",
            text:
                "The talk credits SGD with steering networks toward solutions that generalize. The plainest test is to "
                + "reach zero training error some other way and compare. Chiang and colleagues did it by guess and "
                + "check: draw small networks at random until one happens to fit a small training set, and measure "
                + "its test error; they found such random interpolators about as good as SGD's. We repeat the "
                + "comparison on small two-class training sets, drawing thousands of networks per product, from "
                + "PyTorch's initialization and from a wide uniform "
                + "distribution, and ask whether SGD's networks test better.",
            slides: ["Deep Learning: Frontiers of Research", "Deep Learning: Filling in the Gap"]),
        "implicit-bias-least-squares": Claim(
            title: "The implicit bias of gradient descent",
            text:
                "When a model has more parameters than data, infinitely many settings fit the training set exactly; "
                + "the loss cannot tell them apart, so the training algorithm chooses. On least squares the choice "
                + "is exact: gradient descent and SGD started at zero never leave the span of the training inputs "
                + "and converge to the fit of smallest norm, and started elsewhere they keep the start's component "
                + "outside that span. Generalization then depends on the algorithm, not only on the model.",
            slides: [
                "Why Does Deep Learning Work?", "Deep Learning: Filling in the Gap",
                "Deep Learning: Frontiers of Research",
            ]),
        "implicit-bias-logistic": Claim(
            title: "The implicit bias of gradient descent toward the max margin",
            text:
                "On linearly separable data the logistic loss has no minimizer: it only approaches 0 as the weights "
                + "grow. Yet gradient descent does not wander: its weights grow like log t along the hard-margin "
                + "SVM's direction, so the classifier it converges to is the max-margin one, although nothing in "
                + "the loss asks for a margin. The convergence of the direction is slow — the error falls only "
                + "as 1/log t — while the loss itself falls as 1/t.",
            slides: ["Why Does Deep Learning Work?", "Deep Learning: Frontiers of Research"]),
        "random-labels": Claim(
            title: "Capacity is not the parameter count: networks fit random labels",
            text:
                "If the number of parameters were what limits a network's ability to overfit, a network that "
                + "generalizes well on real labels could not also memorize noise. Zhang et al. showed it can: the "
                + "same network, trained the same way, drives its training error to zero on labels drawn at "
                + "random, on shuffled or random pixels and on Gaussian inputs — only a constant factor slower "
                + "— while its test error goes from good to chance. Whatever explains generalization must depend "
                + "on the data and the algorithm, not on the model class alone.",
            slides: ["Why Does Deep Learning Work?", "Deep Learning: Filling in the Gap", "Summary"]),
        "regularizers": Claim(
            title: "What regularizes a network",
            text:
                "The talk lists the usual suspects for why big networks still generalize: SGD, architecture, dropout, "
                + "L2 and early stopping. We add one at a time to the same network and measure what each buys in "
                + "test error, paired by seed — and expect some to buy nothing. The architecture's help should "
                + "come from its prior: a convolution's local, shift-equivariant features help on signals and stop "
                + "helping when the positions are shuffled. And explicit regularization is neither necessary (the "
                + "plain network already generalizes far above chance) nor sufficient (with dropout and weight "
                + "decay the network still fits random labels).",
            slides: ["Why Does Deep Learning Work?", "Deep Learning: Filling in the Gap"]),
        "perceptron-mistakes": Claim(
            title: "The perceptron's mistake bound",
            text:
                "If some hyperplane through the origin separates the data with margin γ and every input has norm at "
                + "most R, the perceptron corrects itself at most R²/γ² times, however the samples are ordered "
                + "and however many passes it makes. The proof rests on two inequalities: the weights gain at "
                + "least γ of alignment with the separator per mistake, "
                + "while their squared norm grows by at most R².",
            slides: [
                "Perceptron: Mistake Bound", "Bonus: Perceptron Mistake Bound (1)",
                "Bonus: Perceptron Mistake Bound (2)",
            ]),
        "perceptron-risk": Claim(
            title: "From few mistakes to low risk",
            text:
                "Few mistakes mean good generalization: after one pass, a weight vector picked at random among the "
                + "iterates has expected risk at most R²/(γ²n); run to zero training mistakes, the final "
                + "weights have expected risk at most R²/(γ²(n+1)). Neither bound counts parameters — the "
                + "margin is the capacity. The bounds differ only by the factor (n+1)/n, which the talk reads as "
                + "\"exactly optimizing gives only a minor improvement\"; we check that reading against the "
                + "measured risks, whose ratio is a separate verdict.",
            slides: ["Perceptron: First Risk Bound", "Perceptron: Second Risk Bound", "Perceptron shows us:"]),
        "perceptron-proof": Claim(
            title: "How few mistakes become low risk: the proof's steps, measured",
            text:
                "The talk turns the mistake bound into risk bounds in two steps that are easy to state and rarely "
                + "seen. One pass: each sample meets a weight vector that has never seen it, so the mistakes per "
                + "sample in that pass are, on average, exactly the risk of a weight vector drawn at random from "
                + "the pass. Run to zero mistakes: a point that never caused an update changes nothing when it is "
                + "left out, so the leave-one-out errors are at most the points that did. We measure both steps, "
                + "and ask how the order of the data matters: an adversary that always shows the worst-classified "
                + "point makes more mistakes than a random order, while the bound R²/γ² holds for every order.",
            slides: ["Perceptron: First Risk Bound", "Perceptron: Second Risk Bound"]),
        "perceptron-dimension": Claim(
            title: "The perceptron's capacity is R/γ, not the dimension",
            text:
                "The mistake bound R²/γ² and the risk bound R²/(γ²(n+1)) do not mention the dimension: the "
                + "margin relative to the radius is the capacity. We fix R, γ and n and let d grow from 10 to "
                + "10,000: the mistakes stay below R²/γ², the risk stays below its bound and does not grow with "
                + "d, while a VC bound for halfspaces (VC dimension d) grows with d and says nothing once d nears n.",
            slides: ["Perceptron shows us:", "Perceptron: Second Risk Bound"]),
        "measures": Claim(
            title: "Capacity is not the parameter count: which measure ranks generalization?",
            text:
                "If the parameter count were the capacity, it would rank networks by how much they overfit. Jiang et "
                + "al. trained thousands of networks over seven hyperparameters, each to the same training "
                + "cross-entropy, and asked of forty measures — norms, margins, spectral bounds, PAC-Bayes "
                + "flatness, sharpness, properties of the optimization — how well each orders the networks by "
                + "their generalization gap (Kendall τ, and τ within one hyperparameter at a time, Ψ). The "
                + "parameter count did poorly, spectral-norm products worse, flatness best. We build the zoo of "
                + "ReLU MLPs on MNIST-1D over width, depth, learning rate, batch, weight decay, dropout and "
                + "training-set size, measure 23 of their measures on each, and rank them with bootstrap intervals "
                + "over the networks.",
            slides: ["Deep Learning: Filling in the Gap", "Summary"]),
        "retest": Claim(
            title: "Test-set reuse: do we overfit the benchmark?",
            text:
                "A test set reused for many choices becomes part of training, and accuracies read off it should be "
                + "optimistic. Recht et al. rebuilt CIFAR-10's and ImageNet's test sets and found lower accuracy "
                + "for every model, yet the models kept their order, and the loss came from a slight shift in the "
                + "new data rather than from the reuse. We reproduce the design on MNIST-1D, whose generator can "
                + "draw a truly fresh test set: a zoo of model families, each family's best chosen on the reused "
                + "test set, then scored on a fresh draw and on a draw with a small, stated shift of the generator.",
            slides: ["Bias-Variance: Optimization Bias"]),
        "pac": Claim(
            title: "ERM and PAC bounds on a finite class",
            text:
                "The talk's ERM slides rest on a uniform bound: for a finite class H, Hoeffding's inequality and the "
                + "union bound give Pr[some h has |empirical − true risk| ≥ ε] ≤ 2|H|e^(−2nε²), so with "
                + "probability 1 − δ every empirical risk is within ε_δ = √(log(2|H|/δ)/(2n)) of the truth "
                + "and empirical risk minimization is within 2ε_δ of the best in H. On a distribution whose true "
                + "risks we know exactly (thresholds on [0, 1] with label noise) we measure both events over many "
                + "training sets, check the bound at every n and |H|, and report how loose it is and how much more "
                + "data it asks for than the runs need.",
            slides: ["Learning Theory: A Brief Introduction", "Learning Theory: Risk and ERM"]),
        "perceptron-fit": Claim(
            title: "The perceptron on real images",
            text:
                "The same algorithm on Fashion-MNIST: one-vs-rest, the multiclass rule and the averaged perceptron, "
                + "trained and tested on the real images.",
            slides: ["Perceptron: Learning Algorithm"]),
        "bias-variance": Claim(
            title: "Bias, variance and noise",
            text:
                "The expected squared test error splits exactly into bias², variance and the noise σ². Classically, "
                + "more capacity trades bias for variance (the U-curve); "
                + "past interpolation the variance peaks and falls again.",
            slides: ["Deep Learning Works: Bias-Variance", "Bias-Variance: Deep Models"]),
        "bias-variance-zero-one": Claim(
            title: "Bias and variance for classification",
            text:
                "For the 0-1 loss of a classifier, bias and variance do not simply add up: variance raises the error "
                + "where the average classifier is right and lowers it where it is wrong (Domingos 2000). With "
                + "that correction the decomposition is exact, and "
                + "variance again peaks at the interpolation threshold.",
            slides: ["Deep Learning Works: Bias-Variance", "Bias-Variance: Deep Models"]),
        "bias-variance-cross-entropy": Claim(
            title: "Bias and variance of the cross-entropy",
            text:
                "For the cross-entropy the decomposition is exact again when the average prediction is the normalized "
                + "geometric mean of the fitted distributions (Yang et al. 2020). In their setting — disjoint "
                + "clean training sets drawn from one data set (here MNIST-1D), one shared test set, weight decay "
                + "— we train one-hidden-layer networks of growing width on each set and test two shapes: the "
                + "variance rises, peaks and falls (bell-shaped), and the bias falls as the network widens.",
            slides: ["Bias-Variance: Deep Models", "Deep Learning: Filling in the Gap"]),
        "bias-variance-cross-entropy-noisy": Claim(
            title: "Bias and variance of the cross-entropy, noisy labels and no regularization",
            text:
                "The same decomposition outside Yang et al.'s setting: teacher-network labels with 10% of the training "
                + "labels replaced at random and no weight decay. The label distribution is known exactly here, so "
                + "the noise term is exact; but interpolating networks become overconfident on the noisy labels, "
                + "and the bias then measures that overconfidence (wide networks can score worse than a uniform "
                + "predictor). The same three checks, shown for contrast — not evidence for the claim above.",
            slides: ["Bias-Variance: Deep Models"]),
        "double-descent-ridgeless": Claim(
            title: "Double descent in ridgeless regression",
            text:
                "Minimum-norm least squares on p random Gaussian features and n samples: the test error follows an "
                + "exact formula that blows up at p = n, where the model can just interpolate, and falls again "
                + "beyond it. Past the threshold, more parameters help.",
            slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        "double-descent-samples": Claim(
            title: "Sample-wise double descent",
            text:
                "The same threshold seen from the data side: with the number of parameters fixed, adding training "
                + "samples until there are as many samples as parameters makes the interpolating fit worse — "
                + "near the threshold, more data can hurt.",
            slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        "double-descent-random-features": Claim(
            title: "Double descent with random features",
            text:
                "On real data, a linear fit on N random features has its worst test error when N equals the number of "
                + "training samples, where the interpolating solution needs the largest weights; with many more "
                + "features than samples it generalizes better than any under-parameterized fit (Belkin et al.'s "
                + "main point, judged for the 0-1 error and for the squared error apart: the two need not agree).",
            slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        "double-descent-width": Claim(
            title: "Double descent with network width",
            text:
                "Networks trained on data with noisy labels get worse as they grow toward the width that first fits "
                + "every training label, then better again as they keep growing: bigger networks that interpolate "
                + "still generalize, and the classical U-curve is only the first half of the story.",
            slides: [
                "Deep Learning: Different Stories", "Deep Learning: Filling in the Gap", "Bias-Variance: Deep Models",
            ]),
        "double-descent-epochs": Claim(
            title: "Epoch-wise double descent",
            text:
                "Training time is a capacity axis too: with noisy labels, a large network's test error can fall, rise "
                + "while it memorizes the noise, and fall again (Nakkiran et al. 2019). We look for it in the "
                + "setting where it is reported — 20% label noise, Adam at a constant rate, no decay, no early "
                + "stopping, hundreds of epochs; here an MLP on Fashion-MNIST — with the early-stopping gap (how "
                + "far the final test error sits above the best epoch's) as its precondition. One explanation "
                + "(Heckel & Yilmaz 2021): parts of the model learn at different speeds, and each has its own "
                + "early-stopping trade-off; gradient descent on features of two scales shows it exactly.",
            slides: ["Deep Learning: Different Stories", "Deep Learning: Filling in the Gap"]),
        "model-size": Claim(
            title: "Bigger is better",
            text:
                "Wider networks keep generalizing better even after every width fits the training data perfectly: once "
                + "training accuracy has saturated, the parameter count alone does not predict overfitting, and "
                + "more parameters still lower the test error. We follow Neyshabur et al.'s protocol — every "
                + "width trained at a constant learning rate to the same training cross-entropy (0.01) — and "
                + "measure the gain per doubling of the parameters; the talk's \"exponentially more parameters per "
                + "gain\" is that slope.",
            slides: [
                "Deep Learning Works: Model Sizes (1)", "Deep Learning Works: Model Sizes (2)",
                "Bias-Variance: What's Happening?",
            ]),
    ]
}
