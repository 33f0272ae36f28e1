package main

import "io"

// The tails of commands whose last call returns a result and an error.

// orRender is err, else the error of rendering v (JSON with asJSON, else
// its text): renderResult for a result that is converted (a list made a
// report type) before it is rendered.
func (a *app) orRender(err error, asJSON bool, v textWriter) error {
	return renderResult[textWriter](a, asJSON)(v, err)
}

// orWrite is err, else the error of writing v's text to w.
func orWrite(err error, v textWriter, w io.Writer) error {
	if err != nil {
		return err
	}
	return v.WriteText(w)
}

// orJSON is err, else the error of printing v as JSON.
func orJSON(err error, a *app, v any) error {
	if err != nil {
		return err
	}
	return a.printJSON(v)
}
