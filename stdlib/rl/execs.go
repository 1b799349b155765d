package rl

import (
	"sync"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's graph DSL reads best dot-imported.
)

// execCache keeps one Exec per variant of a graph (a key the graph's
// structure depends on beyond its input shapes), made on first use; each
// compiles per input shape on its first call. Safe for concurrent use.
type execCache[K comparable] struct {
	backend compute.Backend
	graph   func(K) func(g *Graph, in []*Node) []*Node
	mu      sync.Mutex
	execs   map[K]*Exec
}

func newExecCache[K comparable](be compute.Backend, graph func(K) func(g *Graph, in []*Node) []*Node) *execCache[K] {
	return &execCache[K]{backend: be, graph: graph, execs: map[K]*Exec{}}
}

// get returns the Exec of variant k.
func (c *execCache[K]) get(k K) (*Exec, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.execs[k]; e != nil {
		return e, nil
	}
	e, err := NewExec(c.backend, c.graph(k))
	if err != nil {
		return nil, err
	}
	e = e.SetMaxCache(-1)
	c.execs[k] = e
	return e, nil
}

// close frees the compiled graphs.
func (c *execCache[K]) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.execs {
		e.Finalize()
	}
	c.execs = map[K]*Exec{}
}
