/// One operation of a reverse-mode tape: up to two operand slots and the
/// local partial derivatives with respect to them.
///
/// Slot `s` is the result of entry `s`. An operand slot of -1 is absent (a
/// constant, or the second operand of a unary operation); a negative `a`
/// marks an entry that is not an operation (-1: an input; below that, what
/// the tape that owns the entry says, such as `Tensor`'s n-d nodes), and the
/// sweep leaves it to its owner. Both `Tensor`'s tape and the scalar tape of
/// the Jacobian verbs record these.
@frozen @usableFromInline
package struct TapeEntry<Scalar> {
  @usableFromInline package var a: Int32
  @usableFromInline package var b: Int32
  @usableFromInline package var da: Scalar
  @usableFromInline package var db: Scalar

  @inlinable @inline(__always)
  package init(a: Int32, b: Int32, da: Scalar, db: Scalar) {
    self.a = a
    self.b = b
    self.da = da
    self.db = db
  }
}
