// swift-tools-version:6.1
// GenLab's benchmarks, kept in their own package so that CI's build of GenLab does not
// compile package-benchmark. Run: cd Benchmarks && swift package benchmark
// Side-by-side ratios against numpy / scikit-learn: scripts/bench-peers.sh.
import PackageDescription

let package = Package(
    name: "GenLabBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "GenLab", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "GenLabBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "GenLab", package: "GenLab"),
            ],
            path: "Benchmarks/GenLabBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
