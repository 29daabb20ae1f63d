import LoomData
import LoomTensor
import Testing

@Suite("Chronological split")
struct ChronologicalSplitTests {
    /// The airline tutorial: 144 months, the last 12 held out.
    @Test func airlineHoldOut() throws {
        let split = try ChronologicalSplit(count: 144, testCount: 12)
        #expect(split.train == 0..<132 && split.validation == 132..<132 && split.test == 132..<144)
        let series = (0..<144).map(Double.init)
        let (train, validation, test) = split.split(series)
        #expect(train == Array(series[..<132]) && validation.isEmpty && test == Array(series[132...]))
    }

    @Test func validationSitsBetweenTrainAndTest() throws {
        let split = try ChronologicalSplit(count: 10, validationCount: 2, testCount: 3)
        #expect(split.train == 0..<5 && split.validation == 5..<7 && split.test == 7..<10)
        let x = Tensor(shape: [10, 2], scalars: (0..<20).map(Float.init))
        let parts = split.split(x)
        #expect(parts.train.shape == [5, 2] && parts.validation.shape == [2, 2] && parts.test.shape == [3, 2])
        #expect(parts.validation.scalars == [10, 11, 12, 13])
        #expect(parts.test.scalars == [14, 15, 16, 17, 18, 19])
    }

    @Test func fractionsRoundHeldOutPartsUp() throws {
        let split = try ChronologicalSplit(count: 101, validationFraction: 0.1, testFraction: 0.2)
        // ⌈10.1⌉ = 11 validation, ⌈20.2⌉ = 21 test, 69 train.
        #expect(split.train == 0..<69 && split.validation == 69..<80 && split.test == 80..<101)
    }

    @Test func invalidSplitsThrow() {
        #expect(throws: SplitError.emptyTrainingPart(count: 12, validation: 0, test: 12)) {
            try ChronologicalSplit(count: 12, testCount: 12)
        }
        #expect(throws: SplitError.negativeCount(count: 12, validation: -1, test: 2)) {
            try ChronologicalSplit(count: 12, validationCount: -1, testCount: 2)
        }
        #expect(throws: SplitError.invalidFraction(1.5)) {
            try ChronologicalSplit(count: 12, testFraction: 1.5)
        }
        #expect(throws: SplitError.self) {
            try ChronologicalSplit(count: 12, testFraction: .nan)
        }
        let message = SplitError.emptyTrainingPart(count: 12, validation: 0, test: 12).description
        #expect(message == "holding out 0 validation and 12 test values leaves no training data from a series of 12")
    }
}
