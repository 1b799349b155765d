// Package kernel connects SecureCodeRL to Jupyter: it installs the pinned
// GoNB kernel and goimports, registers the "SecureCodeRL (Go)" kernelspec
// (GoNB started with -go_work pointing at this repository, so notebook
// cells import the project's packages, and with an environment that works
// offline once the Go modules are cached), diagnoses the setup (Doctor), and
// runs notebooks headlessly, papermill-style (RunNotebook): the cell tagged
// "parameters" is rewritten from NAME=VALUE pairs, the notebook is executed
// through `jupyter nbconvert`, failing cells are reported by number with
// their error, and the executed notebook and an HTML export are written out.
//
// For notebook cells it also offers RepoRoot and SharedDataDir/SharedFile
// (where the repository and the shared data are, inside or outside a
// kernel) and Stash/Unstash, which keep a value across the cells of one
// kernel session (each GoNB cell is a fresh program).
//
// The yaegi REPL lives in the subpackage kernel/repl.
package kernel

// Pinned versions and names.
const (
	// DefaultName is the kernelspec's directory name.
	DefaultName = "securecoderl"
	// DisplayName is what Jupyter shows in its kernel list.
	DisplayName = "SecureCodeRL (Go)"
	// ModulePath is this repository's Go module.
	ModulePath = "github.com/securecoderl/securecoderl"
	// Toolchain is the Go toolchain notebooks build with (GOTOOLCHAIN).
	Toolchain = "go1.27.4"
	// GoExperiment is the GOEXPERIMENT value builds use.
	GoExperiment = "simd"
	// GoNBVersion and GoImportsVersion are the pinned tool versions (the
	// same as scripts/setup.sh).
	GoNBVersion      = "v0.11.5"
	GoImportsVersion = "v0.52.0"
)
