import LoomTensor
import Testing
@testable import LoomData

/// d2l §8.3 on its own example, `my_seq = list(range(35))`, batch size 2, 5 steps.
@Suite("Language-model minibatches")
struct SequenceDataLoaderTests {
    static let corpus = Array(0..<35)

    static func rows(_ t: Tensor) -> [[Int]] {
        let v = t.scalars.map { Int($0) }
        return (0..<t.shape[0]).map { Array(v[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) }
    }

    /// seq_data_iter_random with offset 2: subsequences start at 2, 7, …, 27
    /// ((35 − 2 − 1) // 5 = 6 of them), visited in the shuffled order, 2 per batch.
    @Test func randomSamplingStartsByHand() {
        let order = [3, 0, 5, 1, 4, 2]
        let starts = SequenceDataLoader.randomStarts(corpusCount: 35, batchSize: 2, numSteps: 5, offset: 2, order: order)
        #expect(starts == [[17, 2], [27, 7], [22, 12]])
        // Offset 4: (35 − 4 − 1) // 5 = 6 subsequences; batch size 4 gives one batch, the rest is dropped.
        let big = SequenceDataLoader.randomStarts(corpusCount: 35, batchSize: 4, numSteps: 5, offset: 4, order: [5, 4, 3, 2, 1, 0])
        #expect(big == [[29, 24, 19, 14]])
    }

    /// seq_data_iter_sequential with offset 0: 34 usable tokens as 2 rows of 17; 3 batches of
    /// 5 columns. With offset 3: (35 − 3 − 1) // 2 · 2 = 30 tokens, rows of 15, 3 batches.
    @Test func sequentialPartitioningStartsByHand() {
        #expect(SequenceDataLoader.sequentialStarts(corpusCount: 35, batchSize: 2, numSteps: 5, offset: 0)
            == [[0, 17], [5, 22], [10, 27]])
        #expect(SequenceDataLoader.sequentialStarts(corpusCount: 35, batchSize: 2, numSteps: 5, offset: 3)
            == [[3, 18], [8, 23], [13, 28]])
        #expect(SequenceDataLoader.sequentialStarts(corpusCount: 35, batchSize: 2, numSteps: 5, offset: 5)
            == [[5, 19], [10, 24]])
    }

    @Test(arguments: [SequenceSampling.random, .sequential])
    func batchesAreShiftedWindowsOfTheCorpus(_ sampling: SequenceSampling) {
        let loader = SequenceDataLoader(Self.corpus, batchSize: 2, numSteps: 5, sampling: sampling, generator: Generator(seed: 4))
        for _ in 0..<20 {
            var starts: [Int] = []
            for (x, y) in loader {
                #expect(x.shape == [2, 5] && y.shape == [2, 5] && x.dtype == .float32)
                for (rx, ry) in zip(Self.rows(x), Self.rows(y)) {
                    #expect(rx == Array(rx[0]..<(rx[0] + 5)), "a row is 5 consecutive tokens")
                    #expect(ry == rx.map { $0 + 1 }, "Y is X shifted by one token")
                    starts.append(rx[0])
                }
            }
            let offsets = Set(starts.map { sampling == .random ? $0 % 5 : $0 })
            switch sampling {
            case .random:
                // One offset in 0..<5 per epoch; distinct subsequences; 3 batches.
                #expect(offsets.count == 1 && offsets.first! < 5 && Set(starts).count == starts.count)
                #expect(starts.count == 6)
            case .sequential:
                // Row b of batch i + 1 continues row b of batch i.
                let batches = stride(from: 0, to: starts.count, by: 2).map { [starts[$0], starts[$0 + 1]] }
                for (a, b) in zip(batches, batches.dropFirst()) { #expect(b == a.map { $0 + 5 }) }
                #expect(batches.first.map { $0[0] <= 5 } ?? false, "offset in 0...5")
            }
        }
    }

    @Test func seededAndNewEachEpoch() {
        func epochs(_ seed: UInt64, _ sampling: SequenceSampling) -> [[[Int]]] {
            let loader = SequenceDataLoader(Array(0..<200), batchSize: 3, numSteps: 4, sampling: sampling, generator: Generator(seed: seed))
            return (0..<5).map { _ in loader.map { Self.rows($0.0).map { $0[0] } } }
        }
        for sampling in [SequenceSampling.random, .sequential] {
            #expect(epochs(1, sampling) == epochs(1, sampling))
            #expect(epochs(1, sampling) != epochs(2, sampling))
            #expect(Set(epochs(1, sampling)).count > 1, "epochs draw new offsets")
        }
    }

    @Test func tooShortCorporaGiveNoBatches() {
        #expect(Array(SequenceDataLoader([1, 2, 3], batchSize: 2, numSteps: 5, sampling: .random)).isEmpty)
        #expect(Array(SequenceDataLoader([1, 2, 3], batchSize: 2, numSteps: 5, sampling: .sequential)).isEmpty)
        #expect(Array(SequenceDataLoader([], batchSize: 1, numSteps: 1, sampling: .sequential)).isEmpty)
    }

    /// d2l's `F.one_hot(X.T, V)`: (B, T) → (T, B, V).
    @Test func oneHotTimeMajor() {
        let x = Tensor(shape: [2, 3], scalars: [0, 2, 1, 3, 3, 0])
        let h = Tensor.oneHot(timeMajor: x, numClasses: 4)
        #expect(h.shape == [3, 2, 4] && h.dtype == .float32)
        #expect(h.scalars == [1, 0, 0, 0,  0, 0, 0, 1,    // t = 0: tokens 0 and 3
                              0, 0, 1, 0,  0, 0, 0, 1,    // t = 1: tokens 2 and 3
                              0, 1, 0, 0,  1, 0, 0, 0])   // t = 2: tokens 1 and 0
        #expect(h.scalars == Tensor.oneHot(x.t(), numClasses: 4).scalars)
        #expect(Tensor.oneHot(timeMajor: x, numClasses: 4, dtype: .float64).dtype == .float64)
    }

    @Test func outOfRangeTokensStopWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.oneHot(timeMajor: Tensor(shape: [1, 2], scalars: [0, 7]), numClasses: 4)
        }
        #expect(stoppedWithMessage(result, "token 7.0 at (0, 1) is outside 0..<4"))
    }
}
