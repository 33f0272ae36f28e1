package main

// renderNext is err, else the error of rendering v, then for a person
// the next command to run.
func (a *app) renderNext(asJSON bool, v textWriter, err error, next string) error {
	if err == nil {
		err = a.render(asJSON, v)
	}
	if err != nil || asJSON {
		return err
	}
	_, err = a.stdout.Write([]byte("next: " + next + "\n"))
	return err
}

// orEmpty is s, or an empty list rather than null in JSON.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
