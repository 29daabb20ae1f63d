// swift-tools-version: 6.1
// Coverage-guided fuzzers (libFuzzer) for Loom's file readers. A separate package so the fuzzer
// flags never reach the main package or its CI; build and run with ./run (see README.md).
import PackageDescription

let loom = "Loom"

let package = Package(
    name: "LoomFuzz",
    dependencies: [.package(name: loom, path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzDriver", .product(name: "LoomNN", package: loom)]),
        .executableTarget(name: "FuzzCSV", dependencies: [
            "FuzzDriver", .product(name: "LoomData", package: loom), .product(name: "LoomTensor", package: loom),
        ]),
        .executableTarget(name: "FuzzCheckpoint", dependencies: [
            "FuzzDriver", .product(name: "LoomNN", package: loom), .product(name: "LoomOptim", package: loom),
            .product(name: "LoomTensor", package: loom),
        ]),
    ]
)
