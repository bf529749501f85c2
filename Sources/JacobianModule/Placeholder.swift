// Placeholder until the Jacobian issue lands.
public enum _JacobianModulePlaceholder {}
