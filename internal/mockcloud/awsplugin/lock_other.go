//go:build !unix

package awsplugin

import "errors"

func lock(string) (func(), error) {
	return nil, errors.New("the simulated AWS plugin runs on Unix systems only (it locks its account file with flock)")
}
