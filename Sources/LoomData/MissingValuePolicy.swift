/// What to do with missing cells (empty, `NA`, `NaN`, `null`, …) in the numeric columns of a CSV.
public enum MissingValuePolicy: Sendable, Equatable {
    /// Stop with a ``CSVError/missingValue(file:line:column:found:)`` naming the cell (default).
    case error
    /// Leave out every row with a missing value in one of the selected columns.
    case drop
    /// Fill gaps linearly between the neighbouring values of the same column (by row position);
    /// missing values before the first or after the last known value take that value, as
    /// pandas' `interpolate(limit_direction="both")` does.
    case interpolate
}
