// Why this module imports the C library although it uses none of its functions:
//
// On Linux the standard library's `Double.squareRoot()` compiles to the `sqrtsd`
// instruction plus a fallback call to libm's `sqrt` for negative inputs (to set `errno`).
// The Swift driver does not link libm by itself, so an executable that uses this module but
// not Foundation fails to link ("undefined reference to 'sqrt'"). Importing Glibc records
// an autolink entry for libm in this module's objects, so every program that links
// FraudModels also links libm. No libm function is called for any value that reaches a
// score: `exp` and `log` come from ``DeterministicMath``, and `sqrt` of a non-negative
// number is the correctly rounded hardware instruction.
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#endif
