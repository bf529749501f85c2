/// The operations a tape records; the name of each is the `gradFunction` of
/// its results (PyTorch's `grad_fn` names without the version digit). Raw
/// values stay below 64: the two high bits of a tape's op byte are flags
/// (`_consumedBit`, `_elementBit`).
@usableFromInline
enum OpCode: UInt8, Sendable {
  case leaf, add, sub, mul, div, neg
  case exp, exp2, expm1, log, log2, log10, log1p, sqrt, cbrt
  case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, erf, erfc, abs
  case pow, powInt, atan2, hypot, maximum, minimum
  case sum, mean, max, min, matmul, transpose, reshape, index, slice, concat, stack
  case square, relu, sigmoid, softmax, logSumExp, broadcast, clamp
  /// A function added by a user (`UnaryRule`, `BinaryRule`).
  case custom
  /// A value of another tape (see `TapeLink`); named after that value's
  /// operation.
  case link

  @usableFromInline
  var gradFunctionName: String {
    switch self {
    case .leaf: return "AccumulateGrad"
    case .add: return "AddBackward"
    case .sub: return "SubBackward"
    case .mul: return "MulBackward"
    case .div: return "DivBackward"
    case .neg: return "NegBackward"
    case .exp: return "ExpBackward"
    case .exp2: return "Exp2Backward"
    case .expm1: return "Expm1Backward"
    case .log: return "LogBackward"
    case .log2: return "Log2Backward"
    case .log10: return "Log10Backward"
    case .log1p: return "Log1pBackward"
    case .sqrt: return "SqrtBackward"
    case .cbrt: return "CbrtBackward"
    case .sin: return "SinBackward"
    case .cos: return "CosBackward"
    case .tan: return "TanBackward"
    case .asin: return "AsinBackward"
    case .acos: return "AcosBackward"
    case .atan: return "AtanBackward"
    case .sinh: return "SinhBackward"
    case .cosh: return "CoshBackward"
    case .tanh: return "TanhBackward"
    case .erf: return "ErfBackward"
    case .erfc: return "ErfcBackward"
    case .abs: return "AbsBackward"
    case .pow, .powInt: return "PowBackward"
    case .atan2: return "Atan2Backward"
    case .hypot: return "HypotBackward"
    case .maximum: return "MaximumBackward"
    case .minimum: return "MinimumBackward"
    case .sum: return "SumBackward"
    case .mean: return "MeanBackward"
    case .max: return "MaxBackward"
    case .min: return "MinBackward"
    case .matmul: return "MatmulBackward"
    case .transpose: return "TransposeBackward"
    case .reshape: return "ReshapeBackward"
    case .index: return "IndexBackward"
    case .slice: return "SliceBackward"
    case .concat: return "CatBackward"
    case .stack: return "StackBackward"
    case .square: return "SquareBackward"
    case .relu: return "ReluBackward"
    case .sigmoid: return "SigmoidBackward"
    case .softmax: return "SoftmaxBackward"
    case .logSumExp: return "LogsumexpBackward"
    case .broadcast: return "ExpandBackward"
    case .clamp: return "ClampBackward"
    case .custom: return "CustomFunctionBackward"
    case .link: return "LinkBackward"
    }
  }
}

extension OpCode {
  /// The short name used in error messages ("mul", "sqrt", …).
  @usableFromInline
  var shortName: String {
    var s = gradFunctionName
    if s.hasSuffix("Backward") { s.removeLast(8) }
    return s.lowercased()
  }
}
