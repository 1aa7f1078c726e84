import Foundation

/// Wall-clock timing for benchmarks: median of repeated trials after a warm-up.
public enum Timing {
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Seconds per call of `body`: each trial repeats it until at least `minSeconds` pass.
    public static func median(trials: Int = 5, minSeconds: Double = 0.2, warmup: Bool = true, _ body: () -> Void) -> (
        median: Double, min: Double, max: Double
    ) {
        if warmup { body() }
        var times = [Double]()
        for _ in 0..<trials {
            var reps = 0
            let start = now()
            var elapsed = 0.0
            repeat {
                body()
                reps += 1
                elapsed = now() - start
            } while elapsed < minSeconds
            times.append(elapsed / Double(reps))
        }
        times.sort()
        return (times[times.count / 2], times.first!, times.last!)
    }
}
