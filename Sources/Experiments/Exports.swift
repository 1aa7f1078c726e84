// The result types an experiment writes live in Results, below Experiments and Reports; whoever
// imports Experiments gets them too.
@_exported import Results
