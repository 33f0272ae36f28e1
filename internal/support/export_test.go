package support

// Generalized is generalized, for the tests of package support_test.
var Generalized = generalized
