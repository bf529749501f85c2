import Testing
@Test func placeholderTensorModuleTests() { #expect(Bool(true)) }
