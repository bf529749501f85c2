// The umbrella module: `import Leibniz` brings in every part of the toolkit.
@_exported import DifferentiableModule
@_exported import DualModule
@_exported import TensorModule
@_exported import JacobianModule
