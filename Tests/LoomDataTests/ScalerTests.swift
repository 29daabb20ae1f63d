import Foundation
import LoomData
import LoomTensor
import Testing

/// scripts/fixtures/data_scalers.py: scikit-learn's scalers fit on `train` (40 × 5) and applied
/// to `test` (7 × 5, partly outside the training range); column 3 is constant.
@Suite("Scalers match scikit-learn")
struct ScalerTests {
    static func makeScaler(_ name: String) -> any FeatureScaler {
        switch name {
        case "minmax01": return MinMaxScaler()
        case "minmax11": return MinMaxScaler(featureRange: (-1, 1))
        case "minmax_clip": return MinMaxScaler(featureRange: (-1, 1), clip: true)
        case "standard": return StandardScaler()
        case "standard_nomean": return StandardScaler(withMean: false)
        default: fatalError(name)
        }
    }

    /// Rows in, rows out: the fitted statistics and every transformed number agree with
    /// scikit-learn. Min-max scaling uses scikit-learn's operations in its order, so its numbers
    /// are identical; standardization differs only in summation order (≤ a few ulps).
    @Test(arguments: ["minmax01", "minmax11", "minmax_clip", "standard", "standard_nomean"])
    func rowsMatchScikitLearn(_ name: String) throws {
        let f = try DoubleFixture("data_scalers.json")
        let scaler = Self.makeScaler(name)
        let tolerance = name.hasPrefix("minmax") ? 0.0 : 1e-13
        let train = f.rows("train"), test = f.rows("test")
        let trainScaled = scaler.fitTransform(train)
        let testScaled = scaler.transform(test)
        expectClose(trainScaled.flatMap { $0 }, f["\(name)_train"], atol: tolerance, rtol: tolerance, "\(name) train")
        expectClose(testScaled.flatMap { $0 }, f["\(name)_test"], atol: tolerance, rtol: tolerance, "\(name) test")
        expectClose(scaler.inverseTransform(testScaled).flatMap { $0 }, f["\(name)_inverse"],
                    atol: 1e-12, rtol: 1e-13, "\(name) inverse")
        if let minMax = scaler as? MinMaxScaler {
            expectClose(minMax.scale, f["\(name)_scale"], "\(name) scale_")
            expectClose(minMax.offset, f["\(name)_min"], "\(name) min_")
        } else if let standard = scaler as? StandardScaler {
            expectClose(standard.scale, f["\(name)_scale"], rtol: 1e-14, "\(name) scale_")
            expectClose(standard.mean, f["\(name)_mean"], atol: 1e-15, rtol: 1e-15, "\(name) mean_")
            expectClose(standard.variance, f["\(name)_var"], rtol: 1e-13, "\(name) var_")
        }
    }

    /// Tensors (N, F) in Float64 give the same numbers; Float32 tensors round them.
    @Test func tensorsMatchRows() throws {
        let f = try DoubleFixture("data_scalers.json")
        let train = Tensor(shape: f.shape("train"), scalars: f["train"])
        let test = Tensor(shape: f.shape("test"), scalars: f["test"])
        let scaler = MinMaxScaler(featureRange: (-1, 1))
        let scaled = scaler.fitTransform(train)
        #expect(scaled.dtype == .float64 && scaled.shape == [40, 5])
        expectClose(scaled.doubleScalars, f["minmax11_train"], "tensor train")
        expectClose(scaler.transform(test).doubleScalars, f["minmax11_test"], "tensor test")

        let standard = StandardScaler()
        let z32 = standard.fitTransform(train.float())
        #expect(z32.dtype == .float32 && z32.shape == [40, 5])
        // Column 1 is ~1e4 ± 250: rounding the input to Float32 (ulp 1e-3) moves z by ~4e-6.
        expectClose(z32.doubleScalars, f["standard_train"], atol: 2e-5, rtol: 1e-6, "float32 standard train")
        let back = standard.inverseTransform(standard.transform(test.float()))
        expectClose(back.doubleScalars, f["test"], atol: 1e-3, rtol: 1e-6, "float32 round trip")
    }

    /// A 1-d series is one feature (scikit-learn's `reshape(-1, 1)`), as `[Double]` or a tensor (N).
    @Test func seriesAreOneFeature() throws {
        let f = try DoubleFixture("data_scalers.json")
        let scaler = MinMaxScaler(featureRange: (-1, 1))
        #expect(scaler.fitTransform(f["series_train"]) == f["series_minmax11_train"])
        #expect(scaler.transform(f["series_test"]) == f["series_minmax11_test"])
        #expect(scaler.featureCount == 1)
        let t = MinMaxScaler(featureRange: (-1, 1)).fitTransform(Tensor(f["series_train"]))
        #expect(t.shape == [40] && t.doubleScalars == f["series_minmax11_train"])
        let floats = MinMaxScaler(featureRange: (-1, 1)).fitTransform(f["series_train"].map { Float($0) })
        expectClose(floats.map { Double($0) }, f["series_minmax11_train"], atol: 1e-6, "[Float] series")
    }

