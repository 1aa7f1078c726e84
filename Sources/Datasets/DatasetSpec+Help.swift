extension DatasetSpec {
    /// Every data set and every option a spec takes: `genlab data spec-help` prints it.
    public static let helpText = """
        A dataset spec is NAME[:OPTION,OPTION,...] or PATH[:OPTION,...]. An option is key=value or a flag;
        a list value continues over commas (classes=trouser,bag).

        Built-in sets (train / test are the generator's own independent draws, or the data set's own files):
          fashion-mnist        Fashion-MNIST, 60,000 train / 10,000 test images of 784 pixels in [0, 1], 10 classes
                               (Debian's dataset-fashion-mnist; --data-dir or GENLAB_DATA to read it elsewhere).
          mnist1d              MNIST-1D generated from its recipe: train=4000, test=1000, seed=42, shuffle-positions,
                               corr-noise=, iid-noise=, shear=, scale= (the recipe's defaults).
          separable            separable with a planted margin: d=20, n=1000, test=1000, margin=0.1, radius=1, \
        on-margin=F.
          gaussian-mixture     d=2, k=2 classes, n=1000, test=1000, sep=2, std=1.
          regression           y = f(x) + noise: f=sin|poly|linear, d=1, n=100, test=1000, noise=0.1 (σ).
          teacher              labels of a random one-hidden-layer ReLU teacher: d=20, width=32, k=2, n=1000, test=1000.
          isotropic            x ~ N(0, I_p), y = <x, β> + σε: p=100, n=200, test=1000, noise=0.5 (σ), r=1 \
        (‖β‖).

        Files (the kind is read from the name):
          data.csv             a header row; label=COLUMN (name or 0-based index; default a column named label, class,
                               y or target, else the last); every other column numeric.
          data.libsvm          LIBSVM/SVMlight text (.libsvm, .svm, .txt), 1-based feature indices.
          X.npy                labels=y.npy (required): a 2-D float array and its labels.
          images-idx3-ubyte[.gz]  labels=labels-idx1-ubyte[.gz] (required): IDX images scaled to [0, 1].
          regression           (flag) real targets instead of class labels (CSV and NPY).
          test-file=PATH       the test set from another file of any kind (test-labels=PATH for NPY and IDX). Its
                               labels are matched to the training file's classes by name (numerically for numbers);
                               a test label the training file lacks is an error.
          holdout=F            without test-file: the fraction of rows held out at random (with seed) as the test
                               set. Default 0.2 (an 80/20 split); holdout=0 trains on every row and leaves no test set
                               (commands that report test error then ask for test-file= or holdout > 0).

        Options every classification set takes (applied in this order):
          train=N, test=N      stratified subsamples (Fashion-MNIST and files; for generators they are the sizes).
          classes=A,B          a pair of classes, by name or index, as a binary task (A → 0, B → 1).
          label-noise=F        replace a fraction F of the training labels by uniform random ones (alias noise=,
                               except for regression and isotropic, where noise= is σ). The test set stays clean.
          random-labels        every training label uniform at random (Zhang et al.).
          standardize          each feature to mean 0, std 1, fitted on the training set only.
          val=F                move a fraction F of the training rows into a validation set.
          seed=S               the seed of every random choice above (default 0; mnist1d's generator: 42).

        Every run's summary says which split it used (a line "data: N train / M test; ...").
        """
}
