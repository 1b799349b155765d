package symbols_test

import (
	"fmt"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/securecoderl/securecoderl/stdlib/symbols"
)

// Loads the tables into a bare yaegi interpreter (kernel/repl does this and
// more) and calls a curated package from interpreted code.
func Example() {
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		fmt.Println(err)
		return
	}
	if err := i.Use(symbols.Symbols); err != nil {
		fmt.Println(err)
		return
	}
	v, err := i.Eval(`import "github.com/securecoderl/securecoderl/stdlib/judge"`)
	if err != nil {
		fmt.Println(v, err)
		return
	}
	v, err = i.Eval(`judge.Compare(judge.Lines, "1 2 \n", "1 2")`)
	fmt.Println(v, err)
	// Output: true <nil>
}
