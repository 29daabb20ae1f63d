// swift-tools-version: 6.1
import PackageDescription

// MARK: - Public API
let products: [Product] = [
    .library(name: "Loom", targets: ["Loom"]),
    .library(name: "LoomTensor", targets: ["LoomTensor"]),
    .library(name: "LoomNN", targets: ["LoomNN"]),
    .library(name: "LoomOptim", targets: ["LoomOptim"]),
    .library(name: "LoomData", targets: ["LoomData"]),
    .library(name: "LoomPlot", targets: ["LoomPlot"]),
    .library(name: "LoomTasks", targets: ["LoomTasks"]),
    .executable(name: "loom", targets: ["loom"]),
]

// MARK: - Implementation
let blas: [Target.Dependency] = [
    .target(name: "COpenBLAS", condition: .when(platforms: [.linux, .android, .windows, .openbsd])),
]

let targets: [Target] = [
    .systemLibrary(
        name: "COpenBLAS",
        pkgConfig: "openblas",
        providers: [.apt(["libopenblas-dev"])]
    ),
    .target(name: "CLoomKernels"),
    .target(
        name: "LoomTensor",
        dependencies: blas + [
            "CLoomKernels",
            .product(name: "RealModule", package: "swift-numerics"),
        ],
        linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS]))]
    ),
    .target(name: "LoomNN", dependencies: ["LoomTensor", "CLoomKernels"]),
    .target(name: "LoomOptim", dependencies: ["LoomTensor", "LoomNN", "CLoomKernels"]),
    .target(name: "LoomData", dependencies: ["LoomTensor"]),
    .target(name: "LoomPlot"),
    .target(name: "LoomTasks", dependencies: ["LoomNN", "LoomOptim", "LoomData"]),
    .target(name: "Loom", dependencies: ["LoomTensor", "LoomNN", "LoomOptim", "LoomData", "LoomPlot", "LoomTasks"]),
    .target(
        name: "LoomCLI",
        dependencies: [
            "Loom",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        resources: [.copy("Resources")]
    ),
    .executableTarget(name: "loom", dependencies: ["LoomCLI"]),
    // Fixture loading and tolerant comparison for the test targets (not a product).
    .target(name: "LoomTestSupport", dependencies: ["LoomTensor"], path: "Tests/Support"),

    // MARK: - Tests
    .testTarget(name: "LoomTensorTests", dependencies: ["LoomTensor", "LoomTestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "LoomNNTests", dependencies: ["LoomNN", "LoomTensor", "LoomTestSupport"], resources: [.copy("Fixtures"), .copy("BadInputs")]),
    .testTarget(name: "LoomOptimTests", dependencies: ["LoomOptim", "LoomNN", "LoomTensor", "LoomTestSupport"], resources: [.copy("Fixtures"), .copy("BadInputs")]),
    .testTarget(name: "LoomDataTests", dependencies: ["LoomData", "LoomTensor", "LoomTestSupport"], resources: [.copy("Fixtures"), .copy("BadInputs")]),
    .testTarget(name: "LoomPlotTests", dependencies: ["LoomPlot"]),
    .testTarget(name: "LoomTasksTests", dependencies: ["LoomTasks", "LoomTestSupport"]),
    .testTarget(name: "LoomCLITests", dependencies: ["LoomCLI", "loom"], exclude: ["Snapshots", "BadInputs"]),
]

// MARK: - Examples
// One short program per tutorial, each run with `swift run -c release <Name>` (see Examples/README.md).
let exampleNames = ["AirlineForecast", "MultiLayerLSTM", "RecurrentShapes", "CharLanguageModel", "NNBasics"]
let examples: [Target] = exampleNames.map { name in
    .executableTarget(name: name, dependencies: ["Loom"], path: "Examples/\(name)")
}

let package = Package(
    name: "Loom",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: targets + examples
)
