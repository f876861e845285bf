// Package bootscript owns the main site's boot script: the EC2 user data that installs Apache and
// writes the site's pages, and what an instance that ran it serves. The main site writes its
// launch templates' user data with Script; the simulated account's traffic model asks Serves
// which paths an instance answers with a page, and reads no script itself.
package bootscript

import (
	"encoding/base64"
	"fmt"
	"path"
	"strings"
)

// DocumentRoot is where Apache serves pages from on Amazon Linux.
const DocumentRoot = "/var/www/html"

// IndexFile is the main page's file, below DocumentRoot.
const IndexFile = "/index.html"

// The script's parts: what it starts with, how it writes the health check's page, how it ends.
const (
	header = `#!/bin/bash
set -euo pipefail
dnf install -y httpd
echo '%s' | base64 -d > ` + DocumentRoot + IndexFile + "\n"
	checkPage = "echo ok > %s\n"
	footer    = "systemctl enable --now httpd\n"
)

// Script is the boot script that installs Apache, writes page (base64-encoded, so that no
// character in it can break the script) as the site's index, and writes a page at
// healthCheckPath (its query string aside), so that the load balancer's checks find one there:
// Apache answers 404 for a path without a file. The path must be one the main site's Args accept
// (no character the shell would read).
func Script(page, healthCheckPath string) string {
	script := fmt.Sprintf(header, base64.StdEncoding.EncodeToString([]byte(page)))
	if file := healthCheckFile(healthCheckPath); file != "" {
		script += fmt.Sprintf("mkdir -p %s\n"+checkPage, path.Dir(file), file)
	}
	return script + footer
}

// Serves reports whether an instance that ran script answers urlPath with a page: the index, or
// the health check's page Script wrote. It knows only scripts Script wrote.
func Serves(script, urlPath string) bool {
	if !strings.HasPrefix(script, header[:strings.Index(header, "%s")]) || !strings.HasSuffix(script, footer) {
		return false
	}
	file := ServedFile(urlPath)
	return file == IndexFile || strings.Contains(script, fmt.Sprintf(checkPage, DocumentRoot+file))
}

// healthCheckFile is the file the boot script writes for the health check's path, "" when the
// index answers it. The path is cleaned first, as Apache maps it to a file: "//" and "/./" are
// the index, which must keep the main page.
func healthCheckFile(healthCheckPath string) string {
	if p := ServedFile(healthCheckPath); p != IndexFile {
		return DocumentRoot + p
	}
	return ""
}

// ServedFile is the file below DocumentRoot that Apache answers a path with: the path cleaned,
// its query string aside, a directory's index.html for a path that ends in /.
func ServedFile(urlPath string) string {
	p, _, _ := strings.Cut(urlPath, "?")
	dir := strings.HasSuffix(p, "/")
	if p = path.Clean(p); dir && p != "/" {
		p += "/"
	}
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}
