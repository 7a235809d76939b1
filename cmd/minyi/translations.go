package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"minyi/locale"
)

// translationsCmd lists the Mongolian messages still waiting for a
// reviewer, so a translator knows what to read: a reviewed message is
// marked "mn_review": "ok" in its catalogue file.
func translationsCmd(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) error {
	c := locale.Default()
	keys := c.Unreviewed()
	flat := strings.NewReplacer("\n", " ", "\t", " ")
	for _, k := range keys {
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", k, flat.Replace(c.T(locale.Hans, k)), flat.Replace(c.T(locale.Mn, k)))
	}
	fmt.Fprintf(stdout, "%d of %d Mongolian messages unreviewed\n", len(keys), len(c.Keys(locale.Hans)))
	return nil
}
