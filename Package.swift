// swift-tools-version:6.0
// GenLab: the talk "Why Does Deep Learning Work?" as experiments you can rerun.
// Layers (DESIGN.md): Common, CBLAS → LinearAlgebra → Datasets → Learners → Measures → Results → Experiments, Reports → Tour → genlab.
import PackageDescription

// Release: no overflow or bounds traps in numeric loops (inputs are validated at the boundary), and
// AVX2 + FMA on x86-64 (every x86-64 machine of the last decade; the SIMD kernels need it).
#if arch(x86_64)
let cpu = ["-target-cpu", "haswell"]
#else
let cpu: [String] = []
#endif
let optimize: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"] + cpu, .when(configuration: .release))]

let package = Package(
    name: "GenLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "genlab", targets: ["genlab"]),
        .library(name: "GenLab", targets: ["Common", "LinearAlgebra", "Datasets", "Learners", "Measures", "Results", "Experiments", "Reports", "Tour"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (scripts/docs.sh); a plugin only, nothing links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // `genlab serve`: a maintained async HTTP server (SwiftNIO underneath) with a socket-free test client.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own service runner: stops the runs before the server on SIGINT/SIGTERM.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // Header names (Origin, Last-Event-ID, Sec-Fetch-Site) as Hummingbird's requests spell them.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // BLAS/LAPACK shim: OpenBLAS on Linux, Accelerate on macOS. A C target (not a
        // bare system-library target) so that the library to link can depend on the platform.
        .target(
            name: "CBLAS",
            linkerSettings: [
                .linkedLibrary("openblas", .when(platforms: [.linux])),
                .linkedFramework("Accelerate", .when(platforms: [.macOS])),
            ]
        ),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // What every layer shares: the error type, the version, the RNG, the clock.
        .target(name: "Common", swiftSettings: optimize),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "Common"], swiftSettings: optimize),
        .target(name: "Datasets", dependencies: ["LinearAlgebra", "CZlib"], swiftSettings: optimize),
        .target(name: "Learners", dependencies: ["CBLAS", "LinearAlgebra", "Datasets"], swiftSettings: optimize),
        .target(name: "Measures", dependencies: ["LinearAlgebra", "Datasets", "Learners"], swiftSettings: optimize),
        // What a run leaves: results, verdicts, tables, figure specs, their files; below both the
        // experiments that write them and the reports that read them.
        .target(name: "Results", dependencies: ["LinearAlgebra", "Datasets"], swiftSettings: optimize),
        .target(name: "Experiments", dependencies: ["LinearAlgebra", "Datasets", "Learners", "Measures", "Results"], swiftSettings: optimize),
        // Reports only reads results: it renders folders, and knows nothing of the experiments
        // but what the catalog it is handed says (order, claims, groups).
        .target(name: "Reports", dependencies: ["LinearAlgebra", "Datasets", "Results"], swiftSettings: optimize),
        // The tour runs the registry at a scale, then hands the folders to Reports.
        .target(name: "Tour", dependencies: ["LinearAlgebra", "Datasets", "Learners", "Experiments", "Reports"], swiftSettings: optimize),
        // The live explorer: runs registry experiments on demand and streams their points to a browser.
        .target(
            name: "Serve",
            dependencies: ["LinearAlgebra", "Datasets", "Experiments", "Reports", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: optimize
        ),
        .executableTarget(
            name: "genlab",
            dependencies: [
                "LinearAlgebra", "Datasets", "Learners", "Measures", "Experiments", "Reports", "Tour", "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimize
        ),
        // Temporary folders the tests remove on exit.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "DatasetsTests", dependencies: ["TestSupport", "Datasets", "LinearAlgebra"]),
        .testTarget(name: "LearnersTests", dependencies: ["TestSupport", "Learners", "Datasets", "LinearAlgebra", "Measures"]),
        .testTarget(name: "MeasuresTests", dependencies: ["Measures", "Learners", "LinearAlgebra"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["TestSupport", "Experiments", "Learners", "Datasets", "LinearAlgebra", "Measures"]),
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Reports", "Tour", "Experiments", "LinearAlgebra"]),
        .testTarget(name: "TourTests", dependencies: ["TestSupport", "Tour", "Reports", "Experiments"]),
        .testTarget(name: "ServeTests", dependencies: [
            "TestSupport", "Serve", "Experiments", "Reports", "Datasets", "LinearAlgebra",
            .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "genlab", "Experiments", "Reports", "Tour"]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets (scripts/fuzz.sh): only when GENLAB_FUZZ is set, built with -sanitize=fuzzer,address
// into .build-fuzz; libFuzzer supplies main, hence -parse-as-library.
import Foundation
if ProcessInfo.processInfo.environment["GENLAB_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "GenLabFuzz", dependencies: ["Datasets", "Learners", "LinearAlgebra", "Experiments"], path: "Fuzz/Targets",
                                             swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    package.products.append(.executable(name: "genlab-fuzz", targets: ["GenLabFuzz"]))
}
