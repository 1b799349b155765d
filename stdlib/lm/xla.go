//go:build xla

package lm

// Built with -tags xla, binaries also register GoMLX's XLA backend
// (github.com/gomlx/go-xla, cgo): select it at run time with
// GOMLX_BACKEND=xla:/abs/path/to/pjrt_plugin.so (e.g. the CUDA plugin
// xla_cuda_plugin.so from JAX's jax-cuda13-pjrt wheel), or xla:cuda / xla:cpu
// for plugins installed as pjrt_c_api_<name>_plugin.so under
// ~/.local/lib/go-xla or /usr/local/lib/go-xla. Without GOMLX_BACKEND the
// pure-Go backend is still the default. No plugin is ever downloaded (the
// autoinstall package is not linked).
import _ "github.com/gomlx/go-xla/compute/xla"
