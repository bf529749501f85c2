import DifferentiableModule

/// The number types the Jacobian verbs accept as points: `Double` and `Float`.
///
/// ```swift
/// jacobian(at: [1.0, 2.0], of: f)            // Matrix<Double>
/// jacobian(at: [Float(1), 2], of: f)         // Matrix<Float>
/// ```
///
/// Forward mode carries several partials in a SIMD vector, so the scalar must
/// be a SIMD scalar as well as a binary floating-point `DifferentiableScalar`.
public typealias JacobianScalar = DifferentiableScalar & BinaryFloatingPoint & SIMDScalar & Sendable
