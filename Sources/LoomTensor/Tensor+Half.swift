/// Float16 and BFloat16 as storage formats (safetensors, `toHalf()`): bit-exact conversion with
/// round-to-nearest-even, independent of the platform's `Float16` support.
public enum HalfPrecision {
    /// IEEE binary16 bits of `value` (round to nearest even; overflow to ±∞; NaN kept).
    public static func halfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
        var e = exponent - 127 + 15
        if e >= 0x1F { return sign | 0x7C00 }
        if e <= 0 {
            if e < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - e)
            let half = UInt32(1) << (shift - 1)
            let rem = mantissa & ((UInt32(1) << shift) - 1)
            var m = mantissa >> shift
            if rem > half || (rem == half && (m & 1) == 1) { m += 1 }
            return sign | UInt16(m)
        }
        var m = mantissa >> 13
        let rem = mantissa & 0x1FFF
        if rem > 0x1000 || (rem == 0x1000 && (m & 1) == 1) {
            m += 1
            if m == 0x400 { m = 0; e += 1; if e >= 0x1F { return sign | 0x7C00 } }
        }
        return sign | UInt16(e << 10) | UInt16(m)
    }

    /// The Float value of IEEE binary16 bits (exact).
    public static func float(fromHalf h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

    /// bfloat16 bits of `value` (round to nearest even; NaN kept quiet).
    public static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x40 }
        let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }

    /// The Float value of bfloat16 bits (exact).
    public static func float(fromBFloat16 b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }
}

extension Tensor {
    /// The elements as IEEE Float16 bit patterns (storage format).
    public func halfBits() -> [UInt16] { scalars.map(HalfPrecision.halfBits) }

    /// A Float32 tensor from Float16 bit patterns.
    public convenience init(shape: [Int], halfBits: [UInt16]) {
        self.init(shape: shape, scalars: halfBits.map(HalfPrecision.float(fromHalf:)))
    }

    /// The elements rounded through Float16 and back (what storing as half keeps), in this dtype.
    public func roundedToHalf() -> Tensor {
        let t = Tensor(shape: shape, scalars: halfBits().map(HalfPrecision.float(fromHalf:)))
        return t.to(dtype)
    }
}
