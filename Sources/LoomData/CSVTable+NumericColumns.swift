extension CSVTable {
    /// Whether column `index` holds numbers: at least one of its cells is a number, and at least
    /// half of the cells that are not missing (`NA`, empty, …) are — so one bad cell does not turn
    /// a value column into text, while a column of dates or names is not numeric.
    ///
    /// - Precondition: `index` is in `0..<columnCount`.
    public func isNumericColumn(_ index: Int) -> Bool {
        precondition((0..<columnCount).contains(index),
                     "CSVTable.isNumericColumn: index \(index) is out of range for \(columnCount) columns")
        var present = 0, numbers = 0
        for row in rows where !NumericCell.isMissing(row[index]) {
            present += 1
            if NumericCell.parse(row[index]) != nil { numbers += 1 }
        }
        return numbers > 0 && 2 * numbers >= present
    }
}
