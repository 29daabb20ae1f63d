import Foundation
import Testing
@testable import LoomTasks

@Suite("Target transforms: Box-Cox, differencing, scaling and their inverses")
struct TargetTransformTests {
    /// Monthly, trending, with a season whose amplitude grows with the level (multiplicative).
    static let multiplicative: [Double] = (0..<96).map { i in
        let t = Double(i)
        return 100 * Foundation.exp(0.01 * t) * (1 + 0.2 * Foundation.sin(2 * Double.pi * t / 12))
    }
    /// The same shape with a season of constant amplitude (additive).
    static let additive: [Double] = (0..<96).map { i in
        let t = Double(i)
        return 100 + t + 20 * Foundation.sin(2 * Double.pi * t / 12)
    }

    static let transforms: [TargetTransform] = {
        let powers: [PowerTransform] = [.none, .log, .boxCox(lambda: nil), .boxCox(lambda: 0.5)]
        let scalings: [Scaling] = [.standard, .minMax(low: -1, high: 1)]
        return powers.flatMap { p in Differencing.allCases.flatMap { d in scalings.map { TargetTransform(power: p, differencing: d, scaling: $0) } } }
    }()

    @Test(arguments: transforms)
    func continuationsMapBackToTheSeries(transform: TargetTransform) throws {
        let y = Self.multiplicative
        let split = 60
        let fitted = FittedTransform(transform, period: 12, fitOn: Array(y.prefix(split)))
        let z = fitted.apply(y)
        #expect(z.count == y.count - fitted.order)
        // The network-space values after the split, mapped back with the series before it.
        let continuation = Array(z[(split - fitted.order)...])
        let back = fitted.invert(continuation, continuing: Array(y.prefix(split)))
        #expect(back.count == y.count - split)
        for (a, b) in zip(back, y[split...]) {
            #expect(Swift.abs(a - b) <= 1e-9 * Swift.abs(b), "\(transform): \(a) vs \(b)")
        }
    }

    @Test func guerreroPicksLogForAMultiplicativeSeasonAndNoneForAnAdditiveOne() {
        let multiplicative = BoxCox.guerreroLambda(Self.multiplicative, period: 12)
        let additive = BoxCox.guerreroLambda(Self.additive, period: 12)
        #expect(multiplicative < 0.15, "λ \(multiplicative)")
        #expect(additive > 0.85, "λ \(additive)")
    }

    @Test func boxCoxInvertsAndMatchesLogAtZero() {
        for lambda in [0.0, 0.25, 0.5, 1, 1.5] {
            for y in [0.01, 1, 3.7, 250] {
                let z = BoxCox.forward(y, lambda: lambda)
                #expect(Swift.abs(BoxCox.inverse(z, lambda: lambda) - y) <= 1e-12 * y)
            }
        }
        #expect(BoxCox.forward(5, lambda: 0) == Foundation.log(5))
        #expect(BoxCox.inverse(-10, lambda: 0.5) == 0, "below the range of a positive series")
    }

    @Test func tutorialScalingIsTheMinMaxScalersExactly() {
        let y = Self.additive
        let fitted = FittedTransform(.tutorial, period: 12, fitOn: y)
        let scaler = MinMaxScaler(featureRange: (-1, 1))
        #expect(fitted.apply(y) == scaler.fitTransform(y))
        let z: [Double] = [-0.3, 0.2, 1.4]
        #expect(fitted.invert(z, continuing: y) == scaler.inverseTransform(z))
    }

    @Test func namesParseAndPrint() {
        #expect(TargetTransform(name: "boxcox+diff")?.power == .boxCox(lambda: nil))
        #expect(TargetTransform(name: "log+diff+sdiff")?.differencing == .both)
        #expect(TargetTransform(name: "sdiff")?.description == "sdiff")
        #expect(TargetTransform(name: "levels")?.description == "levels")
        #expect(TargetTransform(name: "cube") == nil)
    }

    @Test func studentQuantilesAreCloseToTheTables() {
        #expect(Swift.abs(NormalQuantile.of(0.975) - 1.959964) < 1e-5)
        #expect(Swift.abs(NormalQuantile.of(0.9) - 1.281552) < 1e-5)
        #expect(Swift.abs(NormalQuantile.of(0.001) + 3.090232) < 1e-5)
        // Tables: t(0.975; 3) = 3.182, t(0.9; 3) = 1.638, t(0.975; 10) = 2.228.
        #expect(Swift.abs(StudentQuantile.of(0.975, degreesOfFreedom: 3) - 3.182) < 0.05)
        #expect(Swift.abs(StudentQuantile.of(0.9, degreesOfFreedom: 3) - 1.638) < 0.01)
        #expect(Swift.abs(StudentQuantile.of(0.975, degreesOfFreedom: 10) - 2.228) < 0.005)
    }
}
