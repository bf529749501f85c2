extension Matrix: CustomStringConvertible {
  /// The matrix as aligned rows, one line per row, preceded by its shape:
  ///
  /// ```
  /// 2×2 matrix
  /// [ -0.9589   0.8776 ]
  /// [  0.2837   1.7552 ]
  /// ```
  public var description: String {
    var cells = [String]()
    cells.reserveCapacity(elements.count)
    for e in elements { cells.append(_formatEntry(e)) }
    var widths = [Int](repeating: 0, count: columns)
    for (k, c) in cells.enumerated() { widths[k % columns] = Swift.max(widths[k % columns], c.count) }
    var lines = ["\(rows)×\(columns) matrix"]
    for i in 0..<rows {
      var line = "["
      for j in 0..<columns {
        let c = cells[i * columns + j]
        line += " " + String(repeating: " ", count: widths[j] - c.count) + c
      }
      lines.append(line + " ]")
    }
    return lines.joined(separator: "\n")
  }
}

/// Formats a number with about seven significant digits, without Foundation.
@usableFromInline
func _formatEntry<Scalar>(_ value: Scalar) -> String {
  if let d = value as? Double { return _formatDouble(d, digits: 7) }
  if let f = value as? Float { return _formatDouble(Double(f), digits: 6) }
  return "\(value)"
}

/// `x` rounded to `digits` significant digits, in plain or exponent notation.
@usableFromInline
func _formatDouble(_ x: Double, digits: Int) -> String {
  if x == 0 { return x.sign == .minus ? "-0" : "0" }
  if !x.isFinite { return "\(x)" }
  var exponent = 0
  var m = x.magnitude
  while m >= 10 { m /= 10; exponent += 1 }
  while m < 1 { m *= 10; exponent -= 1 }
  // Below a million, whole numbers keep all their integer digits (151, not
  // 150 or 1.5e+2): trailing zeros would look like digits.
  var digits = exponent >= digits && exponent < 6 ? exponent + 1 : digits
  var scale = 1.0
  for _ in 0..<(digits - 1) { scale *= 10 }
  var mantissa = (m * scale).rounded()
  if mantissa >= scale * 10 {
    mantissa /= 10
    exponent += 1
    // A carry into a new integer digit below a million keeps the number
    // whole (99999.7 → 100000, not 1e+5).
    if exponent >= digits && exponent < 6 {
      digits += 1
      mantissa *= 10
    }
  }
  var d = String(Int(mantissa))            // `digits` decimal digits
  while d.count > 1 && d.hasSuffix("0") { d.removeLast() }
  let sign = x < 0 ? "-" : ""
  if exponent >= -4 && exponent < digits {
    if exponent >= 0 {
      let intCount = exponent + 1
      if d.count <= intCount { return sign + d + String(repeating: "0", count: intCount - d.count) }
      return sign + String(d.prefix(intCount)) + "." + String(d.dropFirst(intCount))
    }
    return sign + "0." + String(repeating: "0", count: -exponent - 1) + d
  }
  let mant = d.count > 1 ? String(d.prefix(1)) + "." + String(d.dropFirst()) : d
  return sign + mant + "e" + (exponent < 0 ? "-" : "+") + String(Swift.abs(exponent))
}
