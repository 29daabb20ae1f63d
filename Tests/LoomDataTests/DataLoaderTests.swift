import Foundation
import LoomData
import LoomTensor
import Testing

@Suite("DataLoader")
struct DataLoaderTests {
    /// x[i] = [i, −i] (N, 2), y[i] = 10·i (N): a batch's rows identify its samples.
    static func indexedDataset(_ n: Int) -> TensorDataset {
        let x = Tensor(shape: [n, 2], scalars: (0..<n).flatMap { [Float($0), -Float($0)] })
        let y = Tensor(shape: [n], scalars: (0..<n).map { Float($0 * 10) })
        return TensorDataset(x, y)
    }

    /// The sample indices of every batch of one epoch, checking x/y agree row by row.
    static func epoch(_ loader: DataLoader<(Tensor, Tensor)>) -> [[Int]] {
        var batches: [[Int]] = []
        for (bx, by) in loader {
            #expect(bx.shape.count == 2 && bx.shape[1] == 2 && by.shape == [bx.shape[0]])
            let ids = stride(from: 0, to: bx.count, by: 2).map { Int(bx.scalars[$0]) }
            #expect(by.scalars.map { Int($0) } == ids.map { $0 * 10 })
            #expect(stride(from: 1, to: bx.count, by: 2).map { -Int(bx.scalars[$0]) } == ids)
            batches.append(ids)
        }
        return batches
    }

    @Test(arguments: [(10, 4, false), (10, 4, true), (12, 4, false), (12, 4, true), (3, 5, false), (3, 5, true), (7, 1, false)],
          [true, false])
    func everyIndexOncePerEpoch(_ setup: (Int, Int, Bool), prefetch: Bool) {
        let (n, batchSize, dropLast) = setup
        let loader = DataLoader(Self.indexedDataset(n), batchSize: batchSize, shuffle: true, dropLast: dropLast,
                                generator: Generator(seed: 7), prefetch: prefetch)
        let full = n / batchSize, rest = n % batchSize
        let expectedSizes = Array(repeating: batchSize, count: full) + (rest > 0 && !dropLast ? [rest] : [])
        #expect(loader.count == expectedSizes.count)
        for _ in 0..<3 {
            let batches = Self.epoch(loader)
            #expect(batches.map(\.count) == expectedSizes)
            let seen = batches.flatMap { $0 }
            #expect(Set(seen).count == seen.count, "an index repeats within an epoch")
            if dropLast {
                #expect(seen.count == full * batchSize)
            } else {
                #expect(seen.sorted() == Array(0..<n))
            }
        }
    }

