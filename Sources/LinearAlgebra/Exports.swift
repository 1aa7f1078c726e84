// What every layer shares (the error type, the version, the RNG, the clock) lives in Common,
// below LinearAlgebra; whoever imports LinearAlgebra gets it too.
@_exported import Common
