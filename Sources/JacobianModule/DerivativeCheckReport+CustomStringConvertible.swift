extension DerivativeCheckReport: CustomStringConvertible {
  /// A compact table, for example:
  ///
  /// ```
  /// derivative check, ℝ² → ℝ², 2×2 Jacobian: agree
  /// pair                              worst abs  at      worst rel  at      bad  tolerance (abs, rel)
  /// forward – reverse                 0          —       0          —       0    1e-12, 1e-10
  /// forward – finite differences      3.1e-12    (1, 1)  1.7e-12    (1, 1)  0    1e-07, 1e-06
  /// reverse – finite differences      3.1e-12    (1, 1)  1.7e-12    (1, 1)  0    1e-07, 1e-06
  /// worst entry (1, 1): forward 1.755165  reverse 1.755165  finite differences 1.755165
  /// ```
  public var description: String {
    let J = jacobians.first
    let shape = "ℝ\(_superscript(J?.columns ?? 0)) → ℝ\(_superscript(J?.rows ?? 0))"
    var lines = ["derivative check, \(shape), \(J?.rows ?? 0)×\(J?.columns ?? 0) Jacobian: "
                 + (agrees ? "agree" : "DISAGREE")]
    func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: Swift.max(1, w - s.count)) }
    func at(_ d: Disagreement?) -> String {
      guard let d, !(d.absolute == 0) else { return "—" }  // NaN is a disagreement
      return "(\(d.row), \(d.column))"
    }
    func num(_ x: Double?) -> String { _formatDouble(x ?? 0, digits: 2) }
    lines.append(pad("pair", 34) + pad("worst abs", 11) + pad("at", 10) + pad("worst rel", 11)
                 + pad("at", 10) + pad("bad", 5) + "tolerance (abs, rel)")
    for c in comparisons {
      lines.append(
        pad("\(methods[c.first]) – \(methods[c.second])", 34)
          + pad(num(c.worstAbsolute?.absolute), 11) + pad(at(c.worstAbsolute), 10)
          + pad(num(c.worstRelative?.relative), 11) + pad(at(c.worstRelative), 10)
          + pad("\(c.failures)", 5)
          + "\(num(c.tolerance.absolute)), \(num(c.tolerance.relative))")
    }
    // The values at the worst entry of the worst pair (by relative disagreement,
    // weighted by its tolerance), so a reader sees the numbers behind the verdict.
    func weight(_ c: Comparison) -> Double {
      let r = c.worstRelative?.relative ?? 0
      return r.isNaN ? .infinity : r / Swift.max(c.tolerance.relative, .leastNormalMagnitude)
    }
    let worst = comparisons.max { weight($0) < weight($1) }
    if let d = worst?.worstRelative {
      let values = zip(methods, d.values).map { "\($0) \(_formatDouble($1, digits: 10))" }
      lines.append("worst entry (\(d.row), \(d.column)): " + values.joined(separator: "  "))
    }
    return lines.joined(separator: "\n")
  }
}

func _superscript(_ n: Int) -> String {
  let digits = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
  return String(n).map { c in c.wholeNumberValue.map { digits[$0] } ?? String(c) }.joined()
}