    @Test func withoutShuffleTheOrderIsSequential() {
        let loader = DataLoader(Self.indexedDataset(10), batchSize: 4)
        #expect(Self.epoch(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        #expect(Self.epoch(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    }

    @Test func shuffleIsDeterministicForASeedAndNewEachEpoch() {
        let a = DataLoader(Self.indexedDataset(50), batchSize: 8, shuffle: true, generator: Generator(seed: 42))
        let b = DataLoader(Self.indexedDataset(50), batchSize: 8, shuffle: true, generator: Generator(seed: 42))
        let c = DataLoader(Self.indexedDataset(50), batchSize: 8, shuffle: true, generator: Generator(seed: 43))
        let epochsA = (0..<3).map { _ in Self.epoch(a) }
        let epochsB = (0..<3).map { _ in Self.epoch(b) }
        let epochsC = (0..<3).map { _ in Self.epoch(c) }
        #expect(epochsA == epochsB)
        #expect(epochsA != epochsC)
        #expect(epochsA[0] != epochsA[1] && epochsA[1] != epochsA[2], "each epoch draws a new permutation")
        // The order is the generator's permutation, one per epoch.
        var g = Generator(seed: 42)
        for epoch in epochsA {
            let order = g.permutation(50)
            #expect(epoch.flatMap { $0 } == order)
        }
        #expect(a.generator == g, "the loader's generator advanced by one permutation per epoch")
    }

    @Test func prefetchGivesTheSameBatchesAsDirectLoading() {
        var g = Generator(seed: 99)
        let x = Tensor.randn([37, 5, 3], generator: &g)
        let y = Tensor.randn([37, 2], generator: &g)
        let with = DataLoader(TensorDataset(x, y), batchSize: 6, shuffle: true, generator: Generator(seed: 1), prefetch: true)
        let without = DataLoader(TensorDataset(x, y), batchSize: 6, shuffle: true, generator: Generator(seed: 1), prefetch: false)
        for _ in 0..<4 {
            let a = Array(with), b = Array(without)
            #expect(a.count == b.count && a.count == 7)
            for (p, q) in zip(a, b) {
                #expect(p.0.shape == q.0.shape && p.0.scalars == q.0.scalars)
                #expect(p.1.shape == q.1.shape && p.1.scalars == q.1.scalars)
            }
        }
    }

    @Test func batchesHaveTheSampleShapeWithABatchDimension() {
        var g = Generator(seed: 3)
        let x = Tensor.randn([20, 7, 1], generator: &g), y = Tensor.randn([20, 3], generator: &g)
        let loader = DataLoader(TensorDataset(x, y), batchSize: 16, shuffle: true, generator: Generator(seed: 0))
        let shapes = loader.map { [$0.0.shape, $0.1.shape] }
        #expect(shapes == [[[16, 7, 1], [16, 3]], [[4, 7, 1], [4, 3]]])
    }

    /// The generic stacking path (any `Dataset` of pairs) and TensorDataset's row gather agree.
    @Test func genericDatasetAndTensorDatasetAgree() {
        struct Wrapped: Dataset {
            let base: TensorDataset
            var count: Int { base.count }
            subscript(index: Int) -> (Tensor, Tensor) { base[index] }
        }
        let base = Self.indexedDataset(23)
        for prefetch in [false, true] {
            let fast = DataLoader(base, batchSize: 5, shuffle: true, generator: Generator(seed: 8), prefetch: prefetch)
            let slow = DataLoader(Wrapped(base: base), batchSize: 5, shuffle: true, generator: Generator(seed: 8), prefetch: prefetch)
            #expect(Self.epoch(fast) == Self.epoch(slow))
        }
    }

    @Test func customCollateAndSingleTensorSamples() {
        struct Squares: Dataset {
            var count: Int { 9 }
            subscript(index: Int) -> Int { index * index }
        }
        let loader = DataLoader(Squares(), batchSize: 4, collate: { (samples: [Int]) in samples.reduce(0, +) })
        #expect(Array(loader) == [0 + 1 + 4 + 9, 16 + 25 + 36 + 49, 64])

        struct Rows: Dataset {
            var count: Int { 5 }
            subscript(index: Int) -> Tensor { Tensor([Float(index), Float(index)]) }
        }
        let tensors = DataLoader(Rows(), batchSize: 2, dropLast: true, prefetch: false)
        #expect(tensors.map(\.shape) == [[2, 2], [2, 2]])
        #expect(tensors.map(\.scalars) == [[0, 0, 1, 1], [2, 2, 3, 3]])
    }

    @Test func leavingALoopEarlyStopsCleanly() {
        let loader = DataLoader(Self.indexedDataset(100), batchSize: 3, shuffle: true, generator: Generator(seed: 5))
        for _ in 0..<200 {
            for (bx, _) in loader {
                #expect(bx.shape[0] == 3)
                break
            }
        }
        var iterator = loader.makeIterator()
        _ = iterator.next()
        _ = iterator.next()
        // Dropping a half-consumed iterator must not deadlock the next epoch.
        #expect(Self.epoch(loader).count == 34)
    }

    @Test func emptyDatasetsAndTooSmallDatasetsGiveNoBatches() {
        let empty = TensorDataset(Tensor.zeros([0, 3]), Tensor.zeros([0]))
        #expect(Array(DataLoader(empty, batchSize: 4, shuffle: true, generator: Generator(seed: 0))).isEmpty)
        let small = DataLoader(Self.indexedDataset(3), batchSize: 4, dropLast: true)
        #expect(small.count == 0 && Array(small).isEmpty)
    }

    @Test func tensorDatasetIndexesTheFirstDimension() {
        let ds = Self.indexedDataset(6)
        #expect(ds.count == 6)
        let (x, y) = ds[4]
        #expect(x.shape == [2] && x.scalars == [4, -4] && y.shape == [] && y.scalars == [40])
        let (bx, by) = ds.batch(at: [5, 0, 1, 2])
        #expect(bx.scalars == [5, -5, 0, 0, 1, -1, 2, -2] && by.scalars == [50, 0, 10, 20])
    }

    /// A TensorDataset loader reads the tensors when an epoch starts: in-place updates show in
    /// the next epoch; Float64 data stays Float64.
    @Test func tensorDatasetEpochsSeeInPlaceUpdates() {
        let x = Tensor(shape: [4, 1], scalars: [Double]([0, 1, 2, 3]))
        let y = Tensor(shape: [4], scalars: [0.0, 0, 0, 0])
        for prefetch in [false, true] {
            x.fill(1)
            let loader = DataLoader(TensorDataset(x, y), batchSize: 4, prefetch: prefetch)
            #expect(loader.map { $0.0.doubleScalars } == [[1, 1, 1, 1]])
            #expect(loader.map { $0.0.dtype } == [.float64])
            x.fill(2)
            #expect(loader.map { $0.0.doubleScalars } == [[2, 2, 2, 2]])
        }
    }

    /// Gradients reach dataset tensors that require grad (batches are then recorded slices).
    @Test func gradientsFlowBackToDatasetTensors() throws {
        let x = Tensor(shape: [5, 2], scalars: (0..<10).map(Float.init)).requiringGrad()
        let y = Tensor.zeros([5])
        let loader = DataLoader(TensorDataset(x, y), batchSize: 2, shuffle: true, generator: Generator(seed: 3))
        for (bx, _) in loader { (bx * 3).sum().backward() }
        let grad = try #require(x.grad)
        #expect(grad.scalars == [Float](repeating: 3, count: 10), "every row was used once, with weight 3")
    }

    @Test func invalidArgumentsStopWithAMessage() async {
        let zeroBatch = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = DataLoader(TensorDataset(Tensor.zeros([4, 1]), Tensor.zeros([4])), batchSize: 0)
        }
        #expect(stoppedWithMessage(zeroBatch, "batchSize should be a positive integer, got 0"))
        let mismatch = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = TensorDataset(Tensor.zeros([4, 1]), Tensor.zeros([3]))
        }
        #expect(stoppedWithMessage(mismatch, "x has shape [4, 1], y has shape [3]"))
    }
}
