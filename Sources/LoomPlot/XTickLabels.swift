extension LineChart {
    /// Text labels for the x axis in place of numbers, e.g. dates.
    ///
    /// ```swift
    /// // One label per month; the chart shows every 12th ("1949-01", "1950-01", …).
    /// chart.xTickLabels = .sequence(months, every: 12)
    /// ```
    public struct XTickLabels: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            case sequence(labels: [String], start: Double, step: Double, every: Int?)
            case explicit([Tick])
        }

        /// A label at one x position.
        public struct Tick: Sendable, Equatable {
            public var x: Double
            public var label: String

            public init(x: Double, label: String) {
                self.x = x
                self.label = label
            }
        }

        let kind: Kind

        /// One label per x position: `labels[i]` belongs to `x = start + i · step`, matching a
        /// y-only series added with the same start.
        ///
        /// The chart shows a readable subset: every `every`-th label if given, otherwise every
        /// k-th with k a 1-2-5 number. Either way labels are thinned further (k doubled) until
        /// they no longer overlap. Labels are aligned to index 0, so with monthly labels that
        /// start in January, `every: 12` shows every January.
        public static func sequence(_ labels: [String], start: Double = 0, step: Double = 1,
                                    every: Int? = nil) -> XTickLabels {
            XTickLabels(kind: .sequence(labels: labels, start: start, step: step, every: every))
        }

        /// Exactly these ticks (those inside the axis range), thinned only where labels would
        /// overlap.
        public static func explicit(_ ticks: [(x: Double, label: String)]) -> XTickLabels {
            XTickLabels(kind: .explicit(ticks.map { Tick(x: $0.x, label: $0.label) }))
        }
    }
}
