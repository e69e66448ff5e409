// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every target: Swift 6 language mode (strict concurrency) everywhere.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "FraudStream",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fraudstream", targets: ["fraudstream"]),
        .library(name: "RdKafka", targets: ["RdKafka"]),
        .library(name: "FraudEngine", targets: ["FraudEngine"]),
        .library(name: "FraudIO", targets: ["FraudIO"]),
        .library(name: "FraudModels", targets: ["FraudModels"]),
        .library(name: "FraudEvaluation", targets: ["FraudEvaluation"]),
        .library(name: "FraudSimulator", targets: ["FraudSimulator"]),
        .library(name: "FraudSchema", targets: ["FraudSchema"]),
        .library(name: "FraudRules", targets: ["FraudRules"]),
        .library(name: "FraudPipeline", targets: ["FraudPipeline"]),
        .library(name: "FraudOperations", targets: ["FraudOperations"]),
        .library(name: "FraudAnalysis", targets: ["FraudAnalysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // C: Debian's librdkafka (2.0.2). Only RdKafka imports it.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // The only Swift code that calls C: consumer, producer, transactions, admin, embedded broker.
        .target(
            name: "RdKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Deterministic learning primitives: seeded RNG, online LR, scalers, Half-Space Trees,
        // versioned checksummed state serialisation. Standard library only.
        .target(name: "FraudModels", swiftSettings: swiftSettings),
        // Pure-Swift deterministic scoring engine. No Kafka, no wall clock.
        .target(name: "FraudEngine", dependencies: ["FraudModels"], swiftSettings: swiftSettings),
        // Fast NDJSON file reading and writing (big chunks, no per-line String): simulator output,
        // evaluation, replay.
        .target(name: "FraudIO", swiftSettings: swiftSettings),
        // Prequential evaluation: metrics (ROC AUC, AP, card precision@k), NDJSON readers, drivers.
        .target(name: "FraudEvaluation", dependencies: ["FraudEngine", "FraudIO"], swiftSettings: swiftSettings),
        // Synthetic transactions and delayed labels (ULB handbook simulator).
        .target(
            name: "FraudSimulator", dependencies: ["FraudEngine", "FraudModels", "FraudIO"], swiftSettings: swiftSettings
        ),
        // JSON Schema validation for messages and rules files.
        .target(name: "FraudSchema", swiftSettings: swiftSettings),
        // Rules files (YAML): validation against schemas/rules.schema.json, evaluation, versions, reload.
        .target(
            name: "FraudRules",
            dependencies: ["FraudEngine", "FraudSchema", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The live processor: Kafka in, engine + rules, alerts / decisions / dead letters out.
        .target(
            name: "FraudPipeline",
            dependencies: [
                "RdKafka", "FraudEngine", "FraudModels", "FraudRules", "FraudSimulator", "FraudOperations",
                "FraudAnalysis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Operations endpoints: Prometheus text exposition and a small HTTP server for /metrics,
        // /healthz and /readyz on a thread of its own. Foundation and swift-log only.
        .target(
            name: "FraudOperations",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Risk-team analyses over decision logs and labels: threshold tuning, what-if comparison, reports.
        .target(
            name: "FraudAnalysis", dependencies: ["FraudEngine", "FraudIO", "FraudEvaluation", "FraudRules"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "fraudstream",
            dependencies: [
                "RdKafka", "FraudIO", "FraudModels", "FraudEngine", "FraudEvaluation", "FraudSimulator", "FraudSchema", "FraudRules", "FraudPipeline", "FraudOperations", "FraudAnalysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "RdKafkaTests", dependencies: ["RdKafka"], swiftSettings: swiftSettings),
        .testTarget(name: "FraudIOTests", dependencies: ["FraudIO"], swiftSettings: swiftSettings),
        .testTarget(name: "FraudModelsTests", dependencies: ["FraudModels"], swiftSettings: swiftSettings),
        .testTarget(name: "FraudEngineTests", dependencies: ["FraudEngine", "FraudModels"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FraudEvaluationTests", dependencies: ["FraudEvaluation", "FraudEngine", "FraudSimulator", "FraudIO"], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FraudSimulatorTests", dependencies: ["FraudSimulator", "FraudEngine", "FraudIO"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "FraudSchemaTests", dependencies: ["FraudSchema"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FraudPipelineTests",
            dependencies: ["FraudPipeline", "RdKafka", "FraudEngine", "FraudRules", "FraudSimulator", "FraudSchema"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "FraudRulesTests", dependencies: ["FraudRules", "FraudEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "FraudOperationsTests", dependencies: ["FraudOperations"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FraudAnalysisTests", dependencies: ["FraudAnalysis", "FraudEngine", "FraudRules", "FraudEvaluation"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FraudStreamCLITests", dependencies: ["fraudstream"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
