// Placeholder until the Tensor issue lands: the module is declared so that the package layout is fixed.
public enum _TensorModulePlaceholder {}