    /// Higher-rank tensors are scaled along their last dimension: a window batch (B, T, F).
    @Test func windowBatchesScaleTheLastDimension() {
        let rows: [[Double]] = [[1, 10], [2, 30], [3, 20], [5, 40], [4, 50], [0, 60]]
        let scaler = StandardScaler().fit(rows)
        let batch = Tensor(shape: [2, 3, 2], scalars: rows.flatMap { $0 })
        #expect(scaler.transform(batch).doubleScalars == scaler.transform(rows).flatMap { $0 })
        #expect(scaler.transform(batch).shape == [2, 3, 2])
    }

    @Test func constantFeaturesAreLeftUnscaledLikeScikitLearn() {
        let minMax = MinMaxScaler(featureRange: (-1, 1))
        #expect(minMax.fitTransform([4.0, 4.0, 4.0]) == [-1, -1, -1])
        #expect(minMax.scale == [2] && minMax.dataRange == [0])
        #expect(minMax.inverseTransform([-1.0]) == [4])
        let standard = StandardScaler()
        #expect(standard.fitTransform([0.1, 0.1, 0.1, 0.1]) == [0, 0, 0, 0])
        #expect(standard.scale == [1])
    }

    @Test func fitIgnoresNaNAndTransformKeepsIt() {
        let scaler = MinMaxScaler().fit([1.0, .nan, 3.0])
        #expect(scaler.dataMin == [1] && scaler.dataMax == [3])
        let z = scaler.transform([2.0, .nan])
        #expect(z[0] == 0.5 && z[1].isNaN)
        let standard = StandardScaler().fit([1.0, .nan, 3.0])
        #expect(standard.mean == [2] && standard.variance == [1] && standard.samplesSeen == [2])
    }

    /// A saved scaler restores bit-identical transforms (a forecaster saved with its scaler).
    @Test func codableRoundTripIsExact() throws {
        let f = try DoubleFixture("data_scalers.json")
        let minMax = MinMaxScaler(featureRange: (-1, 1)).fit(f.rows("train"))
        let standard = StandardScaler().fit(f.rows("train"))
        let minMaxCopy = try JSONDecoder().decode(MinMaxScaler.self, from: JSONEncoder().encode(minMax))
        let standardCopy = try JSONDecoder().decode(StandardScaler.self, from: JSONEncoder().encode(standard))
        #expect(minMaxCopy.transform(f.rows("test")) == minMax.transform(f.rows("test")))
        #expect(minMaxCopy.featureRange == (-1, 1) && minMaxCopy.samplesSeen == 40)
        #expect(standardCopy.transform(f.rows("test")) == standard.transform(f.rows("test")))
        #expect(standardCopy.scale == standard.scale && standardCopy.samplesSeen == standard.samplesSeen)

        let unfitted = try JSONDecoder().decode(MinMaxScaler.self, from: JSONEncoder().encode(MinMaxScaler()))
        #expect(!unfitted.isFitted && unfitted.featureRange == (0, 1))
    }

    @Test(arguments: [
        #"{"featureRange":[1,-1]}"#,
        #"{"featureRange":[0]}"#,
        #"{"featureRange":[0,1],"dataMin":[0,1],"dataMax":[2]}"#,
        #"{"clip":false}"#,
    ])
    func corruptMinMaxJSONThrows(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MinMaxScaler.self, from: Data(json.utf8)) }
    }

    @Test(arguments: [
        #"{"mean":[0,1],"variance":[1],"samplesSeen":[3,3]}"#,
        #"{"mean":[0],"variance":[-1],"samplesSeen":[3]}"#,
    ])
    func corruptStandardJSONThrows(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(StandardScaler.self, from: Data(json.utf8)) }
    }

    @Test func misuseStopsWithAMessage() async {
        let unfitted = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MinMaxScaler(featureRange: (-1, 1)).transform([1.0, 2.0])
        }
        #expect(stoppedWithMessage(unfitted, "MinMaxScaler.transform: this MinMaxScaler is not fitted yet"))
        let features = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let scaler = StandardScaler().fit([[1.0, 2.0], [3.0, 4.0]])
            _ = scaler.inverseTransform([1.0, 2.0])
        }
        #expect(stoppedWithMessage(features, "the data has 1 feature, but the StandardScaler was fitted with 2"))
        let range = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MinMaxScaler(featureRange: (1, 1))
        }
        #expect(stoppedWithMessage(range, "minimum of desired feature range must be smaller than maximum"))
    }
}
