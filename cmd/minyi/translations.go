package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"minyi/locale"
)

// translationsCmd lists the Mongolian messages and error texts still
// waiting for a reviewer, so a translator knows what to read: a reviewed
// one is marked "mn_review": "ok" in its catalogue file or errors.json.
func translationsCmd(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) error {
	c := locale.Default()
	keys := c.Unreviewed()
	flat := strings.NewReplacer("\n", " ", "\t", " ")
	for _, k := range keys {
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", k, flat.Replace(c.T(locale.Hans, k)), flat.Replace(c.T(locale.Mn, k)))
	}
	// The services' error texts (locale/errors.json) are keyed by their
	// Chinese, so their key column says only what they are.
	errs := c.UnreviewedErrors()
	for _, zh := range errs {
		fmt.Fprintf(stdout, "error\t%s\t%s\n", flat.Replace(zh), flat.Replace(c.MongolianError(zh)))
	}
	fmt.Fprintf(stdout, "%d of %d Mongolian messages and %d of %d error texts unreviewed\n", len(keys), len(c.Keys(locale.Hans)), len(errs), len(c.ErrorKeys()))
	return nil
}
