// Package html holds the web pages' html/template sources and their static
// assets (one style sheet), embedded in the binary so that the pages need
// no build step and nothing from outside the server. The handlers that
// fill them live in web.
//
// Every page file defines the templates "title" and "main"; layout.tmpl
// wraps them in the document, the header with the role's navigation and
// the footer. Templates use no inline style or script: the pages are
// served with a Content-Security-Policy of default-src 'self'.
package html

import (
	"embed"
	"io/fs"
)

//go:embed *.tmpl
var pages embed.FS

//go:embed assets
var assets embed.FS

// Pages is the file system of the page templates (*.tmpl).
func Pages() fs.FS { return pages }

// Assets is the file system of the static assets, rooted at their
// directory: "style.css".
func Assets() fs.FS {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}
