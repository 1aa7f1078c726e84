// swift-format-ignore-file
// Generated from the doc comments of the Codable structs' fields by ParameterHelpTests:
// GENLAB_WRITE_PARAMETER_HELP=1 swift test --filter ParameterHelpTests. Do not edit.

/// The help of each setting (type name → field → its doc comment), for `Parameter.help`.
enum ParameterHelp {
    static let fields: [String: [String: String]] = [
        "BadMinima": [
            "batchSize": "Minibatch size.",
            "data": "Dataset spec, with class labels.",
            "learningRate": "SGD's step size (momentum 0.9, constant), in every phase.",
            "maxEpochs": """
                Epoch limit of each training phase; a route that misses its target by then is left out and named.
                """,
            "model": "The network, a model spec (e.g. mlp:256).",
            "samples": "Training samples the curvature is measured on (a seeded random subset).",
            "seeds": "Seeds (initializations): the pairs.",
            "targetLoss": "Both routes end when the training cross-entropy on the true labels is at most this.",
        ],
        "BatchSizeSharpness": [
            "batchSizes": """
                Batch sizes of the grid besides 10% of the training set and the full set (always added); the smallest \
                is the \"small batch\".
                """,
            "data": "Dataset spec, with class labels.",
            "epsilon": "ε of Keskar et al.'s sharpness: the largest loss rise within a box of relative size ε.",
            "largeFraction": "Keskar's large batch, as a fraction of the training set.",
            "learningRate": "Learning rate (SGD, momentum 0.9), the same at every batch size.",
            "maxEpochs": "Epoch limit per run; a run that misses the target loss by then is left out and named.",
            "model": "The network, a model spec (e.g. mlp:512x512).",
            "samples": "Training samples the curvature is measured on (a seeded random subset).",
            "seeds": "Seeds (networks) per batch size.",
            "targetLoss": "Every run trains until the training loss is at most this (\"the same training loss\").",
        ],
        "BiasVarianceExperiment": [
            "axis": """
                The capacity along the curve: degree (Legendre polynomials), features (random ReLU features) or width \
                (a trained network).
                """,
            "capacities": "Capacities along the axis (degrees, feature counts or widths), increasing.",
            "regression": """
                The regression problem y = f(x) + ε with f known exactly, so bias and variance are computed, not \
                estimated.
                """,
            "seed": "Seed of the training sets and the random features.",
            "testPoints": "Test points the decomposition averages over.",
            "trials": "Independent training sets K per capacity.",
        ],
        "Capacity": [
            "fits": "Training sets whose fit interpolated (always all of them for the least-squares axes).",
        ],
        "CrossEntropyDecomposition": [
            "data": "A classification data set spec for Yang et al.'s setting; nil for the teacher.",
            "labelNoise": """
                Training-label noise ρ (teacher labels): each label is replaced by a uniform random class with \
                probability ρ.
                """,
            "learningRate": "Adam's learning rate.",
            "steps": "Full-batch Adam steps per network.",
            "teacher": "The teacher network whose labels the classifiers learn (when no data set is given).",
            "testPoints": "Test points the decomposition averages over.",
            "trainPerSet": "Samples per training set in Yang et al.'s setting (the data set needs K·n training rows).",
            "trials": "Independent training sets K per width.",
            "weightDecay": "L2 weight decay of Adam (added to the gradient).",
            "widths": "Hidden widths of the one-hidden-layer networks, increasing.",
        ],
        "CrossEntropyTerms": [
            "identityError": "Largest |loss − (noise + bias + variance)| over the test points.",
        ],
        "CurvatureRequest": [
            "samples": "Samples the loss is averaged over (nil: the whole training set).",
        ],
        "DatasetSummary": [
            "split": """
                Where the test set came from (the 80/20 default split of a file, a test file, the generator's draw, \
                …).
                """,
        ],
        "DescentShape": [
            "critical": "The one-sided critical value for the paired differences, at 2.5% over the candidate peaks.",
            "degreesOfFreedom": "The critical value's degrees of freedom (runs − 1; normal with one run).",
        ],
        "DimensionFreeRisk": [
            "delta": "δ of the VC bound drawn beside the measurements.",
            "dimensions": "Dimensions d, increasing.",
            "margin": "The planted margin γ.",
            "maxEpochs": "Passes over the training set at most.",
            "n": "Training samples n at every dimension.",
            "radius": "The radius R of the data.",
            "seed": "Seed of the data.",
            "testCount": "Fresh samples the risk is measured on.",
            "trials": "Independent training sets per dimension.",
        ],
        "EdgeOfStability": [
            "data": "Dataset spec, with class labels.",
            "loss": """
                \"mse\" (the mean squared error to the one-hot labels, Cohen et al.'s main setting) or \
                \"cross-entropy\".
                """,
            "measureEvery": "Measure λ_max every this many steps.",
            "model": "The network, a model spec (e.g. mlp:200x200; tanh or relu).",
            "seed": "Seed of the initialization.",
            "stepSizes": "Step sizes η of full-batch gradient descent (the edge is 2/η).",
            "steps": "Gradient-descent steps per step size.",
            "window": "The last fraction of the steps over which λ_max is summarized (its median).",
        ],
        "Eigen": [
            "converged": "|λₖ − λₖ₋₁| ≤ tolerance·|λₖ| was reached within the iteration limit.",
        ],
        "EpochWise": [
            "batchSize": "Minibatch size.",
            "data": "Dataset spec, with class labels (the reported setting: 4,000 Fashion-MNIST images).",
            "epochs": "Epochs each network trains, with no early stopping.",
            "evaluationsPerDecade": """
                Test and training error are recorded on a geometric grid of this many epochs per decade (and at the \
                last); nil: after every epoch. The grid costs under a third of the evaluations at 300 epochs and \
                leaves the peak fewer places to be picked from, so its bound is less strict (2026-12-07, after the \
                CNN's default verdict came out inconclusive: its evaluations were over half its time and its bound was \
                adjusted over 298 candidate peaks).
                """,
            "labelNoise": "Fraction of training labels replaced by a uniform random class.",
            "learningRate": "Learning rate, constant.",
            "linear": """
                The linear model with features at two scales, where epoch-wise double descent has an exact explanation \
                (Heckel & Yilmaz).
                """,
            "model": "The network, a model spec (e.g. mlp:512).",
            "optimizer": "The optimizer: sgd (momentum 0.9), adam or adamw.",
            "seeds": "Networks (seeds) averaged over.",
        ],
        "EpsilonSharpness": [
            "iterations": "Ascent steps taken, and the loss after each (the largest is the one reported).",
        ],
        "EvaluateExperiment": [
            "weightNames": """
                Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential \
                numbering).
                """,
        ],
        "ExtremeEigenvalues": [
            "converged": """
                Every residual bound asked for ≤ tolerance × the spectral scale (max |Ritz value|): the top k, and \
                the smallest where `smallestAsked`.
                """,
            "iterations": "Products of the operator taken (= Lanczos steps).",
            "smallest": "The smallest (most negative) eigenvalue and its residual bound.",
            "smallestAsked": """
                Whether the smallest eigenvalue was asked for (else it is the current Ritz value, unchecked).
                """,
            "top": "The k largest, descending, and their residual bounds (an eigenvalue lies within each).",
            "topVector": "The Ritz vector of the largest eigenvalue (unit norm), when asked for (`topVector: true`).",
        ],
        "GEMMBenchmark": [
            "sizes": "Matrix sizes n (n × n times n × n).",
            "threadCounts": "BLAS thread counts to measure.",
            "trials": "Trials per cell (the median is reported).",
        ],
        "GuessAndCheck": [
            "batch": "Candidates per batched product.",
            "data": "Dataset spec of a two-class task (its training split holds the sets, one after another).",
            "interpolators": "Random interpolators (and SGD networks) per set and prior.",
            "learningRate": "SGD's step size (batches of 4, momentum 0.9), trained to zero training error.",
            "maxDraws": "Random networks drawn per set and prior at most; a set whose search comes up short is named.",
            "n": "Training samples per set.",
            "seed": "First seed.",
            "sets": "Training sets (the pairs of the comparison).",
            "width": "Hidden width h of the networks d → h → 2 (ReLU).",
        ],
        "HVPBenchResult": [
            "fromScratchRounds": """
                With `rounds` > 1: the from-scratch median (ms) of each further round of 20 calls in this same \
                process, to tell a slow process from a slow minute of the machine.
                """,
            "hvpFromScratchMilliseconds": """
                H·v from scratch, forward pass included (what one jit(jvp(grad)) call does).
                """,
            "hvpMilliseconds": "H·v at a fixed θ, as Lanczos and power iteration call it: the forward pass is kept.",
            "lambdaMax": "Top eigenvalue by Lanczos to `tolerance` relative: value, H·v products used, seconds.",
            "powerLambda": "The same by 20 power iterations (what the peers time).",
        ],
        "HVPBenchmark": [
            "rounds": """
                Rounds of 20 from-scratch H·v in this one process (each round's median is printed): tells a slow \
                process from a slow minute of the machine.
                """,
            "tolerance": "Relative tolerance of the top eigenvalue.",
            "weights": "Weights (.npy, GenLab's flat layout) to evaluate at, e.g. the peers' shared initialization.",
        ],
        "HardMarginSVM": [
            "activeSetMaxFeatures": """
                Without bias, problems with at most this many features go to the exact active-set method first (its \
                least-squares solves cost O(d·k²) with k ≤ d support vectors); 0 turns it off.
                """,
        ],
        "LandscapeMeasurement": [
            "checkpointEvery": """
                A trajectory without `checkpoints`: trained in the run with `training`, θ kept every this many epochs \
                (nil: 1).
                """,
            "checkpoints": """
                The folder of a trajectory's checkpoints (`genlab train --checkpoints every=K` writes \
                OUT/checkpoints).
                """,
            "firstLayerShortcut": "false: every layer at every point (the reference path; slower).",
            "range": """
                The coefficients' range on each axis; nil: [−1, 1] (plane, line), [−0.5, 1.5] (interpolation).
                """,
            "seed": "Seed of the directions (and of the sample).",
            "steps": "Points per axis.",
            "to": "θ₁ of an interpolation (.npy or .safetensors).",
            "weightNames": """
                Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential \
                numbering).
                """,
            "weights": "θ₀ (.npy); nil: trained in the run with `training`.",
            "workers": "Cores the points run on (nil: all).",
        ],
        "LeastSquaresImplicitBias": [
            "data": """
                A data set's features instead of Gaussian ones (nil: planted): `samples` of its training rows (a \
                seeded subset), needing more features than rows; y its targets, or ±1 for class 0 against the rest.
                """,
            "features": "Features p of the planted data (p > n; with a data set, its own).",
            "noise": "Label noise σ of the planted data.",
            "samples": """
                Samples n (x ~ N(0, I_p), y = ⟨x, β⟩ + σε; with a data set, a seeded subset of its rows).
                """,
            "seed": "Seed of the data, the start θ₀ and SGD's order.",
            "steps": "Full-batch gradient-descent steps (and SGD epochs over the n samples).",
        ],
        "LogisticImplicitBias": [
            "data": """
                A data spec with two classes (e.g. fashion-mnist:classes=trouser,bag,train=500); nil: the planted data \
                below.
                """,
            "features": "Dimension d of the planted data.",
            "margin": "The planted margin: |⟨w*, x⟩| ≥ margin.",
            "samples": """
                Samples n of the planted data: points x ~ N(0, I_d) with |⟨w*, x⟩| ≥ margin, labelled sign⟨w*, \
                x⟩.
                """,
            "seed": "Seed of the planted data and the perceptrons' order.",
            "steps": "Gradient-descent steps (the rates are fitted over their last two decades).",
        ],
        "MNIST1D": [
            "shufflePositions": """
                Apply one fixed random permutation to the 40 positions (destroys locality: the CNN drops to ≈56%).
                """,
        ],
        "MeasureZoo": [
            "bases": "Star design with this many base networks; nil: the whole grid.",
            "curvatureSamples": "Samples the Hessian measures average over (at most; the training set when smaller).",
            "data": "A classification spec whose training split holds at least the largest training size.",
            "grid": "The hyperparameter grid the zoo's networks are drawn from.",
            "maxEpochs": "Epoch limit per network; one that has not reached the target loss is left out and counted.",
            "resamples": "Bootstrap resamples of the networks for the τ intervals.",
            "seed": "Seed of the design, the initializations and the measures.",
            "settings": "Settings of the measures that sample or iterate (flatness, gradient noise, Lanczos).",
            "targetLoss": "Every network trains until its training cross-entropy is at most this (Jiang et al.: 0.01).",
        ],
        "MemorizerGap": [
            "data": "A classification spec.",
            "fractions": "Fractions of training labels replaced by uniform random classes.",
            "seeds": "Independent draws of the random labels per fraction.",
        ],
        "Mistake": [
            "activation": """
                yᵢ⟨w_{T−1}, xᵢ⟩ ≤ 0 at the time of the mistake (used by the proof trace: ‖w_T‖² = \
                ‖w_{T−1}‖² + 2·this + ‖xᵢ‖²).
                """,
            "epoch": "0-based epoch (pass) in which it happened.",
            "sample": "Index of the sample in the training set.",
            "step": "0-based step: the number of samples visited before it, over all passes.",
        ],
        "MistakeBoundExperiment": [
            "bias": "Learn a bias (a constant feature appended, which enters R).",
            "data": """
                Dataset spec with two classes (planted separable data, or e.g. fashion-mnist:classes=trouser,bag).
                """,
            "maxEpochs": "Passes over the data at most (the perceptron stops at the first pass without a mistake).",
            "shuffleSeed": "Shuffle the order each pass with this seed (not set: the given order).",
        ],
        "Model": [
            "controlAccuracies": """
                Accuracy on each disjoint block of `controlCount` samples of the original test set: the positive \
                control's small reused sets.
                """,
        ],
        "ModelSize": [
            "data": """
                Dataset spec, with class labels (the protocol's: 4,000 standardized Fashion-MNIST images, 10,000 \
                test).
                """,
            "learningRate": "Learning rate (SGD, momentum 0.9, batch 128, constant).",
            "maxEpochs": """
                Epoch limit per network; a width whose networks miss the target loss by then is left out of the slope.
                """,
            "seeds": "Seeds (networks) per width.",
            "targetLoss": """
                Trained until the training cross-entropy is at most this (0.01, Neyshabur et al.'s protocol).
                """,
            "widths": "Hidden-layer widths of the one-hidden-layer networks, increasing.",
        ],
        "OptimizerConfig": [
            "weightDecay": """
                SGD and Adam: L2 added to the gradient (λθ); AdamW: decoupled decay (θ ← θ − ηλθ).
                """,
        ],
        "Outcome": [
            "interpolationEpoch": "Epoch at which training error first reached 0 (nil: never).",
            "measures": "Empty for a network that did not reach the target (not measured).",
            "recipe": """
                The network's recipe (`TrainingRecipe.key`), never a path: the sweep's key leaves the store out, so an \
                outcome read back from a checkpoint may come from a run with another store; the file is looked up in \
                this run's store when the table is written.
                """,
            "stopped": "Why training ended (nil: it failed with `problem`).",
        ],
        "Outcomes": [
            "plantedMargin": "The margin the generator planted (synthetic data only).",
            "store": "The store's folder (nil: the run had none).",
            "svmDirection": "ŵ/‖ŵ‖ (float64, one entry per feature), written as svm_direction.npy.",
            "weights": "The weights file of each network in the store (nil: none kept).",
        ],
        "PACBound": [
            "classSizes": "Sizes |H| of the finite hypothesis classes, increasing.",
            "delta": "δ: the bound holds with probability at least 1 − δ.",
            "draws": "Training sets drawn per point.",
            "epsilon": "The ε of the sample-size comparison: n the bound asks for against n the runs need.",
            "labelNoise": """
                Label noise η: each label is flipped with probability η (so the best hypothesis has risk η or \
                more).
                """,
            "seed": "Seed of the hypotheses and the training sets.",
            "sizes": "Training-set sizes n, increasing.",
            "threshold": "The target threshold t* of the true labels y = 1[x ≤ t*], x uniform on [0, 1].",
        ],
        "Pair": [
            "memorizeEpochs": """
                The random-label phase: its epochs, its training error on the random labels, and whether it fit them.
                """,
        ],
        "Part": [
            "perFeatureRanges": "Per-feature [min, max], only for at most 64 features (else omitted).",
            "radius": "R = maxᵢ ‖xᵢ‖",
        ],
        "Perceptron": [
            "recordIterates": """
                Keep each distinct iterate and how many steps it was current (for the random-iterate risk).
                """,
            "shuffleBlock": """
                With `shuffleSeed`: shuffle blocks of this many consecutive samples instead of single samples (nil or \
                1: a uniform random permutation each epoch). Blocks visit memory in runs that the hardware prefetcher \
                streams — about 1.5× faster per epoch on data larger than the cache — at a cost in randomness: \
                each epoch is a random order of the blocks, each block in the given order, so samples of a block \
                always meet in the same sequence. The mistake bound holds for any order; on data sorted by class, \
                shuffle it once first or keep blocks of 1.
                """,
            "shuffleSeed": "nil: visit samples in the given order; else reshuffle each epoch with this seed.",
        ],
        "PerceptronBenchResult": [
            "binaryEpochSeconds": """
                Binary perceptron, one epoch over a 12,000 × 784 pair, reshuffled each epoch as scikit-learn does: \
                seconds (median over 10 epochs). The pixels as bytes (`Perceptron.fit(bytes:)`, the path `perceptron \
                fit` takes on image data; bit-identical to the Float path).
                """,
            "binaryEpochSecondsBlocks": """
                The same shuffled in blocks of `blockSize` consecutive rows (`Perceptron.shuffleBlock`).
                """,
            "binaryEpochSecondsFloat": "The same on the Float features (4 bytes per pixel).",
            "binaryEpochSecondsInOrder": """
                The same in the given order (Algorithm 1 as written; the hardware prefetcher then streams the rows).
                """,
            "maxMarginSeconds": "Hard-margin SVM on 10,000 × 50 separable points: seconds.",
            "multiclassTenEpochsSeconds": """
                10-class one-vs-rest, 10 epochs over 60,000 images, shuffled each epoch: seconds (median of trials).
                """,
        ],
        "PerceptronBenchmark": [
            "trials": "Trials (the median is reported).",
        ],
        "PerceptronFit": [
            "bias": "Learn a bias (a constant feature appended).",
            "data": "Dataset spec (two classes: one perceptron; more: one against the rest each).",
            "epochs": "Passes over the training data.",
            "seed": "Seed of the per-epoch shuffle (with `shuffle`).",
            "shuffle": "Reshuffle the samples each epoch (false: the given order).",
        ],
        "PerceptronProofSteps": [
            "distribution": "The separable distribution the training sets are drawn from (no atom on the margin).",
            "looTrials": "Sets whose leave-one-out error is computed exactly (n perceptron runs each).",
            "maxEpochs": "Passes over a training set at most.",
            "n": "Training samples per set.",
            "orders": "Random orders per set the adversarial order is compared with.",
            "seed": "Seed of the training sets, the test sample and the orders.",
            "testCount": "Fresh samples the risks are measured on.",
            "trials": "Independent training sets.",
        ],
        "Point": [
            "line": "The loss along the filter-normalized line (`linePoints` steps).",
            "logitChange": "The largest change of a logit, relative to the largest |logit| at α = 1's weights.",
        ],
        "ProofStep": [
            "alignment": "⟨w_T, w*⟩ and its lower bound Tγ",
            "normSquared": "‖w_T‖² and its upper bound T·R²",
        ],
        "RandomFeaturesSweep": [
            "counts": "Feature counts N, increasing (empty: a grid around the interpolation threshold N = n).",
            "data": "Dataset spec, with class labels.",
            "kind": "The random features: relu or fourier.",
            "seeds": "Seeds (feature draws) per point.",
        ],
        "RandomLabels": [
            "batchSize": "Minibatch size.",
            "data": "Dataset spec, with class labels.",
            "fractions": "Fractions of training labels replaced by uniform random ones (0 = true labels).",
            "inputCorruptions": """
                Also shuffled pixels (one permutation), random pixels (one per image) and Gaussian inputs.
                """,
            "learningRate": "Learning rate (SGD, momentum 0.9, constant).",
            "maxEpochs": """
                Epoch cap per network (true labels too); random-label runs get 10× the true-label steps, up to this \
                cap.
                """,
            "model": "The network, a model spec.",
            "seeds": "Seeds (networks) per condition.",
        ],
        "Regression": [
            "dimension": "Input dimension d.",
            "function": "The regression function f: linear, poly or sin (of the coordinates' mean).",
            "noise": "Noise standard deviation σ of y = f(x) + ε.",
            "seed": "Seed of the inputs and the noise.",
            "testCount": "Test samples.",
            "trainCount": "Training samples n per training set.",
        ],
        "RegularizerAblation": [
            "batchSize": "Minibatch size of every condition but the small-batch one.",
            "cnn": "The CNN of the architecture comparison (a model spec): cnn1d for signals, cnn2d for images.",
            "data": """
                Dataset spec, with class labels (MNIST-1D: 1-D shifts; an image set: shifts along rows and columns).
                """,
            "dropout": "Dropout rate of the dropout condition (after each hidden layer).",
            "epochs": "Epochs each network trains.",
            "learningRate": "Learning rate (SGD, momentum 0.9).",
            "patience": "Early stopping: evaluations without improvement before stopping.",
            "seeds": "Seeds per condition (paired across conditions).",
            "shifts": """
                Shifts of the augmentation, in positions: each rolls a 1-D signal once, and moves an image once down \
                the rows and once along the columns.
                """,
            "smallBatch": "Minibatch size of the small-batch condition.",
            "validationFraction": "Fraction of the training set held out for early stopping.",
            "weightDecay": "L2 weight decay of the weight-decay condition.",
            "width": "Hidden width of the MLPs (two hidden layers).",
        ],
        "Retest": [
            "data": "The original split; its test set is the one reused.",
            "epochs": "Training lengths of the candidates, in epochs.",
            "families": "Model families (model specs); each is one entry of the leaderboard.",
            "freshCount": "Size of the fresh and the shifted test sets.",
            "freshSeed": "Seed of the fresh and the shifted test sets (a new draw of the generator).",
            "learningRates": """
                Learning rates of the candidates (each family × rate × epochs × seed is one candidate).
                """,
            "seeds": "Seeds per candidate.",
            "shift": "Generator options of the shifted test set (a mnist1d spec's options).",
        ],
        "RidgelessExperiment": [
            "axis": "features: the test error against γ = p/n at fixed n; samples: against n at fixed p.",
            "gammas": "The grid of γ = p/n, increasing.",
            "noise": "Noise standard deviation σ of y = ⟨x, β⟩ + σε.",
            "samples": "Samples n (axis features), or the fixed feature count p (axis samples).",
            "seed": "Seed of β, the samples and the noise.",
            "signal": "‖β‖ = r, the signal strength.",
            "trials": "Independent training sets per grid point.",
        ],
        "RiskBoundExperiment": [
            "distribution": "The separable distribution the training sets are drawn from.",
            "maxEpochs": "Passes over the training set at most.",
            "seed": "Seed of the training sets.",
            "sizes": "Training-set sizes n, increasing.",
            "testCount": "Fresh samples the risks are measured on.",
            "trials": "Independent training sets per n.",
        ],
        "Run": [
            "chance": "1 − Σ_c P(test label c)·P(predicted c): the error of predictions independent of the inputs.",
        ],
        "SampleWiseNetwork": [
            "data": "Dataset spec, with class labels; its training split must hold the largest size.",
            "labelNoise": """
                Fraction of training labels replaced by a uniform random class (drawn once, for the whole set).
                """,
            "learningRate": "SGD's step size (momentum 0.9, constant).",
            "seeds": "Seeds (networks) per size.",
            "sizes": "Training-set sizes n, increasing (nested: the first n samples of the noisy set).",
            "steps": "SGD steps of every network, whatever its n (so that no size is trained less).",
            "width": "Hidden width h of both hidden layers (near the interpolation threshold of the middle sizes).",
        ],
        "Separable": [
            "dimension": "Dimension d of the inputs.",
            "margin": "The planted margin γ: every point has |⟨w*, x⟩| ≥ γ.",
            "onMarginFraction": "Fraction of training points placed exactly on the margin.",
            "radius": "The radius R: every point has ‖x‖ ≤ R.",
            "seed": "Seed of the direction w* and of the points.",
            "testCount": "Test samples.",
            "trainCount": "Training samples n.",
        ],
        "SetResult": [
            "guessed": "The searches, one per prior in the order of `Prior.allCases`.",
            "searchSeconds": "Seconds spent drawing and checking candidates (both priors).",
        ],
        "Settings": [
            "flatnessDraws": "PAC-Bayes flatness: perturbations per noise scale.",
            "flatnessSteps": "PAC-Bayes flatness: bisection steps of the noise scale.",
            "lanczosIterations": "Lanczos iterations at most for λ_max.",
            "noiseDraws": "Minibatch draws of the gradient-noise estimate.",
            "seed": "Seed of the perturbations and minibatch draws.",
        ],
        "SharpnessMeasurement": [
            "densityReorthogonalization": """
                Keep each SLQ probe's Lanczos basis orthogonal (PyHessian does); quadrature does not need it.
                """,
            "samples": """
                Training samples the loss is averaged over (nil: all): a seeded random subset, or with `firstSamples` \
                the first ones in file order (as the peer tools' benchmarks take them).
                """,
            "smallest": "Also the smallest (most negative) eigenvalue, converged (it often takes the most steps).",
            "tolerance": "Residual bounds of the eigenvalues, relative to the spectral scale.",
            "traceTolerance": "Hutch++: stop when the standard error is this fraction of the trace.",
            "weightNames": """
                Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential \
                numbering).
                """,
            "weights": "Weights to measure at (.npy, flat); nil: train with `training` first.",
        ],
        "SharpnessRescaling": [
            "alphas": "Rescaling factors α (layer 1 × α, layer 2 ÷ α: the same function).",
            "data": "Dataset spec, with class labels.",
            "epochs": "Epochs the network trains before it is rescaled.",
            "samples": "Samples the loss is averaged over (a seeded random subset of the training set).",
            "seed": "Seed of the initialization, the training order and the sample.",
            "width": "Hidden width of the two-layer ReLU network.",
        ],
        "SlurmSettings": [
            "arrayParallelism": "Tasks running at once (%P of --array).",
            "cpusPerTask": "CPUs per task.",
            "grace": "Seconds before the time limit at which a task stops and requeues itself.",
            "maxArraySize": """
                The cluster's MaxArraySize (default: asked of scontrol, else 1001); more shards are split into several \
                arrays.
                """,
            "mem": "Memory per task, as sbatch takes it (e.g. 4G; default: the cluster's).",
            "partition": "Partition (default: the cluster's).",
            "shards": "Shards, one array task each (default: one per point, at most 1000).",
            "submit": "Submit the array(s) with sbatch.",
            "time": "Time limit of a task in minutes; a task requeues itself before it.",
        ],
        "Solution": [
            "direction": "Unit normal (nil when not separable was proved).",
            "dualWeights": """
                The dual weights α ≥ 0 the upper bound comes from: anyone can recompute \
                ‖Σαᵢyᵢxᵢ‖/Σαᵢ.
                """,
            "margin": "γ = minᵢ yᵢ(⟨w, xᵢ⟩ + b) of the returned direction: a lower bound on the max margin.",
            "marginUpperBound": """
                Upper bound on the max margin from the dual (see the type's comment); with `notSeparable`, the \
                certificate's number.
                """,
            "relativeGap": "(γ_upper − γ_lower)/γ_upper at the end (NaN with `notSeparable`).",
        ],
        "SpectralDensity": [
            "grid": "The density on `grid` (it integrates to 1 up to the grid's ends).",
            "nodes": "Per probe: the nodes and their weights.",
            "reorthogonalized": "Whether each probe's Lanczos basis was kept orthogonal.",
            "sigma": "Gaussian broadening σ.",
        ],
        "Stored": [
            "blasThreads": """
                BLAS threads the point ran with: a network's step runs halved on several threads, one pass on one \
                (`Network.splitsBatch`), and the two round differently.
                """,
        ],
        "SweepPlan": [
            "folder": "The registry folder and the experiment's name.",
            "whole": "The experiment has no sweep of points: its one point is the whole run.",
        ],
        "SweepsBenchmark": [
            "only": """
                Sweeps to run, comma-separated: ridgeless, random-features, width, width5, epochs, model-size, zoo.
                """,
        ],
        "Teacher": [
            "classes": "Classes (the teacher's outputs).",
            "dimension": "Input dimension d (x ~ N(0, I_d)).",
            "seed": "Seed of the teacher's weights and of the inputs.",
            "testCount": "Test samples.",
            "trainCount": "Training samples per training set.",
            "width": "Hidden width of the random ReLU teacher.",
        ],
        "TraceEstimate": [
            "converged": "The standard error fell to `relativeTolerance`·|estimate| within the probe limit.",
            "probes": "Random probes of the stochastic part, and products of the operator in all.",
            "standardError": "The standard error of the estimate (0 for an exact part); nil where none is defined.",
        ],
        "TrainBenchResult": [
            "gflops": "Real GFLOP/s of the products (3,196·W FLOP per sample for 784→W→10, no input gradient).",
            "halved": "Whether the steps ran as two half batches on two cores (`Network.splitsBatch`).",
            "samples": """
                Training images per epoch, and the test accuracy after the warm-up and timed epochs (when asked for).
                """,
        ],
        "TrainBenchmark": [
            "accuracy": "Report the test accuracy after the epochs (10,000 test images).",
            "batch": "Batch size.",
            "halving": "Halve each step between two cores (one BLAS thread each): automatic, never or always.",
            "learningRate": "SGD's learning rate (torch_mlp.py: 0.1; torch_cnn.py: 0.05).",
            "model": "Model specs, separated by ';'.",
            "samples": "Train on the first N training images (default: all 60,000; torch_cnn.py: 10,000).",
            "seed": "Seed of the initialization and the shuffles.",
        ],
        "TrainExperiment": [
            "checkpointEvery": """
                Keep θ every this many epochs (and at initialization and the end) as \
                checkpoints/epoch-NNNN.safetensors: a trajectory (nil: no).
                """,
            "curvature": """
                Measure the Hessian's largest eigenvalue λ_max of the training loss at the trained weights (nil: no).
                """,
            "initialWeights": "Start from these weights (.npy) instead of a fresh initialization.",
            "weightNames": """
                Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential \
                numbering).
                """,
            "weightsFormat": """
                The format of the trained weights: weights.npy (GenLab's flat θ; nil, so that older configurations \
                decode) or weights.safetensors (a PyTorch state dict).
                """,
        ],
        "TrainingConfig": [
            "dropLast": "Drop the last partial batch of an epoch (PyTorch's drop_last).",
            "earlyStoppingPatience": "Stop when the validation error has not improved for this many epochs.",
            "evaluate": "Evaluate at all (throughput benchmarks turn it off).",
            "evaluateEvery": "Evaluate train/test loss and error every this many epochs (and at the last).",
            "evaluationsPerDecade": """
                Evaluate instead on a geometric grid of this many epochs per decade (and at the last): every epoch \
                early, then ever sparser, as a curve drawn on a log axis needs it (nil: every `evaluateEvery` epochs). \
                Left out of the encoding when nil, so earlier cache keys hold.
                """,
            "maxSteps": "Stop after this many steps (overrides epochs when smaller).",
            "stopAtZeroTrainingError": "Stop at the first epoch with zero training error.",
            "targetLoss": "Stop once the training loss is at most this (e.g. 0.01, the protocol of Jiang et al. 2020).",
        ],
        "TrainingRecipe": [
            "architecture": "The network: input shape, layers, outputs, loss and initialization, in words.",
            "data": "`DataSplit.fingerprint` of the data trained on (and evaluated on, for the records).",
        ],
        "TrainingRun": [
            "stoppedBecause": "Why training ended.",
        ],
        "Trajectory": [
            "descentSeconds": "Seconds in gradient steps and in λ_max measurements; Lanczos steps in all.",
        ],
        "TrajectoryDimension": [
            "batchSize": "Minibatch size of SGD.",
            "data": "Dataset spec, with class labels.",
            "epochs": "Epochs of every training run; θ is kept at initialization and after every epoch.",
            "learningRate": "SGD's step size η (constant).",
            "model": "The network, a model spec (e.g. mlp:64).",
            "momentum": "SGD's (heavy-ball) momentum.",
            "samples": "Training samples the grid's loss is averaged over (a seeded random subset).",
            "seed": "First seed (training runs, walks and the grid's sample).",
            "seeds": "Training runs, with seeds seed, seed + 1, …: the share's scatter comes from them.",
            "steps": "Points per axis of the loss grid under the first seed's path.",
            "walks": "Random walks (same checkpoints, same dimension) the reference share is averaged over.",
        ],
        "Trial": [
            "looErrors": "nil: not one of the leave-one-out sets.",
        ],
        "TwoScaleRegression": [
            "fastFeatures": "Features at scale 1 (learned fast by gradient descent).",
            "fastSignal": "‖β‖ on the fast features.",
            "learningRate": "Gradient-descent step size.",
            "maxStep": "The last gradient step recorded (about ten record points per decade from step 1).",
            "noise": "Noise standard deviation σ of y = ⟨x, β⟩ + σε.",
            "samples": "Training samples n.",
            "seed": "Seed of β, the samples and the noise.",
            "slowFeatures": "Features at scale `slowScale` (learned slowly).",
            "slowScale": "Standard deviation of the slow features.",
            "slowSignal": "‖β‖ on the slow features.",
            "testCount": "Test samples per training set.",
            "trials": "Independent training sets averaged over.",
        ],
        "WidthSweep": [
            "architecture": """
                The network of width h: unset, the published MLP (depth layers of h units, He-uniform); \
                `standard-cnn`, Nakkiran et al.'s standard CNN of width k = h on images (convolutions of k, 2k, 4k, 8k \
                channels, then a linear layer; `depth` is not used).
                """,
            "data": """
                Dataset spec, with class labels (the published setup: MNIST-1D, 4,000 training and 4,000 test \
                samples).
                """,
            "depth": "Hidden layers, each of width h.",
            "epochs": "Epochs each network trains (SGD, batch 100, momentum 0.9).",
            "labelNoise": "Fraction of training labels replaced by a uniform random class.",
            "learningRate": "Learning rate, constant.",
            "optimizer": """
                The optimizer at the learning rate: unset, SGD with momentum 0.9 (the published setup); `adam`, Adam \
                with PyTorch's defaults (Nakkiran et al.'s CNN setting).
                """,
            "recordEvery": "Record test error every this many epochs (the epoch-wise curves).",
            "seeds": "Seeds (networks) per width.",
            "widths": "Hidden widths h, increasing.",
            "withoutNoise": "Also train each width on the clean labels (the control: no noise, no peak).",
        ],
        "ZeroOneDecomposition": [
            "capacities": "Random-feature counts along the curve, increasing.",
            "labelNoise": """
                Training-label noise ρ: each label is replaced by a uniform random class with probability ρ.
                """,
            "teacher": "The teacher network whose labels the classifiers learn.",
            "testPoints": "Test points the decomposition averages over.",
            "trials": "Independent training sets K per capacity.",
        ],
        "ZooGrid": [
            "batchSizes": "Batch sizes.",
            "depths": "Hidden layers.",
            "dropouts": "Dropout rates after each hidden layer.",
            "learningRates": "Learning rates (SGD, momentum 0.9, constant).",
            "trainSizes": "Training samples (the first n of the data's training split).",
            "weightDecays": "Weight decays (L2).",
            "widths": "Hidden-layer widths.",
        ],
    ]
}
